//! What a call returns: the decoded value with its status and headers, or the raw answer; and the
//! one place where every failure becomes an [`Error`].

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{parse_service_error, snippet};
use crate::runtime::Runtime;
use crate::runtime::{BodyTooLarge, CredentialsFailed, ReadBody, TimedOut, UnknownOperation};
use crate::{Error, Result};

/// The header the next page's token comes back in.
pub const CONTINUATION_HEADER: &str = "x-ms-continuationtoken";

/// A decoded answer with its status and headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    status: u16,
    headers: HeaderMap,
}

impl<T> Response<T> {
    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, by move.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `x-ms-continuationtoken` header: where the next page starts. `None` when absent or empty.
    pub fn continuation_token(&self) -> Option<&str> {
        header(&self.headers, CONTINUATION_HEADER).filter(|t| !t.is_empty())
    }

    /// The `ActivityId` header.
    pub fn activity_id(&self) -> Option<&str> {
        header(&self.headers, "activityid")
    }

    /// Apply `f` to the value, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
        }
    }
}

/// The answer as it came: status, headers and body (byte-order mark removed), whatever the status.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// A header's value as text; `None` when absent or not visible ASCII.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

tokio::task_local! {
    static RAW: RefCell<Option<RawResponse>>;
}

/// Keep a copy of the final answer when a raw call is waiting for it (a cheap clone: the body is
/// reference-counted).
pub(crate) fn capture(status: reqwest::StatusCode, headers: &HeaderMap, body: &Bytes) {
    let _ = RAW.try_with(|slot| {
        *slot.borrow_mut() = Some(RawResponse {
            status: status.as_u16(),
            headers: headers.clone(),
            body: body.clone(),
        });
    });
}

/// Decode a successful answer as the generated code's `send()` does: `body` is the one the retry
/// loop read (see [`Runtime::exchange`]), and the headers move into the value (no copy).
#[doc(hidden)]
// The generated code's own result type (progenitor's error), which is what `send()` returns.
#[allow(clippy::result_large_err)]
#[inline(never)]
pub fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
    body: Bytes,
) -> std::result::Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>> {
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(progenitor_client::ResponseValue::new(
            value,
            response.status(),
            std::mem::take(response.headers_mut()),
        )),
        Err(error) => Err(progenitor_client::Error::InvalidResponsePayload(body, error)),
    }
}

/// An answer the generated code passes on as unexpected, with the body the retry loop read kept
/// in it for the error mapping (see [`Runtime::fail`]).
#[doc(hidden)]
#[cold]
#[inline(never)]
pub fn unexpected(mut response: reqwest::Response, body: Bytes) -> reqwest::Response {
    response.extensions_mut().insert(ReadBody(body));
    response
}

/// A failed answer's body: the one the retry loop read (see [`unexpected`]), or, for an answer
/// that did not come through it, what is left to read within `limit` bytes (empty past it).
async fn body_of(mut response: reqwest::Response, limit: usize) -> reqwest::Result<Bytes> {
    match response.extensions_mut().remove::<ReadBody>() {
        Some(ReadBody(body)) => Ok(body),
        None => Ok(crate::runtime::read_bounded(&mut response, limit)
            .await?
            .unwrap_or_default()),
    }
}

/// A check of a decoded answer, for APIs that report failure inside a success body. The
/// generator implements it (doing nothing) for every answer type, except those whose schema is
/// marked `x-ado-checked`, for which the area crate writes it.
pub trait CheckAnswer {
    /// `Err` when the body reports a failure; `status` is the HTTP status it came with.
    fn check(&self, status: u16) -> Result<()>;
}

impl CheckAnswer for () {
    fn check(&self, _: u16) -> Result<()> {
        Ok(())
    }
}

type Generated<T> = std::result::Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<()>>;

impl Runtime {
    /// Accept a decoded answer: check it and keep the value alone (no copy of the headers: the
    /// common `.send()` path). Synchronous, so that the caller's future stays small.
    pub fn accept<T: CheckAnswer>(
        &self,
        operation_id: &'static str,
        value: progenitor_client::ResponseValue<T>,
    ) -> Result<T> {
        self.check_answer(operation_id, &value)?;
        Ok(value.into_inner())
    }

    /// Accept a decoded answer: check it and keep it with its status and headers.
    pub fn accept_with_response<T: CheckAnswer>(
        &self,
        operation_id: &'static str,
        value: progenitor_client::ResponseValue<T>,
    ) -> Result<Response<T>> {
        self.check_answer(operation_id, &value)?;
        let status = value.status().as_u16();
        let headers = value.headers().clone();
        Ok(Response {
            value: value.into_inner(),
            status,
            headers,
        })
    }

