//! The retry loop, read top to bottom: pace, attempt, classify, wait, repeat. The policies it
//! asks are the configuration's: which outcomes to retry ([`RetryPolicy`](crate::retry::RetryPolicy)),
//! how long to back off ([`Backoff`](crate::retry::Backoff)), how to pace when the rate-limit budget
//! runs low ([`Throttle`](crate::throttle::Throttle)), and the limits on attempts and time.

use std::time::{Duration, SystemTime};

use tracing::Instrument;

use super::Runtime;
use super::trace::{attempt_span, describe, finished};
use crate::operation::Operation;
use crate::retry::{Outcome, server_hint};
use crate::{Error, ErrorKind, HttpMethod, RawResponse, Result};

impl Runtime {
    /// Send `request` until an attempt's outcome is final, and return that outcome.
    pub(super) async fn retry_loop(&self, request: reqwest::Request, operation: &Operation) -> Result<RawResponse> {
        let shared = self.shared();
        let started = tokio::time::Instant::now();
        // What each retry sends; there is none when the body is a stream that cannot be sent twice.
        let copy = request.try_clone();
        let mut request = request;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            self.pause_for_budget().await;
            let span = attempt_span(attempt);
            let result = self.attempt(request).instrument(span.clone()).await;
            if let Ok(answer) = &result {
                span.record("http.response.status_code", answer.status);
            }
            let again = outcome(&result).and_then(|outcome| {
                let wait = self.wait_before_retry(operation.method, attempt, started, &outcome)?;
                let next = copy.as_ref()?.try_clone()?;
                tracing::info!(attempt, wait_ms = wait.as_millis() as u64, outcome = %describe(&outcome), "retrying");
                Some((wait, next))
            });
            let Some((wait, next)) = again else {
                finished(attempt, started, &result);
                return result.map_err(|error| with_resend_note(error, operation.method));
            };
            shared.sleep.sleep(wait).await;
            request = next;
        }
    }

    /// Pause before an attempt while the rate-limit budget runs low, one call at a time (the
    /// pause is between requests, not per task); the pause is asked again on this call's turn.
    async fn pause_for_budget(&self) {
        if self.pace().is_none() {
            return;
        }
        let shared = self.shared();
        let _turn = shared.pace_turn.lock().await;
        if let Some(pause) = self.pace() {
            tracing::debug!(
                pause_ms = pause.as_millis() as u64,
                "rate-limit budget low: slowing down"
            );
            shared.sleep.sleep(pause).await;
        }
    }

    /// The wait before another attempt, or `None` when `outcome` is final: the policy does not
    /// retry it, the attempts are used up, or the wait would pass the time allowed.
    fn wait_before_retry(
        &self,
        method: HttpMethod,
        attempt: u32,
        started: tokio::time::Instant,
        outcome: &Outcome<'_>,
    ) -> Option<Duration> {
        let shared = self.shared();
        if attempt >= shared.limits.max_attempts || !shared.retry.should_retry(method, outcome) {
            return None;
        }
        let wait = self.wait(attempt, outcome);
        (started.elapsed().saturating_add(wait) <= shared.limits.max_elapsed).then_some(wait)
    }

    /// How long to wait after `attempt`: the backoff, or the service's own hint when it is longer.
    /// (The throttle's pause comes before each attempt as well: see `pause_for_budget`.)
    fn wait(&self, attempt: u32, outcome: &Outcome<'_>) -> Duration {
        let backoff = self.shared().backoff.delay(attempt);
        let hint = match outcome {
            Outcome::Response { headers, .. } => server_hint(headers, SystemTime::now()),
            Outcome::Transport { .. } => None,
        };
        hint.map_or(backoff, |hint| hint.max(backoff))
    }

    /// The pause the throttle asks for between requests, given the latest rate-limit figures
    /// less the requests in flight (sent, not yet counted in any figure the service sent back).
    fn pace(&self) -> Option<Duration> {
        let shared = self.shared();
        let mut limits = shared.rate_limits.current()?;
        let in_flight = f64::from(shared.in_flight.load(std::sync::atomic::Ordering::Relaxed));
        limits.remaining = limits.remaining.map(|remaining| (remaining - in_flight).max(0.0));
        shared.throttle.pause(&limits, SystemTime::now())
    }
}

/// What the retry policy judges: an answer, or a failure to get one. Other failures (credentials,
/// a body past its limit) are final.
fn outcome(result: &Result<RawResponse>) -> Option<Outcome<'_>> {
    match result {
        Ok(answer) => Some(Outcome::Response {
            status: answer.status,
            headers: &answer.headers,
        }),
        Err(error) if *error.kind() == ErrorKind::Transport => Some(Outcome::Transport {
            connect: error.is_connect(),
            timeout: error.is_timeout(),
        }),
        Err(_) => None,
    }
}

/// A failure to get an answer says so when the request may have reached the service and was not
/// sent again because it is not idempotent.
fn with_resend_note(error: Error, method: HttpMethod) -> Error {
    let reached = *error.kind() == ErrorKind::Transport && !error.is_connect();
    error.with_note(super::answer::not_resent(method, reached))
}
