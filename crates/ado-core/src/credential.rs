//! Credentials: a personal access token, a bearer token, or a provider of expiring tokens.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine;
use futures_core::future::BoxFuture;
use reqwest::header::HeaderValue;

use crate::{Error, Result, Secret};

/// The environment variable the Azure CLI's devops extension reads a PAT from.
pub const PAT_ENV: &str = "AZURE_DEVOPS_EXT_PAT";
/// The environment variable a pipeline maps its job access token to (a bearer token).
pub const ACCESS_TOKEN_ENV: &str = "SYSTEM_ACCESSTOKEN";
/// The Microsoft Entra scope of Azure DevOps.
pub const AZURE_DEVOPS_SCOPE: &str = "499b84ac-1321-427f-aa17-267ca6975798/.default";

/// A token from a provider, with its expiry.
#[derive(Clone, Debug)]
pub struct AccessToken {
    /// The bearer token.
    pub token: Secret,
    /// When it stops being valid.
    pub expires_on: SystemTime,
}

/// A source of expiring bearer tokens (Microsoft Entra ID). [`Credentials::provider`] caches
/// what it returns, refreshes ahead of expiry, and keeps one refresh in flight however many
/// requests are waiting.
///
/// ```
/// use ado_core::{AccessToken, Secret, TokenProvider};
/// use std::time::{Duration, SystemTime};
///
/// struct Fixed;
/// impl TokenProvider for Fixed {
///     fn token(&self) -> futures::future::BoxFuture<'_, ado_core::Result<AccessToken>> {
///         Box::pin(async {
///             Ok(AccessToken { token: Secret::new("jwt"), expires_on: SystemTime::now() + Duration::from_secs(3600) })
///         })
///     }
/// }
/// let credentials = ado_core::Credentials::provider(Fixed);
/// assert_eq!(credentials.kind(), ado_core::CredentialKind::Provider);
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// Obtain a fresh token.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken>>;
}

/// Which kind of credential is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// A personal access token, sent as HTTP basic auth.
    Pat,
    /// A static bearer token.
    Bearer,
    /// Bearer tokens from a [`TokenProvider`].
    Provider,
}

/// The credential every request is signed with. Cheap to clone.
///
/// ```
/// let credentials = ado_core::Credentials::pat("my-pat");
/// assert_eq!(format!("{credentials:?}"), "Credentials(Pat, [redacted])");
/// ```
#[derive(Clone)]
pub struct Credentials(Arc<Inner>);

enum Inner {
    Static { kind: CredentialKind, header: HeaderValue },
    Provider(CachedProvider),
}

struct CachedProvider {
    provider: Box<dyn TokenProvider>,
    cached: tokio::sync::Mutex<Option<(AccessToken, HeaderValue)>>,
    refresh_before: Duration,
}

fn sensitive(value: String) -> Result<HeaderValue> {
    let mut header = HeaderValue::from_str(&value)
        .map_err(|_| Error::credentials("the token contains characters that cannot be sent in a header"))?;
    header.set_sensitive(true);
    Ok(header)
}

fn basic(pat: &Secret) -> Result<HeaderValue> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!(":{}", pat.expose()));
    sensitive(format!("Basic {encoded}"))
}

fn bearer(token: &Secret) -> Result<HeaderValue> {
    sensitive(format!("Bearer {}", token.expose()))
}

impl Credentials {
    /// A personal access token, sent as `Authorization: Basic base64(":" + pat)`.
    ///
    /// A token with characters that cannot go in a header is refused when a request is signed.
    pub fn pat(pat: impl Into<Secret>) -> Self {
        Self::fixed(CredentialKind::Pat, basic(&pat.into()))
    }

