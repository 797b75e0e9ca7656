//! The PAT area's client.

use ado_core::{AreaInfo, Config, Host, Runtime};

use crate::generated::{self, api};

static AREA: AreaInfo = AreaInfo {
    crate_name: env!("CARGO_PKG_NAME"),
    crate_version: env!("CARGO_PKG_VERSION"),
    host: Host::Vssps,
    operations: &generated::OPERATIONS,
    requires_user_token: true,
};

ado_core::impl_hooks!(generated::Client);

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
        let runtime = Runtime::new(config, &AREA);
        let base_url = runtime.base_url();
        let http = runtime.http_client();
        Self {
            inner: generated::Client::new_with_client(&base_url, http, runtime),
        }
    }

    /// Personal access tokens: get, list, create, update, revoke.
    pub fn pats(&self) -> api::Pats<'_> {
        api::Pats::new(&self.inner)
    }
}
