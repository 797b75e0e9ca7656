//! Credentials and the headers every request carries.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use ado_core::{AccessToken, Config, Credentials, ErrorKind, Secret, TokenProvider};
use common::{Canned, RecordingSleep, builder, call, runtime, scripted};
use futures::future::BoxFuture;
use serde_json::json;

fn ok() -> Canned {
    Canned::json(200, &json!({"id": 1}))
}

#[tokio::test]
async fn a_pat_goes_as_basic_auth_with_an_empty_user() {
    let server = scripted(vec![ok()]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap();
    let auth = server.received()[0].headers["authorization"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(auth, "Basic OmNvcmUtdGVzdC1wYXQ=");
}

#[tokio::test]
async fn every_request_carries_the_version_in_the_query_and_the_service_headers() {
    let server = scripted(vec![ok(), ok()]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let rt = runtime(&config);
    call(&rt, "thing_get", "/p/_apis/things/1?%24top=5", None)
        .await
        .unwrap();
    call(&rt, "thing_create", "/p/_apis/things", Some(json!({"name": "n"})))
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received[0].query.as_deref(), Some("$top=5&api-version=7.1"));
    assert_eq!(received[1].query.as_deref(), Some("api-version=7.1-preview.1"));
    for request in &received {
        let h = &request.headers;
        assert_eq!(h["x-tfs-fedauthredirect"], "Suppress");
        assert_eq!(h["accept"], "application/json");
        assert_eq!(
            h["user-agent"],
            format!("ado-thing/9.9.9 ado-core/{}", env!("CARGO_PKG_VERSION")).as_str()
        );
        assert!(h.get("api-version").is_none(), "a bare api-version header was sent");
    }
}

#[tokio::test]
async fn a_bearer_token_goes_as_is() {
    let server = scripted(vec![ok()]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .credentials(Credentials::bearer("jwt.value"))
        .build()
        .unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap();
    assert_eq!(server.received()[0].headers["authorization"], "Bearer jwt.value");
}

struct Counting(Arc<AtomicUsize>);

impl TokenProvider for Counting {
    fn token(&self) -> BoxFuture<'_, ado_core::Result<AccessToken>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(AccessToken {
                token: Secret::new(format!("entra-{n}")),
                expires_on: SystemTime::now() + Duration::from_secs(3600),
            })
        })
    }
}

#[tokio::test]
async fn a_provider_token_is_fetched_once_and_reused() {
    let server = scripted(vec![ok(), ok(), ok()]).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .credentials(Credentials::provider(Counting(calls.clone())))
        .build()
        .unwrap();
    let rt = runtime(&config);
    for _ in 0..3 {
        call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(
        server
            .received()
            .iter()
            .all(|r| r.headers["authorization"] == "Bearer entra-1")
    );
}

struct Failing;

impl TokenProvider for Failing {
    fn token(&self) -> BoxFuture<'_, ado_core::Result<AccessToken>> {
        Box::pin(async { Err(ado_core::Error::credentials("the identity endpoint refused")) })
    }
}

/// A call with `credentials` that fail: its error, once it is checked that nothing was sent.
async fn refused_before_sending(credentials: Credentials) -> ado_core::Error {
    let server = scripted(vec![ok()]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .credentials(credentials)
        .build()
        .unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap_err();
    assert!(server.received().is_empty());
    err
}

#[tokio::test]
async fn a_provider_that_fails_stops_the_call_before_anything_is_sent() {
    let err = refused_before_sending(Credentials::provider(Failing)).await;
    assert_eq!(err.kind(), &ErrorKind::Credentials);
    assert!(err.to_string().contains("the identity endpoint refused"), "{err}");
}

/// A provider that fails with an error of another kind (one it got from another call).
struct FailingWithA404;

impl TokenProvider for FailingWithA404 {
    fn token(&self) -> BoxFuture<'_, ado_core::Result<AccessToken>> {
        Box::pin(async { Err(ado_core::Error::invalid_input("the vault has no such secret")) })
    }
}

#[tokio::test]
async fn a_provider_failure_of_any_kind_is_a_credentials_failure() {
    let err = refused_before_sending(Credentials::provider(FailingWithA404)).await;
    assert_eq!(err.kind(), &ErrorKind::Credentials);
    assert!(err.to_string().contains("the token provider failed"), "{err}");
    assert!(err.to_string().contains("the vault has no such secret"), "{err}");
    assert!(!err.is_transient());
}

#[tokio::test]
async fn a_401_and_a_203_sign_in_page_are_unauthorized() {
    let server = scripted(vec![
        Canned::raw(401, "").header("www-authenticate", "Basic realm=\"x\""),
        Canned::raw(203, "<html>Sign in</html>").header("content-type", "text/html"),
    ])
    .await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let rt = runtime(&config);
    for expected in [401, 203] {
        let err = call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap_err();
        assert!(err.is_unauthorized(), "{err}");
        assert_eq!(err.status(), Some(expected));
        assert!(!err.is_transient());
    }
    assert_eq!(server.received().len(), 2, "authentication failures are not retried");
}

#[tokio::test]
async fn a_config_without_credentials_or_organization_is_refused() {
    let err = Config::builder().organization("fabrikam").build().unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Credentials);
    let err = Config::builder()
        .credentials(Credentials::pat("x"))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::InvalidInput);
}

#[tokio::test]
async fn a_token_that_cannot_be_sent_in_a_header_stops_the_call_before_anything_is_sent() {
    let err = refused_before_sending(Credentials::bearer("line\nbreak")).await;
    assert_eq!(err.kind(), &ErrorKind::Credentials);
    assert!(err.to_string().contains("cannot be sent in a header"), "{err}");
}

#[test]
fn credentials_show_their_kind_and_never_their_value() {
    assert_eq!(format!("{:?}", Credentials::pat("p4t")), "Credentials(Pat, [redacted])");
    assert_eq!(
        format!("{:?}", Credentials::bearer("b3arer")),
        "Credentials(Bearer, [redacted])"
    );
}

#[tokio::test]
async fn a_request_carries_its_query_then_the_api_version_and_is_stamped_on_sending() {
    let server = scripted(vec![Canned::json(200, &serde_json::json!({"id": 1}))]).await;
    let config = Config::builder()
        .organization(server.org_url())
        .credentials(Credentials::pat("abc"))
        .build()
        .unwrap();
    let rt = runtime(&config);
    let operation = rt.operation("thing_create").unwrap();
    let name = Some("x y");
    let request = rt
        .request(
            operation,
            format_args!("/p/_apis/things/{}", 1),
            &[("name", ado_core::__private::param(&name))],
            None,
        )
        .unwrap();
    assert_eq!(request.url().query(), Some("name=x+y&api-version=7.1-preview.1"));
    assert!(request.headers().get("authorization").is_none());
    rt.send(request, operation).await.unwrap();
    let received = &server.received()[0];
    assert_eq!(received.method, "POST");
    assert_eq!(received.query.as_deref(), Some("name=x+y&api-version=7.1-preview.1"));
    assert_eq!(received.headers["authorization"], "Basic OmFiYw==");
    assert_eq!(received.headers["x-tfs-fedauthredirect"], "Suppress");
    assert_eq!(received.headers["accept"], "application/json");
}
