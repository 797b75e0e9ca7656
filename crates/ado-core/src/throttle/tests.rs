use super::*;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
        .collect()
}

#[test]
fn the_figures_are_read_from_the_headers() {
    let limits = RateLimits::from_headers(&headers(&[
        ("x-ratelimit-limit", "200"),
        ("x-ratelimit-remaining", "15.5"),
        ("x-ratelimit-reset", "1700000300"),
        ("x-ratelimit-resource", "ATCPU"),
    ]))
    .unwrap();
    assert_eq!(limits.limit, Some(200.0));
    assert_eq!(limits.remaining, Some(15.5));
    assert_eq!(
        limits.reset,
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_300))
    );
    assert_eq!(limits.resource.as_deref(), Some("ATCPU"));
    assert_eq!(RateLimits::from_headers(&HeaderMap::new()), None);
}

#[test]
fn plenty_of_budget_means_no_pause() {
    let limits = RateLimits {
        limit: Some(200.0),
        remaining: Some(150.0),
        reset: None,
        delay: None,
        resource: None,
    };
    assert_eq!(AdaptiveThrottle::default().pause(&limits, SystemTime::now()), None);
}

#[test]
fn a_low_budget_is_spent_at_the_pace_it_comes_back_and_slower_under_the_reserve() {
    // 200 per a window that ends in 20 s: it comes back at one per 100 ms. The default threshold
    // is a quarter, the reserve a sixteenth (12.5 requests).
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
    let at = |remaining: f64| RateLimits {
        limit: Some(200.0),
        remaining: Some(remaining),
        reset: Some(now + Duration::from_secs(20)),
        delay: None,
        resource: None,
    };
    let throttle = AdaptiveThrottle::default();
    assert_eq!(throttle.pause(&at(40.0), now), Some(Duration::from_millis(100)));
    assert_eq!(throttle.pause(&at(12.5), now), Some(Duration::from_millis(100)));
    assert_eq!(throttle.pause(&at(10.0), now), Some(Duration::from_millis(125)));
    // Nothing left counts as one left: 12.5 times slower.
    assert_eq!(throttle.pause(&at(0.0), now), Some(Duration::from_millis(1250)));
}

#[test]
fn without_a_reset_time_the_pause_grows_as_the_budget_shrinks() {
    let throttle = AdaptiveThrottle {
        threshold: 0.1,
        max_pause: Duration::from_secs(10),
    };
    let at = |remaining: f64| RateLimits {
        limit: Some(100.0),
        remaining: Some(remaining),
        reset: None,
        delay: None,
        resource: None,
    };
    assert_eq!(
        throttle.pause(&at(5.0), SystemTime::now()),
        Some(Duration::from_secs(5))
    );
    assert_eq!(
        throttle.pause(&at(0.0), SystemTime::now()),
        Some(Duration::from_secs(10))
    );
}

fn at(limit: Option<f64>, remaining: Option<f64>) -> RateLimits {
    RateLimits {
        limit,
        remaining,
        reset: None,
        delay: None,
        resource: None,
    }
}

#[test]
fn the_share_left_needs_a_positive_limit_and_stays_between_zero_and_one() {
    assert_eq!(at(Some(0.0), Some(5.0)).fraction_remaining(), None);
    assert_eq!(at(Some(-1.0), Some(5.0)).fraction_remaining(), None);
    assert_eq!(at(None, Some(5.0)).fraction_remaining(), None);
    assert_eq!(at(Some(200.0), None).fraction_remaining(), None);
    assert_eq!(at(Some(200.0), Some(50.0)).fraction_remaining(), Some(0.25));
    assert_eq!(at(Some(200.0), Some(300.0)).fraction_remaining(), Some(1.0));
    assert_eq!(at(Some(200.0), Some(-5.0)).fraction_remaining(), Some(0.0));
}

#[test]
fn the_throttle_paces_at_the_threshold_and_not_above_it() {
    let throttle = AdaptiveThrottle {
        threshold: 0.25,
        max_pause: Duration::from_secs(8),
    };
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
    let mut limits = at(Some(200.0), Some(50.0));
    limits.reset = Some(now + Duration::from_secs(100));
    assert_eq!(throttle.pause(&limits, now), Some(Duration::from_millis(500)));
    limits.remaining = Some(50.5);
    assert_eq!(throttle.pause(&limits, now), None);
}

