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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_pipelines::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_pipelines::Credentials::pat("pat"))
    /// #     .build()?;
    /// use ado_pipelines::types::ResourceType;
    /// let pipelines = ado_pipelines::PipelinesClient::new(&config);
    /// let queue = pipelines.pipeline_permissions().get("fabrikam-fiber-git", ResourceType::Queue, "1").await?;
    /// assert_eq!(queue.pipelines.map(|p| p.len()), Some(3));
    /// # Ok(())
    /// # }
    /// ```
    pub fn pipeline_permissions(&self) -> api::PipelinePermissions<'_> {
        api::PipelinePermissions::new(&self.inner)
    }

    /// Pipelines: list, get, create, preview.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_pipelines::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_pipelines::Credentials::pat("pat"))
    /// #     .build()?;
    /// use futures::TryStreamExt;
    /// let pipelines = ado_pipelines::PipelinesClient::new(&config);
    /// let all: Vec<_> = pipelines.pipelines().list("fabrikam-fiber-git").items().try_collect().await?;
    /// assert_eq!(all.len(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn pipelines(&self) -> api::Pipelines<'_> {
        api::Pipelines::new(&self.inner)
    }

    /// Runs: list, get, run.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_pipelines::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_pipelines::Credentials::pat("pat"))
    /// #     .build()?;
    /// use ado_pipelines::types::RunPipelineParameters;
    /// let pipelines = ado_pipelines::PipelinesClient::new(&config);
    /// let run = RunPipelineParameters::on_branch("main").variable("configuration", "Release");
    /// let queued = pipelines.runs().run("fabrikam-fiber-git", 1, run).await?;
    /// assert_eq!(queued.state, Some(ado_pipelines::types::RunState::InProgress));
    /// # Ok(())
    /// # }
    /// ```
    pub fn runs(&self) -> api::Runs<'_> {
        api::Runs::new(&self.inner)
    }

    /// Logs of a run: list, get.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_pipelines::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_pipelines::Credentials::pat("pat"))
    /// #     .build()?;
    /// let pipelines = ado_pipelines::PipelinesClient::new(&config);
    /// let logs = pipelines.logs().list("fabrikam-fiber-git", 1, 1).await?;
    /// assert_eq!(logs.logs.map(|l| l.len()), Some(3));
    /// # Ok(())
    /// # }
    /// ```
    pub fn logs(&self) -> api::Logs<'_> {
        api::Logs::new(&self.inner)
    }

    /// Artifacts of a run: get.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_pipelines::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_pipelines::Credentials::pat("pat"))
    /// #     .build()?;
    /// let pipelines = ado_pipelines::PipelinesClient::new(&config);
    /// let drop = pipelines.artifacts().get("fabrikam-fiber-git", 1, 1, "drop").await?;
    /// assert_eq!(drop.name.as_deref(), Some("drop"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn artifacts(&self) -> api::Artifacts<'_> {
        api::Artifacts::new(&self.inner)
    }
}
