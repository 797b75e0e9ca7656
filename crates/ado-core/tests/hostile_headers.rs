//! Every number a server sends is hostile input: whatever the rate-limit and retry headers say, a
//! call neither panics nor waits longer than the limits allow.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ado_core::retry::{MAX_SERVER_WAIT, server_hint};
use ado_core::throttle::{AdaptiveThrottle, RateLimits, Throttle};
use common::{Canned, RecordingSleep, builder, call, runtime, scripted};
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

const NAMES: [&str; 6] = [
    "retry-after",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-delay",
    "x-ratelimit-resource",
];

/// Header values as a server may write them: numbers of every size and sign, floats, NaN and
/// infinities, HTTP dates, and arbitrary bytes.
fn value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string().into_bytes()),
        any::<i64>().prop_map(|n| n.to_string().into_bytes()),
        any::<f64>().prop_map(|n| n.to_string().into_bytes()),
        any::<f64>().prop_map(|n| format!("{n:e}").into_bytes()),
        prop::sample::select(vec![
            "NaN",
            "inf",
            "-inf",
            "1e30",
            "1e19",
            "-0",
            "1e-320",
            "18446744073709551616"
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        (0u64..253_402_300_799).prop_map(|s| httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(s)).into_bytes()),
        prop::collection::vec(any::<u8>(), 0..40),
    ]
}

fn headers() -> impl Strategy<Value = HeaderMap> {
    prop::collection::vec((prop::sample::select(NAMES.to_vec()), value()), 0..8).prop_map(|pairs| {
        pairs
            .into_iter()
            .filter_map(|(name, value)| Some((name.parse().ok()?, HeaderValue::from_bytes(&value).ok()?)))
            .collect()
    })
}

fn figure() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        -1e3f64..1e3
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_header_values_give_sane_figures_and_hints(headers in headers(), now in 0u64..10_000_000_000) {
        let now = UNIX_EPOCH + Duration::from_secs(now);
        if let Some(limits) = RateLimits::from_headers(&headers) {
            prop_assert!(limits.limit.is_none_or(f64::is_finite));
            prop_assert!(limits.remaining.is_none_or(f64::is_finite));
            prop_assert!(limits.delay.is_none_or(|d| d <= MAX_SERVER_WAIT));
            if let Some(fraction) = limits.fraction_remaining() {
                prop_assert!((0.0..=1.0).contains(&fraction));
            }
            let pause = AdaptiveThrottle::default().pause(&limits, now);
            prop_assert!(pause.is_none_or(|p| p <= Duration::from_secs(10)));
        }
        prop_assert!(server_hint(&headers, now).is_none_or(|h| h <= MAX_SERVER_WAIT));
    }

    #[test]
    fn the_throttle_never_pauses_past_its_maximum_whatever_the_figures(
        limit in figure(),
        remaining in figure(),
        reset in prop::option::of(0u64..u64::MAX / 4),
        threshold in prop_oneof![any::<f64>(), 0.0f64..1.0],
        max_pause_ms in 0u64..100_000,
    ) {
        let limits = RateLimits {
            limit,
            remaining,
            reset: reset.and_then(|s| UNIX_EPOCH.checked_add(Duration::from_secs(s))),
            delay: None,
            resource: None,
        };
        let throttle = AdaptiveThrottle { threshold, max_pause: Duration::from_millis(max_pause_ms) };
        let pause = throttle.pause(&limits, SystemTime::now());
        prop_assert!(pause.is_none_or(|p| p <= throttle.max_pause));
    }
}

#[test]
fn a_reset_beyond_any_sane_time_is_left_out() {
    for reset in ["1e30", "1e19", "-5", "NaN", "inf"] {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from_str(reset).unwrap());
        let limits = RateLimits::from_headers(&headers).unwrap();
        assert_eq!(limits.reset, None, "{reset}");
        assert_eq!(limits.remaining, Some(0.0));
    }
}

#[test]
fn a_huge_retry_after_is_read_as_the_longest_server_wait() {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("18446744073709551615"));
    assert_eq!(server_hint(&headers, SystemTime::now()), Some(MAX_SERVER_WAIT));
    headers.insert("retry-after", HeaderValue::from_static("-3"));
    assert_eq!(server_hint(&headers, SystemTime::now()), None);
}

#[tokio::test]
async fn a_reset_of_1e30_on_an_answer_does_not_panic_the_call_or_the_next() {
    let reset = |value: &str| {
        Canned::json(200, &json!({"id": 1}))
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-limit", "200")
            .header("x-ratelimit-reset", value)
    };
    let server = scripted(vec![reset("1e30"), reset("1e19"), Canned::json(200, &json!({"id": 2}))]).await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep).build().unwrap();
    let rt = runtime(&config);
    for id in [1, 1, 2] {
        let thing = call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
        assert_eq!(thing.value().id, id);
    }
    // No reset time: the empty budget is paced without one, at most the throttle's maximum.
    assert!(
        sleep.waits().iter().all(|w| *w <= Duration::from_secs(10)),
        "{:?}",
        sleep.waits()
    );
}

#[tokio::test]
async fn a_retry_after_of_u64_max_gives_up_at_once_rather_than_overflow() {
    let server = scripted(vec![
        Canned::json(503, &json!({"message": "busy"})).header("retry-after", "18446744073709551615"),
        Canned::json(200, &json!({"id": 1})),
    ])
    .await;
    let sleep = RecordingSleep::default();
    let config = builder(&server.org_url(), &sleep)
        .retry_limits(ado_core::retry::RetryLimits {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(120),
            attempt_timeout: Duration::from_secs(5),
        })
        .build()
        .unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.retry_after(), Some(MAX_SERVER_WAIT));
    assert!(sleep.waits().is_empty());
    assert_eq!(server.received().len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The whole call path, through a real connection: a throttled answer with any headers, then
    /// success. The call succeeds, and no wait passes the longest a server may ask for.
    #[test]
    fn any_headers_on_a_throttled_answer_leave_the_call_sound(headers in headers()) {
        let runtime_ = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime_.block_on(async {
            let mut throttled = Canned::json(429, &json!({"message": "slow down"}));
            for (name, value) in &headers {
                if let Ok(text) = value.to_str() {
                    throttled = throttled.header(name.as_str(), text);
                }
            }
            let server = scripted(vec![throttled, Canned::json(200, &json!({"id": 3}))]).await;
            let sleep = RecordingSleep::default();
            let config = builder(&server.org_url(), &sleep).build().unwrap();
            let rt = runtime(&config);
            let result = call(&rt, "thing_get", "/p/_apis/things/3", None).await;
            // Either retried to success, or (a hint past the time allowed) given up as throttled.
            match result {
                Ok(thing) => assert_eq!(thing.value().id, 3),
                Err(error) => assert!(error.is_throttled(), "{error}"),
            }
            assert!(sleep.waits().iter().all(|w| *w <= MAX_SERVER_WAIT), "{:?}", sleep.waits());
        });
    }
}
