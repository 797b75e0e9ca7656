//! What the generated clients call: `exchange`, which prepares each attempt (api-version,
//! credentials, the headers every request carries) and runs the retry loop.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use tracing::Instrument;

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

/// An attempt that ran out of time, as a response the generated code passes on as unexpected; the
/// mapping in `Runtime::fail` reads the marker and reports a timeout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimedOut(pub Duration);

#[cold]
fn timed_out(limit: Duration) -> reqwest::Response {
    marked(reqwest::StatusCode::GATEWAY_TIMEOUT, TimedOut(limit))
}

/// The credentials failed before an attempt could be sent; carried like [`TimedOut`].
#[derive(Debug, Clone)]
pub(crate) struct CredentialsFailed(pub String);

/// The operation named is not in the area's table; carried like [`TimedOut`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnknownOperation(pub &'static str);

/// Why an attempt was not sent.
#[derive(Debug, Clone)]
enum Refusal {
    Credentials(String),
    UnknownOperation(&'static str),
}

impl Refusal {
    /// Whether `response` is the answer of a refused attempt.
    fn refused(response: &reqwest::Response) -> bool {
        let extensions = response.extensions();
        extensions.get::<CredentialsFailed>().is_some() || extensions.get::<UnknownOperation>().is_some()
    }

    /// The answer the generated code passes on as unexpected, for `Runtime::fail` to explain.
    fn answer(&self) -> reqwest::Response {
        match self {
            Refusal::Credentials(message) => {
                marked(reqwest::StatusCode::UNAUTHORIZED, CredentialsFailed(message.clone()))
            }
            Refusal::UnknownOperation(id) => marked(reqwest::StatusCode::BAD_REQUEST, UnknownOperation(id)),
        }
    }
}

pin_project_lite::pin_project! {
    /// An attempt being sent: reqwest's future, or, for a token provider, the wait for the token
    /// before it, or no attempt at all.
    #[project = SendingProj]
    enum Sending<'a, P> {
        Sent { #[pin] pending: P },
        Stamping { stamping: Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>> },
        Refused { refusal: Refusal },
    }
}

impl<P: Future<Output = reqwest::Result<reqwest::Response>>> Future for Sending<'_, P> {
    type Output = reqwest::Result<reqwest::Response>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        match self.project() {
            SendingProj::Sent { pending } => pending.poll(cx),
            SendingProj::Stamping { stamping } => stamping.as_mut().poll(cx),
            SendingProj::Refused { refusal } => std::task::Poll::Ready(Ok(refusal.answer())),
        }
    }
}

/// An empty response that the generated code passes on as unexpected, with a marker for the
/// mapping in `Runtime::fail`.
#[cold]
fn marked<M: Clone + Send + Sync + 'static>(status: reqwest::StatusCode, marker: M) -> reqwest::Response {
    let mut response = http::Response::new(Bytes::new());
    *response.status_mut() = status;
    response.extensions_mut().insert(marker);
    reqwest::Response::from(response)
}

/// What a retry needs to send a request again. For a request without a body whose headers are
/// all stamped ones (every GET and DELETE the generated code sends: no operation in the fragments
/// has a header parameter) and a standard method, only the method and URL are kept and the
/// headers are stamped afresh. Any other request is copied whole; one whose body cannot be sent
/// twice is not replayed.
enum Replay {
    Parts {
        // A byte, not reqwest's method (24): the retry loop's future holds a `Replay`.
        method: crate::HttpMethod,
        url: url::Url,
        version: reqwest::Version,
    },
    // Boxed: most calls are `Parts`, and the retry loop's future holds a `Replay`.
    Whole(Box<reqwest::Request>),
    Never,
}

impl Replay {
    fn of(request: &reqwest::Request) -> Self {
        let method = crate::HttpMethod::of(request.method());
        let standard = method.as_str() == request.method().as_str();
        if !standard || request.body().is_some() || !request.headers().keys().all(|name| STAMPED.contains(name)) {
            return request
                .try_clone()
                .map_or(Replay::Never, |copy| Replay::Whole(Box::new(copy)));
        }
        Replay::Parts {
            method,
            url: request.url().clone(),
            version: request.version(),
        }
    }

