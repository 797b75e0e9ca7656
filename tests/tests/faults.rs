//! Faults and hostile answers, bounded in count and time, on loopback only.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ado_core::{Config, Credentials, ErrorKind, Sleep, retry::RetryLimits};
use ado_fake::{Fault, FaultRule};
use ado_policy::PolicyClient;
use common::{Canned, PAT, PROJECT, fake};
use futures::future::BoxFuture;
use serde_json::json;

/// Records every wait the retry loop asks for and returns at once.
#[derive(Debug, Clone, Default)]
struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

fn config(org_url: &str, sleep: RecordingSleep, max_body: Option<usize>) -> Config {
    let mut builder = Config::builder()
        .organization(org_url)
        .credentials(Credentials::pat(PAT))
        .sleep(sleep)
        .retry_limits(RetryLimits {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(600),
            attempt_timeout: Duration::from_secs(10),
        });
    if let Some(limit) = max_body {
        builder = builder.max_body_bytes(limit);
    }
    builder.build().unwrap()
}

#[tokio::test]
async fn a_thousand_gets_through_a_stretch_of_429s_all_succeed_and_never_wait_less_than_asked() {
    let server = fake().await;
    // Bursts of three 429s, one request let through between bursts, 600 429s in all.
    server.inject(FaultRule::new("configurations_get", Fault::Throttle { retry_after: 2 }, 600).in_bursts(3, 1));
    let sleep = RecordingSleep::default();
    let policy = PolicyClient::new(&config(&server.org_url(), sleep.clone(), None));
    let mut successes = 0;
    for _ in 0..1000 {
        let configuration = policy.configurations().get(PROJECT, 17).await.unwrap();
        assert_eq!(configuration.id, Some(17));
        successes += 1;
    }
    assert_eq!(successes, 1000);
    let waits = sleep.0.lock().unwrap().clone();
    assert_eq!(waits.len(), 600);
    assert!(
        waits.iter().all(|w| *w >= Duration::from_secs(2)),
        "a wait was shorter than Retry-After"
    );
    assert_eq!(server.counters().received_count("configurations_get"), 1600);
}

#[tokio::test]
async fn throttling_that_outlasts_the_attempts_is_a_throttled_error_with_retry_after() {
    let server = fake().await;
    server.inject(FaultRule::new(
        "configurations_get",
        Fault::Throttle { retry_after: 3 },
        10,
    ));
    let sleep = RecordingSleep::default();
    let policy = PolicyClient::new(&config(&server.org_url(), sleep.clone(), None));
    let err = policy.configurations().get(PROJECT, 17).await.unwrap_err();
    assert!(err.is_throttled() && err.is_transient());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(err.tf_code(), Some("TF400733"));
    assert_eq!(sleep.0.lock().unwrap().len(), 4);
    assert_eq!(server.counters().received_count("configurations_get"), 5);
}

#[tokio::test]
async fn a_post_whose_connection_breaks_after_it_was_applied_is_not_sent_again() {
    let server = fake().await;
    server.inject(FaultRule::new("configurations_create", Fault::ResetAfterResponse, 1));
    let policy = PolicyClient::new(&config(&server.org_url(), RecordingSleep::default(), None));
    let body = serde_json::from_value(
        json!({"type": {"id": "40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e"}, "settings": {"scope": []}}),
    )
    .unwrap();
    let err = policy.configurations().create(PROJECT, body).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Transport);
    assert!(
        err.to_string().contains("POST request may have reached the service"),
        "{err}"
    );
    assert_eq!(server.counters().received_count("configurations_create"), 1);
    assert_eq!(server.counters().applied_count("configurations_create"), 1);
}

#[tokio::test]
async fn a_patch_during_resets_is_applied_at_most_once_each_time() {
    let server = fake().await;
    server.inject(FaultRule::new(
        "pipeline_permissions_update",
        Fault::ResetAfterResponse,
        5,
    ));
    let pipelines = ado_pipelines::PipelinesClient::new(&config(&server.org_url(), RecordingSleep::default(), None));
    for attempt in 0..5 {
        let change = serde_json::from_value(json!({"pipelines": [{"id": 100 + attempt, "authorized": true}]})).unwrap();
        let err = pipelines
            .pipeline_permissions()
            .update(PROJECT, ado_pipelines::types::ResourceType::Queue, "1", change)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::Transport);
    }
    assert_eq!(server.counters().received_count("pipeline_permissions_update"), 5);
    assert_eq!(server.counters().applied_count("pipeline_permissions_update"), 5);
}

