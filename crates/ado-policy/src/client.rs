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
    pub fn configurations(&self) -> api::Configurations<'_> {
        api::Configurations::new(&self.inner)
    }

    /// Revisions of a policy configuration.
    pub fn revisions(&self) -> api::Revisions<'_> {
        api::Revisions::new(&self.inner)
    }

    /// Policy evaluations of pull requests: list, get, requeue.
    pub fn evaluations(&self) -> api::Evaluations<'_> {
        api::Evaluations::new(&self.inner)
    }

    /// Policy types.
    pub fn types(&self) -> api::Types<'_> {
        api::Types::new(&self.inner)
    }
}
