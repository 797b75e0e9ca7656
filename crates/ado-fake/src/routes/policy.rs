//! Policy configurations, revisions, evaluations and types.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{
    QueryMap, bad_parameter, collection, guid_param, int_param, page_by_position, parse_body, position_of, top_param,
    with_project,
};
use crate::App;
use crate::http::{error, json_response};
use crate::seed;
use crate::state::{PolicyRecord, Project, policy_document, policy_type_id};

const VERSION: &str = "7.1";
const PREVIEW: &str = "7.1-preview.1";

fn ok(value: &Value) -> Response {
    json_response(StatusCode::OK, value, VERSION)
}

fn configuration_not_found(id: i32) -> Response {
    error(
        StatusCode::NOT_FOUND,
        Some("TF401141"),
        "PolicyConfigurationNotFoundException",
        &format!("The policy configuration {id} does not exist."),
    )
}

/// A configuration body, parsed and checked: a known policy type id and an object of settings.
fn configuration_body(bytes: &[u8]) -> Result<Value, Response> {
    let body = parse_body(bytes)?;
    let type_id = body.pointer("/type/id").and_then(|v| v.as_str()).unwrap_or_default();
    if type_id.parse::<uuid::Uuid>().is_err() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            None,
            "ArgumentException",
            "The policy configuration needs type.id, a policy type GUID.",
        ));
    }
    if seed::policy_type_name(type_id).is_none() {
        return Err(error(
            StatusCode::NOT_FOUND,
            Some("TF401145"),
            "PolicyTypeNotFoundException",
            &format!("The policy type {type_id} does not exist."),
        ));
    }
    if !body.get("settings").is_some_and(Value::is_object) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            Some("TF402457"),
            "PolicySettingsFormatException",
            "The policy settings are badly formatted: settings must be a JSON object.",
        ));
    }
    Ok(body)
}

/// GET configurations, paged by a continuation token in the header.
pub async fn list(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let top = match top_param(&query, 100) {
        Ok(top) => top,
        Err(response) => return response,
    };
    let start = match position_of(&query) {
        Ok(p) => p.unwrap_or(0),
        Err(response) => return response,
    };
    let policy_type = match guid_param(&query, "policyType") {
        Ok(policy_type) => policy_type,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |_, p| {
        let of_type = |c: &Value| policy_type.as_ref().is_none_or(|t| policy_type_id(c) == *t);
        page_by_position(p.policies_from(start).filter(|(_, c)| of_type(c)), top)
    })
}

/// POST a configuration.
pub async fn create(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match configuration_body(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |org_name, p| {
        let id = p.next_policy_id;
        p.next_policy_id += 1;
        let doc = policy_document(org_name, p.id, id, 1, &body, &seed::identity());
        p.policies.insert(
            id,
            PolicyRecord {
                revisions: vec![doc.clone()],
                deleted: false,
            },
        );
        ok(&doc)
    })
}

fn live(p: &Project, id: i32) -> Result<&PolicyRecord, Response> {
    p.policies
        .get(&id)
        .filter(|r| !r.deleted)
        .ok_or_else(|| configuration_not_found(id))
}

/// GET a configuration.
pub async fn get(State(app): State<Arc<App>>, Path((org, project, id)): Path<(String, String, i32)>) -> Response {
    with_project(&app, &org, &project, |_, p| match live(p, id) {
        Ok(record) => ok(record.current()),
        Err(response) => response,
    })
}

/// PUT a configuration: a new revision.
pub async fn update(
    State(app): State<Arc<App>>,
    Path((org, project, id)): Path<(String, String, i32)>,
    body: Bytes,
) -> Response {
    let body = match configuration_body(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |org_name, p| {
        let project_id = p.id;
        let Some(record) = p.policies.get_mut(&id).filter(|r| !r.deleted) else {
            return configuration_not_found(id);
        };
        let current = record.current();
        if policy_type_id(current) != policy_type_id(&body) {
            return error(
                StatusCode::BAD_REQUEST,
                None,
                "ArgumentException",
                "The type of a policy configuration cannot change.",
            );
        }
        let revision = current.get("revision").and_then(|v| v.as_i64()).unwrap_or(1) as i32 + 1;
        let created_by = current.get("createdBy").cloned().unwrap_or_else(seed::identity);
        let doc = policy_document(org_name, project_id, id, revision, &body, &created_by);
        record.revisions.push(doc.clone());
        ok(&doc)
    })
}

/// DELETE a configuration (kept, with its revisions, as deleted).
pub async fn delete(State(app): State<Arc<App>>, Path((org, project, id)): Path<(String, String, i32)>) -> Response {
    with_project(&app, &org, &project, |_, p| {
        let Some(record) = p.policies.get_mut(&id).filter(|r| !r.deleted) else {
            return configuration_not_found(id);
        };
        record.deleted = true;
        if let Some(last) = record.revisions.last_mut() {
            last["isDeleted"] = json!(true);
        }
        StatusCode::NO_CONTENT.into_response()
    })
}

fn skip_top(query: &QueryMap) -> Result<(usize, usize), Response> {
    let top = int_param(query, "$top")?.unwrap_or(100);
    let skip = int_param(query, "$skip")?.unwrap_or(0);
    if top < 1 {
        return Err(bad_parameter("$top", &top.to_string()));
    }
    if skip < 0 {
        return Err(bad_parameter("$skip", &skip.to_string()));
    }
    Ok((top as usize, skip as usize))
}