    /// A fresh copy to send (its credentials not yet stamped).
    fn request(&self) -> Option<reqwest::Request> {
        match self {
            Replay::Parts { method, url, version } => {
                let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).ok()?;
                let mut request = reqwest::Request::new(method, url.clone());
                *request.version_mut() = *version;
                Some(request)
            }
            Replay::Whole(request) => request.try_clone(),
            Replay::Never => None,
        }
    }
}

/// Read a body, stopping at `limit` bytes; `None` when it went past, or when the answer declared
/// a longer one (nothing is read then). A body that comes in one chunk (the usual case) is kept as
/// it came, without a copy; one in several is gathered into a buffer the size the answer
/// declared, so that it is never copied to grow.
pub(crate) async fn read_bounded(response: &mut reqwest::Response, limit: usize) -> reqwest::Result<Option<Bytes>> {
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Ok(None);
    }
    // Within the limit, so it fits a usize.
    let declared = declared as usize;
    let mut first = Bytes::new();
    // Only when a second chunk comes: the chunks so far, joined.
    let mut joined: Option<bytes::BytesMut> = None;
    while let Some(chunk) = response.chunk().await? {
        let read = joined.as_ref().map_or(first.len(), |joined| joined.len());
        if read.saturating_add(chunk.len()) > limit {
            return Ok(None);
        }
        match &mut joined {
            Some(joined) => joined.extend_from_slice(&chunk),
            None if first.is_empty() => first = chunk,
            None => {
                let mut both = bytes::BytesMut::with_capacity(declared.max(first.len() + chunk.len()));
                both.extend_from_slice(&first);
                both.extend_from_slice(&chunk);
                joined = Some(both);
            }
        }
    }
    Ok(Some(joined.map_or(first, bytes::BytesMut::freeze)))
}

/// A body read by the retry loop, kept in the extensions of an answer the generated code passes
/// on as unexpected (see [`crate::unexpected`]), for the error mapping to read.
#[derive(Debug, Clone)]
pub(crate) struct ReadBody(pub Bytes);

/// An answer whose body went past the limit, as a response the generated code passes on as
/// unexpected; the mapping in `Runtime::fail` reads the markers and reports the size limit.
#[cold]
fn too_large(response: reqwest::Response, limit: usize) -> reqwest::Response {
    let status = response.status().as_u16();
    let mut marked = rebuilt(response, Bytes::new());
    *marked.status_mut() = reqwest::StatusCode::INSUFFICIENT_STORAGE;
    marked.extensions_mut().insert(BodyTooLarge { limit, status });
    reqwest::Response::from(marked)
}

/// A response whose body the retry loop read, with that body put back.
fn with_body(response: reqwest::Response, body: Bytes) -> reqwest::Response {
    reqwest::Response::from(rebuilt(response, body))
}

/// The same status, version, headers, extensions (the markers `Runtime::fail` reads among them)
/// and URL (reqwest would otherwise parse a placeholder URL) over another body.
fn rebuilt(mut response: reqwest::Response, body: Bytes) -> http::Response<Bytes> {
    use reqwest::ResponseBuilderExt;
    let headers = std::mem::take(response.headers_mut());
    let extensions = std::mem::take(response.extensions_mut());
    let mut rebuilt = http::Response::builder()
        .status(response.status())
        .version(response.version())
        .url(response.url().clone())
        .body(body)
        .unwrap_or_default();
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().extend(extensions);
    rebuilt
}

/// The span of a call, its fields named after OpenTelemetry's HTTP client conventions (with
/// `otel.kind` for `tracing-opentelemetry`) plus the operation and the service's ActivityId. Out
/// of line (as are the attempt's span and the closing record), so that the code every call runs
/// stays compact; the fields are written only when a subscriber wants the span.
#[inline(never)]
fn call_span(request: &reqwest::Request, operation_id: &'static str) -> tracing::Span {
    let url = request.url();
    tracing::info_span!(
        "ado.call",
        otel.kind = "client",
        ado.operation = operation_id,
        http.request.method = %request.method(),
        url.full = %redacted_url(url),
        server.address = url.host_str().unwrap_or_default(),
        server.port = url.port_or_known_default(),
        http.response.status_code = tracing::field::Empty,
        http.request.resend_count = tracing::field::Empty,
        error.type = tracing::field::Empty,
        ado.activity_id = tracing::field::Empty,
        ado.elapsed_ms = tracing::field::Empty,
    )
}

