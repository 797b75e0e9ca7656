//! Rate limits: the figures the service reports, and slowing down before it starts blocking.

use std::fmt::Debug;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use reqwest::header::HeaderMap;

/// The latest rate-limit figures the service reported (`X-RateLimit-*` headers).
///
/// ```
/// let mut headers = reqwest::header::HeaderMap::new();
/// headers.insert("x-ratelimit-limit", "200".parse().unwrap());
/// headers.insert("x-ratelimit-remaining", "50".parse().unwrap());
/// let limits = ado_core::throttle::RateLimits::from_headers(&headers).unwrap();
/// assert_eq!((limits.limit, limits.remaining), (Some(200.0), Some(50.0)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    /// The budget, in TSTUs (`X-RateLimit-Limit`).
    pub limit: Option<f64>,
    /// What is left of it (`X-RateLimit-Remaining`).
    pub remaining: Option<f64>,
    /// When the budget is whole again (`X-RateLimit-Reset`, Unix seconds).
    pub reset: Option<SystemTime>,
    /// How long the service delayed the request (`X-RateLimit-Delay`).
    pub delay: Option<Duration>,
    /// Which budget the figures are for (`X-RateLimit-Resource`).
    pub resource: Option<String>,
}

impl RateLimits {
    /// Read the figures from a response's headers; `None` when it carries none. Every figure is
    /// untrusted: one that is not a finite number, or is out of range, is left out.
    ///
    /// ```
    /// let headers = reqwest::header::HeaderMap::new();
    /// assert_eq!(ado_core::throttle::RateLimits::from_headers(&headers), None);
    /// ```
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        // Most answers carry none of these headers: one pass over the names finds those there are.
        if !headers.keys().any(|name| name.as_str().starts_with("x-ratelimit-")) {
            return None;
        }
        let text = |name: &str| crate::response::header(headers, name).map(str::trim);
        let number = |name: &str| text(name).and_then(|v| v.parse::<f64>().ok()).filter(|n| n.is_finite());
        let limits = Self {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset").and_then(unix_time),
            delay: number("x-ratelimit-delay").and_then(crate::retry::seconds),
            resource: text("x-ratelimit-resource").map(|r| crate::error::bounded(r, RESOURCE_LIMIT)),
        };
        let any = limits.limit.is_some() || limits.remaining.is_some() || limits.delay.is_some();
        any.then_some(limits)
    }

    /// The share of the budget left, from 0 to 1.
    ///
    /// ```
    /// let mut headers = reqwest::header::HeaderMap::new();
    /// headers.insert("x-ratelimit-limit", "200".parse().unwrap());
    /// headers.insert("x-ratelimit-remaining", "50".parse().unwrap());
    /// let limits = ado_core::throttle::RateLimits::from_headers(&headers).unwrap();
    /// assert_eq!(limits.fraction_remaining(), Some(0.25));
    /// ```
    pub fn fraction_remaining(&self) -> Option<f64> {
        match (self.remaining, self.limit) {
            (Some(remaining), Some(limit)) if limit > 0.0 => Some((remaining / limit).clamp(0.0, 1.0)),
            _ => None,
        }
    }
}

/// The longest `X-RateLimit-Resource` kept (the service's names are a few characters).
const RESOURCE_LIMIT: usize = 64;

/// The latest reset time believed, in Unix seconds (the year 2286); a later one makes no sense.
const LATEST_RESET_SECS: f64 = 1.0e10;

/// Unix seconds as a time; `None` when negative or beyond [`LATEST_RESET_SECS`].
fn unix_time(seconds: f64) -> Option<SystemTime> {
    if !(0.0..=LATEST_RESET_SECS).contains(&seconds) {
        return None;
    }
    SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)
}

/// How long the service meters usage over (a sliding window): no figure outlives it.
pub const WINDOW: Duration = Duration::from_secs(300);

/// The latest figures a configuration's calls reported, and when they came.
#[derive(Debug, Default)]
pub(crate) struct LatestRateLimits(Mutex<Option<(RateLimits, Instant)>>);

impl LatestRateLimits {
    /// The figures, unless they have expired: at their reset time, or a [`WINDOW`] after they
    /// came.
    pub fn current(&self) -> Option<RateLimits> {
        self.current_at(Instant::now(), SystemTime::now())
    }

    fn current_at(&self, now: Instant, wall_clock: SystemTime) -> Option<RateLimits> {
        let slot = self.0.lock().ok()?;
        let (limits, received) = slot.as_ref()?;
        let reset = limits.reset.is_some_and(|reset| reset <= wall_clock);
        (!reset && now.saturating_duration_since(*received) < WINDOW).then(|| limits.clone())
    }

