//! The operations the fake serves: route, method, api-version, and whether they write.

use axum::http::Method;

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
    /// Whether a success changes state.
    pub write: bool,
    /// Only a Microsoft Entra user token is accepted (the PAT API).
    pub user_token_only: bool,
}

/// The PAT routes.
pub const PATS: &str = "/{org}/_apis/tokens/pats";
/// Pipeline permissions of one resource.
pub const PERMISSIONS_ONE: &str = "/{org}/{project}/_apis/pipelines/pipelinepermissions/{resource_type}/{resource_id}";
/// Pipeline permissions of many resources.
pub const PERMISSIONS_MANY: &str = "/{org}/{project}/_apis/pipelines/pipelinepermissions";
/// Pipelines.
pub const PIPELINES: &str = "/{org}/{project}/_apis/pipelines";
/// One pipeline.
pub const PIPELINE: &str = "/{org}/{project}/_apis/pipelines/{pipeline_id}";
/// Preview.
pub const PREVIEW: &str = "/{org}/{project}/_apis/pipelines/{pipeline_id}/preview";
/// Runs.
pub const RUNS: &str = "/{org}/{project}/_apis/pipelines/{pipeline_id}/runs";
/// One run.
pub const RUN: &str = "/{org}/{project}/_apis/pipelines/{pipeline_id}/runs/{run_id}";
/// Logs.
pub const LOGS: &str = "/{org}/{project}/_apis/pipelines/{pipeline_id}/runs/{run_id}/logs";
/// One log.
pub const LOG: &str = "/{org}/{project}/_apis/pipelines/{pipeline_id}/runs/{run_id}/logs/{log_id}";
/// Artifacts.
pub const ARTIFACTS: &str = "/{org}/{project}/_apis/pipelines/{pipeline_id}/runs/{run_id}/artifacts";
/// Policy configurations.
pub const CONFIGURATIONS: &str = "/{org}/{project}/_apis/policy/configurations";
/// One policy configuration.
pub const CONFIGURATION: &str = "/{org}/{project}/_apis/policy/configurations/{configuration_id}";
/// Revisions.
pub const REVISIONS: &str = "/{org}/{project}/_apis/policy/configurations/{configuration_id}/revisions";
/// One revision.
pub const REVISION: &str = "/{org}/{project}/_apis/policy/configurations/{configuration_id}/revisions/{revision_id}";
/// Evaluations.
pub const EVALUATIONS: &str = "/{org}/{project}/_apis/policy/evaluations";
/// One evaluation.
pub const EVALUATION: &str = "/{org}/{project}/_apis/policy/evaluations/{evaluation_id}";
/// Policy types.
pub const TYPES: &str = "/{org}/{project}/_apis/policy/types";
/// One policy type.
pub const TYPE: &str = "/{org}/{project}/_apis/policy/types/{type_id}";

const PREVIEW1: &str = "7.1-preview.1";
const V71: &str = "7.1";

macro_rules! op {
    (@user_token_only) => {
        false
    };
    (@user_token_only user_token_only) => {
        true
    };
    ($id:literal, $method:ident, $route:expr, $version:expr, $write:literal $(, $only:ident)?) => {
        Op {
            id: $id,
            method: Method::$method,
            route: $route,
            api_version: $version,
            write: $write,
            user_token_only: op!(@user_token_only $($only)?),
        }
    };
}

/// Every operation.
pub static OPS: [Op; 30] = [
    op!("pats_get", GET, PATS, PREVIEW1, false, user_token_only),
    op!("pats_list", GET, PATS, PREVIEW1, false, user_token_only),
    op!("pats_create", POST, PATS, PREVIEW1, true, user_token_only),
    op!("pats_update", PUT, PATS, PREVIEW1, true, user_token_only),
    op!("pats_revoke", DELETE, PATS, PREVIEW1, true, user_token_only),
    op!("pipeline_permissions_get", GET, PERMISSIONS_ONE, PREVIEW1, false),
    op!("pipeline_permissions_update", PATCH, PERMISSIONS_ONE, PREVIEW1, true),
    op!(
        "pipeline_permissions_update_many",
        PATCH,
        PERMISSIONS_MANY,
        PREVIEW1,
        true
    ),
    op!("pipelines_list", GET, PIPELINES, V71, false),
    op!("pipelines_create", POST, PIPELINES, V71, true),
    op!("pipelines_get", GET, PIPELINE, V71, false),
    op!("pipelines_preview", POST, PREVIEW, V71, false),
    op!("runs_list", GET, RUNS, V71, false),
    op!("runs_run", POST, RUNS, V71, true),
    op!("runs_get", GET, RUN, V71, false),
    op!("logs_list", GET, LOGS, V71, false),
    op!("logs_get", GET, LOG, V71, false),
    op!("artifacts_get", GET, ARTIFACTS, V71, false),
    op!("configurations_list", GET, CONFIGURATIONS, V71, false),
    op!("configurations_create", POST, CONFIGURATIONS, V71, true),
    op!("configurations_get", GET, CONFIGURATION, V71, false),
    op!("configurations_update", PUT, CONFIGURATION, V71, true),
    op!("configurations_delete", DELETE, CONFIGURATION, V71, true),
    op!("revisions_list", GET, REVISIONS, V71, false),
    op!("revisions_get", GET, REVISION, V71, false),
    op!("evaluations_list", GET, EVALUATIONS, PREVIEW1, false),
    op!("evaluations_get", GET, EVALUATION, PREVIEW1, false),
    op!("evaluations_requeue", PATCH, EVALUATION, PREVIEW1, true),
    op!("types_list", GET, TYPES, V71, false),
    op!("types_get", GET, TYPE, V71, false),
];

/// The operation a routed request is: the PAT GET is a get with `authorizationId`, else a list.
pub fn find(method: &Method, route: &str, query: Option<&str>) -> Option<&'static Op> {
    if route == PATS && method == Method::GET {
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
