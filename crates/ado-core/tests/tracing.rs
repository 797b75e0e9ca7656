//! A span per call and per attempt, with the operation, method, URL without query, status,
//! attempts and waits; never a credential.

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

#[tokio::test]
async fn a_call_with_a_retry_is_traced_without_the_query_or_the_credential() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = scripted(vec![Canned::raw(503, ""), Canned::json(200, &json!({"id": 1}))]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    call(
        &runtime(&config),
        "thing_get",
        "/p/_apis/things/1?secretish=value",
        None,
    )
    .await
    .unwrap();

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    let call_close = log
        .lines()
        .find(|l| l.contains("ado.call{") && !l.contains("ado.attempt") && l.contains(" close "))
        .expect("call span closed");
    assert!(call_close.contains("operation=\"thing_get\""), "{call_close}");
    assert!(call_close.contains("method=GET"), "{call_close}");
    assert!(
        call_close.contains(&format!("url={}/p/_apis/things/1", server.org_url())),
        "{call_close}"
    );
    assert!(call_close.contains("status=200"), "{call_close}");
    assert!(call_close.contains("attempts=2"), "{call_close}");
    assert!(call_close.contains("elapsed_ms="), "{call_close}");
    let retry = log.lines().find(|l| l.contains("retrying")).expect("retry event");
    assert!(
        retry.contains("attempt=1") && retry.contains("wait_ms=100") && retry.contains("outcome=status 503"),
        "{retry}"
    );
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("ado.attempt") && l.contains("close"))
            .count(),
        2
    );
    assert!(!log.contains("secretish"), "the query was logged");
    assert!(
        !log.contains("core-test-pat") && !log.contains("OmNvcmUtdGVzdC1wYXQ"),
        "a credential was logged"
    );
    assert!(!log.to_ascii_lowercase().contains("authorization"), "{log}");
}
