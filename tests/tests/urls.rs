//! Property tests of URL building: no project, resource id or query value changes the route.

use std::sync::{Arc, Mutex};

use ado_core::{Config, Credentials};
use ado_pipelines::PipelinesClient;
use ado_pipelines::types::ResourceType;
use ado_policy::PolicyClient;
use axum::extract::Request;
use proptest::prelude::*;

struct Echo {
    org_url: String,
    seen: Arc<Mutex<Vec<(String, String)>>>,
    runtime: tokio::runtime::Runtime,
}

/// A server that answers every request with an empty list and keeps its raw path and query.
fn echo() -> Echo {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let org_url = runtime.block_on(async move {
        let app = axum::Router::new().fallback(move |request: Request| {
            let keep = keep.clone();
            async move {
                let uri = request.uri();
                keep.lock()
                    .unwrap()
                    .push((uri.path().to_string(), uri.query().unwrap_or_default().to_string()));
                ([("content-type", "application/json")], r#"{"count":0,"value":[]}"#)
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}/fabrikam")
    });
    Echo { org_url, seen, runtime }
}

fn decode_with(text: &str, plus_is_space: bool) -> String {
    let bytes: Vec<u8> = {
        let mut out = Vec::new();
        let raw = text.as_bytes();
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'%' && i + 2 < raw.len() {
                let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else if plus_is_space && raw[i] == b'+' {
                out.push(b' ');
                i += 1;
            } else {
                out.push(raw[i]);
                i += 1;
            }
        }
        out
    };
    String::from_utf8(bytes).unwrap()
}

/// A path segment: `+` is itself.
fn decode(text: &str) -> String {
    decode_with(text, false)
}

/// A query value: `+` is a space.
fn decode_query(text: &str) -> String {
    decode_with(text, true)
}

fn config(org_url: &str) -> Config {
    Config::builder()
        .organization(org_url)
        .credentials(Credentials::pat("p"))
        .build()
        .unwrap()
}

fn any_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 ./?#%&=+:@$!*'(),;~\\\\é中-]{1,24}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn a_project_name_stays_one_path_segment(project in any_text()) {
        prop_assume!(project != "." && project != ".." && !project.contains('\\'));
        let echo = echo();
        let policy = PolicyClient::new(&config(&echo.org_url));
        echo.runtime.block_on(policy.types().list(&project).send()).unwrap();
        let (path, query) = echo.seen.lock().unwrap().pop().unwrap();
        let segments: Vec<&str> = path.split('/').collect();
        prop_assert_eq!(segments.len(), 6, "{}", path);
        prop_assert_eq!(segments[1], "fabrikam");
        prop_assert_eq!(decode(segments[2]), project);
        prop_assert_eq!(&segments[3..], &["_apis", "policy", "types"]);
        prop_assert_eq!(query, "api-version=7.1");
    }

    #[test]
    fn a_resource_id_stays_one_path_segment(id in any_text()) {
        prop_assume!(id != "." && id != ".." && !id.contains('\\'));
        let echo = echo();
        let pipelines = PipelinesClient::new(&config(&echo.org_url));
        let _ = echo.runtime.block_on(pipelines.pipeline_permissions().get("p", ResourceType::Queue, &id).send());
        let (path, _) = echo.seen.lock().unwrap().pop().unwrap();
        let segments: Vec<&str> = path.split('/').collect();
        prop_assert_eq!(segments.len(), 8, "{}", path);
        prop_assert_eq!(segments[6], "queue");
        prop_assert_eq!(decode(segments[7]), id);
    }

    #[test]
    fn query_values_do_not_add_or_change_parameters(token in any_text(), scope in any_text()) {
        let echo = echo();
        let policy = PolicyClient::new(&config(&echo.org_url));
        echo.runtime.block_on(policy.configurations().list("p").continuation_token(token.clone()).scope(scope.clone()).top(5).send()).unwrap();
        let (path, query) = echo.seen.lock().unwrap().pop().unwrap();
        prop_assert_eq!(path, "/fabrikam/p/_apis/policy/configurations");
        let pairs: Vec<(String, String)> = query
            .split('&')
            .map(|p| { let (k, v) = p.split_once('=').unwrap(); (decode_query(k), decode_query(v)) })
            .collect();
        let expected = vec![
            ("$top".to_string(), "5".to_string()),
            ("continuationToken".to_string(), token),
            ("scope".to_string(), scope),
            ("api-version".to_string(), "7.1".to_string()),
        ];
        prop_assert_eq!(pairs, expected);
    }
}

#[test]
fn dot_segments_are_refused_before_anything_is_sent() {
    let echo = echo();
    let policy = PolicyClient::new(&config(&echo.org_url));
    for project in [".", "..", "", "a\\b", "\\"] {
        let err = echo.runtime.block_on(policy.types().list(project).send()).unwrap_err();
        assert_eq!(err.kind(), &ado_core::ErrorKind::InvalidInput, "{project:?}");
    }
    assert!(echo.seen.lock().unwrap().is_empty());
}
