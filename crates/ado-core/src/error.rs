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

/// The service's own description of a failure, parsed from the error body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceError {
    /// The message, `TFnnnnnn:` prefix included.
    pub message: Option<String>,
    /// The `TFnnnnnn` code at the start of the message.
    pub code: Option<String>,
    /// The exception's short name, such as `PolicyConfigurationNotFoundException`.
    pub type_key: Option<String>,
    /// The exception's full .NET type name.
    pub type_name: Option<String>,
    /// The numeric error code.
    pub error_code: Option<i64>,
    /// The event id.
    pub event_id: Option<i64>,
}

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

/// The longest part of a body quoted in an error.
pub const SNIPPET_LIMIT: usize = 256;

/// The longest piece of the service's text (its message) kept in an error; the rest is cut, with a
/// marker that says how much. [`Error::body`] keeps the whole answer.
pub const TEXT_LIMIT: usize = 1024;

/// The longest short field from the service kept in an error: codes, type names, `ActivityId`.
pub const SHORT_TEXT_LIMIT: usize = 256;

/// The start of a body, as text, for an error message: at most [`SNIPPET_LIMIT`] bytes.
pub fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(SNIPPET_LIMIT)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if body.len() > SNIPPET_LIMIT {
        text.push('…');
    }
    text
}

/// `text` cut to at most `limit` bytes (at a character boundary), followed by a marker naming how
/// many bytes were cut when any were.
pub(crate) fn bounded(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…[{} more bytes]", &text[..end], text.len() - end)
}

/// Parse an error body in any of the shapes the service uses: JSON (with or without a byte-order
/// mark), plain text, or nothing.
pub fn parse_service_error(body: &[u8]) -> Option<ServiceError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.starts_with(b"{")
        && let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(trimmed)
    {
        let text = |key: &str, limit| map.get(key).and_then(|v| v.as_str()).map(|v| bounded(v, limit));
        let number = |key: &str| map.get(key).and_then(|v| v.as_i64());
        let message = text("message", TEXT_LIMIT);
        return Some(ServiceError {
            code: message.as_deref().and_then(tf_code),
            message,
            type_key: text("typeKey", SHORT_TEXT_LIMIT),
            type_name: text("typeName", SHORT_TEXT_LIMIT),
            error_code: number("errorCode"),
            event_id: number("eventId"),
        });
    }
    if trimmed.starts_with(b"<") {
        // An HTML page (a sign-in page or a proxy's error page) says nothing useful.
        return None;
    }
    let message = snippet(trimmed);
    Some(ServiceError {
        code: tf_code(&message),
        message: Some(message),
        ..Default::default()
    })
}

