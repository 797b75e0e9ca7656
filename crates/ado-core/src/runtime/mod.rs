//! What the generated clients call: `exchange`, which prepares each attempt (api-version,
//! credentials, the headers every request carries) and runs the retry loop.

use std::fmt;
use std::future::Future;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use tracing::Instrument;

mod area;
mod body;
mod query;
mod refusal;
mod replay;
mod trace;

pub(crate) use body::{ReadBody, read_bounded};
pub(crate) use refusal::{CredentialsFailed, TimedOut, UnknownOperation};
pub use trace::redacted_url;

use body::{too_large, with_body};
use query::rewrite_query;
use refusal::{Refusal, Sending, timed_out};
use replay::Replay;
use trace::{attempt_span, call_span, describe, finished};

use crate::Host;
use crate::config::{Config, Shared};
use crate::operation::{Operation, Operations};
use crate::retry::{Outcome, server_hint};

/// Facts about one area crate, which it hands to [`Runtime::new`].
#[derive(Debug)]
pub struct AreaInfo {
    /// The crate's name, for the `User-Agent`.
    pub crate_name: &'static str,
    /// The crate's version, for the `User-Agent`.
    pub crate_version: &'static str,
    /// The host the area's API lives on.
    pub host: Host,
    /// The area's operations (written by the generator).
    pub operations: &'static Operations,
    /// The API accepts only Microsoft Entra user tokens (a PAT is refused).
    pub requires_user_token: bool,
    /// The `User-Agent`, made once per area and static from then on: cloning a static header
    /// value costs nothing, where a shared one touches a reference count on every request.
    user_agent: OnceLock<HeaderValue>,
}

impl AreaInfo {
    /// An area's facts.
    pub const fn new(
        crate_name: &'static str,
        crate_version: &'static str,
        host: Host,
        operations: &'static Operations,
        requires_user_token: bool,
    ) -> Self {
        Self {
            crate_name,
            crate_version,
            host,
            operations,
            requires_user_token,
            user_agent: OnceLock::new(),
        }
    }

    fn user_agent(&self) -> HeaderValue {
        self.user_agent
            .get_or_init(|| {
                let agent = format!(
                    "{}/{} ado-core/{}",
                    self.crate_name,
                    self.crate_version,
                    env!("CARGO_PKG_VERSION")
                );
                match HeaderValue::from_str(&agent) {
                    // Leaked once per area (a few dozen bytes for the life of the process).
                    Ok(_) => HeaderValue::from_static(Box::leak(agent.into_boxed_str())),
                    Err(_) => HeaderValue::from_static("ado-rs"),
                }
            })
            .clone()
    }
}

/// The runtime state inside a generated client: the shared [`Config`] and the area's facts.
/// Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    config: Config,
    area: &'static AreaInfo,
}

/// The retry loop gave up on reading a body past `limit` bytes, which came with `status`; carried
/// to the error mapping in the response's extensions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyTooLarge {
    pub limit: usize,
    pub status: u16,
}

const SUPPRESS_REDIRECT: HeaderName = HeaderName::from_static("x-tfs-fedauthredirect");
/// The headers [`Runtime::stamp`] puts on every attempt.
const STAMPED: [HeaderName; 4] = [AUTHORIZATION, SUPPRESS_REDIRECT, USER_AGENT, ACCEPT];

