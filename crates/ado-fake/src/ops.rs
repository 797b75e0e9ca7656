//! The operations the fake serves (generated from `specs/`), and what the table does not say:
//! which of them change state and which accept only a user token.

use axum::http::Method;

use crate::generated::OPS;
use crate::location::Location;

/// One operation.
#[derive(Debug)]
pub struct Op {
    /// The operation id (as in the specs).
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The route, as registered with the router.
    pub route: &'static str,
    /// The documented api-version.
    pub api_version: &'static str,
    /// The API resource location that serves it.
    pub location: &'static Location,
}

/// Operations that change nothing although their method is not GET: a preview only renders YAML.
const READS_BY_POST: &[&str] = &["pipelines_preview"];

/// Areas that accept only a Microsoft Entra user token: the PAT lifecycle API.
const USER_TOKEN_ONLY_AREAS: &[&str] = &["tokens"];

impl Op {
    /// Whether a success changes state.
    pub fn writes(&self) -> bool {
        self.method != Method::GET && !READS_BY_POST.contains(&self.id)
    }

    /// Whether only a Microsoft Entra user token is accepted.
    pub fn user_token_only(&self) -> bool {
        USER_TOKEN_ONLY_AREAS.contains(&self.location.area)
    }
}

/// The operation a routed request is: the PAT GET is a get with `authorizationId`, else a list.
pub fn find(method: &Method, route: &str, query: Option<&str>) -> Option<&'static Op> {
    if route == crate::generated::route::PATS_GET && method == Method::GET {
        let has_id = query.is_some_and(|q| {
            crate::http::url_pairs(q)
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("authorizationId"))
        });
        let id = if has_id { "pats_get" } else { "pats_list" };
        return OPS.iter().find(|op| op.id == id);
    }
    OPS.iter().find(|op| op.route == route && op.method == method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_updates_and_deletes_write_and_reads_do_not() {
        let writes: Vec<&str> = OPS.iter().filter(|op| op.writes()).map(|op| op.id).collect();
        assert_eq!(
            writes,
            [
                "repositories_create",
                "repositories_delete",
                "repositories_update",
                "refs_update_refs",
                "refs_update_ref",
                "pipeline_permissions_update",
                "pipeline_permissions_update_many",
                "pipelines_create",
                "runs_run",
                "configurations_create",
                "configurations_update",
                "configurations_delete",
                "evaluations_requeue",
                "pats_update",
                "pats_create",
                "pats_revoke",
            ]
        );
    }

    #[test]
    fn only_the_pat_operations_need_a_user_token() {
        let only: Vec<&str> = OPS.iter().filter(|op| op.user_token_only()).map(|op| op.id).collect();
        assert_eq!(
            only,
            ["pats_get", "pats_update", "pats_create", "pats_revoke", "pats_list"]
        );
    }

    #[test]
    fn the_pat_get_is_told_from_the_list_by_its_authorization_id() {
        let route = crate::generated::route::PATS_GET;
        let get = find(&Method::GET, route, Some("authorizationId=1&api-version=7.1-preview.1"));
        assert_eq!(get.map(|op| op.id), Some("pats_get"));
        let list = find(&Method::GET, route, Some("api-version=7.1-preview.1"));
        assert_eq!(list.map(|op| op.id), Some("pats_list"));
    }
}