/// The `TFnnnnnn` at the start of a message.
pub fn tf_code(message: &str) -> Option<String> {
    let rest = message.strip_prefix("TF")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty() && rest[digits.len()..].starts_with(':')).then(|| format!("TF{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_error_body_with_a_byte_order_mark_is_parsed() {
        let body = b"\xEF\xBB\xBF{\"$id\":\"1\",\"innerException\":null,\"message\":\"TF401019: The Git repository does not exist.\",\"typeName\":\"Microsoft.TeamFoundation.Git.Server.GitRepositoryNotFoundException, Microsoft.TeamFoundation.Git.Server\",\"typeKey\":\"GitRepositoryNotFoundException\",\"errorCode\":0,\"eventId\":3000}";
        let parsed = parse_service_error(body).unwrap();
        assert_eq!(parsed.code.as_deref(), Some("TF401019"));
        assert_eq!(parsed.type_key.as_deref(), Some("GitRepositoryNotFoundException"));
        assert_eq!(parsed.error_code, Some(0));
        assert_eq!(parsed.event_id, Some(3000));
    }

    #[test]
    fn a_plain_text_error_body_becomes_the_message() {
        let parsed = parse_service_error(b"The controller for path '/x' was not found.").unwrap();
        assert_eq!(
            parsed.message.as_deref(),
            Some("The controller for path '/x' was not found.")
        );
        assert_eq!(parsed.code, None);
    }

    #[test]
    fn an_empty_or_html_body_has_no_service_error() {
        assert_eq!(parse_service_error(b""), None);
        assert_eq!(parse_service_error(b"<html><body>Sign in</body></html>"), None);
    }

    #[test]
    fn a_snippet_of_a_huge_body_is_bounded() {
        let body = vec![b'x'; 10_000];
        let text = snippet(&body);
        assert_eq!(text.len(), SNIPPET_LIMIT + '…'.len_utf8());
    }

    #[test]
    fn the_tf_code_needs_digits_and_a_colon() {
        assert_eq!(tf_code("TF400813: Unauthorized").as_deref(), Some("TF400813"));
        assert_eq!(tf_code("TFS is down"), None);
    }

    /// Which predicates hold for a service error with `status`, in the order of the tuple.
    fn predicates(status: u16) -> [bool; 7] {
        let e = Error::service(status, None, "x");
        [
            e.is_not_found(),
            e.is_unauthorized(),
            e.is_forbidden(),
            e.is_conflict(),
            e.is_throttled(),
            e.is_transient(),
            e.is_timeout() || e.is_connect(),
        ]
    }

    #[test]
    fn each_predicate_holds_for_its_own_statuses_and_no_other() {
        let t = true;
        let f = false;
        for (status, expected) in [
            (200, [f, f, f, f, f, f, f]),
            (203, [f, t, f, f, f, f, f]),
            (400, [f, f, f, f, f, f, f]),
            (401, [f, t, f, f, f, f, f]),
            (403, [f, f, t, f, f, f, f]),
            (404, [t, f, f, f, f, f, f]),
            (409, [f, f, f, t, f, f, f]),
            (429, [f, f, f, f, t, t, f]),
            (500, [f, f, f, f, f, t, f]),
            (501, [f, f, f, f, f, f, f]),
            (502, [f, f, f, f, f, t, f]),
            (503, [f, f, f, f, f, t, f]),
            (504, [f, f, f, f, f, t, f]),
        ] {
            assert_eq!(predicates(status), expected, "{status}");
        }
    }

    #[test]
    fn a_pat_lookup_that_found_nothing_is_not_found_and_a_denied_one_is_forbidden() {
        for (code, not_found, forbidden) in [
            ("tokenNotFound", true, false),
            ("authorizationNotFound", true, false),
            ("accessDenied", false, true),
            ("invalidScope", false, false),
        ] {
            let e = Error::pat_token(code, 200);
            assert_eq!((e.is_not_found(), e.is_forbidden()), (not_found, forbidden), "{code}");
            assert_eq!(e.pat_token_error(), Some(code));
            assert!(!e.is_unauthorized() && !e.is_transient());
        }
        assert_eq!(Error::invalid_input("x").pat_token_error(), None);
    }

    #[test]
    fn only_a_service_answer_can_be_unauthorized() {
        let mut e = Error::decode("x", 401);
        assert!(!e.is_unauthorized());
        e = Error::service(302, None, "x").with_signin_redirect();
        assert!(e.is_unauthorized());
        assert!(!Error::service(302, None, "x").is_unauthorized());
    }

    #[test]
    fn timeouts_and_connect_failures_are_transient_and_say_which() {
        let timeout = Error::timed_out(Duration::from_secs(3));
        assert!(timeout.is_timeout() && !timeout.is_connect() && timeout.is_transient());
        assert_eq!(timeout.to_string(), "no answer within 3s");
        assert!(!Error::invalid_input("x").is_transient());
        assert!(!Error::credentials("x").is_transient());
        assert!(!Error::decode("x", 200).is_transient());
    }

    #[test]
    fn the_debug_text_names_every_field_that_is_set_and_no_other() {
        let e = Error::service(
            404,
            parse_service_error(b"{\"message\":\"TF1: gone\"}"),
            "404 Not Found",
        )
        .with_operation("things_get")
        .with_activity_id(Some("act-1"))
        .with_retry_after(Some(Duration::from_secs(2)))
        .with_body(bytes::Bytes::from_static(b"{}"));
        assert_eq!(
            format!("{e:?}"),
            "Error { kind: Service, message: \"404 Not Found\", operation: \"things_get\", status: 404, \
             service: ServiceError { message: Some(\"TF1: gone\"), code: Some(\"TF1\"), type_key: None, \
             type_name: None, error_code: None, event_id: None }, activity_id: \"act-1\", retry_after: 2s, body_bytes: 2 }"
        );
        assert_eq!(
            format!("{:?}", Error::invalid_input("bad")),
            "Error { kind: InvalidInput, message: \"bad\" }"
        );
    }

    #[test]
    fn the_display_names_operation_kind_message_and_activity_id() {
        let e = Error::service(
            404,
            parse_service_error(b"{\"message\":\"TF1: gone\"}"),
            "404 Not Found",
        )
        .with_operation("things_get")
        .with_activity_id(Some("act-1"));
        assert_eq!(
            e.to_string(),
            "things_get: 404 Not Found: TF1: gone (ActivityId: act-1)"
        );
        assert_eq!(Error::credentials("none").to_string(), "credentials: none");
        assert_eq!(e.tf_code(), Some("TF1"));
        assert_eq!(e.message(), Some("TF1: gone"));
        assert_eq!(e.activity_id(), Some("act-1"));
        assert_eq!(e.operation(), Some("things_get"));
    }

    #[test]
    fn a_snippet_is_cut_only_past_the_limit() {
        assert_eq!(snippet(&[b'a'; SNIPPET_LIMIT]), "a".repeat(SNIPPET_LIMIT));
        assert_eq!(
            snippet(&[b'a'; SNIPPET_LIMIT + 1]),
            format!("{}…", "a".repeat(SNIPPET_LIMIT))
        );
    }

    #[test]
    fn bounded_text_at_the_limit_is_kept_whole() {
        assert_eq!(bounded("abc", 3), "abc");
        assert_eq!(bounded("abcd", 3), "abc…[1 more bytes]");
    }

    #[test]
    fn a_tf_code_is_only_tf_digits_and_a_colon_at_the_start() {
        assert_eq!(tf_code("TF:"), None);
        assert_eq!(tf_code("TF12 no colon"), None);
        assert_eq!(tf_code("XTF12: x"), None);
        assert_eq!(tf_code("TF12a: x"), None);
        assert_eq!(tf_code("TF0:").as_deref(), Some("TF0"));
    }

    #[test]
    fn a_json_error_without_a_message_has_no_code() {
        let parsed = parse_service_error(b"{\"typeKey\":\"K\",\"errorCode\":5}").unwrap();
        assert_eq!(parsed.message, None);
        assert_eq!(parsed.code, None);
        assert_eq!(parsed.type_key.as_deref(), Some("K"));
        assert_eq!(parsed.error_code, Some(5));
        // A JSON body that is not an object is read as text.
        let text = parse_service_error(b"[1]").unwrap();
        assert_eq!(text.message.as_deref(), Some("[1]"));
    }

    #[test]
    fn the_source_of_an_error_is_the_cause_it_was_made_from() {
        use std::error::Error as _;
        assert!(Error::invalid_input("x").source().is_none());
        let mut e = Error::invalid_input("x");
        e.0.source = Some(std::sync::Arc::new(std::io::Error::other("underneath")));
        assert_eq!(e.source().map(|s| s.to_string()).as_deref(), Some("underneath"));
    }

    #[test]
    fn bounded_text_cut_inside_a_character_moves_back_to_its_start() {
        assert_eq!(bounded("aé", 2), "a…[2 more bytes]");
        assert_eq!(bounded("aéb", 3), "aé…[1 more bytes]");
    }

    #[test]
    fn an_invalid_input_error_says_so() {
        assert_eq!(Error::invalid_input("empty id").to_string(), "invalid input: empty id");
    }

    #[test]
    fn a_plain_text_error_with_a_tf_code_has_it() {
        let parsed = parse_service_error(b"TF400813: The user is not authorized.").unwrap();
        assert_eq!(parsed.code.as_deref(), Some("TF400813"));
    }

    #[test]
    fn the_service_error_is_kept_whole() {
        let service = parse_service_error(b"{\"message\":\"TF2: x\",\"typeName\":\"N\",\"eventId\":3}");
        let e = Error::service(400, service.clone(), "400 Bad Request");
        assert_eq!(e.service_error(), service.as_ref());
        assert_eq!(e.service_error().and_then(|s| s.type_name.as_deref()), Some("N"));
        assert_eq!(Error::invalid_input("x").service_error(), None);
    }
}
