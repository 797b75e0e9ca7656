//! The routes of every area, and what every handler shares.

mod git;
mod location;
mod pipelines;
mod policy;
mod refs;
mod tokens;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, options, patch, post};
use base64::Engine;
use serde_json::Value;

use crate::App;
use crate::generated::route;
use crate::http::{bad_body, error};
use crate::state::{Org, Project};

/// Query parameters, by name.
pub(crate) type QueryMap = HashMap<String, String>;

/// Every route of the fake, with a text/plain 404 for anything else.
pub fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/{org}/_apis", options(location::options_all))
        .route("/{org}/_apis/{area}", options(location::options_area))
        .route("/{org}/_apis/resourceareas", get(location::resource_areas))
        .route("/{org}/_apis/resourceareas/{area_id}", get(location::resource_area))
        .route("/{org}/_apis/connectiondata", get(location::connection_data))
        .route(
            route::PATS_GET,
            get(tokens::get_or_list)
                .post(tokens::create)
                .put(tokens::update)
                .delete(tokens::revoke),
        )
        .route(
            route::PIPELINE_PERMISSIONS_GET,
            get(pipelines::permissions_get).patch(pipelines::permissions_update),
        )
        .route(
            route::PIPELINE_PERMISSIONS_UPDATE_MANY,
            patch(pipelines::permissions_update_many),
        )
        .route(route::PIPELINES_LIST, get(pipelines::list).post(pipelines::create))
        .route(route::PIPELINES_GET, get(pipelines::get))
        .route(route::PIPELINES_PREVIEW, post(pipelines::preview))
        .route(route::RUNS_LIST, get(pipelines::runs_list).post(pipelines::runs_run))
        .route(route::RUNS_GET, get(pipelines::runs_get))
        .route(route::LOGS_LIST, get(pipelines::logs_list))
        .route(route::LOGS_GET, get(pipelines::logs_get))
        .route(route::ARTIFACTS_GET, get(pipelines::artifacts_get))
        .route(route::CONFIGURATIONS_LIST, get(policy::list).post(policy::create))
        .route(
            route::CONFIGURATIONS_GET,
            get(policy::get).put(policy::update).delete(policy::delete),
        )
        .route(route::REVISIONS_LIST, get(policy::revisions_list))
        .route(route::REVISIONS_GET, get(policy::revisions_get))
        .route(route::EVALUATIONS_LIST, get(policy::evaluations_list))
        .route(
            route::EVALUATIONS_GET,
            get(policy::evaluations_get).patch(policy::evaluations_requeue),
        )
        .route(route::TYPES_LIST, get(policy::types_list))
        .route(route::TYPES_GET, get(policy::types_get))
        .route(
            route::REPOSITORIES_LIST,
            get(git::repositories_list).post(git::repositories_create),
        )
        .route(
            route::REPOSITORIES_GET,
            get(git::repositories_get)
                .patch(git::repositories_update)
                .delete(git::repositories_delete),
        )
        .route(
            route::REFS_LIST,
            get(refs::refs_list)
                .post(refs::refs_update_refs)
                .patch(refs::refs_update_ref),
        )
        .route(route::POLICY_CONFIGURATIONS_LIST, get(git::policy_configurations_list))
        .fallback(not_found)
}

