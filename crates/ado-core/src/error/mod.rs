//! One error type for the whole SDK.

use std::fmt;
use std::time::Duration;

/// What went wrong, in broad strokes. Prefer the predicates on [`Error`] (`is_not_found()`, ...);
/// match on the kind when a case needs its own handling.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The service answered with a status that is not success (or with a sign-in page).
    Service,
    /// The request did not get an answer: connection refused or reset, timeout, TLS failure.
    Transport,
    /// The answer arrived but its body does not match the expected shape.
    Decode,
    /// The answer's body is larger than the configured limit; it was not read to the end.
    BodyTooLarge,
    /// No credential could be found or obtained.
    Credentials,
    /// An argument cannot be sent as it is (an empty id, `..` as a path segment, a bad URL).
    InvalidInput,
    /// The PAT lifecycle API reported a failure in its body (`patTokenError` other than `none`);
    /// the value is the code as the service wrote it (at most [`SHORT_TEXT_LIMIT`] bytes).
    PatToken(String),
    /// Paging did not move on: the service sent a continuation token again, or the same page
    /// again, or more pages or items than the configured ceiling allow.
    Paging,
}

mod service;

pub(crate) use service::bounded;
pub use service::{SHORT_TEXT_LIMIT, SNIPPET_LIMIT, ServiceError, TEXT_LIMIT, parse_service_error, snippet, tf_code};

/// The SDK's error: a kind, the HTTP status and service details when there was an answer, and
/// whether another attempt could succeed.
///
/// Its `Display` names the operation, the status, the service's message and the `ActivityId` that
/// Azure DevOps support asks for. No credential ever appears in it.
///
/// ```
/// let err = ado_core::Error::invalid_input("the resource id must not be empty");
/// assert!(!err.is_not_found());
/// assert_eq!(err.to_string(), "invalid input: the resource id must not be empty");
/// ```
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    operation: Option<&'static str>,
    status: Option<u16>,
    service: Option<ServiceError>,
    activity_id: Option<String>,
    retry_after: Option<Duration>,
    signin_redirect: bool,
    timeout: bool,
    connect: bool,
    body: Option<bytes::Bytes>,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