#[test]
fn a_reset_in_the_past_paces_by_depth_and_never_past_the_maximum() {
    let throttle = AdaptiveThrottle {
        threshold: 0.5,
        max_pause: Duration::from_secs(8),
    };
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
    let mut limits = at(Some(100.0), Some(25.0));
    limits.reset = Some(now - Duration::from_secs(5));
    assert_eq!(throttle.pause(&limits, now), Some(Duration::from_secs(4)));
    limits.reset = Some(now + Duration::from_secs(1000));
    assert_eq!(throttle.pause(&limits, now), Some(Duration::from_secs(8)));
    // Nothing left of 100 over 3 s: 30 ms a request, 12.5 times slower under the reserve.
    limits.remaining = Some(0.0);
    limits.reset = Some(now + Duration::from_secs(3));
    assert_eq!(throttle.pause(&limits, now), Some(Duration::from_millis(375)));
}

#[test]
fn no_throttle_never_pauses() {
    assert_eq!(NoThrottle.pause(&at(Some(100.0), Some(0.0)), SystemTime::now()), None);
}

#[test]
fn figures_need_a_limit_a_remainder_or_a_delay() {
    assert_eq!(
        RateLimits::from_headers(&headers(&[("x-ratelimit-resource", "Core")])),
        None
    );
    assert_eq!(RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "x")])), None);
    let delay = RateLimits::from_headers(&headers(&[("x-ratelimit-delay", "0.25")])).unwrap();
    assert_eq!(delay.delay, Some(Duration::from_millis(250)));
    let limit = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "200")])).unwrap();
    assert_eq!(limit.limit, Some(200.0));
    let remaining = RateLimits::from_headers(&headers(&[("x-ratelimit-remaining", " 7 ")])).unwrap();
    assert_eq!(remaining.remaining, Some(7.0));
}

#[test]
fn a_reset_of_zero_is_the_epoch_and_the_latest_believable_is_kept() {
    let zero = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "1"), ("x-ratelimit-reset", "0")]));
    assert_eq!(zero.unwrap().reset, Some(SystemTime::UNIX_EPOCH));
    let latest = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "1"), ("x-ratelimit-reset", "1e10")]));
    assert_eq!(
        latest.unwrap().reset,
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(10_000_000_000))
    );
    let past = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "1"), ("x-ratelimit-reset", "1.1e10")]));
    assert_eq!(past.unwrap().reset, None);
}

#[test]
fn the_resource_name_is_kept_within_bounds() {
    let long = "r".repeat(500);
    let limits = RateLimits::from_headers(&headers(&[("x-ratelimit-limit", "1"), ("x-ratelimit-resource", &long)]));
    assert!(
        limits
            .unwrap()
            .resource
            .unwrap()
            .starts_with(&"r".repeat(RESOURCE_LIMIT))
    );
}

fn low_budget() -> HeaderMap {
    headers(&[("x-ratelimit-limit", "200"), ("x-ratelimit-remaining", "3")])
}

#[test]
fn figures_hold_until_the_window_has_passed_since_they_came() {
    let latest = LatestRateLimits::default();
    let came = Instant::now();
    latest.observe_at(&low_budget(), came, came);
    let wall = SystemTime::now();
    let within = came + WINDOW - Duration::from_nanos(1);
    assert_eq!(latest.current_at(within, wall).and_then(|l| l.remaining), Some(3.0));
    assert_eq!(latest.current_at(came + WINDOW, wall), None);
}

#[test]
fn figures_hold_until_their_reset_time() {
    let latest = LatestRateLimits::default();
    let came = Instant::now();
    let reset = SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000);
    let mut with_reset = low_budget();
    with_reset.insert("x-ratelimit-reset", "2000000000".parse().unwrap());
    latest.observe_at(&with_reset, came, came);
    assert!(latest.current_at(came, reset - Duration::from_secs(1)).is_some());
    assert_eq!(latest.current_at(came, reset), None);
}

#[test]
fn an_answer_without_figures_clears_them_only_for_a_request_sent_after_they_came() {
    let latest = LatestRateLimits::default();
    let before = Instant::now();
    let came = before + Duration::from_millis(10);
    latest.observe_at(&low_budget(), came, came);
    latest.observe_at(&HeaderMap::new(), before, came + Duration::from_millis(5));
    assert!(latest.current_at(came, SystemTime::now()).is_some());
    latest.observe_at(&HeaderMap::new(), came, came + Duration::from_millis(20));
    assert_eq!(latest.current_at(came, SystemTime::now()), None);
}
