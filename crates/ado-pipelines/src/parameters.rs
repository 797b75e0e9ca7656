//! Constructors for the common request bodies: run a pipeline on a branch, with variables and
//! template parameters; preview a YAML override; create a YAML pipeline from a repository.
//!
//! ```
//! use ado_pipelines::types::RunPipelineParameters;
//!
//! let run = RunPipelineParameters::on_branch("release/1.2")
//!     .variable("configuration", "Release")
//!     .template_parameter("deploy", true);
//! assert_eq!(
//!     serde_json::to_value(&run).unwrap(),
//!     serde_json::json!({
//!         "resources": {"repositories": {"self": {"refName": "refs/heads/release/1.2"}}},
//!         "variables": {"configuration": {"value": "Release"}},
//!         "templateParameters": {"deploy": true}
//!     })
//! );
//! ```

use serde_json::{Map, Value};

use crate::types::{
    ConfigurationType, CreatePipelineConfigurationParameters, CreatePipelineParameters, CreatePipelineRepository,
    FreeForm, RepositoryResourceParameters, RepositoryType, RunPipelineParameters, RunResourcesParameters,
    ServiceConnectionRef, Variable,
};

/// The alias of the pipeline's own repository among a run's resources.
pub const SELF_REPOSITORY: &str = "self";

/// `refs/heads/{branch}` for a branch name; a full ref (`refs/...`) is kept as it is.
///
/// ```
/// assert_eq!(ado_pipelines::branch_ref("main"), "refs/heads/main");
/// assert_eq!(ado_pipelines::branch_ref("refs/tags/v1"), "refs/tags/v1");
/// ```
pub fn branch_ref(branch: &str) -> String {
    if branch.starts_with("refs/") {
        branch.to_string()
    } else {
        format!("refs/heads/{branch}")
    }
}

impl RunPipelineParameters {
    /// Run the pipeline's YAML from a branch (a name such as `main`, or a full ref) of its own
    /// repository.
    pub fn on_branch(branch: &str) -> Self {
        Self::default().branch(branch)
    }

    /// Run from this branch (a name or a full ref) of the pipeline's own repository.
    pub fn branch(self, branch: &str) -> Self {
        self.repository(
            SELF_REPOSITORY,
            RepositoryResourceParameters {
                ref_name: Some(branch_ref(branch)),
                ..Default::default()
            },
        )
    }

    /// Preview (not run) the pipeline with `yaml` instead of its file.
    pub fn preview_yaml(yaml: impl Into<String>) -> Self {
        Self {
            preview_run: Some(true),
            yaml_override: Some(yaml.into()),
            ..Default::default()
        }
    }

    /// Use this version of the repository with alias `alias` (`self` is the pipeline's own).
    pub fn repository(mut self, alias: impl Into<String>, version: RepositoryResourceParameters) -> Self {
        self.resources
            .get_or_insert_with(RunResourcesParameters::default)
            .repositories
            .insert(alias.into(), version);
        self
    }

    /// Set a variable for the run (one the pipeline lets a run set).
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.insert(
            name.into(),
            Variable {
                value: Some(value.into()),
                is_secret: None,
                extra: Map::new(),
            },
        );
        self
    }

    /// Set a secret variable for the run: the service never shows its value.
    pub fn secret_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.insert(
            name.into(),
            Variable {
                value: Some(value.into()),
                is_secret: Some(true),
                extra: Map::new(),
            },
        );
        self
    }

    /// Give a value to one of the YAML's `parameters` (a string, a boolean, a number, a list or an
    /// object, as the parameter's type says).
    pub fn template_parameter(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.template_parameters.insert(name.into(), FreeForm(value.into()));
        self
    }

    /// Leave these stages out.
    pub fn skip_stages<S: Into<String>>(mut self, stages: impl IntoIterator<Item = S>) -> Self {
        self.stages_to_skip.extend(stages.into_iter().map(Into::into));
        self
    }
}

impl CreatePipelineRepository {
    /// An Azure Repos Git repository of the organization, by id and name.
    pub fn azure_repos(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: Some(id.into()),
            name: Some(name.into()),
            type_: Some(RepositoryType::AzureReposGit),
            ..Default::default()
        }
    }

    /// A GitHub repository (`owner/name`), reached through a GitHub service connection.
    pub fn github(full_name: impl Into<String>, connection_id: impl Into<String>) -> Self {
        Self {
            full_name: Some(full_name.into()),
            type_: Some(RepositoryType::GitHub),
            connection: Some(ServiceConnectionRef {
                id: Some(connection_id.into()),
                extra: Map::new(),
            }),
            ..Default::default()
        }
    }
}

impl CreatePipelineParameters {
    /// A YAML pipeline named `name` whose file is `path` in `repository`, in the root folder.
    pub fn yaml(name: impl Into<String>, path: impl Into<String>, repository: CreatePipelineRepository) -> Self {
        Self {
            name: name.into(),
            folder: None,
            configuration: CreatePipelineConfigurationParameters {
                type_: ConfigurationType::Yaml,
                path: Some(path.into()),
                repository: Some(repository),
                extra: Map::new(),
            },
        }
    }

