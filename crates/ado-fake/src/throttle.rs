//! A rate-limit budget per identity, metered the way the service meters it: usage over a sliding
//! window; past the budget, requests are first delayed (answered, later, with
//! `X-RateLimit-Delay`), and once the delay would pass its ceiling, blocked with 429 and
//! `Retry-After`; the `X-RateLimit-*` figures come on every answer once the budget runs low,
//! before any delay starts.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use crate::http::{Caller, epoch_seconds, error};

/// A budget: `limit` requests per sliding `window`, per identity. The service's is 200 TSTUs per
/// five minutes; a request here costs one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Requests allowed in any window.
    pub limit: u32,
    /// The window.
    pub window: Duration,
}

impl Budget {
    /// The longest delay before the service blocks instead: 30 s of its five-minute window, a
    /// tenth.
    pub fn longest_delay(&self) -> Duration {
        self.window / 10
    }

    /// The delay for a request `over` requests past the budget: the pace that keeps within it,
    /// once for each request over.
    fn delay(&self, over: u32) -> Duration {
        self.window / self.limit.max(1) * over
    }
}

/// The figures to put on an answer while the budget is low.
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    limit: u32,
    remaining: u32,
    /// When usage would be back to nothing, were requests to stop now.
    reset: Instant,
    /// How long this request was held back.
    delay: Option<Duration>,
}

impl Figures {
    /// Add the `X-RateLimit-*` headers.
    pub fn apply(&self, headers: &mut HeaderMap) {
        let mut pairs = vec![
            ("x-ratelimit-resource", "Core".to_string()),
            ("x-ratelimit-limit", self.limit.to_string()),
            ("x-ratelimit-remaining", self.remaining.to_string()),
            ("x-ratelimit-reset", epoch_seconds(self.reset).to_string()),
        ];
        if let Some(delay) = self.delay {
            pairs.push(("x-ratelimit-delay", format!("{:.3}", delay.as_secs_f64())));
        }
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }

    /// How long to hold the answer back.
    pub fn delay(&self) -> Option<Duration> {
        self.delay
    }
}

/// The 429 answer.
pub fn too_many_requests(retry_after: u64, figures: Option<Figures>) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        Some("TF400733"),
        "RequestBlockedException",
        "The request was blocked due to exceeding usage of resource 'Core' in namespace 'User'.",
    );
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        headers.insert("retry-after", value);
    }
    if let Some(figures) = figures {
        figures.apply(headers);
    }
    response
}

/// What the budget did to one identity's requests so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThrottleStats {
    /// Requests let through (delayed ones included).
    pub charged: u64,
    /// Requests held back before their answer.
    pub delayed: u64,
    /// The time they were held back, in all.
    pub delayed_for: Duration,
    /// Requests blocked with 429.
    pub blocked: u64,
}

/// One identity's usage: when each request in the window was let through, and its stats.
#[derive(Debug, Default)]
struct Usage {
    sent: VecDeque<Instant>,
    stats: ThrottleStats,
}

/// Budgets per identity (none configured: no limit).
#[derive(Debug, Default)]
pub struct Throttle {
    budget: Option<Budget>,
    used: Mutex<HashMap<Caller, Usage>>,
}

impl Throttle {
    /// A throttle with `budget` (or none).
    pub fn new(budget: Option<Budget>) -> Self {
        Self {
            budget,
            used: Mutex::new(HashMap::new()),
        }
    }

    /// Charge one request: the figures to report (and the delay to hold the answer for) while
    /// the budget is low, or the 429 once a delay would pass its ceiling.
    pub fn charge(&self, caller: &Caller) -> Result<Option<Figures>, Response> {
        self.charge_at(caller, Instant::now())
    }

