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
        // Most answers carry none: one pass over the names is cheaper than five lookups.
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

/// Slow down once the budget left falls under a threshold: spread what is left over the time
/// until the budget resets (or, without a reset time, pause longer the lower it gets).
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
            threshold: 0.1,
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
        let remaining = limits.remaining.unwrap_or(0.0).max(1.0);
        let pause = match limits.reset.and_then(|reset| reset.duration_since(now).ok()) {
            Some(until_reset) => Duration::try_from_secs_f64(until_reset.as_secs_f64() / remaining).ok()?,
            None => {
                // 1 at an empty budget, 0 at the threshold.
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
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
            .collect()
    }

    #[test]
    fn the_figures_are_read_from_the_headers() {
        let limits = RateLimits::from_headers(&headers(&[
            ("x-ratelimit-limit", "200"),
            ("x-ratelimit-remaining", "15.5"),
            ("x-ratelimit-reset", "1700000300"),
            ("x-ratelimit-resource", "ATCPU"),
        ]))
        .unwrap();
        assert_eq!(limits.limit, Some(200.0));
        assert_eq!(limits.remaining, Some(15.5));
        assert_eq!(
            limits.reset,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_300))
        );
        assert_eq!(limits.resource.as_deref(), Some("ATCPU"));
        assert_eq!(RateLimits::from_headers(&HeaderMap::new()), None);
    }

    #[test]
    fn plenty_of_budget_means_no_pause() {
        let limits = RateLimits {
            limit: Some(200.0),
            remaining: Some(150.0),
            reset: None,
            delay: None,
            resource: None,
        };
        assert_eq!(AdaptiveThrottle::default().pause(&limits, SystemTime::now()), None);
    }

    #[test]
    fn a_low_budget_is_spread_over_the_time_to_reset() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        let limits = RateLimits {
            limit: Some(200.0),
            remaining: Some(10.0),
            reset: Some(now + Duration::from_secs(20)),
            delay: None,
            resource: None,
        };
        assert_eq!(
            AdaptiveThrottle::default().pause(&limits, now),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn without_a_reset_time_the_pause_grows_as_the_budget_shrinks() {
        let throttle = AdaptiveThrottle {
            threshold: 0.1,
            max_pause: Duration::from_secs(10),
        };
        let at = |remaining: f64| RateLimits {
            limit: Some(100.0),
            remaining: Some(remaining),
            reset: None,
            delay: None,
            resource: None,
        };
        assert_eq!(
            throttle.pause(&at(5.0), SystemTime::now()),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            throttle.pause(&at(0.0), SystemTime::now()),
            Some(Duration::from_secs(10))
        );
    }

    fn at(limit: Option<f64>, remaining: Option<f64>) -> RateLimits {
        RateLimits {
            limit,
            remaining,
            reset: None,
            delay: None,
            resource: None,
        }
    }

    #[test]
    fn the_share_left_needs_a_positive_limit_and_stays_between_zero_and_one() {
        assert_eq!(at(Some(0.0), Some(5.0)).fraction_remaining(), None);
        assert_eq!(at(Some(-1.0), Some(5.0)).fraction_remaining(), None);
        assert_eq!(at(None, Some(5.0)).fraction_remaining(), None);
        assert_eq!(at(Some(200.0), None).fraction_remaining(), None);
        assert_eq!(at(Some(200.0), Some(50.0)).fraction_remaining(), Some(0.25));
        assert_eq!(at(Some(200.0), Some(300.0)).fraction_remaining(), Some(1.0));
        assert_eq!(at(Some(200.0), Some(-5.0)).fraction_remaining(), Some(0.0));
    }

    #[test]
    fn the_throttle_paces_at_the_threshold_and_not_above_it() {
        let throttle = AdaptiveThrottle {
            threshold: 0.25,
            max_pause: Duration::from_secs(8),
        };
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        let mut limits = at(Some(200.0), Some(50.0));
        limits.reset = Some(now + Duration::from_secs(100));
        assert_eq!(throttle.pause(&limits, now), Some(Duration::from_secs(2)));
        limits.remaining = Some(50.5);
        assert_eq!(throttle.pause(&limits, now), None);
    }

    #[test]
    fn a_reset_in_the_past_paces_by_depth_and_never_past_the_maximum() {
        let throttle = AdaptiveThrottle {
            threshold: 0.5,
            max_pause: Duration::from_secs(8),
        };
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        let mut limits = at(Some(100.0), Some(25.0));
        limits.reset = Some(now - Duration::from_secs(5));
        assert_eq!(throttle.pause(&limits, now), Some(Duration::from_secs(4)));
        limits.reset = Some(now + Duration::from_secs(1000));
        assert_eq!(throttle.pause(&limits, now), Some(Duration::from_secs(8)));
        limits.remaining = Some(0.0);
        limits.reset = Some(now + Duration::from_secs(3));
        assert_eq!(throttle.pause(&limits, now), Some(Duration::from_secs(3)));
    }

    #[test]
    fn no_throttle_never_pauses() {
        assert_eq!(NoThrottle.pause(&at(Some(100.0), Some(0.0)), SystemTime::now()), None);
    }

    #[test]
    fn figures_need_a_limit_a_remainder_or_a_delay() {
        assert_eq!(
            RateLimits::from_headers(&headers(&[("x-ratelimit-resource", "Core")])),
            None
        );
        assert_eq!(RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "x")])), None);
        let delay = RateLimits::from_headers(&headers(&[("x-ratelimit-delay", "0.25")])).unwrap();
        assert_eq!(delay.delay, Some(Duration::from_millis(250)));
        let limit = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "200")])).unwrap();
        assert_eq!(limit.limit, Some(200.0));
        let remaining = RateLimits::from_headers(&headers(&[("x-ratelimit-remaining", " 7 ")])).unwrap();
        assert_eq!(remaining.remaining, Some(7.0));
    }

    #[test]
    fn a_reset_of_zero_is_the_epoch_and_the_latest_believable_is_kept() {
        let zero = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "1"), ("x-ratelimit-reset", "0")]));
        assert_eq!(zero.unwrap().reset, Some(SystemTime::UNIX_EPOCH));
        let latest = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "1"), ("x-ratelimit-reset", "1e10")]));
        assert_eq!(
            latest.unwrap().reset,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(10_000_000_000))
        );
        let past = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "1"), ("x-ratelimit-reset", "1.1e10")]));
        assert_eq!(past.unwrap().reset, None);
    }

    #[test]
    fn the_resource_name_is_kept_within_bounds() {
        let long = "r".repeat(500);
        let limits = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "1"), ("x-ratelimit-resource", &long)]));
        assert!(
            limits
                .unwrap()
                .resource
                .unwrap()
                .starts_with(&"r".repeat(RESOURCE_LIMIT))
        );
    }

    fn low_budget() -> HeaderMap {
        headers(&[("x-ratelimit-limit", "200"), ("x-ratelimit-remaining", "3")])
    }

    #[test]
    fn figures_hold_until_the_window_has_passed_since_they_came() {
        let latest = LatestRateLimits::default();
        let came = Instant::now();
        latest.observe_at(&low_budget(), came, came);
        let wall = SystemTime::now();
        let within = came + WINDOW - Duration::from_nanos(1);
        assert_eq!(latest.current_at(within, wall).and_then(|l| l.remaining), Some(3.0));
        assert_eq!(latest.current_at(came + WINDOW, wall), None);
    }

    #[test]
    fn figures_hold_until_their_reset_time() {
        let latest = LatestRateLimits::default();
        let came = Instant::now();
        let reset = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let mut with_reset = low_budget();
        with_reset.insert("x-ratelimit-reset", "2000000000".parse().unwrap());
        latest.observe_at(&with_reset, came, came);
        assert!(latest.current_at(came, reset - Duration::from_secs(1)).is_some());
        assert_eq!(latest.current_at(came, reset), None);
    }

    #[test]
    fn an_answer_without_figures_clears_them_only_for_a_request_sent_after_they_came() {
        let latest = LatestRateLimits::default();
        let before = Instant::now();
        let came = before + Duration::from_millis(10);
        latest.observe_at(&low_budget(), came, came);
        latest.observe_at(&HeaderMap::new(), before, came + Duration::from_millis(5));
        assert!(latest.current_at(came, SystemTime::now()).is_some());
        latest.observe_at(&HeaderMap::new(), came, came + Duration::from_millis(20));
        assert_eq!(latest.current_at(came, SystemTime::now()), None);
    }
}