async fn not_found(uri: Uri) -> Response {
    let text = format!(
        "The controller for path '{}' was not found or does not implement IController.",
        uri.path()
    );
    let mut response = (StatusCode::NOT_FOUND, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Rewrite a request's path as the service reads it: empty segments dropped (`//fabrikam/...`),
/// an on-premises virtual directory (`/tfs/DefaultCollection/...`) taken off, and the fixed
/// segments of every route (`_apis`, area and resource names) matched in any case; ids and names
/// keep their case.
pub fn normalise(
    router: Router,
) -> impl tower::Service<Request, Response = Response, Error = std::convert::Infallible, Future: Send> + Clone + Send + 'static
{
    use tower::ServiceExt;
    router.map_request(|mut request: Request| {
        let path = normal_path(request.uri().path());
        let query = request.uri().query().and_then(normal_query);
        if path.is_some() || query.is_some() {
            let mut text = path.unwrap_or_else(|| request.uri().path().to_string());
            if let Some(query) = query.or_else(|| request.uri().query().map(String::from)) {
                text.push('?');
                text.push_str(&query);
            }
            if let Ok(uri) = text.parse::<Uri>() {
                *request.uri_mut() = uri;
            }
        }
        request
    })
}

/// The query with every parameter an operation names spelled as the fragments spell it
/// (`$TOP` → `$top`, `repositoryid` → `repositoryId`), or `None` when it is so already. A
/// parameter given again, in any case, is dropped: the first one counts.
fn normal_query(query: &str) -> Option<String> {
    let mut changed = false;
    let mut named: Vec<&str> = Vec::new();
    let mut pairs: Vec<String> = Vec::new();
    for pair in query.split('&') {
        let (key, rest) = pair.split_once('=').map_or((pair, None), |(k, v)| (k, Some(v)));
        let decoded = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
        let known = crate::generated::QUERY_PARAMETERS
            .iter()
            .find(|name| name.eq_ignore_ascii_case(&decoded));
        match known {
            Some(name) if named.contains(name) => changed = true,
            Some(name) if **name == decoded => {
                named.push(name);
                pairs.push(pair.to_string());
            }
            Some(name) => {
                changed = true;
                named.push(name);
                pairs.push(rest.map_or_else(|| name.to_string(), |value| format!("{name}={value}")));
            }
            None => pairs.push(pair.to_string()),
        }
    }
    changed.then(|| pairs.join("&"))
}

/// The normal form of a path, or `None` when it is normal already.
fn normal_path(path: &str) -> Option<String> {
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.len() > 2 && segments[0].eq_ignore_ascii_case(VIRTUAL_DIRECTORY) && segments[1] != "_apis" {
        segments.remove(0);
    }
    let fixed: Vec<String> = segments
        .iter()
        .map(|segment| {
            let lower = segment.to_ascii_lowercase();
            if is_fixed_segment(&lower) {
                lower
            } else {
                segment.to_string()
            }
        })
        .collect();
    let normal = format!("/{}", fixed.join("/"));
    (normal != path).then_some(normal)
}

/// The virtual directory on-premises servers serve collections under.
const VIRTUAL_DIRECTORY: &str = "tfs";

/// Whether a lower-case segment is a fixed part of some route: the location service's and every
/// operation's literal segments, gathered once.
fn is_fixed_segment(lower: &str) -> bool {
    static FIXED: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    FIXED
        .get_or_init(|| {
            let routes = crate::generated::OPS.iter().flat_map(|op| op.route.split('/'));
            ["_apis", "resourceareas", "connectiondata"]
                .into_iter()
                .chain(routes.filter(|s| !s.is_empty() && !s.starts_with('{')))
                .collect()
        })
        .contains(lower)
}

/// 404 for an organization that does not exist.
pub(crate) fn org_not_found(org: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        Some("TF400813"),
        "HostNotFoundException",
        &format!("The organization '{org}' does not exist."),
    )
}

/// 404 for a project that does not exist.
pub(crate) fn project_not_found(project: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        Some("TF200016"),
        "ProjectDoesNotExistWithNameException",
        &format!(
            "The following project does not exist: {project}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server."
        ),
    )
}

/// Run `f` on an organization.
pub(crate) fn with_org(app: &App, org: &str, f: impl FnOnce(&mut Org) -> Response) -> Response {
    let mut state = app.state();
    match state.org_mut(org) {
        Some(o) => f(o),
        None => org_not_found(org),
    }
}

/// Run `f` on a project of an organization.
pub(crate) fn with_project(
    app: &App,
    org: &str,
    project: &str,
    f: impl FnOnce(&str, &mut Project) -> Response,
) -> Response {
    with_org(app, org, |o| {
        let org_name = o.name.clone();
        match o.project_mut(project) {
            Some(p) => f(&org_name, p),
            None => project_not_found(project),
        }
    })
}

/// Parse a JSON body, or answer the service's 400.
pub(crate) fn parse_body(body: &[u8]) -> Result<Value, Response> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            None,
            "ArgumentNullException",
            "Value cannot be null.\r\nParameter name: body",
        ));
    }
    serde_json::from_slice(body).map_err(|e| bad_body(&e.to_string()))
}

