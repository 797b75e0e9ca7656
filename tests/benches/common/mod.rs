//! What the benchmarks share: a minimal static server and the raw reqwest + serde_json call.
#![allow(dead_code)]

use ado_policy::types::PolicyConfiguration;
use axum::http::header;

/// A server that answers every request with `body` as JSON.
pub async fn static_server(body: Vec<u8>) -> String {
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move {
            (
                [(header::CONTENT_TYPE, "application/json; charset=utf-8; api-version=7.1")],
                body,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/fabrikam")
}

/// The same call without the SDK: reqwest, the same headers, serde_json into the same type.
pub async fn raw_get(client: &reqwest::Client, url: &str) -> PolicyConfiguration {
    let response = client
        .get(url)
        .header("authorization", "Basic OmJlbmNoLXBhdA==")
        .header("accept", "application/json")
        .header("x-tfs-fedauthredirect", "Suppress")
        .send()
        .await
        .unwrap();
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}
