//! The service's check of a request body's media type: a write that carries a body must say it
//! is JSON (`application/json`, or `application/json-patch+json`), compared without its
//! parameters and without case; anything else, no media type and `text/plain` included, is a
//! 400 `VssRequestContentTypeNotSupportedException` naming what was sent and what is accepted.

use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;

use crate::http::error;

/// The media types a body may have.
const ACCEPTED: [&str; 2] = ["application/json", "application/json-patch+json"];

/// The refusal for a request whose body is not declared as JSON, if this is one. A body past the
/// size limit is left to the limit's own answer (413).
pub fn refusal(method: &Method, headers: &HeaderMap) -> Option<Response> {
    let checked = [Method::POST, Method::PUT, Method::PATCH, Method::DELETE];
    if !checked.contains(method) {
        return None;
    }
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .unwrap_or_default();
    let has_body = length.is_some_and(|n| n > 0) || headers.contains_key(header::TRANSFER_ENCODING);
    if !has_body && media_type.is_empty() {
        return None;
    }
    if length.is_some_and(|n| n > crate::MAX_REQUEST_BODY as u64) {
        return None;
    }
    if ACCEPTED
        .iter()
        .any(|accepted| accepted.eq_ignore_ascii_case(&media_type))
    {
        return None;
    }
    Some(error(
        StatusCode::BAD_REQUEST,
        None,
        "VssRequestContentTypeNotSupportedException",
        &format!(
            "The request indicated a Content-Type of \"{media_type}\" for method type \"{method}\" which is not supported. Valid content types for this method are: {}.",
            ACCEPTED.join(", ")
        ),
    ))
}
