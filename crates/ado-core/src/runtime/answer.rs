//! The final answer as the caller's type: decoded and checked when its status is a success the
//! operation expects, otherwise the [`Error`] it stands for (the service's message, TF code and
//! ActivityId; a sign-in page or redirect as unauthorized; a note when a write may have been
//! carried out).

use serde::de::DeserializeOwned;

use super::Runtime;
use crate::error::{parse_service_error, snippet};
use crate::operation::Operation;
use crate::response::{CheckAnswer, header};
use crate::{Error, HttpMethod, RawResponse, Response, Result};

impl Runtime {
    /// `answer` decoded as `T` when its status is one of `success`, then checked for a failure
    /// reported inside it; otherwise the error it stands for.
    pub fn decode<T: DeserializeOwned + CheckAnswer>(
        &self,
        operation: &'static Operation,
        answer: RawResponse,
        success: &[u16],
    ) -> Result<Response<T>> {
        if !success.contains(&answer.status) {
            return Err(self.failure(operation, answer));
        }
        let value: T = serde_json::from_slice(&answer.body)
            .map_err(|e| decode_error::<T>(&answer.body, answer.status, &e).with_operation(operation.id))?;
        value.check(answer.status).map_err(|error| {
            let error = error.with_activity_id(header(&answer.headers, "activityid"));
            self.explain(error).with_operation(operation.id)
        })?;
        Ok(Response::new(value, answer.status, answer.headers))
    }

    /// `answer` of an operation that answers with no body, when its status is one of `success`;
    /// otherwise the error it stands for.
    pub fn decode_empty(
        &self,
        operation: &'static Operation,
        answer: RawResponse,
        success: &[u16],
    ) -> Result<Response<()>> {
        if !success.contains(&answer.status) {
            return Err(self.failure(operation, answer));
        }
        Ok(Response::new((), answer.status, answer.headers))
    }

    #[cold]
    fn failure(&self, operation: &'static Operation, answer: RawResponse) -> Error {
        let refused = crate::retry::refused_unprocessed(&answer.headers);
        let may_have_acted = match answer.status {
            500 | 502 | 504 => true,
            503 => !refused,
            _ => false,
        };
        let error = error_of(answer).with_note(not_resent(operation.method, may_have_acted));
        self.explain(error).with_operation(operation.id)
    }
}

/// Why a failed request was not sent again, when it `may_have_reached` the service and is a POST
/// or PATCH (not idempotent).
pub(super) fn not_resent(method: HttpMethod, may_have_reached: bool) -> Option<String> {
    (may_have_reached && !method.is_idempotent()).then(|| {
        format!(
            "the {method} request may have reached the service, so it was not sent again (it is not idempotent): check its effect before repeating it"
        )
    })
}

/// The error an answer that is not the expected success stands for.
fn error_of(answer: RawResponse) -> Error {
    let RawResponse { status, headers, body } = answer;
    let activity_id = header(&headers, "activityid");
    let retry_after = crate::retry::server_hint(&headers, std::time::SystemTime::now());
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let error = match status {
        203 => Error::service(
            status,
            None,
            "the service answered with a sign-in page (203): the credential was not accepted",
        ),
        300..=399 => {
            let location = header(&headers, "location").unwrap_or_default();
            if location.contains("_signin") || location.contains("login.microsoftonline.com") {
                Error::service(
                    status,
                    None,
                    format!("the service redirected to a sign-in page ({status}): the credential was not accepted"),
                )
                .with_signin_redirect()
            } else {
                Error::service(
                    status,
                    None,
                    format!("the service redirected the request ({status} {reason})"),
                )
            }
        }
        200..=299 => Error::decode(
            format!(
                "unexpected success status {status} {reason}; body starts: {}",
                snippet(&body)
            ),
            status,
        ),
        _ => {
            let mut service = parse_service_error(&body);
            if service.as_ref().is_none_or(|s| s.message.is_none()) {
                // Some failures carry the message only in `X-TFS-ServiceError`, URL-encoded.
                if let Some(message) = header(&headers, "x-tfs-serviceerror") {
                    let decoded = percent_encoding::percent_decode_str(message).decode_utf8_lossy();
                    let decoded = crate::error::bounded(&decoded, crate::error::TEXT_LIMIT);
                    let entry = service.get_or_insert_with(Default::default);
                    entry.code = crate::error::tf_code(&decoded);
                    entry.message = Some(decoded);
                }
            }
            Error::service(status, service, format!("{status} {reason}"))
        }
    };
    error
        .with_activity_id(activity_id)
        .with_retry_after(retry_after)
        .with_body(body)
}

/// The answer did not match the expected type: name the JSON path that failed and quote the start
/// of the body.
fn decode_error<T: DeserializeOwned>(body: &[u8], status: u16, serde_error: &serde_json::Error) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let located = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => format!("at `{}`: {}", e.path(), e.inner()),
        Ok(_) => format!("{serde_error}"),
    };
    Error::decode(
        format!(
            "the answer does not match the expected shape {located}; body starts: {}",
            snippet(body)
        ),
        status,
    )
}
