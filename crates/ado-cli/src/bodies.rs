//! Request bodies of the write commands, built from the SDK's types: from a `--body FILE` when
//! given (`-` is standard input), with the command's flags applied on top.

use ado_core::{Error, Result, Timestamp};
use ado_pipelines::types::{
    CreatePipelineParameters, CreatePipelineRepository, Permission, PipelinePermission, ResourcePipelinePermissions,
    RunPipelineParameters,
};
use ado_tokens::types::{PatTokenCreateRequest, PatTokenUpdateRequest};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::cli::{PipelineCreateArgs, RunArgs};

/// A body read from a JSON file (`-`: standard input) as the SDK type `T`.
pub fn read_body<T: DeserializeOwned>(flag: &str, path: &str) -> Result<T> {
    let text = if path == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| Error::invalid_input(format!("standard input: {e}")))?
    } else {
        std::fs::read_to_string(path).map_err(|e| Error::invalid_input(format!("{flag} {path}: {e}")))?
    };
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| Error::invalid_input(format!("{flag} {path}: not the body this command sends: {e}")))
}

/// The file's body, or the type's empty one.
fn base<T: DeserializeOwned + Default>(body: Option<&str>) -> Result<T> {
    body.map_or_else(|| Ok(T::default()), |path| read_body("--body", path))
}

/// `NAME=VALUE`, split.
pub fn pair<'a>(flag: &str, text: &'a str) -> Result<(&'a str, &'a str)> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name, value)),
        _ => Err(Error::invalid_input(format!("{flag} `{text}`: write NAME=VALUE"))),
    }
}

fn timestamp(flag: &str, text: &str) -> Result<Timestamp> {
    text.parse().map_err(|_| {
        Error::invalid_input(format!(
            "{flag} `{text}` is not an RFC 3339 time (such as 2031-01-01T00:00:00Z)"
        ))
    })
}

/// `ado tokens create`.
pub fn pat_create(
    body: Option<&str>,
    name: Option<&str>,
    scope: &str,
    valid_to: Option<&str>,
    all_orgs: bool,
) -> Result<PatTokenCreateRequest> {
    let mut request: PatTokenCreateRequest = match body {
        Some(path) => read_body("--body", path)?,
        None => PatTokenCreateRequest {
            display_name: String::new(),
            scope: Some(scope.to_string()),
            valid_to: None,
            all_orgs: Some(all_orgs),
        },
    };
    if let Some(name) = name {
        request.display_name = name.to_string();
    }
    if request.display_name.is_empty() {
        return Err(Error::invalid_input("a token needs a name: give --name NAME"));
    }
    if let Some(valid_to) = valid_to {
        request.valid_to = Some(timestamp("--valid-to", valid_to)?);
    }
    Ok(request)
}

/// The changes `ado tokens update` makes.
pub struct PatChange<'a> {
    /// New name.
    pub name: Option<&'a str>,
    /// New scopes.
    pub scope: Option<&'a str>,
    /// New expiry.
    pub valid_to: Option<&'a str>,
    /// All organizations or this one.
    pub all_orgs: Option<bool>,
}

/// `ado tokens update`.
pub fn pat_update(body: Option<&str>, id: Uuid, change: PatChange<'_>) -> Result<PatTokenUpdateRequest> {
    let mut request: PatTokenUpdateRequest = match body {
        Some(path) => read_body("--body", path)?,
        None => PatTokenUpdateRequest {
            authorization_id: id,
            display_name: None,
            scope: None,
            valid_to: None,
            all_orgs: None,
        },
    };
    request.authorization_id = id;
    request.display_name = change.name.map(str::to_string).or(request.display_name);
    request.scope = change.scope.map(str::to_string).or(request.scope);
    if let Some(valid_to) = change.valid_to {
        request.valid_to = Some(timestamp("--valid-to", valid_to)?);
    }
    request.all_orgs = change.all_orgs.or(request.all_orgs);
    Ok(request)
}

/// `ado pipelines permissions update`: authorize and withdraw pipelines, or all of them.
pub fn permissions_change(
    body: Option<&str>,
    authorize: &[i32],
    withdraw: &[i32],
    all_pipelines: Option<bool>,
) -> Result<ResourcePipelinePermissions> {
    let mut change: ResourcePipelinePermissions = base(body)?;
    let pipelines = change.pipelines.get_or_insert_with(Vec::new);
    for (ids, authorized) in [(authorize, true), (withdraw, false)] {
        pipelines.extend(ids.iter().map(|id| PipelinePermission {
            id: Some(*id),
            authorized: Some(authorized),
            ..Default::default()
        }));
    }
    if let Some(all) = all_pipelines {
        change.all_pipelines = Some(Permission {
            authorized: Some(all),
            ..Default::default()
        });
    }
    if change.pipelines.as_ref().is_some_and(Vec::is_empty) && change.all_pipelines.is_none() {
        return Err(Error::invalid_input(
            "nothing to change: give --authorize ID, --withdraw ID, --all-pipelines true|false or --body FILE",
        ));
    }
    Ok(change)
}

