use super::*;

#[test]
fn a_uniform_draw_stays_within_its_ceiling_and_varies() {
    assert_eq!(uniform_up_to(0), 0);
    let draws: Vec<u64> = (0..64).map(|_| uniform_up_to(1_000)).collect();
    assert!(draws.iter().all(|d| *d <= 1_000), "{draws:?}");
    assert!(draws.iter().any(|d| *d != draws[0]), "{draws:?}");
    let _ = uniform_up_to(u64::MAX);
}

fn response(status: u16) -> Outcome<'static> {
    static EMPTY: std::sync::OnceLock<HeaderMap> = std::sync::OnceLock::new();
    Outcome::Response {
        status,
        headers: EMPTY.get_or_init(HeaderMap::new),
    }
}

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
        .collect()
}

#[test]
fn throttling_is_retried_for_every_method() {
    for method in [HttpMethod::Get, HttpMethod::Post, HttpMethod::Patch] {
        assert!(DefaultRetryPolicy.should_retry(method, &response(429)));
    }
}

#[test]
fn unavailable_is_retried_for_idempotent_methods() {
    for method in [HttpMethod::Get, HttpMethod::Put, HttpMethod::Delete] {
        assert!(DefaultRetryPolicy.should_retry(method, &response(503)));
    }
}

#[test]
fn a_write_is_resent_after_503_only_when_the_service_refused_it_with_retry_after() {
    let retry = |pairs: &[(&'static str, &'static str)]| {
        let headers = headers(pairs);
        let outcome = Outcome::Response {
            status: 503,
            headers: &headers,
        };
        [HttpMethod::Post, HttpMethod::Patch].map(|method| DefaultRetryPolicy.should_retry(method, &outcome))
    };
    assert_eq!(retry(&[]), [false, false]);
    assert_eq!(retry(&[("retry-after", "3")]), [true, true]);
    assert_eq!(
        retry(&[("retry-after", "3"), ("x-vss-hostofflineerror", "true")]),
        [false, false]
    );
}

#[test]
fn server_errors_are_retried_only_for_idempotent_methods() {
    for status in [500, 502, 504] {
        assert!(DefaultRetryPolicy.should_retry(HttpMethod::Get, &response(status)));
        assert!(DefaultRetryPolicy.should_retry(HttpMethod::Put, &response(status)));
        assert!(DefaultRetryPolicy.should_retry(HttpMethod::Delete, &response(status)));
        assert!(!DefaultRetryPolicy.should_retry(HttpMethod::Post, &response(status)));
        assert!(!DefaultRetryPolicy.should_retry(HttpMethod::Patch, &response(status)));
    }
}

#[test]
fn client_errors_other_than_429_are_never_retried() {
    for status in [400, 401, 403, 404, 409, 412] {
        assert!(!DefaultRetryPolicy.should_retry(HttpMethod::Get, &response(status)));
    }
}

#[test]
fn a_post_is_resent_only_when_it_never_connected() {
    let connect = Outcome::Transport {
        connect: true,
        timeout: false,
    };
    let reset = Outcome::Transport {
        connect: false,
        timeout: false,
    };
    let timeout = Outcome::Transport {
        connect: false,
        timeout: true,
    };
    assert!(DefaultRetryPolicy.should_retry(HttpMethod::Post, &connect));
    assert!(!DefaultRetryPolicy.should_retry(HttpMethod::Post, &reset));
    assert!(!DefaultRetryPolicy.should_retry(HttpMethod::Post, &timeout));
    assert!(DefaultRetryPolicy.should_retry(HttpMethod::Get, &reset));
    assert!(DefaultRetryPolicy.should_retry(HttpMethod::Get, &timeout));
}