/// The span of one attempt (`attempt` counts from 1; the resend count from 0).
#[inline(never)]
fn attempt_span(attempt: u32) -> tracing::Span {
    tracing::debug_span!(
        "ado.attempt",
        otel.kind = "client",
        attempt,
        http.request.resend_count = attempt.saturating_sub(1),
        http.response.status_code = tracing::field::Empty,
    )
}

/// Record how the call ended on its span: the status, the resends, what went wrong (the status
/// code from 400 on, else `timeout`, `connect` or `transport`), the ActivityId.
#[inline(never)]
fn finished(attempts: u32, started: tokio::time::Instant, result: Result<&reqwest::Response, &reqwest::Error>) {
    let span = tracing::Span::current();
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            span.record("http.response.status_code", status);
            if status >= 400 {
                span.record("error.type", status.to_string());
            } else if response.extensions().get::<TimedOut>().is_some() {
                span.record("error.type", "timeout");
            }
            if let Some(activity) = crate::response::header(response.headers(), "activityid") {
                span.record(
                    "ado.activity_id",
                    crate::error::bounded(activity, crate::SHORT_TEXT_LIMIT).as_str(),
                );
            }
        }
        Err(error) => {
            let kind = if error.is_timeout() {
                "timeout"
            } else if error.is_connect() {
                "connect"
            } else {
                "transport"
            };
            span.record("error.type", kind);
        }
    }
    span.record("http.request.resend_count", attempts.saturating_sub(1));
    span.record("ado.elapsed_ms", started.elapsed().as_millis() as u64);
}

fn describe(outcome: &Outcome<'_>) -> String {
    match outcome {
        Outcome::Response { status, .. } => format!("status {status}"),
        Outcome::Transport { timeout: true, .. } => "timeout".to_string(),
        Outcome::Transport { connect: true, .. } => "connect failure".to_string(),
        Outcome::Transport { .. } => "connection failure".to_string(),
    }
}

/// The URL as logged: scheme, host and path; the query is left out.
///
/// ```
/// let url = url::Url::parse("https://dev.azure.com/fabrikam/_apis/tokens/pats?continuationToken=secret").unwrap();
/// assert_eq!(ado_core::redacted_url(&url), "https://dev.azure.com/fabrikam/_apis/tokens/pats");
/// ```
pub fn redacted_url(url: &url::Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_password(None);
    let _ = shown.set_username("");
    shown.to_string()
}

/// Put the api-version in the query and write `$`-parameters as the service documents them
/// (`$top`, not `%24top`).
fn rewrite_query(url: &mut url::Url, api_version: &str) {
    let current = url.query().unwrap_or("");
    // The usual case: the generated URL already carries the operation's version, and no `$`.
    if !current.contains("%24") {
        match current.split('&').find_map(|pair| pair.strip_prefix("api-version=")) {
            Some(version) if version == api_version => return,
            None => {
                url.query_pairs_mut().append_pair("api-version", api_version);
                return;
            }
            Some(_) => {}
        }
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "api-version")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut query = String::new();
    for (key, value) in pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([("api-version", api_version)])
    {
        if !query.is_empty() {
            query.push('&');
        }
        let encoded: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        query.push_str(&encoded.replace("%24", "$"));
        query.push('=');
        query.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
    }
    url.set_query(Some(&query));
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("area", &self.area.crate_name)
            .field("config", &self.config)
            .finish()
    }
}

