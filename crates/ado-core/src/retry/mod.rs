//! Retry policies: which outcomes deserve another attempt, how long to wait, and the limits.

use std::fmt::Debug;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::HttpMethod;

/// What one attempt produced, as a retry policy sees it.
///
/// ```
/// use ado_core::HttpMethod;
/// use ado_core::retry::{DefaultRetryPolicy, Outcome, RetryPolicy};
/// let headers = reqwest::header::HeaderMap::new();
/// let throttled = Outcome::Response { status: 429, headers: &headers };
/// assert!(DefaultRetryPolicy.should_retry(HttpMethod::Post, &throttled));
/// ```
#[derive(Debug)]
pub enum Outcome<'a> {
    /// The service answered.
    Response {
        /// The status.
        status: u16,
        /// The headers.
        headers: &'a HeaderMap,
    },
    /// No answer.
    Transport {
        /// The request never reached the service (the connection could not be made).
        connect: bool,
        /// The attempt ran out of time.
        timeout: bool,
    },
}

/// Decides whether an outcome is worth another attempt.
///
/// ```
/// use ado_core::retry::{Outcome, RetryPolicy};
/// use ado_core::{Config, Credentials, HttpMethod};
///
/// /// Retry reads on any 5xx, never writes.
/// #[derive(Debug)]
/// struct ReadsOnly;
///
/// impl RetryPolicy for ReadsOnly {
///     fn should_retry(&self, method: HttpMethod, outcome: &Outcome<'_>) -> bool {
///         method == HttpMethod::Get && matches!(outcome, Outcome::Response { status: 500..=599, .. })
///     }
/// }
///
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::pat("pat"))
///     .retry_policy(ReadsOnly)
///     .build()?;
/// # Ok::<(), ado_core::Error>(())
/// ```
pub trait RetryPolicy: Send + Sync + Debug + 'static {
    /// Whether to try again after `outcome` for a request with `method`.
    fn should_retry(&self, method: HttpMethod, outcome: &Outcome<'_>) -> bool;
}

/// The default classification, which never repeats a write that the service may have carried out:
/// - 429: always retried (the service refused the work to throttle it);
/// - 503: retried for idempotent methods; for a POST or PATCH only when the service marks it as
///   its own refusal with `Retry-After`, and never when it says the host is offline
///   (`X-VSS-HostOfflineError`): a gateway can answer 503 after the backend acted;
/// - 500, 502, 504, timeouts and broken connections: retried only for idempotent methods;
/// - a connect failure (the request never left): always retried;
/// - no other status is ever retried.
///
/// ```
/// use ado_core::HttpMethod;
/// use ado_core::retry::{DefaultRetryPolicy, Outcome, RetryPolicy};
/// let headers = reqwest::header::HeaderMap::new();
/// let gateway = Outcome::Response { status: 502, headers: &headers };
/// assert!(DefaultRetryPolicy.should_retry(HttpMethod::Get, &gateway));
/// assert!(!DefaultRetryPolicy.should_retry(HttpMethod::Post, &gateway), "a write may have happened");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultRetryPolicy;

impl RetryPolicy for DefaultRetryPolicy {
    fn should_retry(&self, method: HttpMethod, outcome: &Outcome<'_>) -> bool {
        match outcome {
            Outcome::Response { status: 429, .. } => true,
            Outcome::Response { status: 503, headers } => method.is_idempotent() || refused_unprocessed(headers),
            Outcome::Response {
                status: 500 | 502 | 504,
                ..
            } => method.is_idempotent(),
            Outcome::Response { .. } => false,
            Outcome::Transport { connect: true, .. } => true,
            Outcome::Transport { .. } => method.is_idempotent(),
        }
    }
}

/// Whether a 503 says the service itself refused the request before doing anything: it asks for a
/// later attempt (`Retry-After`) and does not say the host is offline.
///
/// ```
/// let mut headers = reqwest::header::HeaderMap::new();
/// headers.insert("retry-after", "10".parse().unwrap());
/// assert!(ado_core::retry::refused_unprocessed(&headers));
/// headers.insert("x-vss-hostofflineerror", "true".parse().unwrap());
/// assert!(!ado_core::retry::refused_unprocessed(&headers));
/// ```
pub fn refused_unprocessed(headers: &HeaderMap) -> bool {
    headers.contains_key("retry-after") && !headers.contains_key("x-vss-hostofflineerror")
}

/// Never retries.
///
/// ```
/// use ado_core::{Config, Credentials, retry::NeverRetry};
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::pat("pat"))
///     .retry_policy(NeverRetry)
///     .build()?;
/// # Ok::<(), ado_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct NeverRetry;

impl RetryPolicy for NeverRetry {
    fn should_retry(&self, _: HttpMethod, _: &Outcome<'_>) -> bool {
        false
    }
}