/// GET the revisions of a configuration, oldest first.
pub async fn revisions_list(
    State(app): State<Arc<App>>,
    Path((org, project, id)): Path<(String, String, i32)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let (top, skip) = match skip_top(&query) {
        Ok(v) => v,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |_, p| match p.policies.get(&id) {
        Some(record) => ok(&collection(
            record.revisions.iter().skip(skip).take(top).cloned().collect(),
        )),
        None => configuration_not_found(id),
    })
}

/// GET one revision.
pub async fn revisions_get(
    State(app): State<Arc<App>>,
    Path((org, project, id, revision)): Path<(String, String, i32, i32)>,
) -> Response {
    with_project(&app, &org, &project, |_, p| {
        let Some(record) = p.policies.get(&id) else {
            return configuration_not_found(id);
        };
        match record
            .revisions
            .iter()
            .find(|r| r.get("revision").and_then(|v| v.as_i64()) == Some(revision as i64))
        {
            Some(doc) => ok(doc),
            None => error(
                StatusCode::NOT_FOUND,
                Some("TF401141"),
                "PolicyConfigurationNotFoundException",
                &format!("The policy configuration {id} has no revision {revision}."),
            ),
        }
    })
}

/// GET the evaluations of a pull request.
pub async fn evaluations_list(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let Some(artifact) = query.get("artifactId").filter(|a| !a.is_empty()).cloned() else {
        return error(
            StatusCode::BAD_REQUEST,
            None,
            "ArgumentNullException",
            "Value cannot be null.\r\nParameter name: artifactId",
        );
    };
    if !artifact
        .to_ascii_lowercase()
        .starts_with("vstfs:///codereview/codereviewid/")
    {
        return error(
            StatusCode::BAD_REQUEST,
            None,
            "ArgumentException",
            &format!(
                "The artifact id '{artifact}' is not a pull request artifact (vstfs:///CodeReview/CodeReviewId/{{projectId}}/{{pullRequestId}})."
            ),
        );
    }
    let include_not_applicable = query
        .get("includeNotApplicable")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let (top, skip) = match skip_top(&query) {
        Ok(v) => v,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |_, p| {
        let matching: Vec<Value> = p
            .evaluations
            .iter()
            .filter(|e| {
                e.get("artifactId")
                    .and_then(|v| v.as_str())
                    .is_some_and(|a| a.eq_ignore_ascii_case(&artifact))
            })
            .filter(|e| include_not_applicable || e.get("status").and_then(|v| v.as_str()) != Some("notApplicable"))
            .skip(skip)
            .take(top)
            .cloned()
            .collect();
        json_response(StatusCode::OK, &collection(matching), PREVIEW)
    })
}

fn evaluation_not_found(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        None,
        "PolicyEvaluationNotFoundException",
        &format!("The policy evaluation {id} does not exist."),
    )
}

fn find_evaluation<'a>(p: &'a mut Project, id: &str) -> Result<&'a mut Value, Response> {
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return Err(bad_parameter("evaluationId", id));
    };
    let text = id.to_string();
    p.evaluations
        .iter_mut()
        .find(|e| {
            e.get("evaluationId")
                .and_then(|v| v.as_str())
                .is_some_and(|v| v.eq_ignore_ascii_case(&text))
        })
        .ok_or_else(|| evaluation_not_found(&text))
}

/// GET one evaluation.
pub async fn evaluations_get(
    State(app): State<Arc<App>>,
    Path((org, project, id)): Path<(String, String, String)>,
) -> Response {
    with_project(&app, &org, &project, |_, p| match find_evaluation(p, &id) {
        Ok(evaluation) => json_response(StatusCode::OK, evaluation, PREVIEW),
        Err(response) => response,
    })
}

/// PATCH: queue an evaluation again.
pub async fn evaluations_requeue(
    State(app): State<Arc<App>>,
    Path((org, project, id)): Path<(String, String, String)>,
) -> Response {
    with_project(&app, &org, &project, |_, p| match find_evaluation(p, &id) {
        Ok(evaluation) => {
            evaluation["status"] = json!("queued");
            evaluation["startedDate"] = json!(crate::now_text());
            evaluation["completedDate"] = Value::Null;
            json_response(StatusCode::OK, evaluation, PREVIEW)
        }
        Err(response) => response,
    })
}

fn type_document(org: &str, project_id: uuid::Uuid, (id, name, description): &(&str, &str, &str)) -> Value {
    let url = format!("https://dev.azure.com/{org}/{project_id}/_apis/policy/types/{id}");
    json!({"description": description, "_links": {"self": {"href": url}}, "id": id, "url": url, "displayName": name})
}

/// GET the policy types.
pub async fn types_list(State(app): State<Arc<App>>, Path((org, project)): Path<(String, String)>) -> Response {
    with_project(&app, &org, &project, |org_name, p| {
        ok(&collection(
            seed::POLICY_TYPES
                .iter()
                .map(|t| type_document(org_name, p.id, t))
                .collect(),
        ))
    })
}

/// GET one policy type.
pub async fn types_get(
    State(app): State<Arc<App>>,
    Path((org, project, id)): Path<(String, String, String)>,
) -> Response {
    with_project(&app, &org, &project, |org_name, p| {
        match seed::POLICY_TYPES.iter().find(|(t, _, _)| t.eq_ignore_ascii_case(&id)) {
            Some(t) => ok(&type_document(org_name, p.id, t)),
            None => error(
                StatusCode::NOT_FOUND,
                Some("TF401145"),
                "PolicyTypeNotFoundException",
                &format!("The policy type {id} does not exist."),
            ),
        }
    })
}
