//! How an answer becomes the caller's value or error: a failure reported inside a success body,
//! the hint for an API that accepts only user tokens, a sign-in redirect, and the raw answer.

mod common;

use ado_core::__private::{AreaInfo, CheckAnswer, Runtime};
use ado_core::{Error, Host, Result};
use common::{Canned, OPERATIONS, RecordingSleep, builder, call, scripted};
use serde::Deserialize;
use serde_json::json;

/// An area whose API accepts only Microsoft Entra user tokens, as the PAT API does.
static USER_TOKEN_AREA: AreaInfo = AreaInfo::new("ado-user-thing", "9.9.9", Host::Core, &OPERATIONS, true);

const HINT: &str = "this API accepts only a Microsoft Entra user token";

async fn error_in_user_token_area(answer: Canned, credentials: ado_core::Credentials) -> Error {
    let server = scripted(vec![answer]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .credentials(credentials)
        .build()
        .unwrap();
    call(
        &Runtime::new(&config, &USER_TOKEN_AREA),
        "thing_get",
        "/p/_apis/things/1",
        None,
    )
    .await
    .unwrap_err()
}

#[tokio::test]
async fn a_refused_pat_on_a_user_token_api_says_why() {
    for status in [401, 403] {
        let err = error_in_user_token_area(Canned::json(status, &json!({})), ado_core::Credentials::pat("p")).await;
        assert!(err.to_string().contains(HINT), "{status}: {err}");
    }
}

#[tokio::test]
async fn the_user_token_hint_is_only_for_a_refused_pat() {
    let bearer = error_in_user_token_area(Canned::json(401, &json!({})), ado_core::Credentials::bearer("b")).await;
    assert!(!bearer.to_string().contains(HINT), "{bearer}");
    let missing = error_in_user_token_area(Canned::json(404, &json!({})), ado_core::Credentials::pat("p")).await;
    assert!(!missing.to_string().contains(HINT), "{missing}");
    let server = scripted(vec![Canned::json(401, &json!({}))]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let other_area = call(&common::runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap_err();
    assert!(!other_area.to_string().contains(HINT), "{other_area}");
}

#[tokio::test]
async fn a_redirect_to_the_microsoft_sign_in_page_is_unauthorized() {
    for location in [
        "https://login.microsoftonline.com/common/oauth2/authorize",
        "https://dev.azure.com/_signin?realm=x",
    ] {
        let server = scripted(vec![Canned::raw(302, "").header("location", location)]).await;
        let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
        let err = call(&common::runtime(&config), "thing_get", "/p/_apis/things/1", None)
            .await
            .unwrap_err();
        assert!(err.is_unauthorized(), "{location}: {err}");
        assert_eq!(err.status(), Some(302));
    }
}

/// A value whose body can report a failure, as the PAT API's answers do.
#[derive(Debug, Deserialize)]
struct Reported {
    failure: Option<String>,
}

impl CheckAnswer for Reported {
    fn check(&self, status: u16) -> Result<()> {
        match &self.failure {
            Some(code) => Err(Error::pat_token(code.as_str(), status)),
            None => Ok(()),
        }
    }
}

#[tokio::test]
async fn a_failure_reported_in_a_success_body_is_an_error_with_the_operation_and_activity_id() {
    let answer = Canned::json(200, &json!({"failure": "tokenNotFound"})).header("activityid", "act-9");
    let server = scripted(vec![answer, Canned::json(200, &json!({"failure": null}))]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let rt = common::runtime(&config);
    let operation = rt.operation("thing_get").unwrap();
    let get = || {
        let request = rt
            .http_client()
            .get(format!("{}/p/_apis/things/1", rt.base_url()))
            .build()
            .unwrap();
        rt.send(request, operation)
    };
    let answer = get().await.unwrap();
    let err = rt.decode::<Reported>(operation, answer, &[200]).unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.operation(), Some("thing_get"));
    assert_eq!(err.activity_id(), Some("act-9"));
    let answer = get().await.unwrap();
    assert!(
        rt.decode::<Reported>(operation, answer, &[200])
            .unwrap()
            .into_inner()
            .failure
            .is_none()
    );
}

#[tokio::test]
async fn a_raw_call_hands_back_the_answer_as_it_came_whatever_its_status() {
    for (status, body) in [(200, r#"{"id": 1}"#), (404, r#"{"message": "gone"}"#)] {
        let server = scripted(vec![Canned::raw(status, body).header("x-kept", "yes")]).await;
        let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
        let rt = common::runtime(&config);
        let operation = rt.operation("thing_get").unwrap();
        let request = rt
            .http_client()
            .get(format!("{}/p/_apis/things/1", rt.base_url()))
            .build()
            .unwrap();
        let raw = rt.send(request, operation).await.unwrap();
        assert_eq!(raw.status, status);
        assert_eq!(raw.headers["x-kept"], "yes");
        assert_eq!(raw.body, body.as_bytes());
    }
}