impl Runtime {
    /// The runtime of one area over a shared configuration.
    pub fn new(config: &Config, area: &'static AreaInfo) -> Self {
        Self {
            config: config.clone(),
            area,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The area's base URL (organization included, no trailing slash).
    pub fn base_url(&self) -> String {
        self.config.organization().base_url(self.area.host).to_string()
    }

    /// The HTTP client.
    pub fn http_client(&self) -> reqwest::Client {
        self.config.http_client().clone()
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.config.0
    }

    pub(crate) fn requires_user_token(&self) -> bool {
        self.area.requires_user_token
    }

    /// The facts of an operation, by id.
    pub fn operation(&self, id: &str) -> Option<&'static Operation> {
        self.area.operations.find(id)
    }

    /// Prepare a request to send some other way than [`execute`](Self::execute) (which does it
    /// itself, for every attempt): the api-version in the query, credentials and the headers every
    /// request carries.
    pub async fn prepare(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        let operation = self
            .operation(operation_id)
            .ok_or_else(|| format!("operation `{operation_id}` is not in the area's table"))?;
        rewrite_query(request.url_mut(), operation.api_version);
        self.stamp(request.headers_mut()).await
    }

    /// The headers every attempt carries. The credentials are asked each time, so a retry after a
    /// long wait carries a fresh token.
    async fn stamp(&self, headers: &mut HeaderMap) -> Result<(), String> {
        let authorization = self
            .config
            .credentials()
            .authorization()
            .await
            .map_err(|e| e.to_string())?;
        self.put_stamped(headers, authorization);
        Ok(())
    }

    /// [`stamp`](Self::stamp) at once, when the credentials need no waiting (a PAT or a bearer
    /// token); `None` when they do (a token provider).
    fn stamp_now(&self, headers: &mut HeaderMap) -> Option<Result<(), String>> {
        let authorization = match self.config.credentials().authorization_now()? {
            Ok(authorization) => authorization,
            Err(error) => return Some(Err(error.to_string())),
        };
        self.put_stamped(headers, authorization);
        Some(Ok(()))
    }

    fn put_stamped(&self, headers: &mut HeaderMap, authorization: HeaderValue) {
        // Room for all four at once, rather than growing the map as they go in.
        headers.reserve(4);
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(SUPPRESS_REDIRECT, HeaderValue::from_static("Suppress"));
        headers.insert(USER_AGENT, self.area.user_agent());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    }

    /// Send a request with retries: put the operation's api-version in the query, stamp the
    /// credentials and the headers every request carries on each attempt, classify each outcome,
    /// back off with jitter (never less than the service asked), slow down when the rate-limit
    /// budget runs low, and read the body (bounded, byte-order mark removed) so that a broken body
    /// is retried like a broken connection. The response comes back with that body, ready to
    /// read.
    pub async fn execute(
        &self,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let operation = self.operation(operation_id);
        let (response, body) = self.exchange_with(request, operation, operation_id).await?;
        Ok(with_body(response, body))
    }

    /// [`execute`](Self::execute), with the body handed back beside the response (whose own body
    /// is then used up) instead of put back into it. What the generated code calls: it decodes
    /// the body with [`crate::decode`], and nothing reads the body twice.
    ///
    /// The request moves into reqwest at once, so the future holds no copy of it: every level of
    /// a call's future is copied as it starts, and the one the `.await` of a call boxes is
    /// allocated afresh each time (see the README's benchmarks).
    ///
    /// `operation` is the operation's entry in the area's table (the generated code names it, so
    /// no call looks it up).
    #[doc(hidden)]
    pub fn exchange(
        &self,
        request: reqwest::Request,
        operation: &'static Operation,
    ) -> impl Future<Output = reqwest::Result<(reqwest::Response, Bytes)>> + Send + '_ {
        self.exchange_with(request, Some(operation), operation.id)
    }