#[test]
fn full_jitter_stays_under_a_capped_exponential_ceiling() {
    let backoff = ExponentialBackoff {
        initial: Duration::from_millis(100),
        max: Duration::from_secs(1),
    };
    assert_eq!(backoff.ceiling(1), Duration::from_millis(100));
    assert_eq!(backoff.ceiling(3), Duration::from_millis(400));
    assert_eq!(backoff.ceiling(10), Duration::from_secs(1));
    for attempt in 1..20 {
        assert!(backoff.delay(attempt) <= backoff.ceiling(attempt));
    }
}

#[test]
fn retry_after_in_seconds_and_as_a_date_and_the_rate_limit_delay_are_read() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", "7".parse().unwrap());
    assert_eq!(server_hint(&headers, now), Some(Duration::from_secs(7)));
    headers.insert(
        "retry-after",
        httpdate::fmt_http_date(now + Duration::from_secs(12)).parse().unwrap(),
    );
    assert_eq!(server_hint(&headers, now), Some(Duration::from_secs(12)));
    headers.insert("x-ratelimit-delay", "20.5".parse().unwrap());
    assert_eq!(server_hint(&headers, now), Some(Duration::from_millis(20_500)));
}

#[test]
fn full_jitter_spreads_over_the_whole_range() {
    let backoff = ExponentialBackoff {
        initial: Duration::from_millis(1000),
        max: Duration::from_secs(10),
    };
    let waits: Vec<Duration> = (0..2000).map(|_| backoff.delay(1)).collect();
    let mean = waits.iter().sum::<Duration>() / waits.len() as u32;
    // Uniform over [0, 1 s]: a mean near 500 ms, and waits in both halves.
    assert!(
        mean > Duration::from_millis(400) && mean < Duration::from_millis(600),
        "{mean:?}"
    );
    assert!(waits.iter().any(|w| *w > Duration::from_millis(900)));
    assert!(waits.iter().any(|w| *w < Duration::from_millis(100)));
}

#[test]
fn a_zero_backoff_waits_nothing() {
    let backoff = ExponentialBackoff {
        initial: Duration::ZERO,
        max: Duration::from_secs(1),
    };
    assert_eq!(backoff.delay(3), Duration::ZERO);
    assert_eq!(ExponentialBackoff::default().ceiling(1), Duration::from_millis(500));
    assert_eq!(ExponentialBackoff::default().ceiling(100), Duration::from_secs(30));
}

#[test]
fn the_larger_hint_wins_and_either_alone_is_used() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let hint = |pairs: &[(&'static str, &'static str)]| server_hint(&headers(pairs), now);
    assert_eq!(hint(&[]), None);
    assert_eq!(hint(&[("retry-after", "3")]), Some(Duration::from_secs(3)));
    assert_eq!(hint(&[("x-ratelimit-delay", "1.5")]), Some(Duration::from_millis(1500)));
    assert_eq!(
        hint(&[("retry-after", "3"), ("x-ratelimit-delay", "1.5")]),
        Some(Duration::from_secs(3))
    );
    assert_eq!(
        hint(&[("retry-after", "1"), ("x-ratelimit-delay", "4.5")]),
        Some(Duration::from_millis(4500))
    );
    // A date in the past asks for no wait.
    assert_eq!(
        hint(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]),
        Some(Duration::ZERO)
    );
}

#[test]
fn seconds_from_the_wire_are_finite_non_negative_and_clamped() {
    assert_eq!(seconds(0.0), Some(Duration::ZERO));
    assert_eq!(seconds(-0.001), None);
    assert_eq!(seconds(f64::NAN), None);
    assert_eq!(seconds(f64::INFINITY), None);
    assert_eq!(seconds(1e300), Some(MAX_SERVER_WAIT));
}

#[test]
fn never_retry_never_retries() {
    assert!(!NeverRetry.should_retry(HttpMethod::Get, &response(503)));
    let connect = Outcome::Transport {
        connect: true,
        timeout: false,
    };
    assert!(!NeverRetry.should_retry(HttpMethod::Get, &connect));
}
