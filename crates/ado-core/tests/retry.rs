//! The retry loop: which outcomes are retried, how long it waits, and when it stops.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use ado_core::retry::{NeverRetry, RetryLimits};
use ado_core::{AccessToken, Credentials, Error, ErrorKind, Secret, TokenProvider};
use common::{Canned, RecordingSleep, builder, call, runtime, scripted};
use futures::future::BoxFuture;
use serde_json::json;

fn ok() -> Canned {
    Canned::json(200, &json!({"id": 7, "name": "seven"}))
}

fn status(code: u16) -> Canned {
    Canned::json(
        code,
        &json!({"message": format!("TF400898: status {code}"), "typeKey": "VssServiceException"}),
    )
}

#[tokio::test]
async fn a_503_then_success_takes_two_attempts_and_one_backoff() {
    let server = scripted(vec![status(503), ok()]).await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).build().unwrap();
    let response = call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap();
    assert_eq!(response.value().name.as_deref(), Some("seven"));
    assert_eq!(server.received().len(), 2);
    assert_eq!(sleep.waits(), vec![Duration::from_millis(100)]);
}

#[tokio::test]
async fn server_errors_are_retried_for_idempotent_methods_only() {
    for (operation, code, attempts) in [
        ("thing_get", 500, 2),
        ("thing_put", 502, 2),
        ("thing_get", 504, 2),
        ("thing_create", 500, 1),
        ("thing_patch", 502, 1),
    ] {
        let server = scripted(vec![status(code), ok()]).await;
        let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
        let result = call(&runtime(&config), operation, "/p/_apis/things/7", Some(json!({}))).await;
        assert_eq!(server.received().len(), attempts, "{operation} {code}");
        assert_eq!(result.is_ok(), attempts == 2, "{operation} {code}");
    }
}

#[tokio::test]
async fn throttling_is_retried_for_a_post_too() {
    let server = scripted(vec![status(429).header("retry-after", "1"), ok()]).await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).build().unwrap();
    call(
        &runtime(&config),
        "thing_create",
        "/p/_apis/things",
        Some(json!({"name": "x"})),
    )
    .await
    .unwrap();
    assert_eq!(sleep.waits(), vec![Duration::from_secs(1)]);
}

#[tokio::test]
async fn other_client_errors_are_never_retried() {
    for code in [400, 403, 404, 409, 412] {
        let server = scripted(vec![status(code), ok()]).await;
        let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
        let err = call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(code));
        assert_eq!(server.received().len(), 1, "{code}");
    }
}

#[tokio::test]
async fn the_servers_hints_are_a_floor_over_the_backoff() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
    let server = scripted(vec![
        status(429).header("retry-after", "7"),
        status(503).header("retry-after", &date),
        status(503).header("x-ratelimit-delay", "2.5"),
        ok(),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).build().unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap();
    let waits = sleep.waits();
    assert_eq!(waits[0], Duration::from_secs(7));
    assert!(
        waits[1] > Duration::from_secs(28) && waits[1] <= Duration::from_secs(30),
        "{waits:?}"
    );
    assert_eq!(waits[2], Duration::from_millis(2500));
}

#[tokio::test]
async fn attempts_are_limited_and_the_last_answer_is_the_error() {
    let server = scripted(vec![status(503), status(503), status(503), status(503), ok()]).await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).build().unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_transient());
    assert_eq!(server.received().len(), 4);
    assert_eq!(
        sleep.waits(),
        vec![
            Duration::from_millis(100),
            Duration::from_millis(200),
            Duration::from_millis(300)
        ]
    );
}

#[tokio::test]
async fn no_retry_starts_past_the_time_limit() {
    let server = scripted(vec![status(429).header("retry-after", "120"), ok()]).await;
    let sleep = RecordingSleep::default();
    let limits = RetryLimits {
        max_attempts: 5,
        max_elapsed: Duration::from_secs(60),
        attempt_timeout: Duration::from_secs(5),
    };
    let config = builder(&server.org_url(), &sleep).retry_limits(limits).build().unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap_err();
    assert!(err.is_throttled());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn a_connect_failure_is_retried_even_for_a_post() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let sleep = RecordingSleep::default();
    let config = builder(&format!("http://127.0.0.1:{port}/fabrikam"), &sleep)
        .build()
        .unwrap();
    let err = call(&runtime(&config), "thing_create", "/p/_apis/things", Some(json!({})))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Transport);
    assert!(err.is_connect() && err.is_transient());
    assert_eq!(sleep.waits().len(), 3);
}

/// A server that accepts connections and never answers; abort the task to stop it.
async fn silent_server() -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            held.push(socket);
        }
    });
    (addr, task)
}

