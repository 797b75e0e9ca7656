//! The location service and the request forms other clients send: `OPTIONS {org}/_apis`,
//! `ResourceAreas`, `connectionData`, empty path segments, any case, on-premises collection paths,
//! and every api-version from a resource's first to its latest.

use ado_fake::{FakeOptions, FakeServer};
use reqwest::{Method, StatusCode};
use serde_json::Value;

const PAT: &str = "fake-test-pat";
const P: &str = "fabrikam-fiber-git";

async fn start() -> FakeServer {
    FakeServer::start(FakeOptions::default().pat(PAT)).await.unwrap()
}

/// Send a request with the PAT (or none) and read the answer as status and JSON (or null).
async fn call(method: Method, url: &str, pat: Option<&str>) -> (StatusCode, Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut request = reqwest::Client::new()
        .request(method, url)
        .header("x-tfs-fedauthredirect", "Suppress");
    if let Some(pat) = pat {
        request = request.basic_auth("", Some(pat));
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(server: &FakeServer, path: &str) -> (StatusCode, Value) {
    call(Method::GET, &format!("{}{path}", server.base_url()), Some(PAT)).await
}

fn location<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id)
        .unwrap_or_else(|| panic!("location {id} not listed"))
}

#[tokio::test]
async fn options_lists_the_resource_locations_with_route_templates_and_versions() {
    let server = start().await;
    let (status, list) = call(Method::OPTIONS, &format!("{}/_apis", server.org_url()), Some(PAT)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["count"], 17);
    assert_eq!(
        location(&list, "dad91cbe-d183-45f8-9c6e-9c1164472121"),
        &serde_json::json!({
            "id": "dad91cbe-d183-45f8-9c6e-9c1164472121",
            "area": "policy",
            "resourceName": "configurations",
            "routeTemplate": "{project}/_apis/{area}/{resource}/{configurationId}",
            "resourceVersion": 1,
            "minVersion": "4.1",
            "maxVersion": "7.1",
            "releasedVersion": "7.1"
        })
    );
    let pats = location(&list, "55967393-20ef-45c6-a96c-b5d5d5986a9a");
    assert_eq!(pats["routeTemplate"], "_apis/{area}/{resource}");
    assert_eq!(pats["releasedVersion"], "0.0");
    let repositories = location(&list, "225f7195-f9c7-4d14-ab28-a83f7ff77e1f");
    assert_eq!(repositories["area"], "git");
    assert_eq!(
        repositories["routeTemplate"],
        "{project}/_apis/{area}/{resource}/{repositoryId}"
    );
    assert_eq!(repositories["minVersion"], "4.1");
}