/// `ado pipelines create`.
pub fn pipeline_create(args: &PipelineCreateArgs) -> Result<CreatePipelineParameters> {
    if let Some(path) = &args.body {
        let mut request: CreatePipelineParameters = read_body("--body", path)?;
        if let Some(name) = &args.name {
            request.name = name.clone();
        }
        if let Some(folder) = &args.folder {
            request.folder = Some(folder.clone());
        }
        return Ok(request);
    }
    let missing = |flag: &str| Error::invalid_input(format!("a YAML pipeline needs {flag} (or --body FILE)"));
    let name = args.name.as_deref().ok_or_else(|| missing("--name NAME"))?;
    let path = args.yaml_path.as_deref().ok_or_else(|| missing("--yaml-path PATH"))?;
    let repository = match (&args.github_repo, &args.repository_id) {
        (Some(full_name), _) => {
            let connection = args
                .service_connection
                .as_deref()
                .ok_or_else(|| missing("--service-connection ID for --github-repo"))?;
            CreatePipelineRepository::github(full_name, connection)
        }
        (None, Some(id)) => CreatePipelineRepository {
            id: Some(id.clone()),
            name: args.repository_name.clone(),
            type_: Some(args.repository_type.parse().unwrap_or_else(|never| match never {})),
            ..Default::default()
        },
        (None, None) => return Err(missing("--repository-id ID or --github-repo OWNER/NAME")),
    };
    let mut request = CreatePipelineParameters::yaml(name, path, repository);
    request.folder = args.folder.clone();
    Ok(request)
}