#[tokio::test]
async fn an_attempt_that_takes_too_long_times_out() {
    let (addr, silent) = silent_server().await;
    let sleep = RecordingSleep::default();
    let limits = RetryLimits {
        max_attempts: 2,
        max_elapsed: Duration::from_secs(60),
        attempt_timeout: Duration::from_millis(200),
    };
    let config = builder(&format!("http://{addr}/fabrikam"), &sleep)
        .retry_limits(limits)
        .build()
        .unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(sleep.waits().len(), 1);
    let err = call(&runtime(&config), "thing_create", "/p/_apis/things", Some(json!({})))
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(sleep.waits().len(), 1, "a POST that timed out is not re-sent");
    silent.abort();
}

#[tokio::test]
async fn a_write_that_timed_out_may_have_reached_the_service_and_a_read_or_a_refused_connection_did_not_say_so() {
    let (addr, silent) = silent_server().await;
    let limits = RetryLimits {
        max_attempts: 1,
        max_elapsed: Duration::from_secs(60),
        attempt_timeout: Duration::from_millis(100),
    };
    let config = builder(&format!("http://{addr}/fabrikam"), &RecordingSleep::default())
        .retry_limits(limits)
        .build()
        .unwrap();
    let post = call(&runtime(&config), "thing_create", "/p/_apis/things", Some(json!({})))
        .await
        .unwrap_err();
    assert!(post.is_timeout());
    assert!(
        post.to_string()
            .contains("the POST request may have reached the service"),
        "{post}"
    );
    let get = call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap_err();
    assert!(
        get.is_timeout() && !get.to_string().contains("may have reached"),
        "{get}"
    );
    silent.abort();

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let config = builder(&format!("http://127.0.0.1:{port}/fabrikam"), &RecordingSleep::default())
        .retry_limits(limits)
        .build()
        .unwrap();
    let refused = call(&runtime(&config), "thing_create", "/p/_apis/things", Some(json!({})))
        .await
        .unwrap_err();
    assert!(refused.is_connect());
    assert!(!refused.to_string().contains("may have reached"), "{refused}");
}

#[tokio::test]
async fn a_replaced_retry_policy_is_used() {
    let server = scripted(vec![status(503), ok()]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .retry_policy(NeverRetry)
        .build()
        .unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_retried_get_is_sent_again_with_the_same_method_url_and_headers() {
    let server = scripted(vec![status(503), status(503), ok()]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/7?$top=3", None)
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received.len(), 3);
    for again in &received[1..] {
        assert_eq!(again.method, received[0].method);
        assert_eq!(again.path, received[0].path);
        assert_eq!(again.query, received[0].query);
        assert_eq!(again.headers, received[0].headers);
    }
    assert_eq!(received[0].query.as_deref(), Some("$top=3&api-version=7.1"));
}

#[tokio::test]
async fn a_retried_put_is_sent_again_with_its_body_and_content_type() {
    let server = scripted(vec![status(502), ok()]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let body = json!({"name": "seven", "tags": ["a", "b"]});
    call(&runtime(&config), "thing_put", "/p/_apis/things/7", Some(body.clone()))
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].body, received[0].body);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&received[1].body).unwrap(),
        body
    );
    assert_eq!(received[1].headers, received[0].headers);
    assert_eq!(received[1].headers["content-type"], "application/json");
}

/// Tokens `retry-1`, `retry-2`, ... each already inside the refresh window, so every request
/// asks for a new one.
struct Expiring(Arc<AtomicUsize>);

impl TokenProvider for Expiring {
    fn token(&self) -> BoxFuture<'_, ado_core::Result<AccessToken>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            if n > 2 {
                return Err(Error::credentials("the identity endpoint refused"));
            }
            Ok(AccessToken {
                token: Secret::new(format!("retry-{n}")),
                expires_on: SystemTime::now(),
            })
        })
    }
}

#[tokio::test]
async fn each_retry_carries_credentials_asked_for_afresh() {
    let server = scripted(vec![status(503), ok()]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .credentials(Credentials::provider(Expiring(Default::default())))
        .build()
        .unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap();
    let tokens: Vec<_> = server
        .received()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(tokens, ["Bearer retry-1", "Bearer retry-2"]);
}

#[tokio::test]
async fn credentials_that_fail_before_a_retry_end_the_call_with_a_credentials_error() {
    let server = scripted(vec![status(503), status(503), ok()]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .credentials(Credentials::provider(Expiring(Default::default())))
        .build()
        .unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Credentials);
    assert!(err.to_string().contains("the identity endpoint refused"), "{err}");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_connect_failure_names_the_host_and_port_and_nothing_else() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let config = builder(&format!("http://127.0.0.1:{port}/fabrikam"), &RecordingSleep::default())
        .build()
        .unwrap();
    let err = call(
        &runtime(&config),
        "thing_get",
        "/p/_apis/things/secret-id?token=abc",
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("thing_get: could not connect to 127.0.0.1:{port}")
    );
}

/// The error `operation` ends with against a server that gives `answers` (a body is sent with
/// every method but GET), and how many requests the server received.
async fn failed(operation: &'static str, answers: Vec<Canned>) -> (Error, usize) {
    let server = scripted(answers).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let (path, body) = match operation {
        "thing_get" => ("/p/_apis/things/1", None),
        _ => ("/p/_apis/things", Some(json!({}))),
    };
    let err = call(&runtime(&config), operation, path, body).await.unwrap_err();
    (err, server.received().len())
}

#[tokio::test]
async fn a_post_is_not_resent_after_a_503_that_may_have_come_after_the_work() {
    let (err, received) = failed("thing_create", vec![status(503), ok()]).await;
    assert_eq!(received, 1);
    assert_eq!(err.status(), Some(503));
    assert!(
        err.to_string()
            .contains("the POST request may have reached the service"),
        "{err}"
    );
}

#[tokio::test]
async fn a_post_is_resent_after_a_503_by_which_the_service_refused_it() {
    let server = scripted(vec![status(503).header("retry-after", "2"), ok()]).await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).build().unwrap();
    call(&runtime(&config), "thing_create", "/p/_apis/things", Some(json!({})))
        .await
        .unwrap();
    assert_eq!(server.received().len(), 2);
    assert_eq!(sleep.waits(), vec![Duration::from_secs(2)]);
}

