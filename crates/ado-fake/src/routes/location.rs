//! The location service: what the official clients ask before any call. `OPTIONS {org}/_apis`
//! lists the API resource locations (id, route template, versions), `GET {org}/_apis/ResourceAreas`
//! says which host serves each area, and `GET {org}/_apis/connectionData` who is calling.
//!
//! As on the service, these answer without credentials; credentials that are sent must be good.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::{collection, with_org};
use crate::App;
use crate::generated::AREAS;
use crate::http::{error, json_response, refuse_bad_credentials};
use crate::location::{Host, all_locations, area_by_id, area_json};

/// The api-version the location service's answers carry.
const VERSION: &str = "7.1-preview.1";

/// `OPTIONS {org}/_apis`: every API resource location.
pub async fn options_all(State(app): State<Arc<App>>, Path(org): Path<String>, headers: HeaderMap) -> Response {
    options(&app, &org, &headers, None)
}

/// `OPTIONS {org}/_apis/{area}`: the locations of one area (any case).
pub async fn options_area(
    State(app): State<Arc<App>>,
    Path((org, area)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    options(&app, &org, &headers, Some(&area))
}

fn options(app: &App, org: &str, headers: &HeaderMap, area: Option<&str>) -> Response {
    if let Some(refusal) = refuse_bad_credentials(app, headers) {
        return refusal;
    }
    with_org(app, org, |_| {
        let locations: Vec<Value> = all_locations()
            .filter(|l| area.is_none_or(|a| l.area.eq_ignore_ascii_case(a)))
            .map(|l| l.to_json())
            .collect();
        json_response(StatusCode::OK, &collection(locations), VERSION)
    })
}

/// `GET {org}/_apis/ResourceAreas`: every area and its URL.
pub async fn resource_areas(State(app): State<Arc<App>>, Path(org): Path<String>, headers: HeaderMap) -> Response {
    if let Some(refusal) = refuse_bad_credentials(&app, &headers) {
        return refusal;
    }
    with_org(&app, &org, |o| {
        let areas = AREAS.iter().map(|a| area_json(&app, a, &o.name)).collect();
        json_response(StatusCode::OK, &collection(areas), VERSION)
    })
}

/// `GET {org}/_apis/ResourceAreas/{areaId}`: one area, or 404.
pub async fn resource_area(
    State(app): State<Arc<App>>,
    Path((org, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refusal) = refuse_bad_credentials(&app, &headers) {
        return refusal;
    }
    with_org(&app, &org, |o| match area_by_id(&id) {
        Some(area) => json_response(StatusCode::OK, &area_json(&app, area, &o.name), VERSION),
        None => error(
            StatusCode::NOT_FOUND,
            None,
            "ResourceAreaNotFoundException",
            &format!("The resource area {id} was not found."),
        ),
    })
}

/// `GET {org}/_apis/connectionData`: the caller (anonymous without credentials) and the
/// organization's location data.
pub async fn connection_data(State(app): State<Arc<App>>, Path(org): Path<String>, headers: HeaderMap) -> Response {
    if let Some(refusal) = refuse_bad_credentials(&app, &headers) {
        return refusal;
    }
    let signed_in = headers.contains_key(header::AUTHORIZATION);
    let base = app.origin(Host::Core);
    with_org(&app, &org, |o| {
        let user = if signed_in { user() } else { anonymous() };
        let body = json!({
            "authenticatedUser": user,
            "authorizedUser": user,
            "instanceId": crate::seed::PROJECT_ID,
            "deploymentId": "4b3a8b6e-0c7a-4bb6-9f2e-6f0b3f1d9c2a",
            "deploymentType": "hosted",
            "locationServiceData": {
                "serviceOwner": "00025394-6065-48ca-87d9-7f5672854ef7",
                "defaultAccessMappingMoniker": "PublicAccessMapping",
                "lastChangeId": 1,
                "lastChangeId64": 1,
                "accessMappings": [{
                    "displayName": "Public Access Mapping",
                    "moniker": "PublicAccessMapping",
                    "accessPoint": format!("{base}/{}", o.name),
                    "serviceOwner": "00025394-6065-48ca-87d9-7f5672854ef7",
                }],
                "serviceDefinitions": [],
            },
        });
        json_response(StatusCode::OK, &body, VERSION)
    })
}

fn user() -> Value {
    let identity = crate::seed::identity();
    json!({
        "id": identity["id"],
        "descriptor": format!("Microsoft.IdentityModel.Claims.ClaimsIdentity;{}", identity["uniqueName"].as_str().unwrap_or_default()),
        "providerDisplayName": identity["displayName"],
        "isActive": true,
        "properties": {"Account": {"$type": "System.String", "$value": identity["uniqueName"]}},
        "resourceVersion": 2,
        "metaTypeId": 0,
    })
}

fn anonymous() -> Value {
    json!({
        "id": "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
        "descriptor": "System:PublicAccess;aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
        "providerDisplayName": "Anonymous",
        "isActive": true,
        "properties": {},
        "resourceVersion": 2,
        "metaTypeId": 0,
    })
}
