//! Git refs: list (filtered, paged by name), create/move/delete many, lock one.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use serde_json::Value;

use super::git::{ok, repository_not_found};
use super::{QueryMap, bad_parameter, collection, int_param, parse_body, with_project};
use crate::App;
use crate::http::error;
use crate::refs::{self, RefUpdate};

/// The most refs one page holds, and the page size when only a continuation token is given.
const MAX_REFS: i64 = 1000;
const DEFAULT_REFS: i64 = 100;

/// A continuation token for the refs from `name` on: by name, so that refs made or deleted
/// between pages neither repeat nor skip one.
fn ref_token(name: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("fake-ref:{name}"))
}

fn ref_of_token(token: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("fake-ref:")
        .map(String::from)
}

/// GET a repository's refs: `filter` is a prefix after `refs/`, `filterContains` a part of the
/// name; every ref at once, or pages of `$top` (at most 1000) with a continuation token in the
/// header.
pub async fn refs_list(
    State(app): State<Arc<App>>,
    Path((org, project, key)): Path<(String, String, String)>,
    Query(query): Query<QueryMap>,
) -> Response {
    let top = match int_param(&query, "$top") {
        Ok(top) => top,
        Err(response) => return response,
    };
    if let Some(top) = top.filter(|t| !(1..=MAX_REFS).contains(t)) {
        return bad_parameter("$top", &top.to_string());
    }
    let token = query.get("continuationToken").filter(|t| !t.is_empty());
    let from = match token.map(|t| ref_of_token(t).ok_or_else(|| bad_parameter("continuationToken", t))) {
        Some(Ok(name)) => Some(name),
        Some(Err(response)) => return response,
        None => None,
    };
    let top = match (top, &from) {
        (Some(top), _) => top as usize,
        (None, Some(_)) => DEFAULT_REFS as usize,
        (None, None) => usize::MAX,
    };
    let prefix = format!("refs/{}", query.get("filter").map(String::as_str).unwrap_or_default());
    let contains = query.get("filterContains").cloned().unwrap_or_default();
    with_project(&app, &org, &project, |_, p| {
        let Some(repository) = p.repository_mut(&key) else {
            return repository_not_found(&key);
        };
        let start = from.clone().unwrap_or_default();
        let mut matching = repository
            .refs
            .range(start..)
            .filter(|(name, _)| name.starts_with(&prefix) && name.contains(&contains));
        let page: Vec<Value> = matching
            .by_ref()
            .take(top)
            .map(|(_, document)| document.clone())
            .collect();
        let next = matching.next().map(|(name, _)| ref_token(name));
        let mut response = ok(&collection(page));
        if let Some(next) = next.and_then(|n| n.parse().ok()) {
            response.headers_mut().insert("x-ms-continuationtoken", next);
        }
        response
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
    let updates = match updates.iter().map(RefUpdate::read).collect::<Result<Vec<_>, _>>() {
        Ok(updates) => updates,
        Err(fault) => return crate::http::bad_body(&fault),
    };
    with_project(&app, &org, &project, |org_name, p| {
        let Some(repository) = p.repository_mut(&key) else {
            return repository_not_found(&key);
        };
        let creator = crate::seed::identity();
        let results = updates
            .iter()
            .map(|update| refs::apply(repository, org_name, update, &creator))
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
        refs::set_lock(document, locked.then(crate::seed::identity));
        ok(document)
    })
}
