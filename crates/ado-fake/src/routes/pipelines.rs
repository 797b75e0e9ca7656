//! Pipelines, runs, logs, artifacts, preview, and pipeline permissions.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{
    QueryMap, bad_parameter, collection, int_param, page_answer, parse_body, position_of, run_request, with_project,
};
use crate::App;
use crate::http::{error, json_response};
use crate::seed;
use crate::state::Project;

const PREVIEW: &str = "7.1-preview.1";
const VERSION: &str = "7.1";
const RESOURCE_TYPES: &[&str] = &[
    "endpoint",
    "queue",
    "variablegroup",
    "securefile",
    "environment",
    "repository",
];

fn ok(value: &Value) -> Response {
    json_response(StatusCode::OK, value, VERSION)
}

fn not_found(what: &str) -> Response {
    error(StatusCode::NOT_FOUND, None, "ResourceNotFoundException", what)
}

fn resource_type_error(kind: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        None,
        "InvalidResourceTypeException",
        &format!(
            "Resource type '{kind}' is not supported. Supported types: {}.",
            RESOURCE_TYPES.join(", ")
        ),
    )
}

fn authorizer() -> Value {
    json!({"displayName": "Normal Paulk", "id": "d6245f20-2af8-44f4-9451-8107cb2767db", "uniqueName": "fabrikamfiber16@hotmail.com", "descriptor": "aad.ZDYyNDVmMjAtMmFmOC00NGY0"})
}

/// Apply a permissions change to one resource's record.
fn apply_permissions(project: &mut Project, kind: &str, id: &str, change: &Value) -> Result<Value, Response> {
    let key = (kind.to_ascii_lowercase(), id.to_string());
    let record = project
        .permissions
        .entry(key)
        .or_insert_with(|| json!({"resource": {"type": kind.to_ascii_lowercase(), "id": id}, "pipelines": []}));
    let now = crate::now_text();
    if let Some(all) = change.get("allPipelines").filter(|v| !v.is_null()) {
        let authorized = all
            .get("authorized")
            .and_then(|v| v.as_bool())
            .ok_or_else(|| crate::http::bad_body("allPipelines.authorized must be a boolean"))?;
        record["allPipelines"] = json!({"authorized": authorized, "authorizedBy": authorizer(), "authorizedOn": now});
    }
    if let Some(changes) = change.get("pipelines").filter(|v| !v.is_null()) {
        let changes = changes
            .as_array()
            .ok_or_else(|| crate::http::bad_body("pipelines must be an array"))?;
        for entry in changes {
            let pipeline_id = entry
                .get("id")
                .and_then(|v| v.as_i64())
                .ok_or_else(|| crate::http::bad_body("each pipeline needs an integer id"))?;
            let authorized = entry.get("authorized").and_then(|v| v.as_bool()).unwrap_or(true);
            let list = record["pipelines"]
                .as_array_mut()
                .ok_or_else(|| crate::http::bad_body("corrupt record"))?;
            list.retain(|p| p.get("id").and_then(|v| v.as_i64()) != Some(pipeline_id));
            if authorized {
                list.push(
                    json!({"id": pipeline_id, "authorized": true, "authorizedBy": authorizer(), "authorizedOn": now}),
                );
                list.sort_by_key(|p| p.get("id").and_then(|v| v.as_i64()).unwrap_or(0));
            }
        }
    }
    Ok(record.clone())
}

/// GET the permissions of one resource.
pub async fn permissions_get(
    State(app): State<Arc<App>>,
    Path((org, project, kind, id)): Path<(String, String, String, String)>,
) -> Response {
    if !RESOURCE_TYPES.contains(&kind.to_ascii_lowercase().as_str()) {
        return resource_type_error(&kind);
    }
    with_project(&app, &org, &project, |_, p| {
        let key = (kind.to_ascii_lowercase(), id.clone());
        let record = p
            .permissions
            .get(&key)
            .cloned()
            .unwrap_or_else(|| json!({"resource": {"type": kind.to_ascii_lowercase(), "id": id}, "pipelines": []}));
        json_response(StatusCode::OK, &record, PREVIEW)
    })
}

/// PATCH the permissions of one resource.
pub async fn permissions_update(
    State(app): State<Arc<App>>,
    Path((org, project, kind, id)): Path<(String, String, String, String)>,
    body: Bytes,
) -> Response {
    if !RESOURCE_TYPES.contains(&kind.to_ascii_lowercase().as_str()) {
        return resource_type_error(&kind);
    }
    let change = match parse_body(&body) {
        Ok(v) if v.is_object() => v,
        Ok(_) => return crate::http::bad_body("expected an object"),
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |_, p| {
        match apply_permissions(p, &kind, &id, &change) {
            Ok(record) => json_response(StatusCode::OK, &record, PREVIEW),
            Err(response) => response,
        }
    })
}

