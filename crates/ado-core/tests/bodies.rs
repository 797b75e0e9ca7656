//! Bodies: read once by the retry loop, then handed on without a second read.

mod common;

use ado_core::decode;
use common::{Canned, RecordingSleep, Thing, builder, runtime, scripted};

const SEVEN: &str = r#"{"id": 7, "name": "seven"}"#;

async fn send(runtime: &ado_core::Runtime, read: bool) -> reqwest::Response {
    let url = format!("{}/p/_apis/things/7", runtime.base_url());
    let mut request = runtime.http_client().get(url).build().unwrap();
    runtime.prepare(&mut request, "thing_get").await.unwrap();
    if read {
        runtime.execute_read(request, "thing_get").await.unwrap()
    } else {
        runtime.execute(request, "thing_get").await.unwrap()
    }
}

#[tokio::test]
async fn execute_hands_back_the_body_ready_to_read_without_its_byte_order_mark() {
    let answer = Canned::raw(200, [b"\xEF\xBB\xBF".as_slice(), SEVEN.as_bytes()].concat()).header("x-kept", "yes");
    let server = scripted(vec![answer]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let response = send(&runtime(&config), false).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-kept"], "yes");
    assert_eq!(response.url().path(), "/fabrikam/p/_apis/things/7");
    assert_eq!(response.bytes().await.unwrap(), SEVEN.as_bytes());
}

#[tokio::test]
async fn decode_takes_the_body_the_retry_loop_read_and_keeps_the_headers() {
    let server = scripted(vec![Canned::raw(200, SEVEN).header("x-kept", "yes")]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let response = send(&runtime(&config), true).await;
    let value = decode::<Thing, ()>(response).await.unwrap();
    assert_eq!(value.status(), 200);
    assert_eq!(value.headers()["x-kept"], "yes");
    assert_eq!(value.into_inner().name.as_deref(), Some("seven"));
}

#[tokio::test]
async fn decode_reads_the_body_of_a_response_that_did_not_come_through_the_retry_loop() {
    let response = reqwest::Response::from(http::Response::new(SEVEN));
    let value = decode::<Thing, ()>(response).await.unwrap();
    assert_eq!(value.into_inner().id, 7);
}

#[tokio::test]
async fn decode_of_a_body_of_another_shape_keeps_the_body_for_the_error() {
    let response = reqwest::Response::from(http::Response::new(r#"{"id": "seven"}"#));
    let error = decode::<Thing, ()>(response).await.unwrap_err();
    match error {
        progenitor_client::Error::InvalidResponsePayload(body, _) => assert_eq!(body, r#"{"id": "seven"}"#),
        other => panic!("{other:?}"),
    }
}
