//! Git repositories, refs, and the policy configurations of a repository and branch.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{QueryMap, bad_parameter, collection, int_param, page_answer, parse_body, position_of, with_project};
use crate::App;
use crate::http::{error, json_response};
use crate::repositories::{NO_OBJECT, Repository, ref_document, repository_document, scope_applies};
use crate::state::policy_type_id;

const VERSION: &str = "7.1";

fn ok(value: &Value) -> Response {
    json_response(StatusCode::OK, value, VERSION)
}

fn repository_not_found(key: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        Some("TF401019"),
        "GitRepositoryNotFoundException",
        &format!(
            "The Git repository with name or identifier {key} does not exist or you do not have permissions for the operation you are attempting."
        ),
    )
}

fn name_taken(name: &str) -> Response {
    error(
        StatusCode::CONFLICT,
        Some("TF400948"),
        "GitRepositoryNameAlreadyExistsException",
        &format!("A Git repository with the name {name} already exists."),
    )
}

/// A repository name the service accepts: not empty, no control characters or reserved marks.
fn valid_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name.len() <= 64
        && !name
            .chars()
            .any(|c| c.is_control() || "\\/:*?\"<>|;#$,{}+=[]".contains(c))
}

/// GET the project's repositories.
pub async fn repositories_list(State(app): State<Arc<App>>, Path((org, project)): Path<(String, String)>) -> Response {
    with_project(&app, &org, &project, |_, p| {
        ok(&collection(p.repositories.iter().map(|r| r.document.clone()).collect()))
    })
}

/// POST a repository: `{name, project: {id}}`.
pub async fn repositories_create(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(name) = body.get("name").and_then(|n| n.as_str()).filter(|n| valid_name(n)) else {
        return error(
            StatusCode::BAD_REQUEST,
            Some("TF401025"),
            "InvalidArgumentValueException",
            "The repository needs a name: not empty, at most 64 characters, without \\ / : * ? \" < > | ; # $ , { } + = [ ].",
        );
    };
    with_project(&app, &org, &project, |org_name, p| {
        if p.repositories.iter().any(|r| r.name().eq_ignore_ascii_case(name)) {
            return name_taken(name);
        }
        let id = uuid::Uuid::new_v4().to_string();
        let mut document = repository_document(org_name, p.id, &p.name, &id, name);
        // A new repository is empty: no branches, so no default branch yet.
        if let Some(map) = document.as_object_mut() {
            map.remove("defaultBranch");
        }
        p.repositories.push(Repository {
            document: document.clone(),
            refs: Default::default(),
        });
        json_response(StatusCode::CREATED, &document, VERSION)
    })
}

/// GET one repository by id or name.
pub async fn repositories_get(
    State(app): State<Arc<App>>,
    Path((org, project, key)): Path<(String, String, String)>,
) -> Response {
    with_project(&app, &org, &project, |_, p| match p.repository_mut(&key) {
        Some(repository) => ok(&repository.document),
        None => repository_not_found(&key),
    })
}

