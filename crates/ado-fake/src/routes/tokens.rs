//! The PAT lifecycle API.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{QueryMap, bad_parameter, int_param, parse_body, position_of, token_for, with_org};
use crate::App;
use crate::http::{error, json_response};

const VERSION: &str = "7.1-preview.1";
const REVOKED: &str = "__revoked";

fn result(token: Option<Value>, outcome: &str) -> Response {
    json_response(
        StatusCode::OK,
        &json!({"patToken": token, "patTokenError": outcome}),
        VERSION,
    )
}

/// The token as the API shows it (internal markers removed).
fn public(token: &Value) -> Value {
    let mut shown = token.clone();
    if let Some(map) = shown.as_object_mut() {
        map.remove(REVOKED);
    }
    shown
}

fn parse_id(query: &QueryMap) -> Result<uuid::Uuid, Response> {
    let key = query
        .keys()
        .find(|k| k.eq_ignore_ascii_case("authorizationId"))
        .cloned()
        .unwrap_or_default();
    let value = query.get(&key).cloned().unwrap_or_default();
    value.parse().map_err(|_| bad_parameter("authorizationId", &value))
}

fn same_id(token: &Value, id: &uuid::Uuid) -> bool {
    token
        .get("authorizationId")
        .and_then(|v| v.as_str())
        .is_some_and(|v| v.eq_ignore_ascii_case(&id.to_string()))
}

fn valid_to(token: &Value) -> Option<DateTime<Utc>> {
    let text = token.get("validTo")?.as_str()?;
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// GET: one token (`authorizationId`) or a page of them.
pub async fn get_or_list(
    State(app): State<Arc<App>>,
    Path(org): Path<String>,
    Query(query): Query<QueryMap>,
) -> Response {
    if query.keys().any(|k| k.eq_ignore_ascii_case("authorizationId")) {
        let id = match parse_id(&query) {
            Ok(id) => id,
            Err(response) => return response,
        };
        return with_org(&app, &org, |o| match o.pats.iter().find(|t| same_id(t, &id)) {
            Some(token) => result(Some(public(token)), "none"),
            None => result(None, "authorizationNotFound"),
        });
    }
    let top = match int_param(&query, "$top") {
        Ok(top) => top.unwrap_or(20),
        Err(response) => return response,
    };
    if !(1..=100).contains(&top) {
        return error(
            StatusCode::BAD_REQUEST,
            None,
            "ArgumentOutOfRangeException",
            "$top must be between 1 and 100.",
        );
    }
    let start = match position_of(&query) {
        Ok(position) => position.unwrap_or(0).max(0) as usize,
        Err(response) => return response,
    };
    let filter = query
        .get("displayFilterOption")
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_else(|| "active".into());
    if !["active", "revoked", "expired", "all"].contains(&filter.as_str()) {
        return bad_parameter("displayFilterOption", &filter);
    }
    let sort = query
        .get("sortByOption")
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_else(|| "displayname".into());
    if !["displayname", "displaydate", "status"].contains(&sort.as_str()) {
        return bad_parameter("sortByOption", &sort);
    }
    let ascending = query
        .get("isSortAscending")
        .is_none_or(|v| !v.eq_ignore_ascii_case("false"));
    with_org(&app, &org, |o| {
        let now = Utc::now();
        let mut tokens: Vec<&Value> = o
            .pats
            .iter()
            .filter(|t| {
                let revoked = t.get(REVOKED).is_some();
                let expired = valid_to(t).is_some_and(|v| v < now);
                match filter.as_str() {
                    "active" => !revoked && !expired,
                    "revoked" => revoked,
                    "expired" => expired && !revoked,
                    _ => true,
                }
            })
            .collect();
        let key = |t: &Value| -> String {
            match sort.as_str() {
                "displaydate" => t
                    .get("validFrom")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string(),
                "status" => (t.get(REVOKED).is_some() as u8).to_string(),
                _ => t
                    .get("displayName")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_ascii_lowercase(),
            }
        };
        tokens.sort_by_key(|t| key(t));
        if !ascending {
            tokens.reverse();
        }
        let page: Vec<Value> = tokens
            .iter()
            .skip(start)
            .take(top as usize)
            .map(|t| public(t))
            .collect();
        let end = start + page.len();
        let next = if end < tokens.len() {
            token_for(end as i64)
        } else {
            String::new()
        };
        json_response(
            StatusCode::OK,
            &json!({"continuationToken": next, "patTokens": page}),
            VERSION,
        )
    })
}

fn new_secret() -> String {
    let alphabet = b"abcdefghijklmnopqrstuvwxyz234567";
    let bytes = uuid::Uuid::new_v4()
        .into_bytes()
        .into_iter()
        .chain(uuid::Uuid::new_v4().into_bytes());
    bytes
        .take(26)
        .flat_map(|b| [alphabet[(b >> 3) as usize % 32], alphabet[(b & 31) as usize]])
        .map(char::from)
        .collect()
}

fn check_valid_to(body: &Value) -> Result<Option<String>, &'static str> {
    match body.get("validTo") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => match DateTime::parse_from_rfc3339(text) {
            Ok(t) if t.with_timezone(&Utc) > Utc::now() => Ok(Some(
                t.with_timezone(&Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            )),
            _ => Err("invalidValidTo"),
        },
        Some(_) => Err("invalidValidTo"),
    }
}