    /// Put the pipeline in this folder (such as `\release`).
    pub fn in_folder(mut self, folder: impl Into<String>) -> Self {
        self.folder = Some(folder.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_of<T: serde::Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }

    #[test]
    fn a_branch_name_becomes_a_heads_ref_and_a_full_ref_is_kept() {
        assert_eq!(branch_ref("main"), "refs/heads/main");
        assert_eq!(branch_ref("feature/x"), "refs/heads/feature/x");
        assert_eq!(branch_ref("refs/pull/7/merge"), "refs/pull/7/merge");
    }

    #[test]
    fn a_run_on_a_branch_names_the_self_repository_ref() {
        assert_eq!(
            json_of(&RunPipelineParameters::on_branch("main")),
            json!({"resources": {"repositories": {"self": {"refName": "refs/heads/main"}}}})
        );
    }

    #[test]
    fn variables_are_plain_or_secret() {
        let run = RunPipelineParameters::default()
            .variable("configuration", "Release")
            .secret_variable("apiKey", "s3cret");
        assert_eq!(
            json_of(&run),
            json!({"variables": {
                "configuration": {"value": "Release"},
                "apiKey": {"value": "s3cret", "isSecret": true}
            }})
        );
    }

    #[test]
    fn template_parameters_keep_their_json_type() {
        let run = RunPipelineParameters::default()
            .template_parameter("environment", "prod")
            .template_parameter("replicas", 3)
            .template_parameter("regions", json!(["westeurope", "eastus"]));
        assert_eq!(
            json_of(&run),
            json!({"templateParameters": {"environment": "prod", "replicas": 3, "regions": ["westeurope", "eastus"]}})
        );
    }

    #[test]
    fn a_second_repository_sits_beside_self() {
        let run = RunPipelineParameters::on_branch("main").repository(
            "tools",
            RepositoryResourceParameters {
                version: Some("4f3e2d1c".into()),
                ..Default::default()
            },
        );
        assert_eq!(
            json_of(&run)["resources"]["repositories"],
            json!({"self": {"refName": "refs/heads/main"}, "tools": {"version": "4f3e2d1c"}})
        );
    }

    #[test]
    fn skipped_stages_are_listed() {
        let run = RunPipelineParameters::default().skip_stages(["deploy", "smoke"]);
        assert_eq!(json_of(&run), json!({"stagesToSkip": ["deploy", "smoke"]}));
    }

    #[test]
    fn a_yaml_preview_overrides_the_file() {
        assert_eq!(
            json_of(&RunPipelineParameters::preview_yaml("steps: []")),
            json!({"previewRun": true, "yamlOverride": "steps: []"})
        );
    }

    #[test]
    fn a_yaml_pipeline_from_azure_repos_names_path_and_repository() {
        let create = CreatePipelineParameters::yaml(
            "fabrikam-ci",
            "azure-pipelines.yml",
            CreatePipelineRepository::azure_repos("49c1d4d0-be28-4f20-9e0a-4ecfafc39257", "fabrikam"),
        )
        .in_folder("\\ci");
        assert_eq!(
            json_of(&create),
            json!({
                "name": "fabrikam-ci",
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
    fn a_yaml_pipeline_from_github_names_the_connection() {
        let create = CreatePipelineParameters::yaml(
            "web",
            ".azure/pipeline.yml",
            CreatePipelineRepository::github("fabrikam/web", "5f3b1c9e-0000-4000-8000-000000000001"),
        );
        assert_eq!(
            json_of(&create)["configuration"]["repository"],
            json!({"fullName": "fabrikam/web", "type": "gitHub", "connection": {"id": "5f3b1c9e-0000-4000-8000-000000000001"}})
        );
    }
}

/// The builders of the types with required fields build once those are given (the others are
/// built from their defaults in the generated module's own test).
#[cfg(test)]
mod builders {
    use crate::types::*;

    #[test]
    fn create_parameters_build_with_their_name_and_configuration() {
        let configuration: CreatePipelineConfigurationParameters = CreatePipelineConfigurationParameters::builder()
            .type_(ConfigurationType::Yaml)
            .path(Some("ci.yml".to_string()))
            .try_into()
            .unwrap();
        let create: CreatePipelineParameters = CreatePipelineParameters::builder()
            .name("ci")
            .configuration(configuration)
            .try_into()
            .unwrap();
        assert_eq!(create.configuration.path.as_deref(), Some("ci.yml"));
    }

    #[test]
    fn a_required_field_left_out_is_named() {
        let missing: Result<CreatePipelineParameters, _> = CreatePipelineParameters::builder().name("ci").try_into();
        assert!(missing.unwrap_err().to_string().contains("configuration"));
    }

    #[test]
    fn lists_build_with_their_items() {
        let pipelines: PipelineList = PipelineList::builder()
            .value(vec![Pipeline::default()])
            .try_into()
            .unwrap();
        let runs: RunList = RunList::builder().value(Vec::new()).try_into().unwrap();
        let permissions: ResourcePipelinePermissionsList = ResourcePipelinePermissionsList::builder()
            .value(Vec::new())
            .try_into()
            .unwrap();
        assert_eq!(
            (pipelines.value.len(), runs.value.len(), permissions.value.len()),
            (1, 0, 0)
        );
    }
}