    /// Map what a generated method failed with into the SDK's error. Boxed, and never inlined:
    /// the failure path stays out of the call's own future and code.
    #[cold]
    #[inline(never)]
    pub fn fail<T: DeserializeOwned>(
        &self,
        operation_id: &'static str,
        error: progenitor_client::Error<()>,
    ) -> Pin<Box<dyn Future<Output = Error> + Send + '_>> {
        Box::pin(async move {
            let error = self.map_error::<T>(operation_id, error).await;
            self.explain(error).with_operation(operation_id)
        })
    }

    /// `Err` when an answer that came with a success status reports a failure in its body.
    fn check_answer<T: CheckAnswer>(
        &self,
        operation_id: &'static str,
        value: &progenitor_client::ResponseValue<T>,
    ) -> Result<()> {
        value.check(value.status().as_u16()).map_err(|error| {
            let error = error.with_activity_id(header(value.headers(), "activityid"));
            self.explain(error).with_operation(operation_id)
        })
    }

    /// Say so when an API that accepts only user tokens refused a personal access token.
    fn explain(&self, error: Error) -> Error {
        let refused = error.is_unauthorized() || error.is_forbidden();
        if refused && self.requires_user_token() && self.config().credentials().kind() == crate::CredentialKind::Pat {
            error.with_hint(
                "this API accepts only a Microsoft Entra user token, and the configured credential is a personal access token",
            )
        } else {
            error
        }
    }

    /// Run a generated call and return the answer as it came, whatever its status.
    pub async fn raw<T, F>(&self, operation_id: &'static str, call: F) -> Result<RawResponse>
    where
        T: DeserializeOwned,
        F: Future<Output = Generated<T>>,
    {
        let (result, raw) = RAW
            .scope(RefCell::new(None), async {
                let result = call.await;
                let raw = RAW.with(|slot| slot.borrow_mut().take());
                (result, raw)
            })
            .await;
        match (raw, result) {
            (Some(raw), _) => Ok(raw),
            (None, Ok(_)) => Err(Error::decode("the answer was not captured", 0).with_operation(operation_id)),
            (None, Err(error)) => Err(self.fail::<T>(operation_id, error).await),
        }
    }

    async fn map_error<T: DeserializeOwned>(
        &self,
        operation_id: &'static str,
        error: progenitor_client::Error<()>,
    ) -> Error {
        use progenitor_client::Error as G;
        let method = self.operation(operation_id).map(|o| o.method);
        match error {
            G::UnexpectedResponse(response) => {
                if let Some(TimedOut(limit)) = response.extensions().get::<TimedOut>() {
                    Error::timed_out(*limit).with_note(not_resent(method, false))
                } else if let Some(CredentialsFailed(message)) = response.extensions().get::<CredentialsFailed>() {
                    Error::credentials(message.clone())
                } else if let Some(UnknownOperation(id)) = response.extensions().get::<UnknownOperation>() {
                    Error::invalid_input(format!("operation `{id}` is not in the area's table"))
                } else {
                    let refused = crate::retry::refused_unprocessed(response.headers());
                    let error = from_response(response, self.shared().max_body).await;
                    if may_have_acted(error.status(), refused) {
                        error.with_note(not_resent(method, false))
                    } else {
                        error
                    }
                }
            }
            G::InvalidResponsePayload(body, serde_error) => decode_error::<T>(&body, &serde_error),
            G::CommunicationError(e) | G::ResponseBodyError(e) | G::InvalidUpgrade(e) => {
                let note = not_resent(method, e.is_connect());
                Error::transport(e).with_note(note)
            }
            G::Custom(message) => Error::credentials(message),
            G::InvalidRequest(message) => Error::invalid_input(message),
            G::ErrorResponse(value) => Error::service(value.status().as_u16(), None, format!("{}", value.status())),
        }
    }
}

/// Why a failed request was not sent again, when that matters: a POST or PATCH that may have
/// reached the service.
fn not_resent(method: Option<crate::HttpMethod>, connect: bool) -> Option<String> {
    match method {
        Some(m) if !m.is_idempotent() && !connect => Some(format!(
            "the {m} request may have reached the service, so it was not sent again (it is not idempotent): check its effect before repeating it"
        )),
        _ => None,
    }
}

/// Whether an answer with `status` leaves it open that the request was carried out: a server
/// error or a gateway's answer, except a 503 by which the service `refused` the work (see
/// [`crate::retry::refused_unprocessed`]).
fn may_have_acted(status: Option<u16>, refused: bool) -> bool {
    match status {
        Some(500 | 502 | 504) => true,
        Some(503) => !refused,
        _ => false,
    }
}

async fn from_response(response: reqwest::Response, limit: usize) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let too_large = response.extensions().get::<BodyTooLarge>().copied();
    let activity_id = header(&headers, "activityid");
    let retry_after = crate::retry::server_hint(&headers, std::time::SystemTime::now());
    if let Some(BodyTooLarge { limit, status }) = too_large {
        return Error::body_too_large(limit, status).with_activity_id(activity_id);
    }
    let body = body_of(response, limit).await.unwrap_or_default();
    let code = status.as_u16();
    let reason = status.canonical_reason().unwrap_or("");
    let error = if code == 203 {
        Error::service(
            code,
            None,
            "the service answered with a sign-in page (203): the credential was not accepted",
        )
    } else if status.is_redirection() {
        let location = header(&headers, "location").unwrap_or_default();
        let to_signin = location.contains("_signin") || location.contains("login.microsoftonline.com");
        let error = Error::service(
            code,
            None,
            format!("the service redirected the request ({code} {reason})"),
        );
        if to_signin {
            Error::service(
                code,
                None,
                format!("the service redirected to a sign-in page ({code}): the credential was not accepted"),
            )
            .with_signin_redirect()
        } else {
            error
        }
    } else if status.is_success() {
        Error::decode(
            format!(
                "unexpected success status {code} {reason}; body starts: {}",
                snippet(&body)
            ),
            code,
        )
    } else {
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
        Error::service(code, service, format!("{code} {reason}"))
    };
    error
        .with_activity_id(activity_id)
        .with_retry_after(retry_after)
        .with_body(body)
}

/// The answer did not match the expected type: name the JSON path that failed and quote the start
/// of the body.
fn decode_error<T: DeserializeOwned>(body: &[u8], serde_error: &serde_json::Error) -> Error {
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
        200,
    )
}
