use super::*;

/// Which predicates hold for a service error with `status`, in the order of the tuple.
fn predicates(status: u16) -> [bool; 7] {
    let e = Error::service(status, None, "x");
    [
        e.is_not_found(),
        e.is_unauthorized(),
        e.is_forbidden(),
        e.is_conflict(),
        e.is_throttled(),
        e.is_transient(),
        e.is_timeout() || e.is_connect(),
    ]
}

#[test]
fn each_predicate_holds_for_its_own_statuses_and_no_other() {
    let t = true;
    let f = false;
    for (status, expected) in [
        (200, [f, f, f, f, f, f, f]),
        (203, [f, t, f, f, f, f, f]),
        (400, [f, f, f, f, f, f, f]),
        (401, [f, t, f, f, f, f, f]),
        (403, [f, f, t, f, f, f, f]),
        (404, [t, f, f, f, f, f, f]),
        (409, [f, f, f, t, f, f, f]),
        (429, [f, f, f, f, t, t, f]),
        (500, [f, f, f, f, f, t, f]),
        (501, [f, f, f, f, f, f, f]),
        (502, [f, f, f, f, f, t, f]),
        (503, [f, f, f, f, f, t, f]),
        (504, [f, f, f, f, f, t, f]),
    ] {
        assert_eq!(predicates(status), expected, "{status}");
    }
}

#[test]
fn a_pat_lookup_that_found_nothing_is_not_found_and_a_denied_one_is_forbidden() {
    for (code, not_found, forbidden) in [
        ("tokenNotFound", true, false),
        ("authorizationNotFound", true, false),
        ("accessDenied", false, true),
        ("invalidScope", false, false),
    ] {
        let e = Error::pat_token(code, 200);
        assert_eq!((e.is_not_found(), e.is_forbidden()), (not_found, forbidden), "{code}");
        assert_eq!(e.pat_token_error(), Some(code));
        assert!(!e.is_unauthorized() && !e.is_transient());
    }
    assert_eq!(Error::invalid_input("x").pat_token_error(), None);
}

#[test]
fn only_a_service_answer_can_be_unauthorized() {
    let mut e = Error::decode("x", 401);
    assert!(!e.is_unauthorized());
    e = Error::service(302, None, "x").with_signin_redirect();
    assert!(e.is_unauthorized());
    assert!(!Error::service(302, None, "x").is_unauthorized());
}

#[test]
fn timeouts_and_connect_failures_are_transient_and_say_which() {
    let timeout = Error::timed_out(Duration::from_secs(3));
    assert!(timeout.is_timeout() && !timeout.is_connect() && timeout.is_transient());
    assert_eq!(timeout.to_string(), "no answer within 3s");
    assert!(!Error::invalid_input("x").is_transient());
    assert!(!Error::credentials("x").is_transient());
    assert!(!Error::decode("x", 200).is_transient());
}

#[test]
fn the_debug_text_names_every_field_that_is_set_and_no_other() {
    let e = Error::service(
        404,
        parse_service_error(b"{\"message\":\"TF1: gone\"}"),
        "404 Not Found",
    )
    .with_operation("things_get")
    .with_activity_id(Some("act-1"))
    .with_retry_after(Some(Duration::from_secs(2)))
    .with_body(bytes::Bytes::from_static(b"{}"));
    assert_eq!(
        format!("{e:?}"),
        "Error { kind: Service, message: \"404 Not Found\", operation: \"things_get\", status: 404, \
         service: ServiceError { message: Some(\"TF1: gone\"), code: Some(\"TF1\"), type_key: None, \
         type_name: None, error_code: None, event_id: None }, activity_id: \"act-1\", retry_after: 2s, body_bytes: 2 }"
    );
    assert_eq!(
        format!("{:?}", Error::invalid_input("bad")),
        "Error { kind: InvalidInput, message: \"bad\" }"
    );
}

#[test]
fn the_display_names_operation_kind_message_and_activity_id() {
    let e = Error::service(
        404,
        parse_service_error(b"{\"message\":\"TF1: gone\"}"),
        "404 Not Found",
    )
    .with_operation("things_get")
    .with_activity_id(Some("act-1"));
    assert_eq!(
        e.to_string(),
        "things_get: 404 Not Found: TF1: gone (ActivityId: act-1)"
    );
    assert_eq!(Error::credentials("none").to_string(), "credentials: none");
    assert_eq!(e.tf_code(), Some("TF1"));
    assert_eq!(e.message(), Some("TF1: gone"));
    assert_eq!(e.activity_id(), Some("act-1"));
    assert_eq!(e.operation(), Some("things_get"));
}

#[test]
fn the_source_of_an_error_is_the_cause_it_was_made_from() {
    use std::error::Error as _;
    assert!(Error::invalid_input("x").source().is_none());
    let mut e = Error::invalid_input("x");
    e.0.source = Some(std::sync::Arc::new(std::io::Error::other("underneath")));
    assert_eq!(e.source().map(|s| s.to_string()).as_deref(), Some("underneath"));
}

#[test]
fn an_invalid_input_error_says_so() {
    assert_eq!(Error::invalid_input("empty id").to_string(), "invalid input: empty id");
}

#[test]
fn the_service_error_is_kept_whole() {
    let service = parse_service_error(b"{\"message\":\"TF2: x\",\"typeName\":\"N\",\"eventId\":3}");
    let e = Error::service(400, service.clone(), "400 Bad Request");
    assert_eq!(e.service_error(), service.as_ref());
    assert_eq!(e.service_error().and_then(|s| s.type_name.as_deref()), Some("N"));
    assert_eq!(Error::invalid_input("x").service_error(), None);
}
