//! W3C `traceparent` for the service (feature `opentelemetry`): when the application traces with
//! `tracing-opentelemetry`, each request carries the call span's trace context, so the service's
//! side of a call joins the caller's trace.

use opentelemetry::trace::TraceContextExt;
use reqwest::header::{HeaderMap, HeaderValue};
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// Put `traceparent: 00-{trace id}-{span id}-{flags}` for `span` into `headers`, when the span
/// has an OpenTelemetry context (nothing otherwise).
pub(crate) fn put_traceparent(span: &tracing::Span, headers: &mut HeaderMap) {
    let context = span.context();
    let span_context = context.span().span_context().clone();
    if !span_context.is_valid() {
        return;
    }
    let text = format!(
        "00-{:032x}-{:016x}-{:02x}",
        span_context.trace_id(),
        span_context.span_id(),
        span_context.trace_flags()
    );
    if let Ok(value) = HeaderValue::from_str(&text) {
        headers.insert("traceparent", value);
    }
}
