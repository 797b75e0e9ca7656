//! Slowing down before the service blocks, and the rate-limit figures callers can read.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ado_core::throttle::{AdaptiveThrottle, NoThrottle};
use common::{Canned, RecordingSleep, builder, call, runtime, scripted};
use serde_json::json;

fn ok_with_budget(remaining: u32, reset_in: u64) -> Canned {
    let reset = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + reset_in;
    Canned::json(200, &json!({"id": 1}))
        .header("x-ratelimit-resource", "Core")
        .header("x-ratelimit-limit", "200")
        .header("x-ratelimit-remaining", &remaining.to_string())
        .header("x-ratelimit-reset", &reset.to_string())
}

/// A configuration that paces once a tenth of the budget is left, for up to 30 s.
fn paced(org_url: &str, sleep: &RecordingSleep) -> ado_core::Config {
    let throttle = AdaptiveThrottle {
        threshold: 0.1,
        max_pause: Duration::from_secs(30),
    };
    builder(org_url, sleep).throttle(throttle).build().unwrap()
}

#[tokio::test]
async fn the_latest_figures_are_exposed() {
    let server = scripted(vec![ok_with_budget(150, 300)]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    assert_eq!(config.rate_limits(), None);
    call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap();
    let limits = config.rate_limits().unwrap();
    assert_eq!((limits.limit, limits.remaining), (Some(200.0), Some(150.0)));
    assert_eq!(limits.resource.as_deref(), Some("Core"));
}

#[tokio::test]
async fn plenty_of_budget_means_no_pause() {
    let server = scripted(vec![ok_with_budget(150, 300), ok_with_budget(149, 300)]).await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).build().unwrap();
    let rt = runtime(&config);
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn a_low_budget_slows_the_next_call_before_the_service_blocks() {
    let server = scripted(vec![ok_with_budget(10, 60), ok_with_budget(9, 59)]).await;
    let sleep = RecordingSleep::default();
    let config = paced(&server.org_url(), &sleep);
    let rt = runtime(&config);
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    assert!(sleep.waits().is_empty());
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    let waits = sleep.waits();
    assert_eq!(waits.len(), 1);
    // A budget of 200 comes back over about sixty seconds: 300 ms a request, the pace the next
    // call keeps (ten left is above this throttle's reserve of five).
    assert!(
        waits[0] > Duration::from_millis(290) && waits[0] <= Duration::from_millis(300),
        "{waits:?}"
    );
}

#[tokio::test]
async fn the_throttle_can_be_turned_off() {
    let server = scripted(vec![ok_with_budget(1, 60), ok_with_budget(0, 60)]).await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).throttle(NoThrottle).build().unwrap();
    let rt = runtime(&config);
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    assert!(sleep.waits().is_empty());
}

fn throttled(retry_after: &str, reset_in: u64) -> Canned {
    let reset = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + reset_in;
    Canned::json(429, &json!({"message": "TF400733: throttled"}))
        .header("retry-after", retry_after)
        .header("x-ratelimit-resource", "Core")
        .header("x-ratelimit-limit", "200")
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset", &reset.to_string())
}

/// A storm of `calls` sequential calls whose first answer is a 429 with figures, the rest `ok`;
/// the waits it took.
async fn storm(calls: usize, ok: impl Fn() -> Canned) -> Vec<Duration> {
    let mut answers = vec![throttled("1", 60)];
    answers.extend((0..calls).map(|_| ok()));
    let server = scripted(answers).await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).build().unwrap();
    let rt = runtime(&config);
    for _ in 0..calls {
        call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    }
    sleep.waits()
}

#[tokio::test]
async fn a_storm_where_only_the_429_carries_figures_is_as_fast_as_one_with_healthy_figures() {
    let without = storm(1000, || Canned::json(200, &json!({"id": 1}))).await;
    let with = storm(1000, || ok_with_budget(150, 300)).await;
    // The wait the 429 asked for, then the retry paced by the 429's own figures (nothing left
    // of 200 over a minute: 300 ms a request, 12.5 times slower under the reserve), and no
    // other: the answer to the retry clears the figures, so no later call is slowed by them.
    for waits in [without, with] {
        assert_eq!(waits.len(), 2, "{waits:?}");
        assert_eq!(waits[0], Duration::from_secs(1));
        assert!(
            waits[1] > Duration::from_millis(3600) && waits[1] <= Duration::from_millis(3750),
            "{waits:?}"
        );
    }
}

