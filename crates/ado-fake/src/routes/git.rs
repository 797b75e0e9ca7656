//! Git repositories, and the policy configurations of a repository and branch.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{
    QueryMap, bad_parameter, collection, guid_param, page_by_position, parse_body, position_of, top_param, with_project,
};
use crate::App;
use crate::http::{error, json_response};
use crate::repositories::{Repository, name_fault, repository_document, same_name, scope_applies};
use crate::state::policy_type_id;

const VERSION: &str = "7.1";

pub(super) fn ok(value: &Value) -> Response {
    json_response(StatusCode::OK, value, VERSION)
}

pub(super) fn repository_not_found(key: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        Some("TF401019"),
        "GitRepositoryNotFoundException",
        &format!(
            "The Git repository with name or identifier {key} does not exist or you do not have permissions for the operation you are attempting."
        ),
    )
}

fn invalid_name(name: &str, fault: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        Some("TF401025"),
        "InvalidArgumentValueException",
        &format!("The repository name `{name}` is not valid: {fault}."),
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

/// GET the project's repositories.
pub async fn repositories_list(State(app): State<Arc<App>>, Path((org, project)): Path<(String, String)>) -> Response {
    with_project(&app, &org, &project, |_, p| {
        ok(&collection(p.repositories.iter().map(|r| r.document.clone()).collect()))
    })
}

/// POST a repository: `{name, project: {id}}`, or a fork with `parentRepository: {id}` (of a
/// repository of this project: the fake keeps no forks across projects), holding the parent's
/// refs or only `sourceRef`.
pub async fn repositories_create(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    Query(query): Query<QueryMap>,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let name = body.get("name").and_then(|n| n.as_str()).unwrap_or_default();
    if let Some(fault) = name_fault(name) {
        return invalid_name(name, fault);
    }
    let parent_id = match body.get("parentRepository") {
        None | Some(Value::Null) => None,
        Some(parent) => match parent
            .get("id")
            .and_then(|i| i.as_str())
            .filter(|i| i.parse::<uuid::Uuid>().is_ok())
        {
            Some(id) => Some(id.to_string()),
            None => return crate::http::bad_body("`parentRepository` needs the parent's `id`, a GUID"),
        },
    };
    let source_ref = query.get("sourceRef").filter(|r| !r.is_empty()).cloned();
    with_project(&app, &org, &project, |org_name, p| {
        if p.repositories.iter().any(|r| same_name(r.name(), name)) {
            return name_taken(name);
        }
        let parent = match &parent_id {
            Some(id) => match p.repositories.iter().find(|r| r.is(id)) {
                Some(parent) => Some(parent.clone()),
                None => return repository_not_found(id),
            },
            None => None,
        };
        let id = uuid::Uuid::new_v4().to_string();
        let mut repository = Repository {
            document: repository_document(org_name, p.id, &p.name, &id, name),
            refs: Default::default(),
        };
        // A new repository is empty: no branches, so no default branch yet.
        if let Some(map) = repository.document.as_object_mut() {
            map.remove("defaultBranch");
        }
        if let Some(parent) = parent {
            if let Some(wanted) = &source_ref
                && !parent.refs.contains_key(wanted)
            {
                return bad_parameter("sourceRef", wanted);
            }
            repository.fork_of(&parent, source_ref.as_deref(), org_name);
        }
        let document = repository.document.clone();
        p.repositories.push(repository);
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

/// The changes a `PATCH` of a repository asks for; a field of the wrong type is refused.
struct RepositoryChange {
    name: Option<String>,
    default_branch: Option<String>,
    disabled: Option<bool>,
}

impl RepositoryChange {
    fn read(body: &Value) -> Result<Self, Response> {
        let Some(fields) = body.as_object() else {
            return Err(crate::http::bad_body("the body must be a JSON object"));
        };
        let text = |key: &str| match fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(crate::http::bad_body(&format!("`{key}` must be a string"))),
        };
        let disabled = match fields.get("isDisabled") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(disabled)) => Some(*disabled),
            Some(_) => return Err(crate::http::bad_body("`isDisabled` must be true or false")),
        };
        Ok(Self {
            name: text("name")?,
            default_branch: text("defaultBranch")?,
            disabled,
        })
    }
}

/// PATCH a repository: rename, change the default branch, disable or enable.
pub async fn repositories_update(
    State(app): State<Arc<App>>,
    Path((org, project, key)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    let change = match parse_body(&body).and_then(|body| RepositoryChange::read(&body)) {
        Ok(change) => change,
        Err(response) => return response,
    };
    if key.parse::<uuid::Uuid>().is_err() {
        return bad_parameter("repositoryId", &key);
    }
    with_project(&app, &org, &project, |org_name, p| {
        if let Some(name) = &change.name {
            if let Some(fault) = name_fault(name) {
                return invalid_name(name, fault);
            }
            if p.repositories.iter().any(|r| !r.is(&key) && same_name(r.name(), name)) {
                return name_taken(name);
            }
        }
        let (project_id, project_name) = (p.id, p.name.clone());
        let Some(repository) = p.repository_mut(&key) else {
            return repository_not_found(&key);
        };
        if let Some(branch) = &change.default_branch {
            if !branch.starts_with("refs/heads/") || !repository.refs.contains_key(branch) {
                return bad_parameter("defaultBranch", branch);
            }
            repository.document["defaultBranch"] = json!(branch);
        }
        if let Some(disabled) = change.disabled {
            repository.document["isDisabled"] = json!(disabled);
        }
        if let Some(name) = &change.name {
            repository.rename(org_name, project_id, &project_name, name);
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

/// GET the policy configurations that apply to a repository and ref, paged by a continuation
/// token in the header: a configuration applies when one entry of its `scope` does.
pub async fn policy_configurations_list(
    State(app): State<Arc<App>>,
    Path((org, project)): Path<(String, String)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let paging = top_param(&query, 100).and_then(|top| Ok((top, position_of(&query)?.unwrap_or(0))));
    let filters = guid_param(&query, "repositoryId").and_then(|r| Ok((r, guid_param(&query, "policyType")?)));
    let ((top, start), (repository_id, policy_type)) = match paging.and_then(|paging| Ok((paging, filters?))) {
        Ok(parsed) => parsed,
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
        page_by_position(p.policies_from(start).filter(|(_, c)| applies(c)), top)
    })
}