#[tokio::test]
async fn options_for_one_area_lists_only_its_locations_in_any_case() {
    let server = start().await;
    let (status, list) = call(
        Method::OPTIONS,
        &format!("{}/_apis/Policy", server.org_url()),
        Some(PAT),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let areas: Vec<&Value> = list["value"].as_array().unwrap().iter().map(|l| &l["area"]).collect();
    assert_eq!(areas.len(), 5);
    assert!(areas.iter().all(|a| *a == "policy"), "{areas:?}");
}

#[tokio::test]
async fn the_location_service_answers_without_credentials() {
    let server = start().await;
    let (status, list) = call(Method::OPTIONS, &format!("{}/_apis", server.org_url()), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["count"], 17);
}

#[tokio::test]
async fn the_location_service_refuses_credentials_that_are_wrong() {
    let server = start().await;
    let (status, _) = call(Method::OPTIONS, &format!("{}/_apis", server.org_url()), Some("wrong")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn resource_areas_send_the_pat_api_to_the_vssps_port_and_the_rest_to_the_organization() {
    let server = start().await;
    let (status, areas) = get(&server, "/fabrikam/_apis/ResourceAreas").await;
    assert_eq!(status, StatusCode::OK);
    let url_of = |name: &str| {
        areas["value"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .map(|a| a["locationUrl"].as_str().unwrap().to_string())
    };
    assert_eq!(url_of("tokens"), Some(format!("{}/", server.vssps_url())));
    assert_eq!(url_of("policy"), Some(format!("{}/", server.org_url())));
    assert_eq!(url_of("pipelines"), Some(format!("{}/", server.org_url())));
    assert_eq!(url_of("pipelinePermissions"), Some(format!("{}/", server.org_url())));
    assert_ne!(server.vssps_url(), server.org_url());
}

#[tokio::test]
async fn one_resource_area_is_found_by_its_id_in_any_case() {
    let server = start().await;
    let (status, area) = get(
        &server,
        "/fabrikam/_apis/resourceAreas/FB13A388-40DD-4A04-B530-013A739C72EF",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(area["name"], "policy");
}

#[tokio::test]
async fn an_unknown_resource_area_is_not_found() {
    let server = start().await;
    let (status, error) = get(
        &server,
        "/fabrikam/_apis/ResourceAreas/00000000-0000-0000-0000-000000000000",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["typeKey"], "ResourceAreaNotFoundException");
}

#[tokio::test]
async fn connection_data_names_the_signed_in_caller() {
    let server = start().await;
    let (status, data) = get(&server, "/fabrikam/_apis/connectionData").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(data["authenticatedUser"]["providerDisplayName"], "Normal Paulk");
    assert_eq!(data["deploymentType"], "hosted");
}

#[tokio::test]
async fn connection_data_without_credentials_is_anonymous() {
    let server = start().await;
    let (_, data) = call(Method::GET, &format!("{}/_apis/connectionData", server.org_url()), None).await;
    assert_eq!(data["authenticatedUser"]["providerDisplayName"], "Anonymous");
}

#[tokio::test]
async fn the_vssps_port_serves_the_pat_api() {
    let server = FakeServer::start(FakeOptions::default().bearer("user-token"))
        .await
        .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::Client::new()
        .get(format!(
            "{}/_apis/tokens/pats?api-version=7.1-preview.1",
            server.vssps_url()
        ))
        .bearer_auth("user-token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_advertised_route_template_reaches_a_route_of_the_fake() {
    let server = start().await;
    let (_, list) = call(Method::OPTIONS, &format!("{}/_apis", server.org_url()), Some(PAT)).await;
    for location in list["value"].as_array().unwrap() {
        let template = location["routeTemplate"].as_str().unwrap();
        let mut path = template
            .replace("{area}", location["area"].as_str().unwrap())
            .replace("{resource}", location["resourceName"].as_str().unwrap())
            .replace("{project}", P);
        while let Some(start) = path.find('{') {
            let end = path[start..].find('}').unwrap() + start;
            path.replace_range(start..=end, "1");
        }
        let url = format!("{}/{path}?api-version=7.1-preview.1", server.org_url());
        // A route the fake lacks answers the service's text/plain 404; a missing resource is JSON.
        let (status, body) = call(Method::GET, &url, Some(PAT)).await;
        assert!(
            status != StatusCode::NOT_FOUND || !body.is_null(),
            "{template} as {url}"
        );
    }
}

#[tokio::test]
async fn an_empty_leading_segment_is_served() {
    let server = start().await;
    let (status, policy) = get(
        &server,
        &format!("//fabrikam/{P}/_apis/policy/configurations/17?api-version=7.1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(policy["id"], 17);
}

#[tokio::test]
async fn empty_segments_inside_the_path_are_served() {
    let server = start().await;
    let (status, policy) = get(
        &server,
        &format!("/fabrikam//{P}/_apis//policy/configurations/17?api-version=7.1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(policy["id"], 17);
}

#[tokio::test]
async fn apis_and_area_names_are_matched_in_any_case() {
    let server = start().await;
    let (status, policy) = get(
        &server,
        &format!("/Fabrikam/{P}/_APIS/Policy/Configurations/17?api-version=7.1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(policy["id"], 17);
}

#[tokio::test]
async fn an_on_premises_collection_path_is_served() {
    let server = start().await;
    let (status, policy) = get(
        &server,
        &format!("/tfs/DefaultCollection/{P}/_apis/policy/configurations/17?api-version=7.1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(policy["id"], 17);
}

#[tokio::test]
async fn older_released_versions_are_accepted() {
    let server = start().await;
    for version in ["4.1", "5.0", "6.0", "7.0", "7.1", "5.1-preview.1"] {
        let (status, _) = get(
            &server,
            &format!("/fabrikam/{P}/_apis/policy/configurations/17?api-version={version}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{version}");
    }
}

#[tokio::test]
async fn a_version_before_the_resources_first_is_out_of_range() {
    let server = start().await;
    let (status, error) = get(
        &server,
        &format!("/fabrikam/{P}/_apis/policy/configurations/17?api-version=4.0"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["typeKey"], "VssVersionOutOfRangeException");
    assert_eq!(
        error["message"],
        "The requested REST API version of 4.0 is out of range for this server. The earliest REST API version this resource supports is 4.1."
    );
}

#[tokio::test]
async fn a_version_after_the_latest_is_out_of_range() {
    let server = start().await;
    let (status, error) = get(
        &server,
        &format!("/fabrikam/{P}/_apis/policy/configurations/17?api-version=7.2-preview.1"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error["message"],
        "The requested REST API version of 7.2-preview.1 is out of range for this server. The latest REST API version this server supports is 7.1."
    );
}

#[tokio::test]
async fn a_preview_only_resource_needs_the_preview_flag_at_older_versions_too() {
    let server = start().await;
    let path = format!("/fabrikam/{P}/_apis/pipelines/pipelinepermissions/queue/1");
    let (status, error) = get(&server, &format!("{path}?api-version=7.0")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["typeKey"], "VssInvalidPreviewVersionException");
    let (status, _) = get(&server, &format!("{path}?api-version=6.1-preview.1")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn query_parameters_are_read_in_any_case() {
    let server = start().await;
    let path = format!(
        "/fabrikam/{P}/_apis/git/policy/configurations?REPOSITORYID=49c1d4d0-be28-4f20-9e0a-4ecfafc39257&refname=refs/heads/feature/x&api-version=7.1"
    );
    let (status, list) = get(&server, &path).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<i64> = list["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [23, 24]);
}
