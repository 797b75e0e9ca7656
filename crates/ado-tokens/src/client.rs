//! The PAT area's client.

use ado_core::{Config, Host};

use crate::generated::{self, api};

ado_core::area! {
    client: generated::Client,
    operations: generated::OPERATIONS,
    host: Host::Vssps,
    requires_user_token: true,
}

/// The PAT lifecycle API of one organization (on `vssps.dev.azure.com`). Cheap to clone.
///
/// ```
/// use ado_tokens::{Config, Credentials, TokensClient};
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::bearer("entra-user-token"))
///     .build()
///     .unwrap();
/// let tokens = TokensClient::new(&config);
/// let request = tokens.pats().list().top(50);
/// # let _ = request;
/// ```
#[derive(Clone, Debug)]
pub struct TokensClient {
    inner: generated::Client,
}

impl TokensClient {
    /// A client over a shared configuration.
    pub fn new(config: &Config) -> Self {
        Self { inner: connect(config) }
    }

    /// Personal access tokens: get, list, create, update, revoke.
    pub fn pats(&self) -> api::Pats<'_> {
        api::Pats::new(&self.inner)
    }
}