#[tokio::test]
async fn a_post_is_not_resent_when_the_host_is_offline() {
    let offline = status(503)
        .header("retry-after", "2")
        .header("x-vss-hostofflineerror", "true");
    let (err, received) = failed("thing_patch", vec![offline, ok()]).await;
    assert_eq!(received, 1);
    assert!(
        err.to_string()
            .contains("the PATCH request may have reached the service"),
        "{err}"
    );
}

#[tokio::test]
async fn a_refused_post_that_ran_out_of_attempts_does_not_say_it_may_have_acted() {
    let refused = || status(503).header("retry-after", "1");
    let (err, received) = failed("thing_create", vec![refused(), refused(), refused(), refused()]).await;
    assert_eq!(received, 4);
    assert!(!err.to_string().contains("may have reached"), "{err}");
}

#[tokio::test]
async fn every_server_error_after_a_write_says_it_may_have_acted_and_after_a_read_does_not() {
    for code in [500, 502, 504] {
        let (err, _) = failed("thing_create", vec![status(code)]).await;
        assert!(
            err.to_string()
                .contains("the POST request may have reached the service"),
            "{code}: {err}"
        );
    }
    let (err, _) = failed("thing_get", vec![status(500), status(500), status(500), status(500)]).await;
    assert!(!err.to_string().contains("may have reached"), "{err}");
    for code in [400, 404, 409] {
        let (err, _) = failed("thing_create", vec![status(code)]).await;
        assert!(!err.to_string().contains("may have reached"), "{code}: {err}");
    }
}

/// A retry policy that retries everything and records what it was shown.
#[derive(Debug, Default, Clone)]
struct RecordingPolicy(Arc<std::sync::Mutex<Vec<String>>>);

impl ado_core::retry::RetryPolicy for RecordingPolicy {
    fn should_retry(&self, _: ado_core::__private::HttpMethod, outcome: &ado_core::retry::Outcome<'_>) -> bool {
        let seen = match outcome {
            ado_core::retry::Outcome::Response { status, .. } => format!("status {status}"),
            ado_core::retry::Outcome::Transport { connect, timeout } => {
                format!("transport connect={connect} timeout={timeout}")
            }
        };
        self.0.lock().unwrap().push(seen);
        true
    }
}

#[tokio::test]
async fn a_timed_out_attempt_is_shown_to_the_retry_policy_as_a_timeout() {
    let (addr, silent) = silent_server().await;
    let policy = RecordingPolicy::default();
    let config = builder(&format!("http://{addr}/fabrikam"), &RecordingSleep::default())
        .retry_policy(policy.clone())
        .retry_limits(RetryLimits {
            max_attempts: 2,
            max_elapsed: Duration::from_secs(60),
            attempt_timeout: Duration::from_millis(100),
        })
        .build()
        .unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(*policy.0.lock().unwrap(), vec!["transport connect=false timeout=true"]);
    silent.abort();
}

#[tokio::test]
async fn an_attempt_refused_for_its_credentials_is_never_offered_for_a_retry() {
    let server = scripted(vec![ok()]).await;
    let policy = RecordingPolicy::default();
    let asked = Arc::new(AtomicUsize::new(0));
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .credentials(Credentials::provider(Failing(asked.clone())))
        .retry_policy(policy.clone())
        .build()
        .unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/7", None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Credentials);
    assert!(policy.0.lock().unwrap().is_empty());
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    assert!(server.received().is_empty());
}

/// A token provider that always fails, counting how often it was asked.
#[derive(Debug)]
struct Failing(Arc<AtomicUsize>);

impl TokenProvider for Failing {
    fn token(&self) -> BoxFuture<'_, ado_core::Result<AccessToken>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Err(Error::credentials("no token today")) })
    }
}
