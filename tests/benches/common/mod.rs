//! What the benchmarks share: a minimal static server and the raw reqwest + serde_json call.
#![allow(dead_code)]

use ado_policy::types::PolicyConfiguration;
use axum::http::header;

/// The runtime the benchmarks measure on: two workers, as many as the machine has cores.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The median of some timings.
pub fn median(mut values: Vec<std::time::Duration>) -> std::time::Duration {
    values.sort();
    values[values.len() / 2]
}

/// The PAT the benchmark servers accept (`raw_get` sends it pre-encoded).
pub const PAT: &str = "bench-pat";

/// A configuration for `org_url` with [`PAT`].
pub fn config(org_url: &str) -> ado_core::Config {
    ado_core::Config::builder()
        .organization(org_url)
        .credentials(ado_core::Credentials::pat(PAT))
        .build()
        .unwrap()
}

/// The fake service, and a static server answering with the fake's configuration 17: the two
/// servers every benchmark runs against. Returns the static server's organization URL.
pub async fn servers() -> (String, ado_fake::FakeServer) {
    let fake = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat(PAT))
        .await
        .unwrap();
    let seed = ado_policy::PolicyClient::new(&config(&fake.org_url()))
        .configurations()
        .get(ado_fake::PROJECT, 17)
        .await
        .unwrap();
    (static_server(serde_json::to_vec(&seed).unwrap()).await, fake)
}

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

/// The same call written by hand with reqwest and serde_json: the URL formatted for the project
/// and id (as any caller whose ids vary must), the headers the SDK sends, the status checked, the
/// body decoded into the same type.
pub async fn raw_get(client: &reqwest::Client, org_url: &str, id: i32) -> PolicyConfiguration {
    let url = format!(
        "{org_url}/{}/_apis/policy/configurations/{id}?api-version=7.1",
        ado_fake::PROJECT
    );
    let response = client
        .get(url)
        .header("authorization", "Basic OmJlbmNoLXBhdA==")
        .header("accept", "application/json")
        .header("x-tfs-fedauthredirect", "Suppress")
        .header("user-agent", "raw-bench/1.0")
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}
