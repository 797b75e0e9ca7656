//! The fake service driven through plain HTTP (not through the SDK): every route, and the
//! authentication, version, error, paging, throttling, body and fault behaviour of the real
//! service.

use std::time::Duration;

use ado_fake::{Budget, FakeOptions, FakeServer, Fault, FaultRule};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PAT: &str = "fake-test-pat";
const BEARER: &str = "fake-test-bearer";
const P: &str = "fabrikam-fiber-git";

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn start(options: FakeOptions) -> FakeServer {
    FakeServer::start(options.pat(PAT).bearer(BEARER)).await.unwrap()
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
    }
}

async fn send(server: &FakeServer, method: Method, path: &str, auth: Option<&str>, body: Option<Value>) -> Answer {
    let mut request = client()
        .request(method, format!("{}{path}", server.base_url()))
        .header("x-tfs-fedauthredirect", "Suppress");
    match auth {
        Some(token) if token == BEARER => request = request.bearer_auth(token),
        Some(token) => request = request.basic_auth("", Some(token)),
        None => {}
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    Answer {
        status: response.status(),
        headers: response.headers().clone(),
        text: response.text().await.unwrap(),
    }
}

/// Whether the answer broke off: the send itself failed, or the body could not be read to the end.
async fn broke(request: reqwest::RequestBuilder) -> bool {
    match request.send().await {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    }
}

async fn get(server: &FakeServer, path: &str) -> Answer {
    send(server, Method::GET, path, Some(PAT), None).await
}

fn pat_path(query: &str) -> String {
    format!("/fabrikam/_apis/tokens/pats?{query}&api-version=7.1-preview.1")
}

/// Method, path, credential, body, expected status.
type Case<'a> = (Method, String, Option<&'a str>, Option<Value>, u16);