/// How long to wait before attempt `n + 1` after attempt `n` failed (the server's hints are
/// applied on top, as a floor).
///
/// ```
/// use std::time::Duration;
/// use ado_core::retry::Backoff;
///
/// /// The same wait every time.
/// #[derive(Debug)]
/// struct Fixed(Duration);
///
/// impl Backoff for Fixed {
///     fn delay(&self, _attempt: u32) -> Duration {
///         self.0
///     }
/// }
/// assert_eq!(Fixed(Duration::from_secs(2)).delay(3), Duration::from_secs(2));
/// ```
pub trait Backoff: Send + Sync + Debug + 'static {
    /// The wait after failed attempt `attempt` (1-based).
    fn delay(&self, attempt: u32) -> Duration;
}

/// Exponential backoff with full jitter: a random wait in `[0, min(max, initial × 2^(n-1))]`.
///
/// ```
/// use std::time::Duration;
/// use ado_core::retry::{Backoff, ExponentialBackoff};
/// let backoff = ExponentialBackoff { initial: Duration::from_millis(100), max: Duration::from_secs(1) };
/// assert_eq!(backoff.ceiling(3), Duration::from_millis(400));
/// assert!(backoff.delay(3) <= Duration::from_millis(400));
/// assert_eq!(backoff.ceiling(10), Duration::from_secs(1));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ExponentialBackoff {
    /// The ceiling of the first wait.
    pub initial: Duration,
    /// The largest ceiling.
    pub max: Duration,
}

impl Default for ExponentialBackoff {
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(30),
        }
    }
}

impl ExponentialBackoff {
    /// The ceiling of the wait after attempt `attempt`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(31));
        self.initial.saturating_mul(factor).min(self.max)
    }
}

impl Backoff for ExponentialBackoff {
    fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        if ceiling.is_zero() {
            return ceiling;
        }
        let ceiling = ceiling.as_nanos().min(u64::MAX as u128) as u64;
        Duration::from_nanos(uniform_up_to(ceiling))
    }
}

/// A random number from 0 to `ceiling`, both included, for jitter (not for secrets; the slight
/// modulo bias does not matter). std's `RandomState` is seeded from the operating system once
/// per thread and gives fresh keys each time, so hashing nothing under them is a random number.
fn uniform_up_to(ceiling: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
    match ceiling {
        u64::MAX => random,
        _ => random % (ceiling + 1),
    }
}

/// Limits on retrying: attempts, total time, and each attempt's time.
///
/// ```
/// use std::time::Duration;
/// use ado_core::{Config, Credentials, retry::RetryLimits};
/// let limits = RetryLimits { max_attempts: 3, ..RetryLimits::default() };
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::pat("pat"))
///     .retry_limits(limits)
///     .build()?;
/// assert_eq!(config.retry_limits().max_attempts, 3);
/// assert_eq!(config.retry_limits().attempt_timeout, Duration::from_secs(60));
/// # Ok::<(), ado_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryLimits {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// No retry starts after this much time since the first attempt (waits included).
    pub max_elapsed: Duration,
    /// Each attempt, body included, must finish within this.
    pub attempt_timeout: Duration,
}

impl Default for RetryLimits {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(120),
            attempt_timeout: Duration::from_secs(60),
        }
    }
}

/// The longest wait taken from a server's hint: a larger one is read as this much.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(3600);

/// A wait in seconds from the wire: `None` unless finite and not negative; at most
/// [`MAX_SERVER_WAIT`].
pub(crate) fn seconds(seconds: f64) -> Option<Duration> {
    if !(seconds.is_finite() && seconds >= 0.0) {
        return None;
    }
    Duration::try_from_secs_f64(seconds.min(MAX_SERVER_WAIT.as_secs_f64())).ok()
}

/// The wait the service asks for: the larger of `Retry-After` (whole seconds or an HTTP date) and
/// `X-RateLimit-Delay` (seconds, with a fraction), at most [`MAX_SERVER_WAIT`]. A value that is
/// not one of those shapes is ignored.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// let mut headers = reqwest::header::HeaderMap::new();
/// headers.insert("retry-after", "3".parse().unwrap());
/// headers.insert("x-ratelimit-delay", "4.5".parse().unwrap());
/// let wait = ado_core::retry::server_hint(&headers, SystemTime::now());
/// assert_eq!(wait, Some(Duration::from_secs_f64(4.5)));
/// ```
pub fn server_hint(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| crate::response::header(headers, name).map(str::trim);
    let retry_after = text("retry-after").and_then(|v| match v.parse::<u64>() {
        Ok(seconds) => Some(Duration::from_secs(seconds)),
        Err(_) => httpdate::parse_http_date(v)
            .ok()
            .map(|when| when.duration_since(now).unwrap_or(Duration::ZERO)),
    });
    let delay = text("x-ratelimit-delay")
        .and_then(|v| v.parse::<f64>().ok())
        .and_then(seconds);
    let hint = match (retry_after, delay) {
        (Some(a), Some(b)) => a.max(b),
        (a, b) => a.or(b)?,
    };
    Some(hint.min(MAX_SERVER_WAIT))
}

#[cfg(test)]
mod tests;