    /// A bearer token (`Authorization: Bearer ...`), such as a pipeline's `SYSTEM_ACCESSTOKEN`.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::fixed(CredentialKind::Bearer, bearer(&token.into()))
    }

    fn fixed(kind: CredentialKind, header: Result<HeaderValue>) -> Self {
        // A header that cannot be built is kept as an empty sensitive value and refused when used.
        let header = header.unwrap_or_else(|_| {
            let mut empty = HeaderValue::from_static("");
            empty.set_sensitive(true);
            empty
        });
        Self(Arc::new(Inner::Static { kind, header }))
    }

    /// Tokens from a provider, cached and refreshed five minutes before they expire.
    pub fn provider(provider: impl TokenProvider) -> Self {
        Self::provider_with_margin(provider, Duration::from_secs(300))
    }

    /// Tokens from a provider, refreshed `refresh_before` ahead of expiry.
    pub fn provider_with_margin(provider: impl TokenProvider, refresh_before: Duration) -> Self {
        Self(Arc::new(Inner::Provider(CachedProvider {
            provider: Box::new(provider),
            cached: tokio::sync::Mutex::new(None),
            refresh_before,
        })))
    }

    /// From the environment: `AZURE_DEVOPS_EXT_PAT` (a PAT), then `SYSTEM_ACCESSTOKEN` (a bearer
    /// token, as inside a pipeline).
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`Credentials::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let present = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        if let Some(pat) = present(PAT_ENV) {
            return Ok(Self::pat(pat.trim()));
        }
        if let Some(token) = present(ACCESS_TOKEN_ENV) {
            return Ok(Self::bearer(token.trim()));
        }
        Err(Error::credentials(format!(
            "no credential found: set {PAT_ENV} to a personal access token, or {ACCESS_TOKEN_ENV} to a bearer token"
        )))
    }

    /// Which kind of credential this is.
    pub fn kind(&self) -> CredentialKind {
        match &*self.0 {
            Inner::Static { kind, .. } => *kind,
            Inner::Provider(_) => CredentialKind::Provider,
        }
    }

    /// The `Authorization` header value (marked sensitive), refreshing a provider's token if due.
    pub async fn authorization(&self) -> Result<HeaderValue> {
        match &*self.0 {
            Inner::Static { header, .. } => static_header(header),
            Inner::Provider(cached) => cached.authorization().await,
        }
    }
}

/// A PAT's or bearer token's header, left empty when the token could not be written in one.
fn static_header(header: &HeaderValue) -> Result<HeaderValue> {
    if header.is_empty() {
        return Err(Error::credentials(
            "the token contains characters that cannot be sent in a header",
        ));
    }
    Ok(header.clone())
}

impl CachedProvider {
    async fn authorization(&self) -> Result<HeaderValue> {
        let mut slot = self.cached.lock().await;
        if let Some((token, header)) = slot.as_ref()
            && SystemTime::now() + self.refresh_before < token.expires_on
        {
            return Ok(header.clone());
        }
        // The lock is held across the refresh: concurrent callers wait for this one refresh.
        // Whatever the provider failed with, nothing was sent: it is a credentials failure.
        let token = self.provider.token().await.map_err(|error| {
            if *error.kind() == crate::ErrorKind::Credentials {
                error
            } else {
                Error::credentials(format!("the token provider failed: {error}"))
            }
        })?;
        let header = bearer(&token.token)?;
        *slot = Some((token, header.clone()));
        Ok(header)
    }
}

/// Any `azure_core` credential (from `azure_identity`: Azure CLI, managed identity, workload
/// identity, client secret, ...) as a [`TokenProvider`] with the Azure DevOps scope. Needs the
/// `azure-identity` feature.
///
/// ```ignore
/// let credential = azure_identity::DeveloperToolsCredential::new(None)?;
/// let credentials = ado_core::Credentials::azure_identity(credential);
/// ```
#[cfg(feature = "azure-identity")]
#[derive(Debug, Clone)]
pub struct AzureIdentity(Arc<dyn azure_core::credentials::TokenCredential>);

#[cfg(feature = "azure-identity")]
impl AzureIdentity {
    /// Wrap a credential.
    pub fn new(credential: Arc<dyn azure_core::credentials::TokenCredential>) -> Self {
        Self(credential)
    }
}

