//! What every request goes through: operation lookup, counting, authentication, throttling,
//! api-version and media-type checks, fault injection, and the headers every answer carries.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::faults::{Fault, FaultAction};
use crate::location::VersionRefusal;
use crate::{App, ops};

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// A personal access token.
    Pat(String),
    /// A bearer token.
    Bearer(String),
}

/// The service's JSON error body and status.
pub fn error(status: StatusCode, code: Option<&str>, type_key: &str, message: &str) -> Response {
    let text = match code {
        Some(code) => format!("{code}: {message}"),
        None => message.to_string(),
    };
    let body = json!({
        "$id": "1",
        "innerException": null,
        "message": text,
        "typeName": format!("Microsoft.VisualStudio.Services.WebApi.{type_key}, Microsoft.VisualStudio.Services.WebApi"),
        "typeKey": type_key,
        "errorCode": 0,
        "eventId": 3000
    });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// A JSON answer, `api-version` echoed in the content type as the service does.
pub fn json_response(status: StatusCode, value: &Value, version: &str) -> Response {
    let mut response = (status, value.to_string()).into_response();
    let content_type = format!("application/json; charset=utf-8; api-version={version}");
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// A 400 for a body that cannot be read.
pub fn bad_body(detail: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        None,
        "VssPropertyValidationException",
        &format!("The request body could not be read: {detail}"),
    )
}

fn caller(headers: &HeaderMap) -> Option<Caller> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (_, password) = text.split_once(':')?;
        Some(Caller::Pat(password.to_string()))
    } else if scheme.eq_ignore_ascii_case("bearer") {
        Some(Caller::Bearer(rest.trim().to_string()))
    } else {
        None
    }
}

/// The api-version a request names, from the query or the `Accept` header.
fn requested_version(query: &HashMap<String, String>, headers: &HeaderMap) -> Option<String> {
    if let Some(v) = query.get("api-version") {
        return Some(v.clone());
    }
    let accept = headers.get(header::ACCEPT)?.to_str().ok()?;
    accept
        .split(';')
        .filter_map(|part| part.trim().strip_prefix("api-version="))
        .map(|v| v.trim().to_string())
        .next()
}

/// The service's refusal of the api-version a request names; `None` when the operation accepts it.
fn version_refusal(method: &Method, requested: Option<&str>, op: &ops::Op) -> Option<Response> {
    let location = op.location;
    let Some(v) = requested else {
        return Some(error(
            StatusCode::BAD_REQUEST,
            None,
            "VssVersionNotSpecifiedException",
            &format!(
                "No api-version was supplied for the \"{method}\" request. The version must be supplied either as part of the Accept header (e.g. \"application/json; api-version=1.0\") or as a query parameter (e.g. '?api-version=1.0')."
            ),
        ));
    };
    let out_of_range = |detail: String| {
        error(
            StatusCode::BAD_REQUEST,
            None,
            "VssVersionOutOfRangeException",
            &format!("The requested REST API version of {v} is out of range for this server. {detail}"),
        )
    };
    let refusal = location.accepts(v).err()?;
    Some(match refusal {
        VersionRefusal::PreviewNeeded => error(
            StatusCode::BAD_REQUEST,
            None,
            "VssInvalidPreviewVersionException",
            &format!(
                "The requested version \"{v}\" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: \"{}\"",
                op.api_version
            ),
        ),
        VersionRefusal::TooOld => out_of_range(format!(
            "The earliest REST API version this resource supports is {}.",
            location.min_version
        )),
        VersionRefusal::OutOfRange => out_of_range(format!(
            "The latest REST API version this server supports is {}.",
            location.max_version
        )),
    })
}

fn sign_in_page() -> Response {
    let html = "<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head>\
                <body><p>Sign in to continue to Azure DevOps.</p></body></html>";
    let mut response = (StatusCode::NON_AUTHORITATIVE_INFORMATION, html).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn unauthorized(suppress: bool) -> Response {
    if !suppress {
        return sign_in_page();
    }
    let mut response = StatusCode::UNAUTHORIZED.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer authorization_uri=https://login.microsoftonline.com/common"),
    );
    headers.append(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"https://tfsprodcus1.visualstudio.com/\""),
    );
    headers.append(header::WWW_AUTHENTICATE, HeaderValue::from_static("TFS-Federated"));
    response
}

