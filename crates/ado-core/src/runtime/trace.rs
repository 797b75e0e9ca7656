//! The `tracing` spans of a call and of each attempt.

use crate::retry::Outcome;
use crate::{ErrorKind, RawResponse, Result};

/// The span of a call, its fields named after OpenTelemetry's HTTP client conventions (with
/// `otel.kind` for `tracing-opentelemetry`) plus the operation and the service's ActivityId.
pub(super) fn call_span(request: &reqwest::Request, operation_id: &'static str) -> tracing::Span {
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
pub(super) fn attempt_span(attempt: u32) -> tracing::Span {
    tracing::debug_span!(
        "ado.attempt",
        otel.kind = "client",
        attempt,
        http.request.resend_count = attempt.saturating_sub(1),
        http.response.status_code = tracing::field::Empty,
    )
}

/// Record how the call ended on its span: the status, the resends, what went wrong (the status
/// code from 400 on; else `timeout`, `connect`, `transport`, `credentials` or `body_too_large`),
/// the ActivityId.
pub(super) fn finished(attempts: u32, started: tokio::time::Instant, result: &Result<RawResponse>) {
    let span = tracing::Span::current();
    match result {
        Ok(answer) => {
            span.record("http.response.status_code", answer.status);
            if answer.status >= 400 {
                span.record("error.type", answer.status.to_string());
            }
            if let Some(activity) = crate::response::header(&answer.headers, "activityid") {
                span.record(
                    "ado.activity_id",
                    crate::error::bounded(activity, crate::SHORT_TEXT_LIMIT).as_str(),
                );
            }
        }
        Err(error) => {
            // A body past its limit came with a status and an ActivityId of its own.
            if let Some(status) = error.status() {
                span.record("http.response.status_code", status);
            }
            if let Some(activity) = error.activity_id() {
                span.record("ado.activity_id", activity);
            }
            let kind = match error.kind() {
                ErrorKind::Transport if error.is_timeout() => "timeout",
                ErrorKind::Transport if error.is_connect() => "connect",
                ErrorKind::Transport => "transport",
                ErrorKind::Credentials => "credentials",
                ErrorKind::BodyTooLarge => "body_too_large",
                _ => "error",
            };
            span.record("error.type", kind);
        }
    }
    span.record("http.request.resend_count", attempts.saturating_sub(1));
    span.record("ado.elapsed_ms", started.elapsed().as_millis() as u64);
}

pub(super) fn describe(outcome: &Outcome<'_>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn logged_urls_have_no_query_or_user_info() {
        let url = url::Url::parse("https://user:pw@h/x?token=secret").unwrap();
        assert_eq!(redacted_url(&url), "https://h/x");
    }
}