/// PATCH the permissions of many resources.
pub async fn permissions_update_many(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let changes = match parse_body(&body) {
        Ok(Value::Array(items)) => items,
        Ok(_) => return crate::http::bad_body("expected an array of resource permissions"),
        Err(response) => return response,
    };
    let mut targets = Vec::new();
    for change in &changes {
        let kind = change
            .pointer("/resource/type")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let id = change
            .pointer("/resource/id")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        if !RESOURCE_TYPES.contains(&kind.to_ascii_lowercase().as_str()) {
            return resource_type_error(&kind);
        }
        if id.is_empty() {
            return crate::http::bad_body("each resource needs an id");
        }
        targets.push((kind, id));
    }
    with_project(&app, &org, &project, |_, p| {
        let mut results = Vec::new();
        for ((kind, id), change) in targets.iter().zip(&changes) {
            match apply_permissions(p, kind, id, change) {
                Ok(record) => results.push(record),
                Err(response) => return response,
            }
        }
        json_response(StatusCode::OK, &collection(results), PREVIEW)
    })
}

/// GET pipelines, paged.
pub async fn list(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let top = match int_param(&query, "$top") {
        Ok(top) => top.unwrap_or(1000).clamp(1, 1000) as usize,
        Err(response) => return response,
    };
    let start = match position_of(&query) {
        Ok(p) => p.unwrap_or(0).max(0) as usize,
        Err(response) => return response,
    };
    let order = query
        .get("orderBy")
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_else(|| "name asc".into());
    with_project(&app, &org, &project, |_, p| {
        let mut all: Vec<&Value> = p.pipelines.values().collect();
        let by_name = |v: &Value| {
            v.get("name")
                .and_then(|n| n.as_str())
                .unwrap_or_default()
                .to_ascii_lowercase()
        };
        match order.as_str() {
            "name asc" | "name" => all.sort_by_key(|v| by_name(v)),
            "name desc" => {
                all.sort_by_key(|v| by_name(v));
                all.reverse();
            }
            "id asc" | "id" => {}
            "id desc" => all.reverse(),
            other => return bad_parameter("orderBy", other),
        }
        let page: Vec<Value> = all.iter().skip(start).take(top).map(|v| (*v).clone()).collect();
        let end = start + page.len();
        page_answer(page, (end < all.len()).then_some(end as i64))
    })
}

/// POST a pipeline.
pub async fn create(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let name = body
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .trim()
        .to_string();
    if name.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            None,
            "ArgumentException",
            "A pipeline needs a name.",
        );
    }
    let Some(configuration) = body.get("configuration").filter(|c| c.get("type").is_some()) else {
        return error(
            StatusCode::BAD_REQUEST,
            None,
            "ArgumentException",
            "A pipeline needs a configuration with a type.",
        );
    };
    let folder = body.get("folder").and_then(|v| v.as_str()).unwrap_or("\\").to_string();
    with_project(&app, &org, &project, |org_name, p| {
        let exists = p.pipelines.values().any(|v| {
            v.get("name")
                .and_then(|n| n.as_str())
                .is_some_and(|n| n.eq_ignore_ascii_case(&name))
                && v.get("folder").and_then(|f| f.as_str()) == Some(folder.as_str())
        });
        if exists {
            return error(
                StatusCode::CONFLICT,
                None,
                "DefinitionExistsException",
                &format!("A pipeline named '{name}' already exists in folder '{folder}'."),
            );
        }
        let id = p.next_pipeline_id;
        p.next_pipeline_id += 1;
        let url = format!(
            "https://dev.azure.com/{org_name}/{}/_apis/pipelines/{id}?revision=1",
            p.id
        );
        let pipeline = json!({
            "_links": {"self": {"href": url}},
            "configuration": configuration,
            "url": url,
            "id": id,
            "revision": 1,
            "name": name,
            "folder": folder
        });
        p.pipelines.insert(id, pipeline.clone());
        p.runs.insert(id, Vec::new());
        ok(&pipeline)
    })
}