/// `Result` with the SDK's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self(Box::new(Inner {
            kind,
            message: message.into(),
            operation: None,
            status: None,
            service: None,
            activity_id: None,
            retry_after: None,
            signin_redirect: false,
            timeout: false,
            connect: false,
            body: None,
            source: None,
        }))
    }

    /// An argument that cannot be sent.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    /// No credential could be found or obtained.
    pub fn credentials(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Credentials, message)
    }

    /// A PAT lifecycle failure reported in the body of an answer.
    pub fn pat_token(code: impl Into<String>, status: u16) -> Self {
        let code = bounded(&code.into(), SHORT_TEXT_LIMIT);
        let mut err = Self::new(
            ErrorKind::PatToken(code.clone()),
            format!("the PAT lifecycle API reported `{code}`"),
        );
        err.0.status = Some(status);
        err
    }

    pub(crate) fn service(status: u16, service: Option<ServiceError>, message: impl Into<String>) -> Self {
        let mut err = Self::new(ErrorKind::Service, message);
        err.0.status = Some(status);
        err.0.service = service;
        err
    }

    pub(crate) fn transport(source: reqwest::Error) -> Self {
        let timeout = source.is_timeout();
        let connect = source.is_connect();
        let what = if timeout {
            "timed out"
        } else if connect {
            "could not connect"
        } else {
            "the connection failed"
        };
        // Where it tried: host and port only (never the path's ids, the query or user info).
        let to = source
            .url()
            .and_then(|url| Some(format!(" to {}:{}", url.host_str()?, url.port_or_known_default()?)))
            .unwrap_or_default();
        let mut err = Self::new(ErrorKind::Transport, format!("{what}{to}"));
        err.0.timeout = timeout;
        err.0.connect = connect;
        err.0.source = Some(std::sync::Arc::new(source.without_url()));
        err
    }

    pub(crate) fn timed_out(limit: Duration) -> Self {
        let mut err = Self::new(ErrorKind::Transport, format!("no answer within {limit:?}"));
        err.0.timeout = true;
        err
    }

    /// An answer whose body does not match the expected shape. The message may quote the answer,
    /// so it is cut at [`TEXT_LIMIT`] bytes.
    pub fn decode(message: impl Into<String>, status: u16) -> Self {
        let mut err = Self::new(ErrorKind::Decode, bounded(&message.into(), TEXT_LIMIT));
        err.0.status = Some(status);
        err
    }

    pub(crate) fn body_too_large(limit: usize, status: u16) -> Self {
        let mut err = Self::new(
            ErrorKind::BodyTooLarge,
            format!("the answer's body is larger than the limit of {limit} bytes"),
        );
        err.0.status = Some(status);
        err
    }

    pub(crate) fn with_operation(mut self, operation: &'static str) -> Self {
        self.0.operation = Some(operation);
        self
    }

    pub(crate) fn with_activity_id(mut self, activity_id: Option<&str>) -> Self {
        self.0.activity_id = activity_id.map(|id| bounded(id, SHORT_TEXT_LIMIT));
        self
    }

    /// Paging did not move on (see [`ErrorKind::Paging`]).
    pub fn paging(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Paging, message)
    }

    pub(crate) fn with_body(mut self, body: bytes::Bytes) -> Self {
        self.0.body = Some(body);
        self
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.0.retry_after = retry_after;
        self
    }

    pub(crate) fn with_signin_redirect(mut self) -> Self {
        self.0.signin_redirect = true;
        self
    }

    pub(crate) fn with_note(self, note: Option<String>) -> Self {
        match note {
            Some(note) => self.with_hint(note),
            None => self,
        }
    }

    /// Add a sentence of context to the message (kept after the original).
    pub fn with_hint(mut self, hint: impl fmt::Display) -> Self {
        self.0.message = format!("{}; {hint}", self.0.message);
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The operation id (`configurations_get`), when the error came from a call.
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// The service's description of the failure, when the body carried one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        self.0.service.as_ref()
    }

    /// The service's message, `TFnnnnnn:` prefix included.
    pub fn message(&self) -> Option<&str> {
        self.0.service.as_ref().and_then(|s| s.message.as_deref())
    }

    /// The `TFnnnnnn` code of the service's message.
    pub fn tf_code(&self) -> Option<&str> {
        self.0.service.as_ref().and_then(|s| s.code.as_deref())
    }

    /// The exception's short name (`typeKey`).
    pub fn type_key(&self) -> Option<&str> {
        self.0.service.as_ref().and_then(|s| s.type_key.as_deref())
    }

    /// The `ActivityId` response header: quote it to Azure DevOps support.
    pub fn activity_id(&self) -> Option<&str> {
        self.0.activity_id.as_deref()
    }

    /// How long the service asked the caller to wait (`Retry-After`, `X-RateLimit-Delay`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// The whole body of the answer the error came from, as the service sent it (the error's text
    /// quotes at most [`TEXT_LIMIT`] bytes of it).
    pub fn body(&self) -> Option<&[u8]> {
        self.0.body.as_deref()
    }

    /// The PAT lifecycle error code, when the PAT API reported one.
    pub fn pat_token_error(&self) -> Option<&str> {
        match &self.0.kind {
            ErrorKind::PatToken(code) => Some(code),
            _ => None,
        }
    }

    /// 404, or a PAT lookup that found nothing.
    pub fn is_not_found(&self) -> bool {
        self.0.status == Some(404)
            || matches!(&self.0.kind, ErrorKind::PatToken(c) if c == "tokenNotFound" || c == "authorizationNotFound")
    }

    /// Not signed in: 401, the 203 HTML sign-in page, or a redirect to `_signin`.
    pub fn is_unauthorized(&self) -> bool {
        self.0.kind == ErrorKind::Service
            && (self.0.status == Some(401) || self.0.status == Some(203) || self.0.signin_redirect)
    }

    /// 403: signed in, but not allowed.
    pub fn is_forbidden(&self) -> bool {
        self.0.status == Some(403) || matches!(&self.0.kind, ErrorKind::PatToken(c) if c == "accessDenied")
    }

    /// 409.
    pub fn is_conflict(&self) -> bool {
        self.0.status == Some(409)
    }

    /// 429: the service's rate limit was hit (and retries, if any, ran out).
    pub fn is_throttled(&self) -> bool {
        self.0.status == Some(429)
    }

    /// No answer in time.
    pub fn is_timeout(&self) -> bool {
        self.0.timeout
    }

    /// Could not connect at all (the request never reached the service).
    pub fn is_connect(&self) -> bool {
        self.0.connect
    }

    /// Another attempt later could succeed: throttling, service trouble, or no answer.
    pub fn is_transient(&self) -> bool {
        match self.0.kind {
            ErrorKind::Transport => true,
            ErrorKind::Service => matches!(self.0.status, Some(429 | 500 | 502 | 503 | 504)),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = self.0.operation {
            write!(f, "{op}: ")?;
        }
        match &self.0.kind {
            ErrorKind::InvalidInput => write!(f, "invalid input: {}", self.0.message)?,
            ErrorKind::Credentials => write!(f, "credentials: {}", self.0.message)?,
            _ => f.write_str(&self.0.message)?,
        }
        if let Some(message) = self.message()
            && !self.0.message.contains(message)
        {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.0.activity_id {
            write!(f, " (ActivityId: {id})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.0.kind).field("message", &self.0.message);
        if let Some(op) = self.0.operation {
            d.field("operation", &op);
        }
        if let Some(status) = self.0.status {
            d.field("status", &status);
        }
        if let Some(service) = &self.0.service {
            d.field("service", service);
        }
        if let Some(id) = &self.0.activity_id {
            d.field("activity_id", id);
        }
        if let Some(wait) = self.0.retry_after {
            d.field("retry_after", &wait);
        }
        if let Some(body) = &self.0.body {
            d.field("body_bytes", &body.len());
        }
        if let Some(source) = &self.0.source {
            d.field("source", &source.to_string());
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests;