/// POST: create a token; its secret is shown in this answer only.
pub async fn create(State(app): State<Arc<App>>, Path(org): Path<String>, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let name = body
        .get("displayName")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .trim()
        .to_string();
    if name.is_empty() {
        return result(None, "displayNameRequired");
    }
    let valid_to = match check_valid_to(&body) {
        Ok(Some(v)) => v,
        Ok(None) => (Utc::now() + chrono::Duration::days(30)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        Err(code) => return result(None, code),
    };
    let scope = body
        .get("scope")
        .and_then(|v| v.as_str())
        .unwrap_or("app_token")
        .to_string();
    if scope.trim().is_empty() {
        return result(None, "invalidScope");
    }
    let all_orgs = body.get("allOrgs").and_then(|v| v.as_bool()).unwrap_or(false);
    with_org(&app, &org, |o| {
        let token = json!({
            "displayName": name,
            "validTo": valid_to,
            "scope": scope,
            "targetAccounts": if all_orgs { Value::Null } else { json!(["38aaa865-2c70-4bf7-a308-0c6539c38c1a"]) },
            "validFrom": crate::now_text(),
            "authorizationId": uuid::Uuid::new_v4().to_string(),
            "token": null
        });
        o.pats.push(token.clone());
        let mut shown = token;
        shown["token"] = json!(new_secret());
        result(Some(shown), "none")
    })
}

/// PUT: change a token.
pub async fn update(State(app): State<Arc<App>>, Path(org): Path<String>, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(id) = body
        .get("authorizationId")
        .and_then(|v| v.as_str())
        .and_then(|v| v.parse::<uuid::Uuid>().ok())
    else {
        return result(None, "invalidAuthorizationId");
    };
    let valid_to = match check_valid_to(&body) {
        Ok(v) => v,
        Err(code) => return result(None, code),
    };
    with_org(&app, &org, |o| {
        let Some(token) = o.pats.iter_mut().find(|t| same_id(t, &id)) else {
            return result(None, "authorizationNotFound");
        };
        if token.get(REVOKED).is_some() {
            return result(None, "invalidToken");
        }
        if let Some(name) = body.get("displayName").and_then(|v| v.as_str()) {
            if name.trim().is_empty() {
                return result(None, "invalidDisplayName");
            }
            token["displayName"] = json!(name);
        }
        if let Some(scope) = body.get("scope").and_then(|v| v.as_str()) {
            token["scope"] = json!(scope);
        }
        if let Some(valid_to) = valid_to {
            token["validTo"] = json!(valid_to);
        }
        if let Some(all) = body.get("allOrgs").and_then(|v| v.as_bool()) {
            token["targetAccounts"] = if all {
                Value::Null
            } else {
                json!(["38aaa865-2c70-4bf7-a308-0c6539c38c1a"])
            };
        }
        result(Some(public(token)), "none")
    })
}

/// DELETE: revoke a token.
pub async fn revoke(State(app): State<Arc<App>>, Path(org): Path<String>, Query(query): Query<QueryMap>) -> Response {
    let id = match parse_id(&query) {
        Ok(id) => id,
        Err(response) => return response,
    };
    with_org(&app, &org, |o| match o.pats.iter_mut().find(|t| same_id(t, &id)) {
        Some(token) => {
            token[REVOKED] = json!(true);
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(
            StatusCode::NOT_FOUND,
            None,
            "SessionTokenNotFoundException",
            &format!("The personal access token with authorization id {id} was not found."),
        ),
    })
}