#[tokio::test]
async fn every_route_answers_with_json_and_the_activity_headers() {
    let server = start(FakeOptions::default()).await;
    let artifact = format!("vstfs:///CodeReview/CodeReviewId/{}/1", ado_fake::PROJECT_ID);
    let evaluation = "1a2b3c4d-0000-4000-8000-000000000001";
    let v = "api-version=7.1";
    let pv = "api-version=7.1-preview.1";
    let b = |v: Value| Some(v);
    let cases: Vec<Case> = vec![
        (
            Method::GET,
            pat_path("authorizationId=3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32"),
            Some(BEARER),
            None,
            200,
        ),
        (Method::GET, pat_path("$top=2"), Some(BEARER), None, 200),
        (
            Method::POST,
            pat_path("x=1"),
            Some(BEARER),
            b(json!({"displayName": "n", "validTo": "2031-01-01T00:00:00Z"})),
            200,
        ),
        (
            Method::PUT,
            pat_path("x=1"),
            Some(BEARER),
            b(json!({"authorizationId": "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32", "displayName": "m"})),
            200,
        ),
        (
            Method::DELETE,
            pat_path("authorizationId=3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32"),
            Some(BEARER),
            None,
            204,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/pipelines/pipelinepermissions/queue/1?{pv}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::PATCH,
            format!("/fabrikam/{P}/_apis/pipelines/pipelinepermissions/queue/1?{pv}"),
            Some(PAT),
            b(json!({"pipelines": [{"id": 3, "authorized": true}]})),
            200,
        ),
        (
            Method::PATCH,
            format!("/fabrikam/{P}/_apis/pipelines/pipelinepermissions?{pv}"),
            Some(PAT),
            b(json!([{"resource": {"type": "environment", "id": "2"}, "allPipelines": {"authorized": true}}])),
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/pipelines?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::POST,
            format!("/fabrikam/{P}/_apis/pipelines?{v}"),
            Some(PAT),
            b(json!({"name": "x", "configuration": {"type": "yaml", "path": "a.yml"}})),
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/pipelines/1?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::POST,
            format!("/fabrikam/{P}/_apis/pipelines/1/preview?{v}"),
            Some(PAT),
            b(json!({"previewRun": true})),
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/pipelines/1/runs?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::POST,
            format!("/fabrikam/{P}/_apis/pipelines/1/runs?{v}"),
            Some(PAT),
            b(json!({})),
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/pipelines/1/runs/1?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/pipelines/1/runs/1/logs?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/pipelines/1/runs/1/logs/1?$expand=signedContent&{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/pipelines/1/runs/1/artifacts?artifactName=drop&{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/policy/configurations?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::POST,
            format!("/fabrikam/{P}/_apis/policy/configurations?{v}"),
            Some(PAT),
            b(json!({"type": {"id": "40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e"}, "settings": {}})),
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/policy/configurations/17?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::PUT,
            format!("/fabrikam/{P}/_apis/policy/configurations/18?{v}"),
            Some(PAT),
            b(json!({"type": {"id": "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd"}, "settings": {"minimumApproverCount": 4}})),
            200,
        ),
        (
            Method::DELETE,
            format!("/fabrikam/{P}/_apis/policy/configurations/21?{v}"),
            Some(PAT),
            None,
            204,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/policy/configurations/17/revisions?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/policy/configurations/17/revisions/1?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/policy/evaluations?artifactId={artifact}&{pv}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/policy/evaluations/{evaluation}?{pv}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::PATCH,
            format!("/fabrikam/{P}/_apis/policy/evaluations/{evaluation}?{pv}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/policy/types?{v}"),
            Some(PAT),
            None,
            200,
        ),
        (
            Method::GET,
            format!("/fabrikam/{P}/_apis/policy/types/fa4e907d-c16b-4a4c-9dfa-4906e5d171dd?{v}"),
            Some(PAT),
            None,
            200,
        ),
    ];
    assert_eq!(cases.len(), 30);
    for (method, path, auth, body, status) in cases {
        let answer = send(&server, method.clone(), &path, auth, body).await;
        assert_eq!(answer.status.as_u16(), status, "{method} {path}: {}", answer.text);
        let activity = answer.header("activityid");
        assert_eq!(activity.len(), 36, "{path}");
        assert_eq!(answer.header("x-vss-e2eid"), activity);
        if status == 200 {
            assert!(
                answer
                    .header("content-type")
                    .starts_with("application/json; charset=utf-8; api-version=7.1"),
                "{path}"
            );
            answer.json();
        }
    }
}

#[tokio::test]
async fn the_seed_configuration_is_the_documented_sample() {
    let server = start(FakeOptions::default()).await;
    let answer = get(
        &server,
        &format!("/fabrikam/{P}/_apis/policy/configurations/17?api-version=7.1"),
    )
    .await;
    let body = answer.json();
    assert_eq!(body["id"], 17);
    assert_eq!(body["revision"], 2);
    assert_eq!(body["createdDate"], "2015-02-23T12:51:06.85754Z");
    assert_eq!(body["type"]["displayName"], "Required reviewers");
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "createdBy",
            "createdDate",
            "isEnabled",
            "isBlocking",
            "isDeleted",
            "settings",
            "_links",
            "revision",
            "id",
            "url",
            "type"
        ]
    );
}

