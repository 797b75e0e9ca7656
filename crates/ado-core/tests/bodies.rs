//! Bodies: read once by the retry loop (byte-order mark removed), then decoded from the answer
//! in hand, with its status and headers kept beside the value.

mod common;

use ado_core::{ErrorKind, RawResponse};
use bytes::Bytes;
use common::{Canned, RecordingSleep, Thing, builder, runtime, scripted};
use reqwest::header::{HeaderMap, HeaderValue};

const SEVEN: &str = r#"{"id": 7, "name": "seven"}"#;

fn thing_get(runtime: &ado_core::__private::Runtime) -> &'static ado_core::__private::Operation {
    runtime.operation("thing_get").unwrap()
}

fn request(runtime: &ado_core::__private::Runtime) -> reqwest::Request {
    let url = format!("{}/p/_apis/things/7", runtime.base_url());
    runtime.http_client().get(url).build().unwrap()
}

fn answer(status: u16, body: &'static str) -> RawResponse {
    let mut headers = HeaderMap::new();
    headers.insert("x-kept", HeaderValue::from_static("yes"));
    RawResponse {
        status,
        headers,
        body: Bytes::from_static(body.as_bytes()),
    }
}

#[tokio::test]
async fn send_hands_back_the_body_it_read_without_its_byte_order_mark() {
    let answer = Canned::raw(200, [b"\xEF\xBB\xBF".as_slice(), SEVEN.as_bytes()].concat()).header("x-kept", "yes");
    let server = scripted(vec![answer]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let runtime = runtime(&config);
    let answer = runtime.send(request(&runtime), thing_get(&runtime)).await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.headers["x-kept"], "yes");
    assert_eq!(answer.body, SEVEN.as_bytes());
}

#[test]
fn decode_keeps_the_status_and_headers_with_the_value() {
    let config = builder("https://dev.azure.com/fabrikam", &RecordingSleep::default())
        .build()
        .unwrap();
    let rt = runtime(&config);
    let value = rt.decode::<Thing>(thing_get(&rt), answer(200, SEVEN), &[200]).unwrap();
    assert_eq!(value.status(), 200);
    assert_eq!(value.headers()["x-kept"], "yes");
    assert_eq!(value.into_inner().name.as_deref(), Some("seven"));
}

#[test]
fn decode_of_a_body_of_another_shape_names_the_field_and_quotes_the_body() {
    let config = builder("https://dev.azure.com/fabrikam", &RecordingSleep::default())
        .build()
        .unwrap();
    let rt = runtime(&config);
    let error = rt
        .decode::<Thing>(thing_get(&rt), answer(200, r#"{"id": "seven"}"#), &[200])
        .unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Decode);
    assert_eq!(error.operation(), Some("thing_get"));
    assert!(error.to_string().contains("at `id`"), "{error}");
    assert!(error.to_string().contains(r#"body starts: {"id": "seven"}"#), "{error}");
}

#[tokio::test]
async fn an_unexpected_answer_is_the_error_its_body_describes() {
    let server = scripted(vec![Canned::raw(
        404,
        r#"{"message": "TF401019: no such thing", "typeKey": "NotFound"}"#,
    )])
    .await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let runtime = runtime(&config);
    let answer = runtime.send(request(&runtime), thing_get(&runtime)).await.unwrap();
    let error = runtime
        .decode::<Thing>(thing_get(&runtime), answer, &[200])
        .unwrap_err();
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
    let answer = rt.send(request(&rt), operation).await.unwrap();
    let response = rt.decode::<Thing>(operation, answer, &[201]).unwrap();
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
    let answer = rt.send(request(&rt), thing_get(&rt)).await.unwrap();
    let response = rt.decode::<Thing>(thing_get(&rt), answer, &[200]).unwrap();
    assert_eq!(response.continuation_token(), None);
    assert_eq!(response.activity_id(), None);
}

#[test]
fn an_answer_without_a_body_is_accepted_with_any_of_its_statuses_and_refused_with_another() {
    let config = builder("https://dev.azure.com/fabrikam", &RecordingSleep::default())
        .build()
        .unwrap();
    let rt = runtime(&config);
    for status in [200, 204] {
        let done = rt
            .decode_empty(thing_get(&rt), answer(status, ""), &[200, 204])
            .unwrap();
        assert_eq!(done.status(), status);
    }
    let error = rt
        .decode_empty(thing_get(&rt), answer(404, r#"{"message": "gone"}"#), &[200, 204])
        .unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.operation(), Some("thing_get"));
}

#[test]
fn a_success_status_the_operation_does_not_expect_is_a_decode_error_that_names_it() {
    let config = builder("https://dev.azure.com/fabrikam", &RecordingSleep::default())
        .build()
        .unwrap();
    let rt = runtime(&config);
    let error = rt
        .decode::<Thing>(thing_get(&rt), answer(201, SEVEN), &[200])
        .unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Decode);
    assert_eq!(error.status(), Some(201));
    assert!(
        error.to_string().contains("unexpected success status 201 Created"),
        "{error}"
    );
}
