//! Where the command runs: organization, project, credentials, or the embedded fake.

use ado_core::{Config, Credentials, Error};

use crate::cli::Cli;

/// The default organization and project of the fake.
pub const FAKE_PROJECT: &str = ado_fake::PROJECT;

/// A bearer token the embedded fake accepts (the PAT API refuses PATs).
const FAKE_TOKEN: &str = "fake-entra-user-token";

/// The configuration to run with, and the fake when `--fake` started one.
pub struct Context {
    /// The SDK configuration.
    pub config: Config,
    /// The project.
    pub project: Option<String>,
    /// The fake, kept running while the command runs.
    pub fake: Option<ado_fake::FakeServer>,
}

impl Context {
    /// The project, or a usage error naming how to give one.
    pub fn project(&self) -> Result<&str, Error> {
        self.project.as_deref().ok_or_else(|| {
            Error::invalid_input(
                "no project given: use --project, set AZURE_DEVOPS_PROJECT (or SYSTEM_TEAMPROJECT), or save one with `ado configure --defaults project=NAME`",
            )
        })
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Where a setting came from, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// `--org` / `--project`.
    Flag,
    /// An environment variable.
    Environment,
    /// The git remote of the current directory.
    Detected,
    /// `ado configure --defaults`.
    Saved,
}

/// A setting's value and where it came from.
pub type Sourced = Option<(String, Source)>;

/// Organization and project, each from the first source that has it: the flag, the
/// environment, the git remote of the current directory (with `--detect`), the saved defaults.
pub fn organization_and_project(cli: &Cli) -> Result<(Sourced, Sourced), Error> {
    let from = |source| move |value: String| (value, source);
    let mut organization = cli.org.clone().map(from(Source::Flag)).or_else(|| {
        env("AZURE_DEVOPS_ORG_URL")
            .or_else(|| env("SYSTEM_COLLECTIONURI"))
            .map(from(Source::Environment))
    });
    let mut project = given_project(cli);
    if cli.detect
        && (organization.is_none() || project.is_none())
        && let Ok(dir) = std::env::current_dir()
        && let Some(found) = crate::detect::in_repository(&dir)
    {
        // A project is taken from the remote only with the remote's organization.
        let same_org = organization
            .as_ref()
            .is_none_or(|(o, _)| same_organization(o, &found.organization));
        organization.get_or_insert((found.organization, Source::Detected));
        if same_org {
            project.get_or_insert((found.project, Source::Detected));
        }
    }
    if organization.is_none() || project.is_none() {
        let saved = crate::defaults::load()?;
        organization = organization.or(saved.organization.map(from(Source::Saved)));
        project = project.or(saved.project.map(from(Source::Saved)));
    }
    Ok((organization, project))
}

/// The project from `--project`, else the environment.
fn given_project(cli: &Cli) -> Sourced {
    cli.project.clone().map(|p| (p, Source::Flag)).or_else(|| {
        env("AZURE_DEVOPS_PROJECT")
            .or_else(|| env("SYSTEM_TEAMPROJECT"))
            .map(|p| (p, Source::Environment))
    })
}

/// An organization URL (or name) as one key: its base URL, lower case, no trailing `/`.
pub fn organization_key(organization: &str) -> Result<String, Error> {
    let org = ado_core::Organization::parse(organization)?;
    Ok(org
        .base_url(ado_core::Host::Core)
        .trim_end_matches('/')
        .to_ascii_lowercase())
}

/// Whether two organization URLs (or names) name the same organization.
fn same_organization(a: &str, b: &str) -> bool {
    organization_key(a).ok() == organization_key(b).ok()
}

/// Build the context from the arguments and the environment.
pub async fn build(
    cli: &Cli,
    extend: impl FnOnce(ado_core::ConfigBuilder) -> ado_core::ConfigBuilder,
) -> Result<Context, Error> {
    let (organization, project) = if cli.fake {
        (None, given_project(cli).map(|(p, _)| p))
    } else {
        let (organization, project) = organization_and_project(cli)?;
        (organization.map(|(o, _)| o), project.map(|(p, _)| p))
    };
    if cli.fake {
        let server = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().bearer(FAKE_TOKEN))
            .await
            .map_err(|e| Error::invalid_input(format!("the embedded fake service could not start: {e}")))?;
        let config = extend(
            Config::builder()
                .organization(server.org_url())
                .credentials(Credentials::bearer(FAKE_TOKEN)),
        )
        .build()?;
        return Ok(Context {
            config,
            project: project.or_else(|| Some(FAKE_PROJECT.to_string())),
            fake: Some(server),
        });
    }
    let organization = organization.ok_or_else(|| {
        Error::invalid_input(
            "no organization given: use --org, set AZURE_DEVOPS_ORG_URL (or SYSTEM_COLLECTIONURI), run in a clone of an Azure DevOps repository, or save one with `ado configure --defaults organization=URL`; or try --fake",
        )
    })?;
    // The organization is checked before the credentials are looked for: a bad URL is the first
    // thing to fix.
    ado_core::Organization::parse(&organization)?;
    // A PAT on standard input, else the environment's, else one `ado login` kept.
    let credentials = if cli.pat_stdin {
        Credentials::pat(crate::login::pat_from_stdin().map_err(|e| Error::credentials(format!("--pat-stdin: {e}")))?)
    } else {
        match Credentials::from_env() {
            Ok(credentials) => credentials,
            Err(missing) => crate::login::kept(&organization).ok_or(missing)?,
        }
    };
    let config = extend(Config::builder().organization(organization).credentials(credentials)).build()?;
    Ok(Context {
        config,
        project,
        fake: None,
    })
}