/// `ado pipelines runs run` and `ado pipelines preview`.
pub fn run_parameters(args: &RunArgs) -> Result<RunPipelineParameters> {
    let mut run: RunPipelineParameters = base(args.body.as_deref())?;
    if let Some(branch) = &args.branch {
        run = run.branch(branch);
    }
    for variable in &args.variables {
        let (name, value) = pair("--variable", variable)?;
        run = run.variable(name, value);
    }
    for variable in &args.secret_variables {
        let (name, value) = pair("--secret-variable", variable)?;
        run = run.secret_variable(name, value);
    }
    for parameter in &args.parameters {
        let (name, value) = pair("--parameter", parameter)?;
        run = run.template_parameter(name, value);
    }
    Ok(run.skip_stages(args.skip_stages.iter().cloned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn json_of<T: serde::Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }

    fn file(text: &str) -> tempfile_path::TempPath {
        tempfile_path::TempPath::with(text)
    }

    /// A file removed when dropped.
    mod tempfile_path {
        pub struct TempPath(pub std::path::PathBuf);
        impl TempPath {
            pub fn with(text: &str) -> Self {
                let path = std::env::temp_dir().join(format!(
                    "ado-cli-body-{}-{}.json",
                    std::process::id(),
                    uuid::Uuid::new_v4()
                ));
                std::fs::write(&path, text).unwrap();
                Self(path)
            }
            pub fn as_str(&self) -> &str {
                self.0.to_str().unwrap()
            }
        }
        impl Drop for TempPath {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.0);
            }
        }
    }

    #[test]
    fn a_run_from_flags_has_branch_variables_parameters_and_skipped_stages() {
        let args = RunArgs {
            branch: Some("main".into()),
            variables: vec!["configuration=Release".into()],
            secret_variables: vec!["apiKey=s3cret".into()],
            parameters: vec!["environment=prod".into()],
            skip_stages: vec!["deploy".into()],
            body: None,
        };
        assert_eq!(
            json_of(&run_parameters(&args).unwrap()),
            json!({
                "resources": {"repositories": {"self": {"refName": "refs/heads/main"}}},
                "variables": {"configuration": {"value": "Release"}, "apiKey": {"value": "s3cret", "isSecret": true}},
                "templateParameters": {"environment": "prod"},
                "stagesToSkip": ["deploy"]
            })
        );
    }

    #[test]
    fn flags_add_to_a_body_file() {
        let body = file(
            r#"{"templateParameters": {"region": "westeurope"}, "resources": {"repositories": {"tools": {"version": "abc"}}}}"#,
        );
        let args = RunArgs {
            branch: Some("refs/tags/v1".into()),
            parameters: vec!["environment=prod".into()],
            body: Some(body.as_str().to_string()),
            ..Default::default()
        };
        assert_eq!(
            json_of(&run_parameters(&args).unwrap()),
            json!({
                "resources": {"repositories": {"tools": {"version": "abc"}, "self": {"refName": "refs/tags/v1"}}},
                "templateParameters": {"region": "westeurope", "environment": "prod"}
            })
        );
    }

    #[test]
    fn a_pair_without_an_equals_sign_is_refused_with_the_flag() {
        let args = RunArgs {
            variables: vec!["configuration".into()],
            ..Default::default()
        };
        let err = run_parameters(&args).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: --variable `configuration`: write NAME=VALUE"
        );
    }

    #[test]
    fn a_body_file_that_is_not_the_commands_body_is_refused() {
        let body = file(r#"{"variables": "not a map"}"#);
        let args = RunArgs {
            body: Some(body.as_str().to_string()),
            ..Default::default()
        };
        let err = run_parameters(&args).unwrap_err().to_string();
        assert!(err.contains("not the body this command sends"), "{err}");
    }

    #[test]
    fn an_azure_repos_pipeline_names_path_repository_and_folder() {
        let args = PipelineCreateArgs {
            name: Some("ci".into()),
            yaml_path: Some("azure-pipelines.yml".into()),
            repository_id: Some("49c1d4d0-be28-4f20-9e0a-4ecfafc39257".into()),
            repository_name: Some("fabrikam".into()),
            repository_type: "azureReposGit".into(),
            folder: Some("\\ci".into()),
            ..Default::default()
        };
        assert_eq!(
            json_of(&pipeline_create(&args).unwrap()),
            json!({
                "name": "ci",
                "folder": "\\ci",
                "configuration": {
                    "type": "yaml",
                    "path": "azure-pipelines.yml",
                    "repository": {"id": "49c1d4d0-be28-4f20-9e0a-4ecfafc39257", "name": "fabrikam", "type": "azureReposGit"}
                }
            })
        );
    }

    #[test]
    fn a_github_pipeline_needs_its_service_connection() {
        let args = PipelineCreateArgs {
            name: Some("web".into()),
            yaml_path: Some("ci.yml".into()),
            github_repo: Some("fabrikam/web".into()),
            repository_type: "azureReposGit".into(),
            ..Default::default()
        };
        let err = pipeline_create(&args).unwrap_err().to_string();
        assert!(err.contains("--service-connection"), "{err}");
        let with = PipelineCreateArgs {
            service_connection: Some("5f3b1c9e-0000-4000-8000-000000000001".into()),
            ..args
        };
        assert_eq!(
            json_of(&pipeline_create(&with).unwrap())["configuration"]["repository"],
            json!({"fullName": "fabrikam/web", "type": "gitHub", "connection": {"id": "5f3b1c9e-0000-4000-8000-000000000001"}})
        );
    }

    #[test]
    fn permissions_authorize_withdraw_and_open_to_all() {
        let change = permissions_change(None, &[6], &[15], Some(false)).unwrap();
        assert_eq!(
            json_of(&change),
            json!({
                "pipelines": [{"id": 6, "authorized": true}, {"id": 15, "authorized": false}],
                "allPipelines": {"authorized": false}
            })
        );
        let err = permissions_change(None, &[], &[], None).unwrap_err().to_string();
        assert!(err.contains("nothing to change"), "{err}");
    }

    #[test]
    fn a_token_is_created_with_its_name_scope_and_expiry() {
        let request = pat_create(None, Some("ci"), "vso.build", Some("2031-01-01T00:00:00Z"), false).unwrap();
        assert_eq!(
            json_of(&request),
            json!({"displayName": "ci", "scope": "vso.build", "validTo": "2031-01-01T00:00:00Z", "allOrgs": false})
        );
        let err = pat_create(None, Some("ci"), "vso.build", Some("next year"), false).unwrap_err();
        assert!(err.to_string().contains("not an RFC 3339 time"), "{err}");
    }

    #[test]
    fn a_token_update_sends_only_what_changes() {
        let id: Uuid = "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32".parse().unwrap();
        let change = PatChange {
            name: Some("renamed"),
            scope: None,
            valid_to: None,
            all_orgs: None,
        };
        assert_eq!(
            json_of(&pat_update(None, id, change).unwrap()),
            json!({"authorizationId": "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32", "displayName": "renamed"})
        );
    }
}
