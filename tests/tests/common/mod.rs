//! What the end-to-end tests share: a fake service, configurations for it, and a recording proxy
//! that keeps the exact request each operation sends.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use ado_core::{Config, Credentials};
use ado_fake::{FakeOptions, FakeServer};
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::Response;
use serde_json::{Value, json};

/// The PAT the fake accepts.
pub const PAT: &str = "e2e-test-pat-0123456789abcdefghijklmnopqrstuvwxyz";
/// The bearer token the fake accepts (the PAT API needs one).
pub const BEARER: &str = "e2e-test-bearer-eyJhbGciOiJub25lIn0.payload.signature";
/// The seeded project.
pub const PROJECT: &str = ado_fake::PROJECT;

/// A fake service accepting [`PAT`] and [`BEARER`].
pub async fn fake() -> FakeServer {
    FakeServer::start(FakeOptions::default().pat(PAT).bearer(BEARER))
        .await
        .expect("fake starts")
}

/// A configuration for `org_url` with a PAT.
pub fn pat_config(org_url: &str) -> Config {
    Config::builder()
        .organization(org_url)
        .credentials(Credentials::pat(PAT))
        .build()
        .expect("config")
}

/// A configuration for `org_url` with a bearer token.
pub fn bearer_config(org_url: &str) -> Config {
    Config::builder()
        .organization(org_url)
        .credentials(Credentials::bearer(BEARER))
        .build()
        .expect("config")
}

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Method, path, query pairs in order, headers (credentials left out), body.
    pub value: Value,
    /// The `Authorization` header, for tests that check it.
    pub authorization: Option<String>,
}

/// A proxy in front of the fake that records every request.
pub struct Recorder {
    /// The proxy's organization URL.
    pub org_url: String,
    records: Arc<Mutex<Vec<Recorded>>>,
    _fake: FakeServer,
    _task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct ProxyState {
    upstream: String,
    client: reqwest::Client,
    records: Arc<Mutex<Vec<Recorded>>>,
}

async fn forward(State(state): State<ProxyState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 16 * 1024 * 1024).await.unwrap_or_default();
    let path = parts.uri.path().to_string();
    let query: Vec<Value> = parts
        .uri
        .query()
        .map(|q| {
            q.split('&')
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    json!([k, v])
                })
                .collect()
        })
        .unwrap_or_default();
    let mut headers = serde_json::Map::new();
    let mut names: Vec<&str> = parts.headers.keys().map(|k| k.as_str()).collect();
    names.sort();
    names.dedup();
    for name in names {
        if matches!(name, "authorization" | "host") {
            continue;
        }
        let values: Vec<&str> = parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        headers.insert(name.to_string(), json!(values.join(", ")));
    }
    let body_value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body).unwrap_or_else(|_| json!(String::from_utf8_lossy(&body)))
    };
    state.records.lock().unwrap().push(Recorded {
        value: json!({"method": parts.method.as_str(), "path": path, "query": query, "headers": headers, "body": body_value}),
        authorization: parts.headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string),
    });
    let url = format!(
        "{}{}",
        state.upstream,
        parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
    );
    let mut upstream = state.client.request(parts.method.clone(), url).body(body.clone());
    for (name, value) in &parts.headers {
        if name != "host" {
            upstream = upstream.header(name, value);
        }
    }
    let answer = upstream.send().await.expect("fake answers");
    let status = answer.status();
    let answer_headers = answer.headers().clone();
    let answer_body = answer.bytes().await.unwrap_or_default();
    let mut response = Response::new(axum::body::Body::from(answer_body));
    *response.status_mut() = status;
    for (name, value) in &answer_headers {
        if name != "content-length" && name != "transfer-encoding" {
            response.headers_mut().append(name, value.clone());
        }
    }
    response
}

impl Recorder {
    /// A fake with a recording proxy in front.
    pub async fn start() -> Self {
        let fake = fake().await;
        let records = Arc::new(Mutex::new(Vec::new()));
        // The SDK's own HTTP client (it installs the TLS provider reqwest needs).
        let client = pat_config(&fake.org_url()).http_client().clone();
        let state = ProxyState {
            upstream: fake.base_url(),
            client,
            records: records.clone(),
        };
        let app = axum::Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            org_url: format!("http://{addr}/{}", ado_fake::ORGANIZATION),
            records,
            _fake: fake,
            _task: task,
        }
    }

    /// The fake behind the proxy.
    pub fn fake(&self) -> &FakeServer {
        &self._fake
    }

    /// Every request so far.
    pub fn all(&self) -> Vec<Recorded> {
        self.records.lock().unwrap().clone()
    }

    /// The one request the test made (panics when there was not exactly one).
    pub fn only(&self) -> Value {
        let all = self.all();
        assert_eq!(all.len(), 1, "expected one request, got {all:#?}");
        all[0].value.clone()
    }
}

pub use ado_fake::script::{Canned, Scripted};

/// A scripted server with these answers.
pub async fn scripted(answers: Vec<Canned>) -> Scripted {
    Scripted::start(answers).await.expect("scripted server starts")
}

/// The JSON body of a received request.
pub fn json_body(received: &ado_fake::script::Received) -> Value {
    serde_json::from_slice(&received.body).unwrap_or(Value::Null)
}