#[tokio::test]
async fn a_get_whose_connection_breaks_is_retried() {
    let server = fake().await;
    server.inject(FaultRule::new("configurations_get", Fault::ResetBeforeResponse, 2));
    let sleep = RecordingSleep::default();
    let policy = PolicyClient::new(&config(&server.org_url(), sleep.clone(), None));
    assert_eq!(policy.configurations().get(PROJECT, 17).await.unwrap().id, Some(17));
    assert_eq!(sleep.0.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_for_a_get_but_not_for_a_post() {
    let server = fake().await;
    server.inject(FaultRule::new("configurations_get", Fault::Status(502), 2));
    server.inject(FaultRule::new("configurations_create", Fault::Status(500), 1));
    let policy = PolicyClient::new(&config(&server.org_url(), RecordingSleep::default(), None));
    assert!(policy.configurations().get(PROJECT, 17).await.is_ok());
    let body = serde_json::from_value(json!({"type": {"id": "40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e"}, "settings": {}}))
        .unwrap();
    let err = policy.configurations().create(PROJECT, body).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.is_transient());
    assert_eq!(server.counters().received_count("configurations_create"), 1);
}

#[tokio::test]
async fn a_sign_in_page_with_203_is_an_unauthorized_error() {
    let server = fake().await;
    server.inject(FaultRule::new("configurations_get", Fault::SignInPage, 1));
    let policy = PolicyClient::new(&config(&server.org_url(), RecordingSleep::default(), None));
    let err = policy.configurations().get(PROJECT, 17).await.unwrap_err();
    assert!(err.is_unauthorized());
    assert_eq!(err.status(), Some(203));
}

#[tokio::test]
async fn a_redirect_to_sign_in_is_an_unauthorized_error() {
    let signin = "https://spsprodcus1.vssps.visualstudio.com/_signin?realm=dev.azure.com";
    let server = common::scripted(vec![Canned::raw(302, "").header("location", signin)]).await;
    let policy = PolicyClient::new(&config(&server.org_url(), RecordingSleep::default(), None));
    let err = policy.configurations().get(PROJECT, 17).await.unwrap_err();
    assert!(err.is_unauthorized());
    assert_eq!(err.status(), Some(302));
}

#[tokio::test]
async fn a_byte_order_marked_json_answer_decodes() {
    let server = fake().await;
    server.inject(FaultRule::new("configurations_get", Fault::ByteOrderMark, 1));
    let policy = PolicyClient::new(&config(&server.org_url(), RecordingSleep::default(), None));
    assert_eq!(policy.configurations().get(PROJECT, 17).await.unwrap().id, Some(17));
}

#[tokio::test]
async fn a_truncated_json_answer_is_a_decode_error_naming_where_it_broke() {
    let server = fake().await;
    server.inject(FaultRule::new("configurations_get", Fault::TruncatedJson, 1));
    let policy = PolicyClient::new(&config(&server.org_url(), RecordingSleep::default(), None));
    let err = policy.configurations().get(PROJECT, 17).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Decode);
    assert!(err.to_string().contains("body starts:"), "{err}");
}

#[tokio::test]
async fn a_malformed_json_answer_is_a_decode_error() {
    let server = fake().await;
    server.inject(FaultRule::new("types_list", Fault::MalformedJson, 1));
    let policy = PolicyClient::new(&config(&server.org_url(), RecordingSleep::default(), None));
    let err = policy.types().list(PROJECT).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Decode);
}

#[tokio::test]
async fn an_answer_of_the_wrong_shape_names_the_json_path() {
    let server = common::scripted(vec![Canned::json(200, &json!({"id": 17, "revision": "two"}))]).await;
    let policy = PolicyClient::new(&config(&server.org_url(), RecordingSleep::default(), None));
    let err = policy.configurations().get(PROJECT, 17).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Decode);
    assert!(err.to_string().contains("at `revision`"), "{err}");
}

#[tokio::test]
async fn a_text_plain_error_becomes_the_message() {
    let server = fake().await;
    let policy = PolicyClient::new(&config(
        &format!("{}/no/such/route", server.base_url()),
        RecordingSleep::default(),
        None,
    ));
    let err = policy.configurations().get(PROJECT, 17).await.unwrap_err();
    assert!(err.is_not_found());
    assert!(err.message().unwrap().starts_with("The controller for path"), "{err}");
}

#[tokio::test]
async fn a_100_mib_answer_stops_at_the_limit_with_a_typed_error() {
    let server = fake().await;
    server.inject(FaultRule::new("types_list", Fault::HugeBody(100 * 1024 * 1024), 1));
    let policy = PolicyClient::new(&config(
        &server.org_url(),
        RecordingSleep::default(),
        Some(4 * 1024 * 1024),
    ));
    let err = policy.types().list(PROJECT).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::BodyTooLarge);
    assert_eq!(err.status(), Some(200));
    assert!(err.to_string().contains("4194304 bytes"), "{err}");
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried_for_a_get() {
    let server = fake().await;
    server.inject(FaultRule::new(
        "configurations_get",
        Fault::Delay(Duration::from_secs(3)),
        1,
    ));
    let config = Config::builder()
        .organization(server.org_url())
        .credentials(Credentials::pat(PAT))
        .sleep(RecordingSleep::default())
        .retry_limits(RetryLimits {
            max_attempts: 2,
            max_elapsed: Duration::from_secs(30),
            attempt_timeout: Duration::from_millis(300),
        })
        .build()
        .unwrap();
    let policy = PolicyClient::new(&config);
    assert_eq!(policy.configurations().get(PROJECT, 17).await.unwrap().id, Some(17));
}