#[tokio::test]
async fn an_answer_without_figures_to_a_later_request_means_the_budget_is_healthy() {
    let server = scripted(vec![ok_with_budget(0, 60), Canned::json(200, &json!({"id": 1}))]).await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).build().unwrap();
    let rt = runtime(&config);
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    assert_eq!(config.rate_limits().unwrap().remaining, Some(0.0));
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    assert_eq!(config.rate_limits(), None);
    // The second call was paced by the figures the first brought.
    assert_eq!(sleep.waits().len(), 1);
}

#[tokio::test]
async fn figures_expire_at_their_reset_time() {
    let server = scripted(vec![ok_with_budget(0, 0)]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap();
    // Reset "now" (whole seconds): over within a second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(config.rate_limits(), None);
}

#[tokio::test]
async fn figures_expire_after_the_services_five_minute_window() {
    let server = scripted(vec![ok_with_budget(0, 3600)]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap();
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(299)).await;
    assert!(config.rate_limits().is_some());
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(config.rate_limits(), None);
}

#[tokio::test]
async fn a_retry_waits_its_backoff_and_is_paced_like_every_attempt() {
    let failed = ok_with_budget(10, 60);
    let failed = Canned { status: 500, ..failed };
    let server = scripted(vec![
        ok_with_budget(10, 60),
        failed,
        Canned::json(200, &json!({"id": 1})),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let config = paced(&server.org_url(), &sleep);
    let rt = runtime(&config);
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    let waits = sleep.waits();
    // The pace before the second call (300 ms a request), then its retry: the 100 ms backoff
    // for the 500, and the pace again, as before every attempt while the budget is low.
    assert_eq!(waits.len(), 3, "{waits:?}");
    assert_eq!(waits[1], Duration::from_millis(100));
    for pace in [waits[0], waits[2]] {
        assert!(
            pace > Duration::from_millis(290) && pace <= Duration::from_millis(300),
            "{waits:?}"
        );
    }
}

/// A server whose first answer reports `remaining` of 200 left, and which holds every later
/// request until `release` is notified; the count of requests it has received.
async fn holding_server(
    remaining: u32,
    release: std::sync::Arc<tokio::sync::Notify>,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let received = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = received.clone();
    let app = axum::Router::new().fallback(move || {
        let (counted, release) = (counted.clone(), release.clone());
        async move {
            let reset = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 60;
            if counted.fetch_add(1, Ordering::SeqCst) > 0 {
                release.notified().await;
            }
            (
                [
                    ("content-type", "application/json".to_string()),
                    ("x-ratelimit-limit", "200".to_string()),
                    ("x-ratelimit-remaining", remaining.to_string()),
                    ("x-ratelimit-reset", reset.to_string()),
                ],
                r#"{"id": 1}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/fabrikam"), received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_flight_count_against_the_budget_the_figures_report() {
    use std::sync::atomic::Ordering;
    let release = std::sync::Arc::new(tokio::sync::Notify::new());
    // 60 of 200 left: above the default quarter (50), so no pause by the figures alone.
    let (org_url, received) = holding_server(60, release.clone()).await;
    let sleep = RecordingSleep::default();
    let config = builder(&org_url, &sleep).build().unwrap();
    let rt = runtime(&config);
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    let wait_for = |n: usize| {
        let received = received.clone();
        async move {
            while received.load(Ordering::SeqCst) < n {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    };
    // Ten calls held in flight, one after another: each starts with at most nine others in
    // flight, so more than a quarter is left for each.
    let mut held = Vec::new();
    for sent in 0..10 {
        let rt = rt.clone();
        held.push(tokio::spawn(async move {
            call(&rt, "thing_get", "/p/_apis/things/1", None).await
        }));
        wait_for(2 + sent).await;
    }
    assert!(sleep.waits().is_empty(), "{:?}", sleep.waits());
    // With ten in flight, 50 of 200 are left in truth: a quarter, where pacing starts.
    let rt_next = rt.clone();
    held.push(tokio::spawn(async move {
        call(&rt_next, "thing_get", "/p/_apis/things/1", None).await
    }));
    wait_for(12).await;
    assert_eq!(sleep.waits().len(), 1, "the call after ten in flight was paced");
    release.notify_waiters();
    for call in held {
        call.await.unwrap().unwrap();
    }
}
