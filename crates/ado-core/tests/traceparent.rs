//! With the `opentelemetry` feature, a call made inside a span traced by `tracing-opentelemetry`
//! carries a W3C `traceparent` naming the caller's trace and the call's span; without a trace,
//! none.
#![cfg(feature = "opentelemetry")]

mod common;

use common::{Canned, RecordingSleep, builder, call, runtime, scripted};
use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use serde_json::json;
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;

#[tokio::test]
async fn a_call_inside_a_traced_span_sends_its_trace_context() {
    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder().build();
    let subscriber =
        tracing_subscriber::registry().with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")));
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = scripted(vec![Canned::json(200, &json!({"id": 1}))]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let parent = tracing::info_span!("the caller's work");
    let trace_id = parent.context().span().span_context().trace_id();
    call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .instrument(parent)
        .await
        .unwrap();
    let sent = server.received();
    let traceparent = sent[0]
        .headers
        .get("traceparent")
        .expect("traceparent")
        .to_str()
        .unwrap()
        .to_string();
    let parts: Vec<&str> = traceparent.split('-').collect();
    assert_eq!(parts.len(), 4, "{traceparent}");
    assert_eq!(parts[0], "00");
    assert_eq!(parts[1], format!("{trace_id:032x}"), "the caller's trace");
    assert_eq!(parts[2].len(), 16);
    assert_eq!(parts[3], "01", "sampled");
}

/// With a subscriber that has no OpenTelemetry layer (a callsite a test thread finds without any
/// subscriber is cached as disabled for every thread, so each test here sets one).
#[tokio::test]
async fn a_call_outside_any_trace_sends_none() {
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry());
    let server = scripted(vec![Canned::json(200, &json!({"id": 1}))]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap();
    assert!(server.received()[0].headers.get("traceparent").is_none());
}