#[cfg(feature = "azure-identity")]
impl TokenProvider for AzureIdentity {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken>> {
        Box::pin(async move {
            let token = self
                .0
                .get_token(&[AZURE_DEVOPS_SCOPE], None)
                .await
                .map_err(|e| Error::credentials(format!("no Microsoft Entra token for Azure DevOps: {e}")))?;
            let seconds = u64::try_from(token.expires_on.unix_timestamp()).unwrap_or(0);
            Ok(AccessToken {
                token: Secret::new(token.token.secret()),
                expires_on: SystemTime::UNIX_EPOCH + Duration::from_secs(seconds),
            })
        })
    }
}

#[cfg(feature = "azure-identity")]
impl Credentials {
    /// Tokens from an `azure_identity` credential, for the Azure DevOps scope, cached and
    /// refreshed ahead of expiry.
    pub fn azure_identity(credential: Arc<dyn azure_core::credentials::TokenCredential>) -> Self {
        Self::provider(AzureIdentity::new(credential))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials({:?}, [redacted])", self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_pat_is_sent_as_basic_auth_with_an_empty_user_name() {
        let header = Credentials::pat("abc").authorization().await.unwrap();
        assert_eq!(header.to_str().unwrap(), "Basic OmFiYw==");
        assert!(header.is_sensitive());
    }

    #[tokio::test]
    async fn a_bearer_token_is_sent_as_is() {
        let header = Credentials::bearer("jwt").authorization().await.unwrap();
        assert_eq!(header.to_str().unwrap(), "Bearer jwt");
    }

    #[tokio::test]
    async fn a_token_with_a_newline_is_refused_when_used() {
        let err = Credentials::bearer("a\nb").authorization().await.unwrap_err();
        assert_eq!(err.kind(), &crate::ErrorKind::Credentials);
    }

    #[test]
    fn the_environment_prefers_the_pat_then_the_access_token() {
        let both = |name: &str| Some(format!("value-of-{name}"));
        assert_eq!(Credentials::from_lookup(both).unwrap().kind(), CredentialKind::Pat);
        let token_only = |name: &str| (name == ACCESS_TOKEN_ENV).then(|| "t".to_string());
        assert_eq!(
            Credentials::from_lookup(token_only).unwrap().kind(),
            CredentialKind::Bearer
        );
    }

    #[test]
    fn no_credential_in_the_environment_names_both_variables() {
        let err = Credentials::from_lookup(|_| None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "credentials: no credential found: set AZURE_DEVOPS_EXT_PAT to a personal access token, or SYSTEM_ACCESSTOKEN to a bearer token"
        );
    }

    struct Counting {
        calls: Arc<AtomicUsize>,
        lifetime: Duration,
    }

    impl TokenProvider for Counting {
        fn token(&self) -> BoxFuture<'_, Result<AccessToken>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(AccessToken {
                    token: Secret::new(format!("token-{n}")),
                    expires_on: SystemTime::now() + self.lifetime,
                })
            })
        }
    }

    #[tokio::test]
    async fn many_waiting_requests_share_one_refresh() {
        let calls = Arc::new(AtomicUsize::new(0));
        let credentials = Credentials::provider(Counting {
            calls: calls.clone(),
            lifetime: Duration::from_secs(3600),
        });
        let headers = futures::future::join_all((0..50).map(|_| credentials.authorization())).await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(
            headers
                .iter()
                .all(|h| h.as_ref().unwrap().to_str().unwrap() == "Bearer token-1")
        );
    }

    #[tokio::test]
    async fn a_token_near_expiry_is_refreshed() {
        let calls = Arc::new(AtomicUsize::new(0));
        let credentials = Credentials::provider_with_margin(
            Counting {
                calls: calls.clone(),
                lifetime: Duration::from_secs(60),
            },
            Duration::from_secs(120),
        );
        credentials.authorization().await.unwrap();
        let second = credentials.authorization().await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(second.to_str().unwrap(), "Bearer token-2");
    }
}