    /// Take in an answer's headers, for a request sent at `sent`: its figures replace the
    /// latest; an answer without figures to a request sent after they came means the budget is
    /// healthy again (the service sends them whenever it is running low).
    pub fn observe(&self, headers: &HeaderMap, sent: Instant) {
        self.observe_at(headers, sent, Instant::now());
    }

    fn observe_at(&self, headers: &HeaderMap, sent: Instant, now: Instant) {
        let Ok(mut slot) = self.0.lock() else { return };
        match RateLimits::from_headers(headers) {
            Some(limits) => *slot = Some((limits, now)),
            None if slot.as_ref().is_some_and(|(_, received)| *received <= sent) => *slot = None,
            None => {}
        }
    }
}

/// Decides how long to pause before a request, given the latest figures.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use ado_core::throttle::{RateLimits, Throttle};
/// use ado_core::{Config, Credentials};
///
/// /// A fixed pause whenever less than a tenth of the budget is left.
/// #[derive(Debug)]
/// struct Careful;
///
/// impl Throttle for Careful {
///     fn pause(&self, limits: &RateLimits, _now: SystemTime) -> Option<Duration> {
///         (limits.fraction_remaining()? < 0.1).then_some(Duration::from_secs(1))
///     }
/// }
///
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::pat("pat"))
///     .throttle(Careful)
///     .build()?;
/// # Ok::<(), ado_core::Error>(())
/// ```
pub trait Throttle: Send + Sync + Debug + 'static {
    /// The pause before the next request, if any.
    fn pause(&self, limits: &RateLimits, now: SystemTime) -> Option<Duration>;
}

/// Slow down once the share of the budget left falls to a threshold: from there, pause between
/// requests so that they spend the budget at the pace it comes back (the limit over the time
/// until the reset), and longer in proportion as the share left falls further (without a reset
/// time, longer the lower it gets). The default threshold is a quarter, where the service starts
/// sending its figures, so that calls already in flight when the first figures come still fit.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use ado_core::throttle::{AdaptiveThrottle, RateLimits, Throttle};
/// let throttle = AdaptiveThrottle::default();
/// let mut headers = reqwest::header::HeaderMap::new();
/// headers.insert("x-ratelimit-limit", "200".parse().unwrap());
/// headers.insert("x-ratelimit-remaining", "190".parse().unwrap());
/// let healthy = RateLimits::from_headers(&headers).unwrap();
/// assert_eq!(throttle.pause(&healthy, SystemTime::now()), None);
/// headers.insert("x-ratelimit-remaining", "2".parse().unwrap());
/// let low = RateLimits::from_headers(&headers).unwrap();
/// assert!(throttle.pause(&low, SystemTime::now()).is_some_and(|p| p > Duration::ZERO));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct AdaptiveThrottle {
    /// Pace once the remaining share falls to this (0 to 1).
    pub threshold: f64,
    /// The longest pause.
    pub max_pause: Duration,
}

impl Default for AdaptiveThrottle {
    fn default() -> Self {
        Self {
            threshold: 0.25,
            max_pause: Duration::from_secs(10),
        }
    }
}

impl Throttle for AdaptiveThrottle {
    fn pause(&self, limits: &RateLimits, now: SystemTime) -> Option<Duration> {
        let fraction = limits.fraction_remaining()?;
        if fraction > self.threshold || self.threshold.is_nan() {
            return None;
        }
        let pause = match (
            limits.reset.and_then(|reset| reset.duration_since(now).ok()),
            limits.limit,
        ) {
            // The service meters a sliding window that ends at the reset time: the budget comes
            // back at `limit` per that time. Spend it at that pace, and slower in proportion as
            // the share left falls under a reserve (a quarter of the threshold).
            (Some(until_reset), Some(limit)) if limit >= 1.0 => {
                let sustainable = until_reset.as_secs_f64() / limit;
                let reserve = self.threshold / 4.0;
                let slowdown = (reserve / fraction.max(1.0 / limit)).max(1.0);
                Duration::try_from_secs_f64(sustainable * slowdown).ok()?
            }
            _ => {
                // No reset time: 1 at an empty budget, 0 at the threshold.
                let depth = (1.0 - fraction / self.threshold.max(f64::EPSILON)).clamp(0.0, 1.0);
                Duration::try_from_secs_f64(self.max_pause.as_secs_f64() * depth).ok()?
            }
        };
        Some(pause.min(self.max_pause)).filter(|p| !p.is_zero())
    }
}

/// Never pauses.
///
/// ```
/// use ado_core::{Config, Credentials, throttle::NoThrottle};
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::pat("pat"))
///     .throttle(NoThrottle)
///     .build()?;
/// # Ok::<(), ado_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct NoThrottle;

impl Throttle for NoThrottle {
    fn pause(&self, _: &RateLimits, _: SystemTime) -> Option<Duration> {
        None
    }
}

#[cfg(test)]
mod tests;