#[tokio::test]
async fn no_credential_gives_401_with_suppress_and_a_sign_in_page_without() {
    let server = start(FakeOptions::default()).await;
    let path = format!("/fabrikam/{P}/_apis/policy/types?api-version=7.1");
    let answer = send(&server, Method::GET, &path, None, None).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.text, "");
    assert!(
        answer
            .headers
            .get_all("www-authenticate")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("Basic realm="))
    );
    let answer = client()
        .get(format!("{}{path}", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NON_AUTHORITATIVE_INFORMATION);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(answer.text().await.unwrap().contains("Sign in"));
    let wrong = send(&server, Method::GET, &path, Some("not-the-pat"), None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_pat_api_refuses_a_pat_and_accepts_a_bearer_token() {
    let server = start(FakeOptions::default()).await;
    let path = pat_path("$top=5");
    let refused = send(&server, Method::GET, &path, Some(PAT), None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json()["typeKey"], "InvalidAccessException");
    let accepted = send(&server, Method::GET, &path, Some(BEARER), None).await;
    assert_eq!(accepted.status, StatusCode::OK);
}

#[tokio::test]
async fn the_api_version_is_required_and_checked() {
    let server = start(FakeOptions::default()).await;
    let base = format!("/fabrikam/{P}/_apis/policy/configurations/17");
    let missing = get(&server, &base).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.json()["typeKey"], "VssVersionNotSpecifiedException");
    let wrong = get(&server, &format!("{base}?api-version=7.2")).await;
    assert_eq!(wrong.json()["typeKey"], "VssVersionOutOfRangeException");
    let not_preview = get(
        &server,
        &format!("/fabrikam/{P}/_apis/pipelines/pipelinepermissions/queue/1?api-version=7.1"),
    )
    .await;
    assert_eq!(not_preview.json()["typeKey"], "VssInvalidPreviewVersionException");
    let by_accept = client()
        .get(format!("{}{base}", server.base_url()))
        .basic_auth("", Some(PAT))
        .header("accept", "application/json;api-version=7.1")
        .send()
        .await
        .unwrap();
    assert_eq!(by_accept.status(), StatusCode::OK);
}

#[tokio::test]
async fn errors_have_the_service_shape_and_unknown_routes_are_text() {
    let server = start(FakeOptions::default()).await;
    let missing = get(
        &server,
        &format!("/fabrikam/{P}/_apis/policy/configurations/999?api-version=7.1"),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let body = missing.json();
    for key in [
        "$id",
        "innerException",
        "message",
        "typeName",
        "typeKey",
        "errorCode",
        "eventId",
    ] {
        assert!(body.get(key).is_some(), "{key} missing from {body}");
    }
    assert!(body["message"].as_str().unwrap().starts_with("TF401141: "));
    let project = get(&server, "/fabrikam/nope/_apis/policy/configurations/17?api-version=7.1").await;
    assert_eq!(project.json()["typeKey"], "ProjectDoesNotExistWithNameException");
    let route = get(&server, "/fabrikam/x/_apis/nothing/here").await;
    assert_eq!(route.status, StatusCode::NOT_FOUND);
    assert!(route.header("content-type").starts_with("text/plain"));
    assert!(route.text.contains("was not found"));
    assert_eq!(route.header("activityid").len(), 36);
}

#[tokio::test]
async fn routes_match_without_case() {
    let server = start(FakeOptions::default()).await;
    let answer = get(
        &server,
        &format!("/fabrikam/{P}/_apis/Pipelines/PipelinePermissions/queue/1?api-version=7.1-preview.1"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn configurations_page_with_an_opaque_header_token() {
    let server = start(FakeOptions::default()).await;
    server.add_policies(5);
    let mut token: Option<String> = None;
    let mut ids = Vec::new();
    loop {
        let query = token
            .as_ref()
            .map(|t| format!("&continuationToken={t}"))
            .unwrap_or_default();
        let answer = get(
            &server,
            &format!("/fabrikam/{P}/_apis/policy/configurations?$top=4&api-version=7.1{query}"),
        )
        .await;
        let body = answer.json();
        assert_eq!(body["count"], body["value"].as_array().unwrap().len());
        ids.extend(
            body["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap()),
        );
        match answer.headers.get("x-ms-continuationtoken") {
            Some(t) => token = Some(t.to_str().unwrap().to_string()),
            None => break,
        }
    }
    assert_eq!(ids, (17..=29).collect::<Vec<_>>());
    let bad = get(
        &server,
        &format!("/fabrikam/{P}/_apis/policy/configurations?continuationToken=garbage&api-version=7.1"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn pats_page_with_a_token_in_the_body_and_refuse_a_top_over_100() {
    let server = start(FakeOptions::default()).await;
    let first = send(
        &server,
        Method::GET,
        &pat_path("$top=2&displayFilterOption=all"),
        Some(BEARER),
        None,
    )
    .await
    .json();
    assert_eq!(first["patTokens"].as_array().unwrap().len(), 2);
    let token = first["continuationToken"].as_str().unwrap().to_string();
    assert!(!token.is_empty());
    let second = send(
        &server,
        Method::GET,
        &pat_path(&format!("$top=2&displayFilterOption=all&continuationToken={token}")),
        Some(BEARER),
        None,
    )
    .await
    .json();
    assert_eq!(second["patTokens"].as_array().unwrap().len(), 2);
    assert_eq!(second["continuationToken"], "");
    let too_many = send(&server, Method::GET, &pat_path("$top=101"), Some(BEARER), None).await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn revisions_page_with_top_and_skip() {
    let server = start(FakeOptions::default()).await;
    let answer = get(
        &server,
        &format!("/fabrikam/{P}/_apis/policy/configurations/17/revisions?$top=1&$skip=1&api-version=7.1"),
    )
    .await;
    let body = answer.json();
    assert_eq!(body["count"], 1);
    assert_eq!(body["value"][0]["revision"], 2);
}

#[tokio::test]
async fn a_budget_reports_figures_when_low_and_then_answers_429() {
    let server = start(FakeOptions::default().budget(Budget {
        limit: 8,
        window: Duration::from_secs(60),
    }))
    .await;
    let path = format!("/fabrikam/{P}/_apis/policy/types?api-version=7.1");
    let mut remaining = Vec::new();
    for _ in 0..8 {
        let answer = get(&server, &path).await;
        assert_eq!(answer.status, StatusCode::OK);
        remaining.push(answer.header("x-ratelimit-remaining").to_string());
    }
    assert_eq!(remaining, ["", "", "", "", "", "2", "1", "0"]);
    let blocked = get(&server, &path).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = blocked.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(blocked.header("x-ratelimit-limit"), "8");
    assert_eq!(blocked.json()["typeKey"], "RequestBlockedException");
    let other = send(&server, Method::GET, &pat_path("$top=1"), Some(BEARER), None).await;
    assert_eq!(other.status, StatusCode::OK, "the budget is per credential");
}

#[tokio::test]
async fn bodies_that_cannot_be_parsed_or_are_too_big_are_refused() {
    let server = start(FakeOptions::default()).await;
    let url = format!(
        "{}/fabrikam/{P}/_apis/policy/configurations?api-version=7.1",
        server.base_url()
    );
    let garbage = client()
        .post(&url)
        .basic_auth("", Some(PAT))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    let body: Value = garbage.json().await.unwrap();
    assert_eq!(body["typeKey"], "VssPropertyValidationException");
    let huge = client()
        .post(&url)
        .basic_auth("", Some(PAT))
        .body(vec![b'{'; ado_fake::MAX_REQUEST_BODY + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bad_settings = send(
        &server,
        Method::POST,
        "/fabrikam/fabrikam-fiber-git/_apis/policy/configurations?api-version=7.1",
        Some(PAT),
        Some(json!({"type": {"id": "40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e"}, "settings": "x"})),
    )
    .await;
    assert_eq!(
        bad_settings.json()["message"].as_str().unwrap().split(':').next(),
        Some("TF402457")
    );
}

#[tokio::test]
async fn writes_change_state_and_are_counted() {
    let server = start(FakeOptions::default()).await;
    let path = format!("/fabrikam/{P}/_apis/policy/configurations/18?api-version=7.1");
    let before = get(&server, &path).await.json();
    let body = json!({"type": {"id": "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd"}, "isBlocking": false, "settings": {"minimumApproverCount": 5}});
    let after = send(&server, Method::PUT, &path, Some(PAT), Some(body)).await.json();
    assert_eq!(after["revision"], before["revision"].as_i64().unwrap() + 1);
    assert_eq!(get(&server, &path).await.json()["settings"]["minimumApproverCount"], 5);
    assert_eq!(server.counters().received_count("configurations_update"), 1);
    assert_eq!(server.counters().applied_count("configurations_update"), 1);
    assert_eq!(server.counters().received_count("configurations_get"), 2);
    assert_eq!(server.counters().applied_count("configurations_get"), 0);
}

#[tokio::test]
async fn injected_faults_behave_as_configured() {
    let server = start(FakeOptions::default()).await;
    let path = format!("/fabrikam/{P}/_apis/policy/types?api-version=7.1");
    let url = format!("{}{path}", server.base_url());
    server.inject(FaultRule::new("types_list", Fault::Status(503), 2));
    assert_eq!(get(&server, &path).await.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(get(&server, &path).await.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(get(&server, &path).await.status, StatusCode::OK);

    server.inject(FaultRule::new("types_list", Fault::Throttle { retry_after: 4 }, 1));
    let throttled = get(&server, &path).await;
    assert_eq!(
        (throttled.status, throttled.header("retry-after")),
        (StatusCode::TOO_MANY_REQUESTS, "4")
    );

    server.inject(FaultRule::new("types_list", Fault::ByteOrderMark, 1));
    assert!(get(&server, &path).await.text.starts_with('\u{feff}'));
    server.inject(FaultRule::new("types_list", Fault::TruncatedJson, 1));
    assert!(serde_json::from_str::<Value>(&get(&server, &path).await.text).is_err());
    server.inject(FaultRule::new("types_list", Fault::MalformedJson, 1));
    assert!(serde_json::from_str::<Value>(&get(&server, &path).await.text).is_err());
    server.inject(FaultRule::new("types_list", Fault::SignInPage, 1));
    assert_eq!(
        get(&server, &path).await.status,
        StatusCode::NON_AUTHORITATIVE_INFORMATION
    );

    for fault in [Fault::ResetBeforeResponse, Fault::ResetAfterResponse] {
        server.inject(FaultRule::new("types_list", fault, 1));
        assert!(
            broke(client().get(&url).basic_auth("", Some(PAT))).await,
            "the answer should break off"
        );
    }

    server.inject(FaultRule::new(
        "types_list",
        Fault::Delay(Duration::from_millis(300)),
        1,
    ));
    let started = std::time::Instant::now();
    assert_eq!(get(&server, &path).await.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));

    server.inject(FaultRule::new("types_list", Fault::HugeBody(3 * 1024 * 1024), 1));
    assert_eq!(get(&server, &path).await.text.len(), 3 * 1024 * 1024);

    server.inject(FaultRule::any(Fault::Status(500), 1).in_bursts(1, 1));
    assert_eq!(get(&server, &path).await.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(get(&server, &path).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_reset_after_a_write_applies_it_once() {
    let server = start(FakeOptions::default()).await;
    server.inject(FaultRule::new("configurations_create", Fault::ResetAfterResponse, 1));
    let url = format!(
        "{}/fabrikam/{P}/_apis/policy/configurations?api-version=7.1",
        server.base_url()
    );
    let body = json!({"type": {"id": "40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e"}, "settings": {}});
    assert!(broke(client().post(&url).basic_auth("", Some(PAT)).json(&body)).await);
    assert_eq!(server.counters().applied_count("configurations_create"), 1);
    let list = get(
        &server,
        &format!("/fabrikam/{P}/_apis/policy/configurations?$top=1000&api-version=7.1"),
    )
    .await
    .json();
    assert_eq!(list["count"], 9);
}

/// 256 concurrent clients, each creating configurations and reading them back: no error and no
/// lost write. Bounded: 256 × 8 requests on loopback. The throughput is printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_of_256_concurrent_clients_finds_no_error_and_loses_no_write() {
    let server = start(FakeOptions::default()).await;
    let base = server.base_url();
    let started = std::time::Instant::now();
    let tasks: Vec<_> = (0..256)
        .map(|n| {
            let base = base.clone();
            tokio::spawn(async move {
                let client = client();
                let url = format!("{base}/fabrikam/{P}/_apis/policy/configurations?api-version=7.1");
                for i in 0..4 {
                    let body = json!({"type": {"id": "2e26e725-8201-4edd-8bf5-978563c34a80"}, "settings": {"maximumGitBlobSizeInBytes": n * 10 + i}});
                    let created: Value = client.post(&url).basic_auth("", Some(PAT)).json(&body).send().await.unwrap().error_for_status().unwrap().json().await.unwrap();
                    let id = created["id"].as_i64().unwrap();
                    let read: Value = client
                        .get(format!("{base}/fabrikam/{P}/_apis/policy/configurations/{id}?api-version=7.1"))
                        .basic_auth("", Some(PAT))
                        .send()
                        .await
                        .unwrap()
                        .error_for_status()
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    assert_eq!(read["settings"]["maximumGitBlobSizeInBytes"], n * 10 + i);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    let requests = 256 * 8;
    eprintln!(
        "load: {requests} requests from 256 clients in {elapsed:?}: {:.0} requests/s",
        requests as f64 / elapsed.as_secs_f64()
    );
    assert_eq!(server.counters().applied_count("configurations_create"), 1024);
    let list = get(
        &server,
        &format!("/fabrikam/{P}/_apis/policy/configurations?$top=5000&api-version=7.1"),
    )
    .await
    .json();
    assert_eq!(list["count"], 8 + 1024);
}

#[tokio::test]
async fn the_reset_reported_is_the_end_of_the_budgets_window_in_unix_seconds() {
    let server = start(FakeOptions::default().budget(Budget {
        limit: 4,
        window: Duration::from_secs(60),
    }))
    .await;
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let path = format!("/fabrikam/{P}/_apis/policy/types?api-version=7.1");
    // The figures come once the budget is low: by the fourth request of four.
    let mut reset = String::new();
    for _ in 0..4 {
        reset = get(&server, &path).await.header("x-ratelimit-reset").to_string();
        if !reset.is_empty() {
            break;
        }
    }
    let reset: u64 = reset.parse().expect("a reset within the budget's four requests");
    assert!(
        (started + 59..=started + 61).contains(&reset),
        "reset {reset}, started {started}"
    );
}

fn required_reviewers(settings: Value) -> Value {
    json!({"type": {"id": "fd2167ab-b0be-447a-8ec8-39368250530e"}, "isEnabled": true, "isBlocking": false, "settings": settings})
}

#[tokio::test]
async fn a_required_reviewer_policy_stored_without_a_message_is_answered_with_a_null_message() {
    let server = start(FakeOptions::default()).await;
    let path = format!("/fabrikam/{P}/_apis/policy/configurations?api-version=7.1");
    let body = required_reviewers(
        json!({"requiredReviewerIds": [], "scope": [{"refName": "refs/heads/main", "matchKind": "exact", "repositoryId": null}]}),
    );
    let created = send(&server, Method::POST, &path, Some(PAT), Some(body)).await.json();
    let settings = created["settings"].as_object().unwrap();
    assert_eq!(settings.get("message"), Some(&Value::Null));
    assert_eq!(created["settings"]["scope"][0]["matchKind"], "Exact");
}

#[tokio::test]
async fn a_required_reviewer_message_that_was_sent_is_kept() {
    let server = start(FakeOptions::default()).await;
    let path = format!("/fabrikam/{P}/_apis/policy/configurations?api-version=7.1");
    let body = required_reviewers(json!({"requiredReviewerIds": [], "message": "Ask the DBA", "scope": []}));
    let created = send(&server, Method::POST, &path, Some(PAT), Some(body)).await.json();
    assert_eq!(created["settings"]["message"], "Ask the DBA");
}

#[tokio::test]
async fn other_policy_types_get_no_message() {
    let server = start(FakeOptions::default()).await;
    let path = format!("/fabrikam/{P}/_apis/policy/configurations?api-version=7.1");
    let body = json!({"type": {"id": "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd"}, "settings": {"minimumApproverCount": 1, "scope": []}});
    let created = send(&server, Method::POST, &path, Some(PAT), Some(body)).await.json();
    assert!(created["settings"].get("message").is_none(), "{}", created["settings"]);
}

/// The URL of policy configuration 17 (one the seed has).
fn configuration_17(server: &FakeServer) -> String {
    format!(
        "{}/fabrikam/{P}/_apis/policy/configurations/17?api-version=7.1",
        server.base_url()
    )
}

/// A body `{not json` sent to policy configuration 17 with `content_type`, if any.
async fn post_with_content_type(
    server: &FakeServer,
    method: Method,
    content_type: Option<&str>,
) -> (StatusCode, Value) {
    let url = configuration_17(server);
    let mut request = client()
        .request(method, &url)
        .basic_auth("", Some(PAT))
        .body("{not json");
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let answer = request.send().await.unwrap();
    (answer.status(), answer.json().await.unwrap())
}

#[tokio::test]
async fn a_body_not_declared_as_json_is_refused_naming_what_was_sent_and_what_is_accepted() {
    let server = start(FakeOptions::default()).await;
    for (method, content_type, shown) in [
        (Method::PUT, Some("text/plain"), "text/plain"),
        (
            Method::PUT,
            Some("application/x-www-form-urlencoded"),
            "application/x-www-form-urlencoded",
        ),
        (Method::PUT, None, ""),
        (Method::DELETE, Some("text/plain; charset=utf-8"), "text/plain"),
    ] {
        let (status, body) = post_with_content_type(&server, method.clone(), content_type).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {content_type:?}");
        assert_eq!(body["typeKey"], "VssRequestContentTypeNotSupportedException");
        assert_eq!(
            body["message"],
            format!(
                "The request indicated a Content-Type of \"{shown}\" for method type \"{method}\" which is not supported. Valid content types for this method are: application/json, application/json-patch+json."
            )
        );
    }
}

#[tokio::test]
async fn json_media_types_are_matched_without_parameters_or_case() {
    let server = start(FakeOptions::default()).await;
    for content_type in ["Application/JSON; charset=utf-8", "application/json-patch+json"] {
        let (status, body) = post_with_content_type(&server, Method::PUT, Some(content_type)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{content_type}");
        assert_eq!(body["typeKey"], "VssPropertyValidationException", "{content_type}");
    }
}

#[tokio::test]
async fn a_write_without_a_body_or_a_read_is_not_asked_for_a_media_type() {
    let server = start(FakeOptions::default()).await;
    let base = server.base_url();
    let delete = client()
        .delete(format!(
            "{base}/fabrikam/{P}/_apis/policy/configurations/17?api-version=7.1"
        ))
        .basic_auth("", Some(PAT))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);
    let read = client()
        .get(format!(
            "{base}/fabrikam/{P}/_apis/policy/configurations/18?api-version=7.1"
        ))
        .basic_auth("", Some(PAT))
        .header("content-type", "text/plain")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_empty_body_is_not_asked_for_a_media_type() {
    let server = start(FakeOptions::default()).await;
    let url = configuration_17(&server);
    let answer = client()
        .put(&url)
        .basic_auth("", Some(PAT))
        .header("content-length", "0")
        .body("")
        .send()
        .await
        .unwrap();
    let body: Value = answer.json().await.unwrap();
    // The operation's own answer to a missing body, not the media-type refusal.
    assert_eq!(body["typeKey"], "ArgumentNullException");
}

#[tokio::test]
async fn a_body_within_the_size_limit_is_asked_for_its_media_type_and_one_past_it_for_its_size() {
    let server = start(FakeOptions::default()).await;
    let url = configuration_17(&server);
    let at_limit = client()
        .put(&url)
        .basic_auth("", Some(PAT))
        .body(vec![b' '; ado_fake::MAX_REQUEST_BODY])
        .send()
        .await
        .unwrap();
    let body: Value = at_limit.json().await.unwrap();
    assert_eq!(body["typeKey"], "VssRequestContentTypeNotSupportedException");
    let past_limit = client()
        .put(&url)
        .basic_auth("", Some(PAT))
        .body(vec![b' '; ado_fake::MAX_REQUEST_BODY + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(past_limit.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
