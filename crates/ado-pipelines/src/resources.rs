//! Open enums of the pipelines area, and helpers for protected resources.

use ado_core::{Error, Result};

ado_core::open_enum! {
    /// The kind of a protected resource whose use by pipelines is authorized.
    pub enum ResourceType {
        /// A service connection (id: a GUID).
        Endpoint = "endpoint",
        /// An agent queue (id: an integer).
        Queue = "queue",
        /// A variable group (id: an integer).
        VariableGroup = "variablegroup",
        /// A secure file (id: a GUID).
        SecureFile = "securefile",
        /// An environment (id: an integer).
        Environment = "environment",
        /// A repository (id: `{projectId}.{repositoryId}`).
        Repository = "repository",
    }
}

ado_core::open_enum! {
    /// The kind of a pipeline's configuration.
    pub enum ConfigurationType {
        /// Unknown.
        Unknown = "unknown",
        /// A YAML file in a repository.
        Yaml = "yaml",
        /// A classic (designer) definition.
        DesignerJson = "designerJson",
        /// Just-in-time.
        JustInTime = "justInTime",
        /// A classic (designer) definition, hyphenated form.
        DesignerHyphenJson = "designerHyphenJson",
    }
}

ado_core::open_enum! {
    /// How a finished run ended.
    pub enum RunResult {
        /// Unknown.
        Unknown = "unknown",
        /// Succeeded.
        Succeeded = "succeeded",
        /// Failed.
        Failed = "failed",
        /// Canceled.
        Canceled = "canceled",
    }
}

ado_core::open_enum! {
    /// Where a run is in its life.
    pub enum RunState {
        /// Unknown.
        Unknown = "unknown",
        /// Running.
        InProgress = "inProgress",
        /// Being canceled.
        Canceling = "canceling",
        /// Finished.
        Completed = "completed",
    }
}

ado_core::open_enum! {
    /// Where a repository lives.
    pub enum RepositoryType {
        /// Unknown.
        Unknown = "unknown",
        /// GitHub.
        GitHub = "gitHub",
        /// Azure Repos Git.
        AzureReposGit = "azureReposGit",
        /// GitHub Enterprise Server.
        GitHubEnterprise = "gitHubEnterprise",
        /// Azure Repos Git, hyphenated form.
        AzureReposGitHyphenated = "azureReposGitHyphenated",
    }
}

/// The resource id of a repository in pipeline permissions: `{projectId}.{repositoryId}`.
///
/// ```
/// let project = "1be3fc5b-c58c-4173-8fd7-6647d11eccd1".parse().unwrap();
/// let repository = "49c1d4d0-be28-4f20-9e0a-4ecfafc39257".parse().unwrap();
/// assert_eq!(
///     ado_pipelines::repository_resource_id(project, repository),
///     "1be3fc5b-c58c-4173-8fd7-6647d11eccd1.49c1d4d0-be28-4f20-9e0a-4ecfafc39257"
/// );
/// ```
pub fn repository_resource_id(project_id: uuid::Uuid, repository_id: uuid::Uuid) -> String {
    format!("{project_id}.{repository_id}")
}

/// A protected resource, checked against the id shape its type uses.
///
/// ```
/// use ado_pipelines::{ResourceRef, types::ResourceType};
/// let queue = ResourceRef::new(ResourceType::Queue, "1").unwrap();
/// assert_eq!(queue.id(), "1");
/// assert!(ResourceRef::new(ResourceType::Queue, "not-a-number").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    kind: ResourceType,
    id: String,
}

impl ResourceRef {
    /// A resource of `kind` with `id`, refused when the id does not have the shape that kind uses
    /// (an integer for queues, environments and variable groups; a GUID for endpoints and secure
    /// files; `{projectId}.{repositoryId}` for repositories). Other kinds take any non-empty id.
    pub fn new(kind: ResourceType, id: impl Into<String>) -> Result<Self> {
        let id = id.into();
        let uuid = |text: &str| text.parse::<uuid::Uuid>().is_ok();
        let (ok, shape) = match &kind {
            ResourceType::Queue | ResourceType::Environment | ResourceType::VariableGroup => {
                (id.parse::<u64>().is_ok(), "an integer")
            }
            ResourceType::Endpoint | ResourceType::SecureFile => (uuid(&id), "a GUID"),
            ResourceType::Repository => (
                id.split_once('.').is_some_and(|(p, r)| uuid(p) && uuid(r)),
                "`{projectId}.{repositoryId}` (two GUIDs)",
            ),
            ResourceType::Other(_) => (!id.is_empty(), "not empty"),
        };
        if !ok {
            return Err(Error::invalid_input(format!(
                "a {kind} resource id must be {shape}, not `{id}`"
            )));
        }
        Ok(Self { kind, id })
    }

    /// The resource type.
    pub fn kind(&self) -> &ResourceType {
        &self.kind
    }

    /// The resource id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repository_resource_id_joins_project_and_repository_with_a_dot() {
        let project = uuid::Uuid::from_u128(1);
        let repository = uuid::Uuid::from_u128(2);
        let id = repository_resource_id(project, repository);
        assert_eq!(id, format!("{project}.{repository}"));
        assert!(ResourceRef::new(ResourceType::Repository, id).is_ok());
    }

    #[test]
    fn a_resource_keeps_its_kind_and_id() {
        let resource = ResourceRef::new(ResourceType::Endpoint, uuid::Uuid::from_u128(7).to_string()).unwrap();
        assert_eq!(resource.kind(), &ResourceType::Endpoint);
        assert_eq!(resource.id(), uuid::Uuid::from_u128(7).to_string());
    }

    #[test]
    fn each_kind_takes_only_ids_of_its_shape() {
        let guid = uuid::Uuid::from_u128(9).to_string();
        for (kind, good, bad) in [
            (ResourceType::Queue, "12", "q"),
            (ResourceType::Environment, "3", "-3"),
            (ResourceType::VariableGroup, "4", ""),
            (ResourceType::Endpoint, guid.as_str(), "12"),
            (ResourceType::SecureFile, guid.as_str(), "file"),
            (ResourceType::Repository, &format!("{guid}.{guid}"), guid.as_str()),
            (ResourceType::Other("pool".into()), "anything", ""),
        ] {
            assert!(ResourceRef::new(kind.clone(), good).is_ok(), "{kind} {good}");
            let err = ResourceRef::new(kind.clone(), bad).unwrap_err();
            assert!(err.to_string().contains(&format!("not `{bad}`")), "{kind}: {err}");
        }
    }
}