fn pipeline_of(p: &Project, id: i32, version: Option<i64>) -> Result<&Value, Response> {
    let pipeline = p
        .pipelines
        .get(&id)
        .ok_or_else(|| not_found(&format!("Pipeline with id {id} was not found.")))?;
    let revision = pipeline.get("revision").and_then(|v| v.as_i64()).unwrap_or(1);
    match version {
        Some(v) if v < 1 || v > revision => Err(not_found(&format!("Pipeline {id} has no version {v}."))),
        _ => Ok(pipeline),
    }
}

/// GET a pipeline.
pub async fn get(
    State(app): State<Arc<App>>,
    Path((org, project, id)): Path<(String, String, i32)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let version = match int_param(&query, "pipelineVersion") {
        Ok(v) => v,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |_, p| match pipeline_of(p, id, version) {
        Ok(pipeline) => ok(pipeline),
        Err(response) => response,
    })
}

fn final_yaml(pipeline: &Value, parameters: &Value) -> String {
    if let Some(yaml) = parameters.get("yamlOverride").and_then(|v| v.as_str()) {
        return yaml.to_string();
    }
    let name = pipeline.get("name").and_then(|v| v.as_str()).unwrap_or("pipeline");
    let skipped: Vec<&str> = parameters
        .get("stagesToSkip")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
        .unwrap_or_default();
    let mut yaml = format!("name: {name}\ntrigger:\n- master\npool:\n  vmImage: ubuntu-latest\nstages:\n");
    for stage in ["build", "test", "deploy"].iter().filter(|s| !skipped.contains(s)) {
        yaml.push_str(&format!(
            "- stage: {stage}\n  jobs:\n  - job: {stage}\n    steps:\n    - script: echo {stage}\n"
        ));
    }
    yaml
}

/// POST preview.
pub async fn preview(
    State(app): State<Arc<App>>,
    Path((org, project, id)): Path<(String, String, i32)>,
    Query(query): Query<QueryMap>,
    body: Bytes,
) -> Response {
    let (parameters, version) = match run_request(&query, &body) {
        Ok(inputs) => inputs,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |_, p| match pipeline_of(p, id, version) {
        Ok(pipeline) => ok(&json!({"finalYaml": final_yaml(pipeline, &parameters)})),
        Err(response) => response,
    })
}

/// GET runs (newest first).
pub async fn runs_list(State(app): State<Arc<App>>, Path((org, project, id)): Path<(String, String, i32)>) -> Response {
    with_project(&app, &org, &project, |_, p| {
        if !p.pipelines.contains_key(&id) {
            return not_found(&format!("Pipeline with id {id} was not found."));
        }
        let mut runs = p.runs.get(&id).cloned().unwrap_or_default();
        runs.reverse();
        ok(&collection(runs))
    })
}

/// POST a run.
pub async fn runs_run(
    State(app): State<Arc<App>>,
    Path((org, project, id)): Path<(String, String, i32)>,
    Query(query): Query<QueryMap>,
    body: Bytes,
) -> Response {
    let (parameters, version) = match run_request(&query, &body) {
        Ok(inputs) => inputs,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |_, p| {
        let pipeline = match pipeline_of(p, id, version) {
            Ok(pipeline) => pipeline.clone(),
            Err(response) => return response,
        };
        let now = crate::now_text();
        if parameters.get("previewRun").and_then(|v| v.as_bool()) == Some(true) {
            let mut run = seed::run_document(&pipeline, -1, "unknown", None, &now, None);
            run["finalYaml"] = json!(final_yaml(&pipeline, &parameters));
            return ok(&run);
        }
        let run_id = p.next_run_id;
        p.next_run_id += 1;
        let mut run = seed::run_document(&pipeline, run_id, "inProgress", None, &now, None);
        if let Some(template) = parameters.get("templateParameters").filter(|v| !v.is_null()) {
            run["templateParameters"] = template.clone();
        }
        if let Some(variables) = parameters.get("variables").filter(|v| !v.is_null()) {
            run["variables"] = without_secret_values(variables);
        }
        if let Some(own) = parameters.pointer("/resources/repositories/self") {
            for field in ["refName", "version"] {
                if let Some(value) = own.get(field).filter(|v| v.is_string()) {
                    run["resources"]["repositories"]["self"][field] = value.clone();
                }
            }
        }
        p.runs.entry(id).or_default().push(run.clone());
        p.logs.insert((id, run_id), seed::logs_for(id, run_id, &now));
        p.artifacts.insert((id, run_id), Vec::new());
        ok(&run)
    })
}

