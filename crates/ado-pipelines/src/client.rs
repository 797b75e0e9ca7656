//! The pipelines area's client.

use ado_core::{Config, Host};

use crate::generated::{self, api};

ado_core::area! {
    client: generated::Client,
    operations: generated::OPERATIONS,
    host: Host::Core,
    requires_user_token: false,
}

/// The pipelines and pipeline-permissions APIs of one organization. Cheap to clone.
///
/// ```
/// use ado_pipelines::{Config, Credentials, PipelinesClient};
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::pat("my-pat"))
///     .build()
///     .unwrap();
/// let pipelines = PipelinesClient::new(&config);
/// let request = pipelines.runs().list("fabrikam-fiber-git", 12);
/// # let _ = request;
/// ```
#[derive(Clone, Debug)]
pub struct PipelinesClient {
    inner: generated::Client,
}

impl PipelinesClient {
    /// A client over a shared configuration.
    pub fn new(config: &Config) -> Self {
        Self { inner: connect(config) }
    }

    /// Which pipelines may use protected resources: get, update one, update many.
    pub fn pipeline_permissions(&self) -> api::PipelinePermissions<'_> {
        api::PipelinePermissions::new(&self.inner)
    }

    /// Pipelines: list, get, create, preview.
    pub fn pipelines(&self) -> api::Pipelines<'_> {
        api::Pipelines::new(&self.inner)
    }

    /// Runs: list, get, run.
    pub fn runs(&self) -> api::Runs<'_> {
        api::Runs::new(&self.inner)
    }

    /// Logs of a run: list, get.
    pub fn logs(&self) -> api::Logs<'_> {
        api::Logs::new(&self.inner)
    }

    /// Artifacts of a run: get.
    pub fn artifacts(&self) -> api::Artifacts<'_> {
        api::Artifacts::new(&self.inner)
    }
}