/// A 400 for a query parameter that cannot be read.
pub(crate) fn bad_parameter(name: &str, value: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        None,
        "ArgumentException",
        &format!("The value '{value}' is not valid for parameter '{name}'."),
    )
}

/// An optional integer query parameter.
pub(crate) fn int_param(query: &QueryMap, name: &str) -> Result<Option<i64>, Response> {
    match query.get(name) {
        None => Ok(None),
        Some(v) => v.parse::<i64>().map(Some).map_err(|_| bad_parameter(name, v)),
    }
}

/// The page size asked for (`$top`, `default` without it); below 1 is refused.
pub(crate) fn top_param(query: &QueryMap, default: i64) -> Result<usize, Response> {
    let top = int_param(query, "$top")?.unwrap_or(default);
    if top < 1 {
        return Err(bad_parameter("$top", &top.to_string()));
    }
    Ok(usize::try_from(top).unwrap_or(usize::MAX))
}

/// A GUID query parameter, lower-cased as the service writes ids; empty is absent.
pub(crate) fn guid_param(query: &QueryMap, name: &str) -> Result<Option<String>, Response> {
    match query.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<uuid::Uuid>()
            .map(|id| Some(id.to_string()))
            .map_err(|_| bad_parameter(name, v)),
    }
}

/// One page of `top` items keyed by position, with the next item's position as the
/// continuation token when there is one.
pub(crate) fn page_by_position<'a>(items: impl Iterator<Item = (i32, &'a Value)>, top: usize) -> Response {
    let mut items = items.peekable();
    let page: Vec<Value> = items.by_ref().take(top).map(|(_, item)| item.clone()).collect();
    let next = items.peek().map(|(position, _)| i64::from(*position));
    page_answer(page, next)
}

/// An opaque continuation token for a position.
pub(crate) fn token_for(position: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("fake:{position}"))
}

/// The position of a continuation token.
pub(crate) fn position_of(query: &QueryMap) -> Result<Option<i64>, Response> {
    let Some(token) = query.get("continuationToken").filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("fake:").and_then(|n| n.parse::<i64>().ok()))
        .filter(|position| *position >= 0)
        .map(Some)
        .ok_or_else(|| bad_parameter("continuationToken", token))
}

/// A `{count, value}` list answer, with the next page's token in `x-ms-continuationtoken` when
/// there is one.
pub(crate) fn page_answer(items: Vec<Value>, next: Option<i64>) -> Response {
    let mut response = crate::http::json_response(axum::http::StatusCode::OK, &collection(items), "7.1");
    if let Some(next) = next
        && let Ok(value) = token_for(next).parse()
    {
        response.headers_mut().insert("x-ms-continuationtoken", value);
    }
    response
}

/// The body and `pipelineVersion` of a preview or run request.
pub(crate) fn run_request(query: &QueryMap, body: &[u8]) -> Result<(Value, Option<i64>), Response> {
    Ok((parse_body(body)?, int_param(query, "pipelineVersion")?))
}

/// A `{count, value}` list.
pub(crate) fn collection(values: Vec<Value>) -> Value {
    serde_json::json!({"count": values.len(), "value": values})
}

#[cfg(test)]
mod tests {
    use super::normal_query;

    #[test]
    fn query_parameters_are_read_in_any_case() {
        assert_eq!(
            normal_query("%24TOP=2&RepositoryId=x&api-version=7.1").as_deref(),
            Some("$top=2&repositoryId=x&api-version=7.1")
        );
        assert_eq!(normal_query("$top=2&other=1"), None);
        assert_eq!(normal_query("%24top=2&filter"), None);
        assert_eq!(normal_query("FILTER&x=1").as_deref(), Some("filter&x=1"));
    }

    #[test]
    fn a_parameter_given_again_is_dropped_and_the_first_counts() {
        assert_eq!(normal_query("$top=1000&$TOP=5").as_deref(), Some("$top=1000"));
        assert_eq!(normal_query("$TOP=5&$top=1000").as_deref(), Some("$top=5"));
        assert_eq!(normal_query("$top=5&$top=1000").as_deref(), Some("$top=5"));
    }
}