/// A run's variables as the service shows them: a secret variable's value is never sent back.
fn without_secret_values(variables: &Value) -> Value {
    let mut shown = variables.clone();
    if let Some(map) = shown.as_object_mut() {
        for variable in map.values_mut() {
            if variable.get("isSecret").and_then(Value::as_bool) == Some(true)
                && let Some(fields) = variable.as_object_mut()
            {
                fields.remove("value");
            }
        }
    }
    shown
}

fn find_run(p: &Project, pipeline: i32, run: i32) -> Result<Value, Response> {
    p.runs
        .get(&pipeline)
        .and_then(|runs| {
            runs.iter()
                .find(|r| r.get("id").and_then(|v| v.as_i64()) == Some(run as i64))
        })
        .cloned()
        .ok_or_else(|| not_found(&format!("Run {run} of pipeline {pipeline} was not found.")))
}

/// GET a run.
pub async fn runs_get(
    State(app): State<Arc<App>>,
    Path((org, project, pipeline, run)): Path<(String, String, i32, i32)>,
) -> Response {
    with_project(&app, &org, &project, |_, p| match find_run(p, pipeline, run) {
        Ok(run) => ok(&run),
        Err(response) => response,
    })
}

fn expand(query: &QueryMap) -> Result<bool, Response> {
    match query.get("$expand").map(|s| s.to_ascii_lowercase()) {
        None => Ok(false),
        Some(v) if v == "none" => Ok(false),
        Some(v) if v == "signedcontent" => Ok(true),
        Some(v) => Err(bad_parameter("$expand", &v)),
    }
}

/// Give `entry` a `signedContent`: its `url` (with `suffix`), signed for an hour.
fn sign(entry: &mut Value, suffix: &str) {
    let url = entry.get("url").and_then(Value::as_str).unwrap_or_default();
    let expires =
        (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    entry["signedContent"] = json!({"url": format!("{url}{suffix}&sig=fake-signature"), "signatureExpires": expires});
}

/// GET the logs of a run.
pub async fn logs_list(
    State(app): State<Arc<App>>,
    Path((org, project, pipeline, run)): Path<(String, String, i32, i32)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let signed_content = match expand(&query) {
        Ok(v) => v,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |org_name, p| {
        if let Err(response) = find_run(p, pipeline, run) {
            return response;
        }
        let url = format!(
            "https://dev.azure.com/{org_name}/{}/_apis/pipelines/{pipeline}/runs/{run}/logs",
            p.id
        );
        let mut logs = p.logs.get(&(pipeline, run)).cloned().unwrap_or_default();
        let mut body = json!({"url": url});
        if signed_content {
            for log in &mut logs {
                sign(log, "?download=true");
            }
            sign(&mut body, "?download=true");
        }
        body["logs"] = json!(logs);
        ok(&body)
    })
}

/// GET one log of a run.
pub async fn logs_get(
    State(app): State<Arc<App>>,
    Path((org, project, pipeline, run, log)): Path<(String, String, i32, i32, i32)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let signed_content = match expand(&query) {
        Ok(v) => v,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |_, p| {
        if let Err(response) = find_run(p, pipeline, run) {
            return response;
        }
        let found = p
            .logs
            .get(&(pipeline, run))
            .and_then(|logs| {
                logs.iter()
                    .find(|l| l.get("id").and_then(|v| v.as_i64()) == Some(log as i64))
            })
            .cloned();
        match found {
            Some(mut entry) => {
                if signed_content {
                    sign(&mut entry, "?download=true");
                }
                ok(&entry)
            }
            None => not_found(&format!("Log {log} of run {run} was not found.")),
        }
    })
}

/// GET an artifact of a run by name.
pub async fn artifacts_get(
    State(app): State<Arc<App>>,
    Path((org, project, pipeline, run)): Path<(String, String, i32, i32)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let Some(name) = query.get("artifactName").filter(|n| !n.is_empty()).cloned() else {
        return error(
            StatusCode::BAD_REQUEST,
            None,
            "ArgumentNullException",
            "Value cannot be null.\r\nParameter name: artifactName",
        );
    };
    let signed_content = match expand(&query) {
        Ok(v) => v,
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |_, p| {
        if let Err(response) = find_run(p, pipeline, run) {
            return response;
        }
        let found = p
            .artifacts
            .get(&(pipeline, run))
            .and_then(|a| {
                a.iter()
                    .find(|x| x.get("name").and_then(|v| v.as_str()) == Some(name.as_str()))
            })
            .cloned();
        match found {
            Some(mut artifact) => {
                if signed_content {
                    sign(&mut artifact, "");
                }
                ok(&artifact)
            }
            None => not_found(&format!("Artifact '{name}' of run {run} was not found.")),
        }
    })
}
