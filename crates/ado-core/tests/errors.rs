//! Every shape an error answer comes in becomes one error type with the service's details.

mod common;

use std::time::Duration;

use ado_core::ErrorKind;
use common::{Canned, RecordingSleep, builder, call, runtime, scripted};
use serde_json::json;

async fn error_for(answer: Canned) -> ado_core::Error {
    let server = scripted(vec![answer]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_json_error_with_a_byte_order_mark_gives_message_code_type_key_and_activity_id() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(
        json!({"$id": "1", "innerException": null, "message": "TF200016: The following project does not exist: p.", "typeName": "Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi", "typeKey": "ProjectDoesNotExistWithNameException", "errorCode": 0, "eventId": 3000})
            .to_string()
            .as_bytes(),
    );
    let err = error_for(
        Canned::raw(404, body)
            .header("content-type", "application/json")
            .header("activityid", "abc-123"),
    )
    .await;
    assert!(err.is_not_found());
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.tf_code(), Some("TF200016"));
    assert_eq!(err.type_key(), Some("ProjectDoesNotExistWithNameException"));
    assert_eq!(
        err.message(),
        Some("TF200016: The following project does not exist: p.")
    );
    assert_eq!(err.activity_id(), Some("abc-123"));
    assert_eq!(err.operation(), Some("thing_get"));
    assert_eq!(
        err.to_string(),
        "thing_get: 404 Not Found: TF200016: The following project does not exist: p. (ActivityId: abc-123)"
    );
}

#[tokio::test]
async fn a_text_plain_error_and_an_empty_error_are_read() {
    let err =
        error_for(Canned::raw(404, "The controller for path '/x' was not found.").header("content-type", "text/plain"))
            .await;
    assert_eq!(err.message(), Some("The controller for path '/x' was not found."));
    let err = error_for(Canned::raw(409, "")).await;
    assert!(err.is_conflict());
    assert_eq!(err.message(), None);
    assert_eq!(err.to_string(), "thing_get: 409 Conflict");
}

#[tokio::test]
async fn a_message_only_in_the_service_error_header_is_used() {
    let err =
        error_for(Canned::raw(403, "").header("x-tfs-serviceerror", "TF400813%3A%20Resource%20not%20available")).await;
    assert!(err.is_forbidden());
    assert_eq!(err.message(), Some("TF400813: Resource not available"));
    assert_eq!(err.tf_code(), Some("TF400813"));
}

#[tokio::test]
async fn a_throttled_error_carries_the_wait_asked_for() {
    let server = scripted(vec![Canned::raw(429, "").header("retry-after", "9"); 4]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap_err();
    assert!(err.is_throttled() && err.is_transient());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(9)));
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_names_the_json_path_and_quotes_a_bounded_snippet() {
    let long_name = "x".repeat(10_000);
    let body = json!({"id": "not a number", "name": long_name}).to_string();
    let err = error_for(Canned::raw(200, body).header("content-type", "application/json")).await;
    assert_eq!(err.kind(), &ErrorKind::Decode);
    let text = err.to_string();
    assert!(text.contains("at `id`"), "{text}");
    assert!(text.len() < 1000, "the snippet is not bounded: {} bytes", text.len());
}

#[tokio::test]
async fn a_body_over_the_limit_is_not_read_to_the_end() {
    let server = scripted(vec![Canned::raw(200, vec![b' '; 2 * 1024 * 1024])]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .max_body_bytes(64 * 1024)
        .build()
        .unwrap();
    let err = call(&runtime(&config), "thing_get", "/p/_apis/things/1", None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::BodyTooLarge);
    assert_eq!(err.status(), Some(200));
}

#[tokio::test]
async fn an_unexpected_redirect_that_is_not_a_sign_in_is_a_service_error() {
    let err = error_for(Canned::raw(301, "").header("location", "https://elsewhere.example/x")).await;
    assert!(!err.is_unauthorized());
    assert_eq!(err.status(), Some(301));
}

#[tokio::test]
async fn a_megabyte_message_is_cut_in_the_error_and_kept_whole_in_its_body() {
    let message = "x".repeat(1 << 20);
    let answer = Canned::json(404, &json!({"message": message, "typeKey": "k".repeat(10_000)}));
    let body_len = answer.body.len();
    let err = error_for(answer).await;
    let text = err.to_string();
    assert!(text.len() < 1500, "{} bytes", text.len());
    assert!(
        text.contains(&format!("…[{} more bytes]", (1 << 20) - ado_core::TEXT_LIMIT)),
        "{text}"
    );
    assert_eq!(
        err.message().unwrap().len(),
        ado_core::TEXT_LIMIT + "…[1047552 more bytes]".len()
    );
    assert!(err.type_key().unwrap().len() < ado_core::SHORT_TEXT_LIMIT + 32);
    assert_eq!(err.body().map(<[u8]>::len), Some(body_len));
    assert!(format!("{err:?}").len() < 3000);
}

#[tokio::test]
async fn a_huge_plain_text_body_header_message_and_activity_id_are_cut() {
    let err = error_for(
        Canned::raw(400, "y".repeat(1 << 20))
            .header("activityid", &"a".repeat(5000))
            .header("x-tfs-serviceerror", &"z".repeat(9000)),
    )
    .await;
    assert!(err.to_string().len() < 2000, "{} bytes", err.to_string().len());
    assert!(err.activity_id().unwrap().len() < ado_core::SHORT_TEXT_LIMIT + 32);
    assert_eq!(err.body().map(<[u8]>::len), Some(1 << 20));
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_with_a_huge_unknown_value_gives_a_bounded_error() {
    let answer = Canned::json(200, &json!({"id": "i".repeat(100_000)}));
    let err = error_for(answer).await;
    assert_eq!(err.kind(), &ErrorKind::Decode);
    assert!(err.to_string().len() < 1500, "{} bytes", err.to_string().len());
}

#[test]
fn bounded_text_is_cut_at_a_character_boundary() {
    // 'é' is two bytes: a cut inside one moves back to its start.
    let err = ado_core::Error::decode("é".repeat(ado_core::TEXT_LIMIT), 200);
    let text = err.to_string();
    let kept = text.split('…').next().unwrap();
    assert_eq!(kept.len(), ado_core::TEXT_LIMIT);
    assert!(text.ends_with(&format!("…[{} more bytes]", ado_core::TEXT_LIMIT)));
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
    let body = r#"{"id": 1}"#;
    for (limit, accepted) in [(body.len(), true), (body.len() - 1, false)] {
        let server = scripted(vec![Canned::raw(200, body)]).await;
        let config = builder(&server.org_url(), &RecordingSleep::default())
            .max_body_bytes(limit)
            .build()
            .unwrap();
        let result = call(&runtime(&config), "thing_get", "/p/_apis/things/1", None).await;
        assert_eq!(result.is_ok(), accepted, "limit {limit}");
        if let Err(err) = result {
            assert_eq!(err.kind(), &ErrorKind::BodyTooLarge);
        }
    }
}
