//! Bodies: read once by the retry loop, then handed on beside the response without a second read.

mod common;

use ado_core::__private::decode;
use bytes::Bytes;
use common::{Canned, RecordingSleep, Thing, builder, runtime, scripted};

const SEVEN: &str = r#"{"id": 7, "name": "seven"}"#;

fn thing_get(runtime: &ado_core::__private::Runtime) -> &'static ado_core::__private::Operation {
    runtime.operation("thing_get").unwrap()
}

fn request(runtime: &ado_core::__private::Runtime) -> reqwest::Request {
    let url = format!("{}/p/_apis/things/7", runtime.base_url());
    runtime.http_client().get(url).build().unwrap()
}

#[tokio::test]
async fn execute_hands_back_the_body_ready_to_read_without_its_byte_order_mark() {
    let answer = Canned::raw(200, [b"\xEF\xBB\xBF".as_slice(), SEVEN.as_bytes()].concat()).header("x-kept", "yes");
    let server = scripted(vec![answer]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let runtime = runtime(&config);
    let response = runtime.execute(request(&runtime), "thing_get").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-kept"], "yes");
    assert_eq!(response.url().path(), "/fabrikam/p/_apis/things/7");
    assert_eq!(response.bytes().await.unwrap(), SEVEN.as_bytes());
}

#[tokio::test]
async fn exchange_hands_back_the_body_it_read_beside_the_response() {
    let answer = Canned::raw(200, [b"\xEF\xBB\xBF".as_slice(), SEVEN.as_bytes()].concat()).header("x-kept", "yes");
    let server = scripted(vec![answer]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let runtime = runtime(&config);
    let (response, body) = runtime.exchange(request(&runtime), thing_get(&runtime)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-kept"], "yes");
    assert_eq!(body, SEVEN.as_bytes());
}

#[test]
fn decode_keeps_the_status_and_headers_with_the_value() {
    let response = http::Response::builder()
        .status(200)
        .header("x-kept", "yes")
        .body("")
        .unwrap();
    let value = decode::<Thing, ()>(response.into(), Bytes::from_static(SEVEN.as_bytes())).unwrap();
    assert_eq!(value.status(), 200);
    assert_eq!(value.headers()["x-kept"], "yes");
    assert_eq!(value.into_inner().name.as_deref(), Some("seven"));
}

#[test]
fn decode_of_a_body_of_another_shape_keeps_the_body_for_the_error() {
    let response = reqwest::Response::from(http::Response::new(""));
    let error = decode::<Thing, ()>(response, Bytes::from_static(br#"{"id": "seven"}"#)).unwrap_err();
    match error {
        progenitor_client::Error::InvalidResponsePayload(body, _) => assert_eq!(body, r#"{"id": "seven"}"#),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unexpected_answer_keeps_its_body_for_the_error() {
    let server = scripted(vec![Canned::raw(
        404,
        r#"{"message": "TF401019: no such thing", "typeKey": "NotFound"}"#,
    )])
    .await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let runtime = runtime(&config);
    let (response, body) = runtime.exchange(request(&runtime), thing_get(&runtime)).await.unwrap();
    let failed = progenitor_client::Error::UnexpectedResponse(ado_core::__private::unexpected(response, body));
    let error = runtime.fail::<Thing>("thing_get", failed).await;
    assert!(error.is_not_found());
    assert_eq!(error.tf_code(), Some("TF401019"));
}

#[tokio::test]
async fn a_call_with_its_response_keeps_status_headers_token_and_activity_id() {
    let answer = Canned::json(201, &serde_json::json!({"id": 7}))
        .header("x-ms-continuationtoken", "next-1")
        .header("activityid", "act-7");
    let server = scripted(vec![answer]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let rt = runtime(&config);
    let operation = thing_get(&rt);
    let (response, body) = rt.exchange(request(&rt), operation).await.unwrap();
    let value = decode::<Thing, ()>(response, body).unwrap();
    let response = rt.accept_with_response(operation.id, value).unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["activityid"], "act-7");
    assert_eq!(response.continuation_token(), Some("next-1"));
    assert_eq!(response.activity_id(), Some("act-7"));
    let mapped = response.map(|thing| thing.id * 2);
    assert_eq!((mapped.status(), *mapped.value()), (201, 14));
    assert_eq!(mapped.continuation_token(), Some("next-1"));
    assert_eq!(mapped.into_inner(), 14);
}

#[tokio::test]
async fn an_empty_continuation_token_is_no_token() {
    let answer = Canned::json(200, &serde_json::json!({"id": 7})).header("x-ms-continuationtoken", "");
    let server = scripted(vec![answer]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let rt = runtime(&config);
    let (response, body) = rt.exchange(request(&rt), thing_get(&rt)).await.unwrap();
    let response = rt
        .accept_with_response("thing_get", decode::<Thing, ()>(response, body).unwrap())
        .unwrap();
    assert_eq!(response.continuation_token(), None);
    assert_eq!(response.activity_id(), None);
}