/// Declare an area (for the generated area crates): its `AreaInfo`, the generated client's hooks, and `connect`, which builds
/// the generated client over a shared [`Config`] (the area's base URL, the shared HTTP client).
///
/// ```ignore
/// ado_core::area! {
///     client: generated::Client,
///     operations: generated::OPERATIONS,
///     host: ado_core::Host::Core,
///     requires_user_token: false,
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! area {
    (
        client: $client:ty,
        operations: $operations:path,
        host: $host:expr,
        requires_user_token: $user_token:expr $(,)?
    ) => {
        static AREA: $crate::__private::AreaInfo = $crate::__private::AreaInfo::new(
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
            $host,
            &$operations,
            $user_token,
        );

        $crate::impl_hooks!($client);

        /// The generated client of this area over a shared configuration.
        fn connect(config: &$crate::Config) -> $client {
            let runtime = $crate::__private::Runtime::new(config, &AREA);
            let base_url = runtime.base_url();
            let http = runtime.http_client();
            <$client>::new_with_client(&base_url, http, runtime)
        }
    };
}

/// Implement the generated client's hooks with ado-core's `Runtime` (used by `area!`).
///
/// ```ignore
/// ado_core::impl_hooks!(generated::Client);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! impl_hooks {
    ($client:ty) => {
        impl ::progenitor_client::ClientHooks<$crate::__private::Runtime> for $client {
            // The generated `send()` calls the runtime directly (`exchange`, which prepares
            // every attempt and hands the body back beside the response: see xtask's
            // `builder_send`). Progenitor requires these hooks; for any other caller, `exec`
            // does the same through `execute`, which prepares every attempt itself, so `pre`
            // keeps progenitor's default (nothing).
            fn exec(
                &self,
                request: ::reqwest::Request,
                info: &::progenitor_client::OperationInfo,
            ) -> impl ::std::future::Future<Output = ::reqwest::Result<::reqwest::Response>> + ::std::marker::Send {
                use ::progenitor_client::ClientInfo;
                self.inner().execute(request, info.operation_id)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_gets_the_api_version_and_dollar_parameters_unescaped() {
        let mut url = url::Url::parse("https://h/x?%24top=5&continuationToken=a%2Bb%26c&api-version=old").unwrap();
        rewrite_query(&mut url, "7.1-preview.1");
        assert_eq!(
            url.query(),
            Some("$top=5&continuationToken=a%2Bb%26c&api-version=7.1-preview.1")
        );
    }

    #[test]
    fn a_query_that_carries_the_operations_api_version_is_left_as_it_is() {
        let mut url = url::Url::parse("https://h/x?api-version=7.1&continuationToken=a%2Bb").unwrap();
        rewrite_query(&mut url, "7.1");
        assert_eq!(url.query(), Some("api-version=7.1&continuationToken=a%2Bb"));
    }

    #[test]
    fn a_query_without_an_api_version_gets_one_appended() {
        let mut url = url::Url::parse("https://h/x?continuationToken=a%2Bb").unwrap();
        rewrite_query(&mut url, "7.1-preview.1");
        assert_eq!(url.query(), Some("continuationToken=a%2Bb&api-version=7.1-preview.1"));
    }

    #[test]
    fn a_dollar_parameter_after_the_api_version_is_unescaped() {
        let mut url = url::Url::parse("https://h/x?api-version=7.1&%24top=5").unwrap();
        rewrite_query(&mut url, "7.1");
        assert_eq!(url.query(), Some("$top=5&api-version=7.1"));
    }

    #[test]
    fn a_query_with_the_operations_api_version_later_on_is_left_as_it_is() {
        let mut url = url::Url::parse("https://h/x?continuationToken=a%20b&api-version=7.1").unwrap();
        rewrite_query(&mut url, "7.1");
        assert_eq!(url.query(), Some("continuationToken=a%20b&api-version=7.1"));
    }

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

    #[test]
    fn another_api_version_is_replaced() {
        let mut url = url::Url::parse("https://h/x?api-version=5.0&name=a").unwrap();
        rewrite_query(&mut url, "7.1");
        assert_eq!(url.query(), Some("name=a&api-version=7.1"));
    }

    fn bare(method: &str) -> reqwest::Request {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        reqwest::Request::new(
            method,
            url::Url::parse("https://h/o/p/_apis/x/1?api-version=7.1").unwrap(),
        )
    }

    #[test]
    fn a_bodyless_request_is_replayed_from_its_method_and_url() {
        let replay = Replay::of(&bare("DELETE"));
        assert!(matches!(replay, Replay::Parts { .. }));
        let again = replay.request().unwrap();
        assert_eq!(again.method(), reqwest::Method::DELETE);
        assert_eq!(again.url().as_str(), "https://h/o/p/_apis/x/1?api-version=7.1");
        assert!(again.headers().is_empty());
    }

    #[test]
    fn a_request_with_a_body_is_replayed_whole_even_with_only_stamped_headers() {
        let mut request = bare("PUT");
        *request.body_mut() = Some(reqwest::Body::from("{\"a\":1}"));
        let replay = Replay::of(&request);
        assert!(matches!(replay, Replay::Whole(_)));
        let again = replay.request().unwrap();
        assert_eq!(again.body().and_then(|b| b.as_bytes()), Some(b"{\"a\":1}".as_slice()));
    }

    #[test]
    fn a_request_with_a_header_of_its_own_is_replayed_whole() {
        let mut request = bare("GET");
        request.headers_mut().insert("x-own", HeaderValue::from_static("1"));
        let replay = Replay::of(&request);
        assert!(matches!(replay, Replay::Whole(_)));
        assert_eq!(replay.request().unwrap().headers()["x-own"], "1");
    }

    #[test]
    fn a_request_whose_body_cannot_be_sent_twice_is_not_replayed() {
        let mut request = bare("POST");
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![Ok(Bytes::from_static(b"x"))];
        *request.body_mut() = Some(reqwest::Body::wrap_stream(futures::stream::iter(chunks)));
        let replay = Replay::of(&request);
        assert!(matches!(replay, Replay::Never));
        assert!(replay.request().is_none());
    }

    #[test]
    fn a_request_with_a_method_of_its_own_is_replayed_whole() {
        let replay = Replay::of(&bare("PROPFIND"));
        assert!(matches!(replay, Replay::Whole(_)));
        assert_eq!(replay.request().unwrap().method().as_str(), "PROPFIND");
    }

    fn streamed(chunks: &[&'static [u8]]) -> reqwest::Response {
        let chunks: Vec<Result<Bytes, std::io::Error>> = chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
        let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
        reqwest::Response::from(http::Response::new(body))
    }

    #[tokio::test]
    async fn a_body_in_one_chunk_is_kept_as_it_came() {
        static BODY: &[u8] = b"{\"id\": 7}";
        let body = read_bounded(&mut streamed(&[BODY]), 100).await.unwrap().unwrap();
        assert_eq!(body.as_ptr(), BODY.as_ptr());
    }

    #[tokio::test]
    async fn a_body_in_several_chunks_is_joined_in_order() {
        let mut response = streamed(&[b"", b"{\"id\"", b"", b": 7", b"}"]);
        let body = read_bounded(&mut response, 100).await.unwrap().unwrap();
        assert_eq!(body, b"{\"id\": 7}".as_slice());
    }

    #[tokio::test]
    async fn a_body_that_passes_the_limit_in_a_later_chunk_is_refused() {
        let mut response = streamed(&[b"1234", b"5678", b"9"]);
        assert_eq!(read_bounded(&mut response, 8).await.unwrap(), None);
        let mut response = streamed(&[b"1234", b"5678"]);
        assert_eq!(
            read_bounded(&mut response, 8).await.unwrap().unwrap(),
            b"12345678".as_slice()
        );
    }

    #[tokio::test]
    async fn an_empty_body_reads_as_empty() {
        assert_eq!(
            read_bounded(&mut streamed(&[]), 8).await.unwrap().unwrap(),
            Bytes::new()
        );
    }

    #[test]
    fn logged_urls_have_no_query_or_user_info() {
        let url = url::Url::parse("https://user:pw@h/x?token=secret").unwrap();
        assert_eq!(redacted_url(&url), "https://h/x");
    }
}
