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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().bearer("entra")).await?;
    /// # let config = ado_tokens::Config::builder()
    /// #     .organization(fake.org_url())
    /// #     .credentials(ado_tokens::Credentials::bearer("entra"))
    /// #     .build()?;
    /// use futures::TryStreamExt;
    /// use ado_tokens::types::DisplayFilterOption;
    /// let tokens = ado_tokens::TokensClient::new(&config);
    /// let all: Vec<_> = tokens
    ///     .pats()
    ///     .list()
    ///     .display_filter_option(DisplayFilterOption::All)
    ///     .items()
    ///     .try_collect()
    ///     .await?;
    /// assert_eq!(all.len(), 4);
    /// # Ok(())
    /// # }
    /// ```
    pub fn pats(&self) -> api::Pats<'_> {
        api::Pats::new(&self.inner)
    }
}
