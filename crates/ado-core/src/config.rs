//! The shared configuration every area client is built from.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures_core::future::BoxFuture;

use crate::pager::PageLimits;
use crate::retry::{Backoff, DefaultRetryPolicy, ExponentialBackoff, RetryLimits, RetryPolicy};
use crate::throttle::{AdaptiveThrottle, LatestRateLimits, RateLimits, Throttle};
use crate::{Credentials, Error, Host, Organization, Result};

/// Sleeps for a while. Injected so that tests can run retries on a paused or recorded clock.
pub trait Sleep: Send + Sync + fmt::Debug + 'static {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// Sleeps with `tokio::time::sleep` (which follows tokio's paused clock in tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The largest answer body read by default: 32 MiB.
pub const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;

/// Organization, credentials and policies, shared by every area client built from it.
/// Cheap to clone.
///
/// ```
/// use ado_core::{Config, Credentials};
/// let config = Config::builder()
///     .organization("https://dev.azure.com/fabrikam")
///     .credentials(Credentials::pat("my-pat"))
///     .build()
///     .unwrap();
/// assert_eq!(config.organization().name(), "fabrikam");
/// ```
#[derive(Clone)]
pub struct Config(pub(crate) Arc<Shared>);

pub(crate) struct Shared {
    pub organization: Organization,
    pub credentials: Credentials,
    pub http: reqwest::Client,
    pub retry: Arc<dyn RetryPolicy>,
    pub backoff: Arc<dyn Backoff>,
    pub throttle: Arc<dyn Throttle>,
    pub limits: RetryLimits,
    pub sleep: Arc<dyn Sleep>,
    pub max_body: usize,
    pub rate_limits: LatestRateLimits,
    /// Held by the one call that is pausing for the throttle, so that calls in flight at once
    /// pause one after another (the pace is between requests, not per task).
    pub pace_turn: tokio::sync::Mutex<()>,
    /// Requests sent and not yet answered: budget the latest figures do not show as spent.
    pub in_flight: std::sync::atomic::AtomicU32,
    pub page_limits: PageLimits,
}

impl Config {
    /// Start a configuration.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The organization.
    pub fn organization(&self) -> &Organization {
        &self.0.organization
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.0.credentials
    }

    /// The latest rate-limit figures any call reported, while they hold: they expire at their
    /// reset time and at the latest five minutes after they came (the service's window), and an
    /// answer without figures to a later request means the budget is healthy again.
    pub fn rate_limits(&self) -> Option<RateLimits> {
        self.0.rate_limits.current()
    }

    /// The HTTP client every area shares.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.0.http
    }

    /// The retry limits in force.
    pub fn retry_limits(&self) -> RetryLimits {
        self.0.limits
    }

    /// The ceilings every listing keeps to.
    pub fn page_limits(&self) -> PageLimits {
        self.0.page_limits
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("organization", &self.0.organization)
            .field("credentials", &self.0.credentials)
            .field("retry", &self.0.retry)
            .field("backoff", &self.0.backoff)
            .field("throttle", &self.0.throttle)
            .field("limits", &self.0.limits)
            .field("max_body", &self.0.max_body)
            .finish()
    }
}

/// Builds a [`Config`]. Only the organization and the credentials have no default.
#[derive(Default)]
pub struct ConfigBuilder {
    organization: Option<String>,
    base_urls: Vec<(Host, String)>,
    credentials: Option<Credentials>,
    retry: Option<Arc<dyn RetryPolicy>>,
    backoff: Option<Arc<dyn Backoff>>,
    throttle: Option<Arc<dyn Throttle>>,
    limits: Option<RetryLimits>,
    sleep: Option<Arc<dyn Sleep>>,
    max_body: Option<usize>,
    http: Option<reqwest::Client>,
    connect_timeout: Option<Duration>,
    page_limits: PageLimits,
}

impl ConfigBuilder {
    /// The organization: a URL or a bare name (see [`Organization`]).
    pub fn organization(mut self, organization: impl Into<String>) -> Self {
        self.organization = Some(organization.into());
        self
    }

    /// Send one host's requests to another base URL (a proxy, a test server).
    pub fn base_url(mut self, host: Host, url: impl Into<String>) -> Self {
        self.base_urls.push((host, url.into()));
        self
    }

    /// The credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Which outcomes are retried (default: [`DefaultRetryPolicy`]).
    pub fn retry_policy(mut self, policy: impl RetryPolicy) -> Self {
        self.retry = Some(Arc::new(policy));
        self
    }

    /// How long to wait between attempts (default: [`ExponentialBackoff`]).
    pub fn backoff(mut self, backoff: impl Backoff) -> Self {
        self.backoff = Some(Arc::new(backoff));
        self
    }

    /// When to slow down ahead of the service's rate limit (default: [`AdaptiveThrottle`]).
    pub fn throttle(mut self, throttle: impl Throttle) -> Self {
        self.throttle = Some(Arc::new(throttle));
        self
    }

    /// Attempts, total time and per-attempt timeout (default: [`RetryLimits::default`]).
    pub fn retry_limits(mut self, limits: RetryLimits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// How waits are slept (default: [`TokioSleep`]).
    pub fn sleep(mut self, sleep: impl Sleep) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// The largest answer body read (default: [`DEFAULT_MAX_BODY`]).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body = Some(bytes);
        self
    }

    /// Ceilings on every listing's pages and items (default: none): past one, the listing ends
    /// with an [`ErrorKind::Paging`](crate::ErrorKind::Paging) error.
    pub fn page_limits(mut self, limits: PageLimits) -> Self {
        self.page_limits = limits;
        self
    }

    /// How long to wait for a connection (default: 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Use this HTTP client. It must not follow redirects: a redirect to a sign-in page is how the
    /// service says a credential was refused.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Check and assemble the configuration.
    pub fn build(self) -> Result<Config> {
        let organization = self.organization.ok_or_else(|| {
            Error::invalid_input("no organization given: name one, such as https://dev.azure.com/fabrikam")
        })?;
        let mut organization = Organization::parse(&organization)?;
        for (host, url) in self.base_urls {
            organization = organization.with_base_url(host, &url)?;
        }
        let credentials = self.credentials.ok_or_else(|| {
            Error::credentials("no credentials given: use Credentials::pat, ::bearer, ::provider or ::from_env")
        })?;
        let http = match self.http {
            Some(client) => client,
            None => default_http_client(self.connect_timeout.unwrap_or(Duration::from_secs(10)))?,
        };
        let limits = self.limits.unwrap_or_default();
        Ok(Config(Arc::new(Shared {
            organization,
            credentials,
            http,
            retry: self.retry.unwrap_or_else(|| Arc::new(DefaultRetryPolicy)),
            backoff: self.backoff.unwrap_or_else(|| Arc::new(ExponentialBackoff::default())),
            throttle: self.throttle.unwrap_or_else(|| Arc::new(AdaptiveThrottle::default())),
            limits,
            sleep: self.sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
            max_body: self.max_body.unwrap_or(DEFAULT_MAX_BODY),
            rate_limits: LatestRateLimits::default(),
            pace_turn: tokio::sync::Mutex::new(()),
            in_flight: std::sync::atomic::AtomicU32::new(0),
            page_limits: self.page_limits,
        })))
    }
}

fn default_http_client(connect_timeout: Duration) -> Result<reqwest::Client> {
    #[cfg(feature = "rustls")]
    {
        // Installing fails only when a provider is already installed, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| Error::invalid_input(format!("the HTTP client could not be built: {e}")))
}
