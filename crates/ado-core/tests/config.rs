//! What a configuration keeps: every setting given to the builder comes back from the
//! configuration, and its `Debug` shows the settings without the credential.

mod common;

use std::time::Duration;

use ado_core::pager::PageLimits;
use ado_core::retry::RetryLimits;
use ado_core::{Config, Credentials};
use common::{Canned, call, runtime, scripted};
use serde_json::json;

fn base() -> ado_core::ConfigBuilder {
    Config::builder()
        .organization("fabrikam")
        .credentials(Credentials::pat("p4t-value"))
}

#[test]
fn the_retry_and_page_limits_given_are_the_ones_in_force() {
    let limits = RetryLimits {
        max_attempts: 9,
        max_elapsed: Duration::from_secs(7),
        attempt_timeout: Duration::from_secs(3),
    };
    let pages = PageLimits {
        max_pages: Some(4),
        max_items: Some(40),
    };
    let config = base().retry_limits(limits).page_limits(pages).build().unwrap();
    assert_eq!(config.retry_limits(), limits);
    assert_eq!(config.page_limits(), pages);
    let defaults = base().build().unwrap();
    assert_eq!(defaults.retry_limits(), RetryLimits::default());
    assert_eq!(defaults.page_limits(), PageLimits::default());
}

#[test]
fn a_connect_timeout_keeps_the_rest_of_the_builder() {
    let config = base().connect_timeout(Duration::from_secs(1)).build().unwrap();
    assert_eq!(config.organization().name(), "fabrikam");
}

#[tokio::test]
async fn a_given_http_client_is_the_one_that_sends() {
    let server = scripted(vec![Canned::json(200, &json!({"id": 1}))]).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-own-client", "yes".parse().unwrap());
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let config = Config::builder()
        .organization(server.org_url())
        .credentials(Credentials::pat("p"))
        .http_client(client)
        .build()
        .unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap();
    assert_eq!(server.received()[0].headers["x-own-client"], "yes");
}

#[test]
fn the_debug_text_shows_the_settings_and_not_the_credential() {
    let config = base().max_body_bytes(1024).build().unwrap();
    let text = format!("{config:?}");
    assert!(
        text.starts_with(
            "Config { organization: Organization(fabrikam, https://dev.azure.com/fabrikam), credentials: Credentials(Pat, [redacted]), retry: DefaultRetryPolicy, backoff: ExponentialBackoff"
        ),
        "{text}"
    );
    assert!(text.ends_with("max_body: 1024 }"), "{text}");
    assert!(!text.contains("p4t-value"));
}
