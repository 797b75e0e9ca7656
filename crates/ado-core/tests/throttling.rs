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
    let throttle = AdaptiveThrottle {
        threshold: 0.1,
        max_pause: Duration::from_secs(30),
    };
    let config = builder(&server.org_url(), &sleep).throttle(throttle).build().unwrap();
    let rt = runtime(&config);
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    assert!(sleep.waits().is_empty());
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    let waits = sleep.waits();
    assert_eq!(waits.len(), 1);
    // Ten requests left for about sixty seconds: about six seconds apart.
    assert!(
        waits[0] > Duration::from_secs(5) && waits[0] <= Duration::from_secs(6),
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
