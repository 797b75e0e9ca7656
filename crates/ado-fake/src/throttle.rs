//! A rate-limit budget per credential, with the service's `X-RateLimit-*` headers.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use crate::http::{Caller, epoch_seconds, error};

/// A budget: `limit` requests per `window`, per credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Requests allowed in a window.
    pub limit: u32,
    /// The window.
    pub window: Duration,
}

/// The figures to put on an answer while the budget is low.
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    limit: u32,
    remaining: u32,
    reset: Instant,
}

impl Figures {
    /// Add the `X-RateLimit-*` headers.
    pub fn apply(&self, headers: &mut HeaderMap) {
        let pairs = [
            ("x-ratelimit-resource", "Core".to_string()),
            ("x-ratelimit-limit", self.limit.to_string()),
            ("x-ratelimit-remaining", self.remaining.to_string()),
            ("x-ratelimit-reset", epoch_seconds(self.reset).to_string()),
        ];
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
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

/// Budgets per credential (none configured: no limit).
#[derive(Debug, Default)]
pub struct Throttle {
    budget: Option<Budget>,
    used: Mutex<HashMap<Caller, (Instant, u32)>>,
}

impl Throttle {
    /// A throttle with `budget` (or none).
    pub fn new(budget: Option<Budget>) -> Self {
        Self {
            budget,
            used: Mutex::new(HashMap::new()),
        }
    }

    /// Charge one request: the figures to report while the budget is low, or the 429 once it is
    /// spent.
    pub fn charge(&self, caller: &Caller) -> Result<Option<Figures>, Response> {
        let Some(budget) = self.budget else { return Ok(None) };
        let Ok(mut used) = self.used.lock() else {
            return Ok(None);
        };
        let now = Instant::now();
        let entry = used.entry(caller.clone()).or_insert((now, 0));
        if now.duration_since(entry.0) >= budget.window {
            *entry = (now, 0);
        }
        let reset = entry.0 + budget.window;
        if entry.1 >= budget.limit {
            let wait = reset.saturating_duration_since(now).as_secs_f64().ceil().max(1.0) as u64;
            let figures = Figures {
                limit: budget.limit,
                remaining: 0,
                reset,
            };
            return Err(too_many_requests(wait, Some(figures)));
        }
        entry.1 += 1;
        let remaining = budget.limit - entry.1;
        let near = remaining as f64 <= budget.limit as f64 * 0.25;
        Ok(near.then_some(Figures {
            limit: budget.limit,
            remaining,
            reset,
        }))
    }
}
