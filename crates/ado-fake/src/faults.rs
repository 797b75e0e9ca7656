//! Fault injection, per operation: delays, broken connections, error and throttling bursts,
//! malformed bodies.

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;

/// A fault to inject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long before handling the request.
    Delay(Duration),
    /// Break the connection before the request is handled (nothing is applied).
    ResetBeforeResponse,
    /// Handle the request (a write is applied), then break the connection mid-answer.
    ResetAfterResponse,
    /// Answer with this status and the service's error body, without handling the request.
    Status(u16),
    /// Answer 429 with `Retry-After: retry_after` seconds, without handling the request.
    Throttle {
        /// Seconds to ask the client to wait.
        retry_after: u64,
    },
    /// Handle the request, then answer with a body that is not JSON.
    MalformedJson,
    /// Handle the request, then cut the JSON body in half.
    TruncatedJson,
    /// Handle the request, then put a UTF-8 byte-order mark before the JSON body.
    ByteOrderMark,
    /// Answer 203 with an HTML sign-in page, without handling the request.
    SignInPage,
    /// Handle the request, then answer with a body of this many bytes.
    HugeBody(usize),
}

/// A rule: which operation (or all), which fault, how many times.
#[derive(Debug, Clone)]
pub struct FaultRule {
    /// The operation id, or `None` for every operation.
    pub operation: Option<String>,
    /// The fault.
    pub fault: Fault,
    /// How many requests it applies to (`None`: every one until cleared).
    pub times: Option<usize>,
    /// Bursts: the fault hits `on` matching requests, then lets `off` through, and repeats.
    pub bursts: Option<(usize, usize)>,
    /// Matching requests seen so far (for bursts).
    seen: usize,
}

impl FaultRule {
    /// `fault` for the next `times` requests of `operation`.
    pub fn new(operation: &str, fault: Fault, times: usize) -> Self {
        Self {
            operation: Some(operation.to_string()),
            fault,
            times: Some(times),
            bursts: None,
            seen: 0,
        }
    }

    /// `fault` for the next `times` requests of any operation.
    pub fn any(fault: Fault, times: usize) -> Self {
        Self {
            operation: None,
            fault,
            times: Some(times),
            bursts: None,
            seen: 0,
        }
    }

    /// Apply the fault in bursts of `on` requests separated by `off` untouched ones (only the
    /// faulted requests use up `times`).
    pub fn in_bursts(mut self, on: usize, off: usize) -> Self {
        self.bursts = Some((on.max(1), off));
        self
    }
}

/// A fault chosen for one request.
#[derive(Debug, Clone)]
pub struct FaultAction {
    /// The fault.
    pub fault: Fault,
}

/// The rules in force.
#[derive(Debug, Default)]
pub struct Faults(Mutex<Vec<FaultRule>>);

impl Faults {
    /// Add a rule (rules apply in the order added).
    pub fn add(&self, rule: FaultRule) {
        if let Ok(mut rules) = self.0.lock() {
            rules.push(rule);
        }
    }

    /// Remove every rule.
    pub fn clear(&self) {
        if let Ok(mut rules) = self.0.lock() {
            rules.clear();
        }
    }

    /// The fault for one request of `operation`, using up one of its times.
    pub fn take(&self, operation: &str) -> Option<FaultAction> {
        let mut rules = self.0.lock().ok()?;
        let index = rules
            .iter()
            .position(|r| r.operation.as_deref().is_none_or(|o| o == operation))?;
        let rule = &mut rules[index];
        rule.seen += 1;
        if let Some((on, off)) = rule.bursts
            && (rule.seen - 1) % (on + off) >= on
        {
            return None;
        }
        let fault = rule.fault.clone();
        if let Some(times) = rule.times.as_mut() {
            *times -= 1;
            if *times == 0 {
                rules.remove(index);
            }
        }
        Some(FaultAction { fault })
    }
}

/// Faults applied to an answer after the request was handled.
pub async fn after(fault: Fault, response: Response) -> Response {
    let status = response.status();
    let replace = |body: Vec<u8>| {
        let mut replaced = Response::new(Body::from(body));
        *replaced.status_mut() = status;
        replaced.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        replaced
    };
    match fault {
        Fault::ResetAfterResponse => crate::http::broken_body(status),
        Fault::MalformedJson => replace(b"{\"value\": [ this is not json".to_vec()),
        Fault::TruncatedJson => {
            let body = body_bytes(response).await;
            replace(body[..body.len() / 2].to_vec())
        }
        Fault::ByteOrderMark => {
            let body = body_bytes(response).await;
            let mut with_bom = b"\xEF\xBB\xBF".to_vec();
            with_bom.extend_from_slice(&body);
            replace(with_bom)
        }
        Fault::HugeBody(size) => {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            let chunks = size.div_ceil(chunk.len());
            let stream = futures::stream::iter((0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
            let mut replaced = Response::new(Body::from_stream(stream));
            *replaced.status_mut() = StatusCode::OK;
            replaced
        }
        _ => response,
    }
}

async fn body_bytes(response: Response) -> Bytes {
    axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap_or_default()
}