    /// [`exchange`](Self::exchange), for an operation that may not be in the table.
    fn exchange_with(
        &self,
        mut request: reqwest::Request,
        operation: Option<&'static Operation>,
        operation_id: &'static str,
    ) -> impl Future<Output = reqwest::Result<(reqwest::Response, Bytes)>> + Send + '_ {
        let method = crate::HttpMethod::of(request.method());
        let span = call_span(&request, operation_id);
        #[cfg(feature = "opentelemetry")]
        crate::otel::put_traceparent(&span, request.headers_mut());
        let send = move |request| self.shared().http.execute(request);
        let Some(operation) = operation else {
            let first = Sending::Refused {
                refusal: Refusal::UnknownOperation(operation_id),
            };
            return self.retry(method, Replay::Never, first, send).instrument(span);
        };
        rewrite_query(request.url_mut(), operation.api_version);
        // What a retry needs; taken once, before stamping, without copying the headers.
        let replay = Replay::of(&request);
        let first = self.sending(request, send);
        self.retry(method, replay, first, send).instrument(span)
    }

    /// An attempt at `request`: stamped and handed to `send` at once when the credentials need no
    /// waiting, after the token provider's answer otherwise (boxed, as any wait for a token costs
    /// more than the allocation); refused when the credentials fail. The same for the first
    /// attempt and every retry, so that each carries credentials as fresh as they can be.
    fn sending<'a, P>(
        &'a self,
        mut request: reqwest::Request,
        send: impl Fn(reqwest::Request) -> P + Send + 'a,
    ) -> Sending<'a, P>
    where
        P: Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a,
    {
        match self.stamp_now(request.headers_mut()) {
            Some(Ok(())) => Sending::Sent { pending: send(request) },
            Some(Err(message)) => Sending::Refused {
                refusal: Refusal::Credentials(message),
            },
            None => Sending::Stamping {
                stamping: Box::pin(async move {
                    match self.stamp(request.headers_mut()).await {
                        Ok(()) => send(request).await,
                        Err(message) => Ok(Refusal::Credentials(message).answer()),
                    }
                }),
            },
        }
    }

    /// The retry loop around the first attempt, `pending` (sent when first polled); `send` sends
    /// the copies for the retries. (Generic only because reqwest's future has no name.)
    async fn retry<'a, P>(
        &'a self,
        method: crate::HttpMethod,
        replay: Replay,
        mut pending: Sending<'a, P>,
        send: impl Fn(reqwest::Request) -> P + Copy + Send + 'a,
    ) -> reqwest::Result<(reqwest::Response, Bytes)>
    where
        P: Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a,
    {
        let shared = self.shared();
        let started = tokio::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            // A retry's wait already takes the pace into account (see `wait`).
            if attempt == 1
                && let Some(pause) = self.pace()
            {
                tracing::debug!(
                    pause_ms = pause.as_millis() as u64,
                    "rate-limit budget low: slowing down"
                );
                shared.sleep.sleep(pause).await;
            }
            let attempt_span = attempt_span(attempt);
            // The attempt's time limit covers the body too.
            let sending = self.attempt(pending).instrument(attempt_span.clone());
            let limit = shared.limits.attempt_timeout;
            let result = tokio::time::timeout(limit, sending)
                .await
                .unwrap_or_else(|_| Ok((timed_out(limit), Bytes::new())));
            let answer = result.as_ref().map(|(response, _)| response);
            let Some((wait, next)) = self.plan_retry(method, &replay, attempt, started, answer, &attempt_span) else {
                finished(attempt, started, answer);
                return result;
            };
            drop(result);
            // Boxed: the retry path's state (the copy, the wait) stays out of every call's future.
            pending = Box::pin(self.again(next, wait, send)).await;
        }
    }

    /// Whether to try again after an attempt's `result`, and if so, the wait before it and the
    /// copy to send (made only when there is a retry to make). Out of line, so that the loop's
    /// own code, which every call runs, stays compact.
    #[inline(never)]
    fn plan_retry(
        &self,
        method: crate::HttpMethod,
        replay: &Replay,
        attempt: u32,
        started: tokio::time::Instant,
        result: Result<&reqwest::Response, &reqwest::Error>,
        attempt_span: &tracing::Span,
    ) -> Option<(Duration, reqwest::Request)> {
        let shared = self.shared();
        let outcome = match result {
            // An attempt refused before sending (credentials, operation) is no outcome to retry.
            Ok(response) if Refusal::refused(response) => return None,
            Ok(response) if response.extensions().get::<TimedOut>().is_some() => Outcome::Transport {
                connect: false,
                timeout: true,
            },
            Ok(response) => {
                attempt_span.record("http.response.status_code", response.status().as_u16());
                Outcome::Response {
                    status: response.status().as_u16(),
                    headers: response.headers(),
                }
            }
            Err(error) => Outcome::Transport {
                connect: error.is_connect(),
                timeout: error.is_timeout(),
            },
        };
        let retry = attempt < shared.limits.max_attempts && shared.retry.should_retry(method, &outcome);
        if !retry {
            return None;
        }
        let wait = self.wait(attempt, &outcome);
        if started.elapsed().saturating_add(wait) > shared.limits.max_elapsed {
            return None;
        }
        let next = replay.request()?;
        tracing::info!(attempt, wait_ms = wait.as_millis() as u64, outcome = %describe(&outcome), "retrying");
        Some((wait, next))
    }

    /// Wait, then make the next attempt at `next`: stamped after the wait, so that it carries
    /// credentials as fresh as they can be.
    async fn again<'a, P>(
        &'a self,
        next: reqwest::Request,
        wait: Duration,
        send: impl Fn(reqwest::Request) -> P + Send + 'a,
    ) -> Sending<'a, P>
    where
        P: Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a,
    {
        self.shared().sleep.sleep(wait).await;
        self.sending(next, send)
    }

    /// One attempt: receive the answer to `pending`, then read the body within the size limit
    /// (byte-order mark removed).
    async fn attempt(
        &self,
        pending: impl Future<Output = reqwest::Result<reqwest::Response>>,
    ) -> reqwest::Result<(reqwest::Response, Bytes)> {
        let shared = self.shared();
        let sent = tokio::time::Instant::now();
        let mut response = pending.await?;
        shared.rate_limits.observe(response.headers(), sent);
        let limit = shared.max_body;
        let Some(mut body) = read_bounded(&mut response, limit).await? else {
            return Ok((too_large(response, limit), Bytes::new()));
        };
        if body.starts_with(b"\xEF\xBB\xBF") {
            body = body.slice(3..);
        }
        crate::response::capture(response.status(), response.headers(), &body);
        Ok((response, body))
    }

    fn pace(&self) -> Option<Duration> {
        let limits = self.shared().rate_limits.current()?;
        self.shared().throttle.pause(&limits, SystemTime::now())
    }

    fn wait(&self, attempt: u32, outcome: &Outcome<'_>) -> Duration {
        let backoff = self.shared().backoff.delay(attempt);
        let hint = match outcome {
            Outcome::Response { headers, .. } => server_hint(headers, SystemTime::now()),
            Outcome::Transport { .. } => None,
        };
        // The service's own hint outranks the throttle's estimate; without one, the longer of the
        // backoff and the pace (not their sum).
        match hint {
            Some(hint) => hint.max(backoff),
            None => backoff.max(self.pace().unwrap_or_default()),
        }
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("area", &self.area.crate_name)
            .field("config", &self.config)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn a_runtime_shows_its_area_and_configuration() {
        let config = Config::builder()
            .organization("fabrikam")
            .credentials(crate::Credentials::pat("p"))
            .build()
            .unwrap();
        static OPERATIONS: Operations = Operations::new(&[]);
        static AREA: AreaInfo = AreaInfo::new("ado-x", "1.0.0", Host::Core, &OPERATIONS, false);
        let shown = format!("{:?}", Runtime::new(&config, &AREA));
        assert!(
            shown.starts_with("Runtime { area: \"ado-x\", config: Config { organization: "),
            "{shown}"
        );
    }
}
