//! The git area's client.

use ado_core::{Config, Host};

use crate::generated::{self, api};

ado_core::area! {
    client: generated::Client,
    operations: generated::OPERATIONS,
    host: Host::Core,
    requires_user_token: false,
}

/// The git API of one organization. Cheap to clone; build any number from one [`Config`].
///
/// ```
/// use ado_git::{Config, Credentials, GitClient};
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::pat("my-pat"))
///     .build()
///     .unwrap();
/// let git = GitClient::new(&config);
/// let request = git.refs().list("fabrikam-fiber-git", "fabrikam-fiber-git").filter("heads/");
/// # let _ = request;
/// ```
#[derive(Clone, Debug)]
pub struct GitClient {
    inner: generated::Client,
}

impl GitClient {
    /// A client over a shared configuration.
    pub fn new(config: &Config) -> Self {
        Self { inner: connect(config) }
    }

    /// Repositories: list, get (by id or name), create, update, delete.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_git::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_git::Credentials::pat("pat"))
    /// #     .build()?;
    /// let git = ado_git::GitClient::new(&config);
    /// let repository = git.repositories().get("fabrikam-fiber-git", "fabrikam-fiber-git").await?;
    /// assert_eq!(repository.default_branch.as_deref(), Some("refs/heads/master"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn repositories(&self) -> api::Repositories<'_> {
        api::Repositories::new(&self.inner)
    }

    /// Refs: list (with a name filter, a page at a time), create/move/delete many at once, lock
    /// or unlock one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_git::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_git::Credentials::pat("pat"))
    /// #     .build()?;
    /// use futures::TryStreamExt;
    /// let git = ado_git::GitClient::new(&config);
    /// let branches: Vec<_> = git
    ///     .refs()
    ///     .list("fabrikam-fiber-git", "fabrikam-fiber-git")
    ///     .filter("heads/")
    ///     .top(100)
    ///     .items()
    ///     .try_collect()
    ///     .await?;
    /// assert!(branches.iter().any(|r| r.name.as_deref() == Some("refs/heads/master")));
    /// # Ok(())
    /// # }
    /// ```
    pub fn refs(&self) -> api::Refs<'_> {
        api::Refs::new(&self.inner)
    }

    /// The policy configurations that apply to a repository and branch (and optionally of one
    /// policy type), a page at a time. Their `settings` are as the service sent them; with
    /// `ado-policy`, `ado_policy::types::PolicyConfiguration::from_serialized(&configuration)?
    /// .typed_settings()` types them.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("pat")).await?;
    /// # let config = ado_git::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_git::Credentials::pat("pat"))
    /// #     .build()?;
    /// use futures::TryStreamExt;
    /// let git = ado_git::GitClient::new(&config);
    /// let repository: uuid::Uuid = "49c1d4d0-be28-4f20-9e0a-4ecfafc39257".parse()?;
    /// let on_master: Vec<_> = git
    ///     .policy_configurations()
    ///     .list("fabrikam-fiber-git")
    ///     .repository_id(repository)
    ///     .ref_name("refs/heads/master")
    ///     .items()
    ///     .try_collect()
    ///     .await?;
    /// assert!(on_master.iter().any(|c| c.id == Some(17)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn policy_configurations(&self) -> api::PolicyConfigurations<'_> {
        api::PolicyConfigurations::new(&self.inner)
    }
}