/// PATCH a repository: rename, change the default branch, disable or enable.
pub async fn repositories_update(
    State(app): State<Arc<App>>,
    Path((org, project, key)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    if key.parse::<uuid::Uuid>().is_err() {
        return bad_parameter("repositoryId", &key);
    }
    with_project(&app, &org, &project, |org_name, p| {
        let new_name = body.get("name").and_then(|n| n.as_str());
        if let Some(name) = new_name {
            if !valid_name(name) {
                return bad_parameter("name", name);
            }
            if p.repositories
                .iter()
                .any(|r| !r.is(&key) && r.name().eq_ignore_ascii_case(name))
            {
                return name_taken(name);
            }
        }
        let (project_id, project_name) = (p.id, p.name.clone());
        let Some(repository) = p.repository_mut(&key) else {
            return repository_not_found(&key);
        };
        if let Some(branch) = body.get("defaultBranch").and_then(|b| b.as_str()) {
            if !repository.refs.contains_key(branch) {
                return bad_parameter("defaultBranch", branch);
            }
            repository.document["defaultBranch"] = json!(branch);
        }
        if let Some(disabled) = body.get("isDisabled").and_then(|d| d.as_bool()) {
            repository.document["isDisabled"] = json!(disabled);
        }
        if let Some(name) = new_name {
            let mut renamed = repository_document(org_name, project_id, &project_name, &repository.id(), name);
            for key in ["defaultBranch", "isDisabled", "size"] {
                renamed[key] = repository.document[key].clone();
            }
            repository.document = renamed;
        }
        ok(&repository.document)
    })
}

/// DELETE a repository.
pub async fn repositories_delete(
    State(app): State<Arc<App>>,
    Path((org, project, key)): Path<(String, String, String)>,
) -> Response {
    if key.parse::<uuid::Uuid>().is_err() {
        return bad_parameter("repositoryId", &key);
    }
    with_project(&app, &org, &project, |_, p| {
        let before = p.repositories.len();
        p.repositories.retain(|r| !r.is(&key));
        if p.repositories.len() == before {
            return repository_not_found(&key);
        }
        StatusCode::NO_CONTENT.into_response()
    })
}

/// The page size asked for (`$top`), at least 1.
fn top(query: &QueryMap) -> Result<usize, Response> {
    let top = int_param(query, "$top")?.unwrap_or(1000);
    if top < 1 {
        return Err(bad_parameter("$top", &top.to_string()));
    }
    Ok(top as usize)
}

/// GET a repository's refs: `filter` is a prefix after `refs/`, `filterContains` a part of the
/// name; paged by a continuation token in the header.
pub async fn refs_list(
    State(app): State<Arc<App>>,
    Path((org, project, key)): Path<(String, String, String)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let (top, start) = match top(&query).and_then(|t| Ok((t, position_of(&query)?.unwrap_or(0)))) {
        Ok(paging) => paging,
        Err(response) => return response,
    };
    let prefix = format!("refs/{}", query.get("filter").map(String::as_str).unwrap_or_default());
    let contains = query.get("filterContains").cloned().unwrap_or_default();
    with_project(&app, &org, &project, |_, p| {
        let Some(repository) = p.repository_mut(&key) else {
            return repository_not_found(&key);
        };
        let matching: Vec<&Value> = repository
            .refs
            .iter()
            .filter(|(name, _)| name.starts_with(&prefix) && name.contains(&contains))
            .map(|(_, document)| document)
            .collect();
        let start = start.clamp(0, matching.len() as i64) as usize;
        let page: Vec<Value> = matching.iter().skip(start).take(top).map(|d| (*d).clone()).collect();
        let next = (start + page.len() < matching.len()).then(|| (start + page.len()) as i64);
        page_answer(page, next)
    })
}

/// The outcome of one ref update against the refs as they are.
fn apply_update(repository: &mut Repository, org: &str, update: &Value, creator: &Value) -> Value {
    let name = update.get("name").and_then(|n| n.as_str()).unwrap_or_default();
    let old = update.get("oldObjectId").and_then(|n| n.as_str()).unwrap_or(NO_OBJECT);
    let new = update.get("newObjectId").and_then(|n| n.as_str()).unwrap_or(NO_OBJECT);
    let current = repository.refs.get(name);
    let current_object = current.and_then(|r| r["objectId"].as_str()).unwrap_or(NO_OBJECT);
    let is_object = |id: &str| id.len() == 40 && id.chars().all(|c| c.is_ascii_hexdigit());
    let status = if !name.starts_with("refs/") || name.ends_with('/') || name.contains("//") {
        "invalidRefName"
    } else if !is_object(old) || !is_object(new) {
        "unresolvableToCommit"
    } else if current.is_some_and(|r| r["isLocked"] == json!(true)) {
        "locked"
    } else if current_object != old {
        "staleOldObjectId"
    } else {
        "succeeded"
    };
    if status == "succeeded" {
        if new == NO_OBJECT {
            repository.refs.remove(name);
        } else {
            let document = ref_document(org, &repository.id(), name, new, creator);
            repository.refs.insert(name.to_string(), document);
        }
    }
    json!({
        "repositoryId": repository.id(),
        "name": name,
        "oldObjectId": old,
        "newObjectId": new,
        "isLocked": false,
        "updateStatus": status,
        "success": status == "succeeded"
    })
}

/// POST ref updates: create (old all zeros), move, or delete (new all zeros); each succeeds or
/// fails on its own, as the service answers.
pub async fn refs_update_refs(
    State(app): State<Arc<App>>,
    Path((org, project, key)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    let updates = match parse_body(&body) {
        Ok(Value::Array(updates)) => updates,
        Ok(_) => return crate::http::bad_body("the body must be a JSON array of ref updates"),
        Err(response) => return response,
    };
    with_project(&app, &org, &project, |org_name, p| {
        let Some(repository) = p.repository_mut(&key) else {
            return repository_not_found(&key);
        };
        let creator = crate::seed::identity();
        let results = updates
            .iter()
            .map(|update| apply_update(repository, org_name, update, &creator))
            .collect();
        ok(&collection(results))
    })
}

/// PATCH one ref (named by `filter`, after `refs/`): lock or unlock it.
pub async fn refs_update_ref(
    State(app): State<Arc<App>>,
    Path((org, project, key)): Path<(String, String, String)>,
    Query(query): Query<QueryMap>,
    body: Bytes,
) -> Response {
    let Some(filter) = query.get("filter").filter(|f| !f.is_empty()).cloned() else {
        return bad_parameter("filter", "");
    };
    let body = match parse_body(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(locked) = body.get("isLocked").and_then(|l| l.as_bool()) else {
        return crate::http::bad_body("only `isLocked` (true or false) can be changed on a ref");
    };
    with_project(&app, &org, &project, |_, p| {
        let Some(repository) = p.repository_mut(&key) else {
            return repository_not_found(&key);
        };
        let name = format!("refs/{filter}");
        let Some(document) = repository.refs.get_mut(&name) else {
            return error(
                StatusCode::NOT_FOUND,
                Some("TF401175"),
                "GitRefNotFoundException",
                &format!("The ref {name} does not exist."),
            );
        };
        let map = document.as_object_mut();
        if let Some(map) = map {
            if locked {
                map.insert("isLocked".into(), json!(true));
                map.insert("isLockedBy".into(), crate::seed::identity());
            } else {
                map.remove("isLocked");
                map.remove("isLockedBy");
            }
        }
        ok(document)
    })
}

/// GET the policy configurations that apply to a repository and ref, paged by a continuation
/// token in the header: a configuration applies when one entry of its `scope` does.
pub async fn policy_configurations_list(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let (top, start) = match top(&query).and_then(|t| Ok((t, position_of(&query)?.unwrap_or(0)))) {
        Ok(paging) => paging,
        Err(response) => return response,
    };
    let uuid_param = |name: &str| match query.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<uuid::Uuid>()
            .map(|id| Some(id.to_string()))
            .map_err(|_| bad_parameter(name, v)),
    };
    let (repository_id, policy_type) = match uuid_param("repositoryId").and_then(|r| Ok((r, uuid_param("policyType")?)))
    {
        Ok(filters) => filters,
        Err(response) => return response,
    };
    let ref_name = query.get("refName").filter(|r| !r.is_empty()).cloned();
    with_project(&app, &org, &project, |_, p| {
        let repository = match &repository_id {
            Some(id) => match p.repositories.iter().find(|r| r.is(id)) {
                Some(repository) => Some(repository.clone()),
                None => return repository_not_found(id),
            },
            None => None,
        };
        let applies = |configuration: &Value| {
            let type_matches = policy_type.as_ref().is_none_or(|t| policy_type_id(configuration) == *t);
            let scope = configuration.pointer("/settings/scope").and_then(|s| s.as_array());
            let in_scope = scope.is_none_or(|entries| {
                entries
                    .iter()
                    .any(|entry| scope_applies(entry, repository.as_ref(), ref_name.as_deref()))
            });
            type_matches && in_scope
        };
        let matching: Vec<(i32, &Value)> = p
            .policies
            .iter()
            .filter(|(_, record)| !record.deleted)
            .map(|(id, record)| (*id, record.current()))
            .filter(|(id, configuration)| i64::from(*id) >= start && applies(configuration))
            .collect();
        let page: Vec<Value> = matching.iter().take(top).map(|(_, c)| (*c).clone()).collect();
        let next = matching.get(top).map(|(id, _)| i64::from(*id));
        page_answer(page, next)
    })
}
