//! A scripted server for tests of clients: it answers from a list, in order, and records every
//! request it received. Unlike the fake service it knows no API; it is for the cases a test
//! must control byte for byte (odd statuses, headers, bodies).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;

/// A canned answer.
#[derive(Debug, Clone)]
pub struct Canned {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Canned {
    /// A JSON answer.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// An answer with a raw body.
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// One request as the scripted server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The raw query string.
    pub query: Option<String>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

#[derive(Clone)]
struct ScriptState {
    answers: Arc<Mutex<VecDeque<Canned>>>,
    received: Arc<Mutex<Vec<Received>>>,
}

async fn answer(State(state): State<ScriptState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, crate::MAX_REQUEST_BODY)
        .await
        .unwrap_or_default();
    if let Ok(mut received) = state.received.lock() {
        received.push(Received {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            headers: parts.headers.clone(),
            body,
        });
    }
    let next = state.answers.lock().ok().and_then(|mut a| a.pop_front());
    let canned = next.unwrap_or_else(|| Canned::raw(599, "the script ran out of answers"));
    let mut response = Response::new(axum::body::Body::from(canned.body));
    *response.status_mut() = StatusCode::from_u16(canned.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in canned.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// A running scripted server.
pub struct Scripted {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Scripted {
    /// Start on a loopback port with these answers.
    pub async fn start(answers: Vec<Canned>) -> std::io::Result<Self> {
        let answers = Arc::new(Mutex::new(VecDeque::from(answers)));
        let received = Arc::new(Mutex::new(Vec::new()));
        let state = ScriptState {
            answers,
            received: received.clone(),
        };
        let app = axum::Router::new().fallback(answer).with_state(state);
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { addr, received, task })
    }

    /// `http://127.0.0.1:PORT/fabrikam`.
    pub fn org_url(&self) -> String {
        format!("http://{}/{}", self.addr, crate::ORGANIZATION)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}