/// The refusal of credentials that were sent but are not accepted; `None` when there are none
/// (an anonymous request) or they are good. For the resources anyone may read.
pub fn refuse_bad_credentials(app: &App, headers: &HeaderMap) -> Option<Response> {
    if !headers.contains_key(header::AUTHORIZATION) || caller(headers).is_some_and(|c| app.accepts(&c)) {
        return None;
    }
    Some(unauthorized(suppresses_redirect(headers)))
}

/// Whether the client asked for a 401 rather than the sign-in page (`X-TFS-FedAuthRedirect:
/// Suppress`).
fn suppresses_redirect(headers: &HeaderMap) -> bool {
    headers
        .get("x-tfs-fedauthredirect")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("suppress"))
}

/// A body that breaks off: the connection is dropped after the headers and a few bytes.
pub fn broken_body(status: StatusCode) -> Response {
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(b"{\"id\":")),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset by the fake",
        )),
    ];
    let mut response = Response::new(Body::from_stream(futures::stream::iter(chunks)));
    *response.status_mut() = status;
    response
}

/// The gate every routed request passes.
pub async fn gate(State(app): State<Arc<App>>, matched: Option<MatchedPath>, request: Request, next: Next) -> Response {
    let activity = uuid::Uuid::new_v4().to_string();
    let mut response = match matched.and_then(|m| ops::find(request.method(), m.as_str(), request.uri().query())) {
        Some(op) => handle(&app, op, request, next).await,
        None => next.run(request).await,
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&activity) {
        headers.insert("activityid", value.clone());
        headers.insert("x-vss-e2eid", value);
    }
    headers.insert(
        "x-tfs-session",
        HeaderValue::from_static("4b1c2e7a-9d3f-4e8b-a6c5-2f1e0d9c8b7a"),
    );
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    response
}

async fn handle(app: &Arc<App>, op: &'static ops::Op, request: Request, next: Next) -> Response {
    app.counters.received(op.id);
    let headers = request.headers().clone();
    let Some(who) = caller(&headers).filter(|c| app.accepts(c)) else {
        return unauthorized(suppresses_redirect(&headers));
    };
    if op.user_token_only() && matches!(who, Caller::Pat(_)) {
        return error(
            StatusCode::UNAUTHORIZED,
            Some("TF400813"),
            "InvalidAccessException",
            "The user is not authorized to access this resource: the personal access token API accepts only a Microsoft Entra user token.",
        );
    }
    let throttle = match app.throttle.charge(&who) {
        Ok(figures) => figures,
        Err(rejection) => return rejection,
    };
    if let Some(delay) = throttle.and_then(|f| f.delay()) {
        tokio::time::sleep(delay).await;
    }
    let query: HashMap<String, String> = request
        .uri()
        .query()
        .map(|q| url_pairs(q).into_iter().collect())
        .unwrap_or_default();
    let requested = requested_version(&query, &headers);
    if let Some(refusal) = version_refusal(request.method(), requested.as_deref(), op) {
        return refusal;
    }
    if let Some(refusal) = crate::content_type::refusal(request.method(), &headers) {
        return refusal;
    }
    let action = app.faults.take(op.id);
    let mut response = match &action {
        Some(FaultAction {
            fault: Fault::Delay(wait),
            ..
        }) => {
            tokio::time::sleep(*wait).await;
            next.run(request).await
        }
        Some(FaultAction {
            fault: Fault::Status(code),
            ..
        }) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return error(
                status,
                Some("TF400898"),
                "VssServiceException",
                "An internal error occurred (injected by the fake).",
            );
        }
        Some(FaultAction {
            fault: Fault::Throttle { retry_after },
            ..
        }) => {
            return crate::throttle::too_many_requests(*retry_after, None);
        }
        Some(FaultAction {
            fault: Fault::ResetBeforeResponse,
            ..
        }) => return broken_body(StatusCode::OK),
        Some(FaultAction {
            fault: Fault::SignInPage,
            ..
        }) => return sign_in_page(),
        _ => next.run(request).await,
    };
    if response.status().is_success() && op.writes() {
        app.counters.applied(op.id);
    }
    if let Some(action) = action {
        response = crate::faults::after(action.fault, response).await;
    }
    if let Some(figures) = throttle {
        figures.apply(response.headers_mut());
    }
    response
}

/// Decode a query string into pairs (`+` as space, percent-decoding).
pub fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// Seconds since the epoch, for `X-RateLimit-Reset`.
pub fn epoch_seconds(at: Instant) -> u64 {
    let from_now = at.saturating_duration_since(Instant::now());
    (SystemTime::now() + from_now)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
}
