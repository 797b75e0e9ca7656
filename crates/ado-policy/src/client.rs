//! The policy area's client.

use ado_core::{Config, Host};

use crate::generated::{self, api};

ado_core::area! {
    client: generated::Client,
    operations: generated::OPERATIONS,
    host: Host::Core,
    requires_user_token: false,
}

/// The policy API of one organization. Cheap to clone; build any number from one [`Config`].
///
/// ```
/// use ado_policy::{Config, Credentials, PolicyClient};
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::pat("my-pat"))
///     .build()
///     .unwrap();
/// let policy = PolicyClient::new(&config);
/// let request = policy.configurations().list("fabrikam-fiber-git").top(100);
/// # let _ = request;
/// ```
#[derive(Clone, Debug)]
pub struct PolicyClient {
    inner: generated::Client,
}

impl PolicyClient {
    /// A client over a shared configuration.
    pub fn new(config: &Config) -> Self {
        Self { inner: connect(config) }
    }

    /// Policy configurations: list, get, create, update, delete.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_policy::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_policy::Credentials::pat("pat"))
    /// #     .build()?;
    /// let policy = ado_policy::PolicyClient::new(&config);
    /// let configuration = policy.configurations().get("fabrikam-fiber-git", 17).await?;
    /// assert_eq!(configuration.revision, Some(2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn configurations(&self) -> api::Configurations<'_> {
        api::Configurations::new(&self.inner)
    }

    /// Revisions of a policy configuration.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_policy::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_policy::Credentials::pat("pat"))
    /// #     .build()?;
    /// let policy = ado_policy::PolicyClient::new(&config);
    /// let first = policy.revisions().get("fabrikam-fiber-git", 17, 1).await?;
    /// assert_eq!(first.revision, Some(1));
    /// # Ok(())
    /// # }
    /// ```
    pub fn revisions(&self) -> api::Revisions<'_> {
        api::Revisions::new(&self.inner)
    }

    /// Policy evaluations of pull requests: list, get, requeue. The list pages with `$skip`:
    /// `items(page_size)` reads it a page at a time.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_policy::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_policy::Credentials::pat("pat"))
    /// #     .build()?;
    /// use futures::TryStreamExt;
    /// let policy = ado_policy::PolicyClient::new(&config);
    /// let pull_request = "vstfs:///CodeReview/CodeReviewId/1be3fc5b-c58c-4173-8fd7-6647d11eccd1/1";
    /// let evaluations: Vec<_> = policy
    ///     .evaluations()
    ///     .list("fabrikam-fiber-git", pull_request)
    ///     .include_not_applicable(true)
    ///     .items(2)
    ///     .try_collect()
    ///     .await?;
    /// assert_eq!(evaluations.len(), 4);
    /// # Ok(())
    /// # }
    /// ```
    pub fn evaluations(&self) -> api::Evaluations<'_> {
        api::Evaluations::new(&self.inner)
    }

    /// Policy types.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_policy::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_policy::Credentials::pat("pat"))
    /// #     .build()?;
    /// let policy = ado_policy::PolicyClient::new(&config);
    /// let types = policy.types().list("fabrikam-fiber-git").await?;
    /// assert!(types.value.iter().any(|t| t.display_name.as_deref() == Some("Build")));
    /// # Ok(())
    /// # }
    /// ```
    pub fn types(&self) -> api::Types<'_> {
        api::Types::new(&self.inner)
    }
}