    fn charge_at(&self, caller: &Caller, now: Instant) -> Result<Option<Figures>, Response> {
        let Some(budget) = self.budget else { return Ok(None) };
        let Ok(mut used) = self.used.lock() else {
            return Ok(None);
        };
        let usage = used.entry(caller.clone()).or_default();
        while usage
            .sent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= budget.window)
        {
            usage.sent.pop_front();
        }
        let in_window = usage.sent.len() as u32;
        let figures = |remaining: u32, delay: Option<Duration>| Figures {
            limit: budget.limit,
            remaining,
            reset: now + budget.window,
            delay,
        };
        if in_window < budget.limit {
            usage.sent.push_back(now);
            usage.stats.charged += 1;
            let remaining = budget.limit - in_window - 1;
            let low = remaining as f64 <= budget.limit as f64 * 0.25;
            return Ok(low.then(|| figures(remaining, None)));
        }
        let delay = budget.delay(in_window + 1 - budget.limit);
        if delay <= budget.longest_delay() {
            usage.sent.push_back(now);
            usage.stats.charged += 1;
            usage.stats.delayed += 1;
            usage.stats.delayed_for += delay;
            return Ok(Some(figures(0, Some(delay))));
        }
        // Blocked until enough of the window has passed for usage to fall under the budget.
        usage.stats.blocked += 1;
        let freed = usage.sent[(in_window - budget.limit) as usize] + budget.window;
        let wait = freed.saturating_duration_since(now).as_secs_f64().ceil().max(1.0) as u64;
        let mut blocked = figures(0, None);
        blocked.reset = usage.sent.back().map_or(now, |t| *t + budget.window);
        Err(too_many_requests(wait, Some(blocked)))
    }

    /// What the budget did to the requests of the identity with `token` (PAT or bearer).
    pub fn stats(&self, token: &str) -> ThrottleStats {
        let Ok(used) = self.used.lock() else {
            return ThrottleStats::default();
        };
        [Caller::Pat(token.to_string()), Caller::Bearer(token.to_string())]
            .iter()
            .filter_map(|caller| used.get(caller))
            .map(|usage| usage.stats)
            .next()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(limit: u32, window_secs: u64) -> Throttle {
        Throttle::new(Some(Budget {
            limit,
            window: Duration::from_secs(window_secs),
        }))
    }

    fn pat() -> Caller {
        Caller::Pat("p".into())
    }

    #[test]
    fn within_the_budget_requests_pass_and_figures_come_once_a_quarter_is_left() {
        let throttle = throttle(8, 60);
        let now = Instant::now();
        let remaining: Vec<Option<u32>> = (0..8)
            .map(|_| throttle.charge_at(&pat(), now).unwrap().map(|f| f.remaining))
            .collect();
        assert_eq!(remaining, [None, None, None, None, None, Some(2), Some(1), Some(0)]);
    }

    #[test]
    fn past_the_budget_requests_are_delayed_a_pace_each_then_blocked() {
        // 10 per 100 s: a pace of 10 s, delays up to 10 s (a tenth of the window).
        let throttle = throttle(10, 100);
        let now = Instant::now();
        for _ in 0..10 {
            throttle.charge_at(&pat(), now).unwrap();
        }
        let delayed = throttle.charge_at(&pat(), now).unwrap().unwrap();
        assert_eq!(delayed.delay(), Some(Duration::from_secs(10)));
        assert_eq!(delayed.remaining, 0);
        let blocked = throttle.charge_at(&pat(), now).unwrap_err();
        assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(blocked.headers()["retry-after"], "100");
        let stats = throttle.stats("p");
        assert_eq!((stats.charged, stats.delayed, stats.blocked), (11, 1, 1));
        assert_eq!(stats.delayed_for, Duration::from_secs(10));
    }

    #[test]
    fn the_window_slides_a_request_at_a_time() {
        let throttle = throttle(2, 10);
        let start = Instant::now();
        throttle.charge_at(&pat(), start).unwrap();
        throttle.charge_at(&pat(), start + Duration::from_secs(5)).unwrap();
        // Full at 9 s, and a delay of a pace (5 s) would pass the ceiling (1 s): blocked until the
        // first request leaves the window.
        let blocked = throttle.charge_at(&pat(), start + Duration::from_secs(9)).unwrap_err();
        assert_eq!(blocked.headers()["retry-after"], "1");
        // At 10 s the first request has left the window: one more fits.
        let passed = throttle.charge_at(&pat(), start + Duration::from_secs(10)).unwrap();
        assert_eq!(passed.map(|f| f.remaining), Some(0));
    }

    #[test]
    fn each_identity_has_its_own_budget() {
        let throttle = throttle(1, 60);
        let now = Instant::now();
        throttle.charge_at(&pat(), now).unwrap();
        assert!(throttle.charge_at(&Caller::Bearer("b".into()), now).is_ok());
    }
}
