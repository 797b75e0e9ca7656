//! A span per call and per attempt, its fields named after OpenTelemetry's HTTP client
//! conventions (method, URL without query, server, status, resends, error type) plus the
//! operation and the ActivityId; never a credential.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Canned, RecordingSleep, builder, call, runtime, scripted};
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Run `calls` under a subscriber and return what it wrote.
async fn traced<F: std::future::Future<Output = ()>>(calls: F) -> String {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    calls.await;
    String::from_utf8(capture.0.lock().unwrap().clone()).unwrap()
}

/// The line that closes the call's span.
fn call_closed(log: &str) -> &str {
    log.lines()
        .find(|l| l.contains("ado.call{") && !l.contains("ado.attempt") && l.contains(" close "))
        .expect("call span closed")
}

#[tokio::test]
async fn a_call_with_a_retry_is_traced_without_the_query_or_the_credential() {
    let server = scripted(vec![
        Canned::raw(503, ""),
        Canned::json(200, &json!({"id": 1})).header("ActivityId", "5f1b9c2e-0000-4000-8000-000000000001"),
    ])
    .await;
    let log = traced(async {
        let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
        call(
            &runtime(&config),
            "thing_get",
            "/p/_apis/things/1?secretish=value",
            None,
        )
        .await
        .unwrap();
    })
    .await;
    let closed = call_closed(&log);
    let address = server.org_url().replace("http://", "");
    let (host, port) = address.split_once(':').unwrap();
    let port = port.split('/').next().unwrap();
    for field in [
        "otel.kind=\"client\"".to_string(),
        "ado.operation=\"thing_get\"".to_string(),
        "http.request.method=GET".to_string(),
        format!("url.full={}/p/_apis/things/1 ", server.org_url()),
        format!("server.address=\"{host}\""),
        format!("server.port={port}"),
        "http.response.status_code=200".to_string(),
        "http.request.resend_count=1".to_string(),
        "ado.activity_id=\"5f1b9c2e-0000-4000-8000-000000000001\"".to_string(),
        "ado.elapsed_ms=".to_string(),
    ] {
        assert!(closed.contains(&field), "{field} in {closed}");
    }
    assert!(!closed.contains("error.type"), "{closed}");
    let retry = log.lines().find(|l| l.contains("retrying")).expect("retry event");
    assert!(
        retry.contains("attempt=1") && retry.contains("wait_ms=100") && retry.contains("outcome=status 503"),
        "{retry}"
    );
    let attempts: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("ado.attempt{") && l.contains(" close "))
        .collect();
    assert_eq!(attempts.len(), 2);
    assert!(
        attempts[0].contains("http.request.resend_count=0") && attempts[0].contains("http.response.status_code=503")
    );
    assert!(
        attempts[1].contains("http.request.resend_count=1") && attempts[1].contains("http.response.status_code=200")
    );
    assert!(!log.contains("secretish"), "the query was logged");
    assert!(
        !log.contains("core-test-pat") && !log.contains("OmNvcmUtdGVzdC1wYXQ"),
        "a credential was logged"
    );
    assert!(!log.to_ascii_lowercase().contains("authorization"), "{log}");
}

#[tokio::test]
async fn a_failed_call_names_its_status_as_the_error_type() {
    let server = scripted(vec![Canned::json(
        404,
        &json!({"message": "TF401141: gone", "typeKey": "X"}),
    )])
    .await;
    let log = traced(async {
        let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
        let _ = call(&runtime(&config), "thing_get", "/p/_apis/things/1", None).await;
    })
    .await;
    let closed = call_closed(&log);
    assert!(closed.contains("http.response.status_code=404"), "{closed}");
    assert!(closed.contains("error.type=\"404\""), "{closed}");
    assert!(closed.contains("http.request.resend_count=0"), "{closed}");
}

#[tokio::test]
async fn a_call_that_cannot_connect_names_connect_as_the_error_type() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = traced(async {
        let config = builder(&format!("http://127.0.0.1:{port}/fabrikam"), &RecordingSleep::default())
            .build()
            .unwrap();
        let _ = call(&runtime(&config), "thing_get", "/p/_apis/things/1", None).await;
    })
    .await;
    let closed = call_closed(&log);
    assert!(closed.contains("error.type=\"connect\""), "{closed}");
    assert!(!closed.contains("http.response.status_code"), "{closed}");
}
