//! Where the command runs: organization, project, credentials, or the embedded fake.

use std::io::BufRead;

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
            Error::invalid_input("no project given: use --project, or set AZURE_DEVOPS_PROJECT (or SYSTEM_TEAMPROJECT)")
        })
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Build the context from the arguments and the environment.
pub async fn build(
    cli: &Cli,
    extend: impl FnOnce(ado_core::ConfigBuilder) -> ado_core::ConfigBuilder,
) -> Result<Context, Error> {
    let project = cli
        .project
        .clone()
        .or_else(|| env("AZURE_DEVOPS_PROJECT"))
        .or_else(|| env("SYSTEM_TEAMPROJECT"));
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
    let organization = cli
        .org
        .clone()
        .or_else(|| env("AZURE_DEVOPS_ORG_URL"))
        .or_else(|| env("SYSTEM_COLLECTIONURI"))
        .ok_or_else(|| Error::invalid_input("no organization given: use --org, or set AZURE_DEVOPS_ORG_URL (or SYSTEM_COLLECTIONURI); or try --fake"))?;
    // The organization is checked before the credentials are looked for: a bad URL is the first
    // thing to fix.
    ado_core::Organization::parse(&organization)?;
    let credentials = if cli.pat_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::credentials(format!("could not read a PAT from standard input: {e}")))?;
        let pat = line.trim();
        if pat.is_empty() {
            return Err(Error::credentials("--pat-stdin: standard input held no token"));
        }
        Credentials::pat(pat)
    } else {
        Credentials::from_env()?
    };
    let config = extend(Config::builder().organization(organization).credentials(credentials)).build()?;
    Ok(Context {
        config,
        project,
        fake: None,
    })
}
