//! Upstream operations as fragment operations: snake_case ids and tags, the api-version and the
//! location per operation, parameters without `organization` and `api-version`, a body as
//! `requestBody`, a description on every response, and `x-ado-paging` where the answer pages.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::schemas::Schemas;
use super::yaml::pointer;
use super::{Notes, Upstream};

pub const METHODS: &[&str] = &["get", "put", "post", "patch", "delete"];

/// One upstream operation, where it was found.
pub struct Found<'a> {
    pub doc: &'a Upstream,
    /// Upstream's operation id (`Repositories_Get Repository`).
    pub id: &'a str,
    pub path: String,
    pub method: &'static str,
    pub op: &'a Value,
    pub item: &'a Value,
}

/// The upstream group (`Policy Configurations`) and name (`Get`) of an id like `Policy Configurations_Get`.
pub fn split_id(id: &str) -> (&str, &str) {
    id.split_once('_').unwrap_or((id, id))
}

/// Words of a name in lower case: `Update Pipeline Permisions` → [update, pipeline, permisions];
/// `GetRefs` → [get, refs].
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let mut word = String::new();
        for c in part.chars() {
            if c.is_ascii_uppercase() && !word.is_empty() && !word.ends_with(|p: char| p.is_ascii_uppercase()) {
                out.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
        }
        out.push(word);
    }
    out
}

pub fn snake_case(name: &str) -> String {
    words(name).join("_")
}

/// The id's name part without trailing words that repeat the group (`Get Repository` in
/// `Repositories` → `get`); the first word always stays.
fn short_name(group: &str, name: &str) -> String {
    let group_words = words(group);
    let repeats = |w: &str| {
        group_words.iter().any(|g| {
            g == w || g.strip_suffix('s') == Some(w) || g.strip_suffix("ies").is_some_and(|s| format!("{s}y") == w)
        })
    };
    let mut kept = words(name);
    while kept.len() > 1 && kept.last().is_some_and(|w| repeats(w)) {
        kept.pop();
    }
    kept.join("_")
}

/// The snake_case id of every found operation; a short name that two operations would share
/// keeps its full words instead.
pub fn ids(found: &[Found]) -> Vec<String> {
    let short: Vec<String> = found
        .iter()
        .map(|f| {
            let (group, name) = split_id(f.id);
            format!("{}_{}", snake_case(group), short_name(group, name))
        })
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &short {
        *counts.entry(id.as_str()).or_default() += 1;
    }
    found
        .iter()
        .zip(&short)
        .map(|(f, id)| {
            if counts[id.as_str()] == 1 {
                return id.clone();
            }
            let (group, name) = split_id(f.id);
            format!("{}_{}", snake_case(group), snake_case(name))
        })
        .collect()
}

/// The api-version an operation speaks: upstream's shared parameter is named for it
/// (`api-Version` is the document's version, `api-Version-preview.1` its first preview; a
/// document whose version is itself `7.1-preview` names the release the same way).
fn api_version(found: &Found) -> Option<String> {
    let version = found.doc.value.pointer("/info/version")?.as_str()?;
    let version = version.split("-preview").next().unwrap_or(version);
    let params = found
        .item
        .get("parameters")
        .into_iter()
        .chain(found.op.get("parameters"));
    params.filter_map(|p| p.as_array()).flatten().find_map(|p| {
        let reference = p.get("$ref")?.as_str()?;
        let name = reference.rsplit('/').next()?;
        let preview = name.strip_prefix("api-Version")?;
        Some(format!("{version}{preview}"))
    })
}

fn response_description(status: &str) -> &'static str {
    match status {
        "200" => "Success.",
        "201" => "Created.",
        "202" => "Accepted.",
        "204" => "Done; no content.",
        _ => "The service's answer.",
    }
}

/// Convert one operation; `at` is its pointer in the fragment.
pub fn convert(found: &Found, id: &str, schemas: &mut Schemas, notes: &mut Notes, at: &str) -> Value {
    let upstream_id = found.id;
    let (group, _) = split_id(upstream_id);
    let mut op = Map::new();
    op.insert("operationId".into(), json!(id));
    notes.fix(&pointer(at, "operationId"), format!("upstream id `{upstream_id}`."));
    op.insert("tags".into(), json!([snake_case(group)]));
    let method_words = found
        .op
        .get("x-ms-vss-method")
        .and_then(|m| m.as_str())
        .unwrap_or(upstream_id);
    let mut summary = words(method_words).join(" ");
    if let Some(first) = summary.get(0..1) {
        summary = first.to_uppercase() + &summary[1..] + ".";
    }
    op.insert("summary".into(), json!(summary));
    match api_version(found) {
        Some(version) => {
            op.insert("x-ado-api-version".into(), json!(version));
        }
        None => notes.review(format!(
            "{id}: no api-version parameter upstream; set `x-ado-api-version`"
        )),
    }
    let area = found.doc.area_name();
    let resource = found
        .op
        .get("x-ms-vss-resource")
        .and_then(|r| r.as_str())
        .unwrap_or_default();
    op.insert("x-ado-location".into(), json!({"area": area, "resource": resource}));
    notes.review_of(
        id,
        "add `x-ado-location.id` (from an official client) and `since` (the first api-version upstream documents the operation in)",
    );

    let mut params = Vec::new();
    let mut body = None;
    let upstream_params = found
        .item
        .get("parameters")
        .into_iter()
        .chain(found.op.get("parameters"));
    let mut upstream_params: Vec<&Value> = upstream_params
        .filter_map(|p| p.as_array())
        .flatten()
        .map(|p| crate::spec::resolve(&found.doc.value, p))
        .filter(|p| {
            !matches!(
                p.get("name").and_then(|n| n.as_str()),
                Some("organization" | "api-version")
            )
        })
        .collect();
    // Path parameters in the order the path names them, then the query's in upstream's order.
    let position = |p: &&Value| match p.get("in").and_then(|i| i.as_str()) {
        Some("path") => {
            let name = p.get("name").and_then(|n| n.as_str()).unwrap_or_default();
            found.path.find(&format!("{{{name}}}")).unwrap_or(0)
        }
        _ => usize::MAX,
    };
    upstream_params.sort_by_key(position);
    for param in upstream_params {
        let name = param.get("name").and_then(|n| n.as_str()).unwrap_or_default();
        let location = param.get("in").and_then(|n| n.as_str()).unwrap_or_default();
        if location == "body" {
            let schema_at = format!("{at}/requestBody/content/application~1json/schema");
            let mut schema = schemas.convert(param.get("schema").unwrap_or(&json!({})), notes, &schema_at);
            // A body is sent whole: its own schema is not nullable, only what it holds.
            if let Some(object) = schema.as_object_mut() {
                object.remove("nullable");
            }
            body = Some(json!({
                "required": param.get("required").cloned().unwrap_or(json!(false)),
                "content": {"application/json": {"schema": schema}},
            }));
            continue;
        }
        if location == "path" && param.get("x-ms-required") == Some(&Value::Bool(false)) {
            let text = format!(
                "upstream marks the path parameter `{name}` optional (`x-ms-required: false`); the service also answers without it, which a path parameter here cannot say"
            );
            notes.review_of(id, &text);
        }
        let param_at = format!("{at}/parameters/{}", params.len());
        let mut schema = schemas.convert(param, notes, &param_at);
        if let Some(object) = schema.as_object_mut() {
            object.remove("nullable");
        }
        params.push(json!({
            "name": name,
            "in": location,
            "required": location == "path" || param.get("required").and_then(|r| r.as_bool()).unwrap_or(false),
            "schema": schema,
        }));
    }
    let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
    let has = |n: &str| names.contains(&n);

    for (key, what) in [("consumes", "takes"), ("produces", "answers")] {
        let media: Vec<&str> = found
            .op
            .get(key)
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str())
            .collect();
        if let Some(other) = media
            .iter()
            .find(|m| !m.starts_with("application/json") && !m.ends_with("+json") && **m != "text/plain")
        {
            notes.review(format!("{id}: upstream {what} `{other}`; the generator reads and writes JSON only, so write this operation by hand or leave it out"));
        }
    }
    let mut responses = Map::new();
    let mut paging = None;
    for (status, response) in found
        .op
        .get("responses")
        .and_then(|r| r.as_object())
        .into_iter()
        .flatten()
    {
        let mut out = Map::new();
        out.insert("description".into(), json!(response_description(status)));
        if let Some(schema) = response.get("schema") {
            let schema_at = format!("{at}/responses/{}/content/application~1json/schema", status);
            let converted = if schema.get("type").and_then(|t| t.as_str()) == Some("array") {
                let list = schemas.list_of(schema.get("items").unwrap_or(&json!({})), notes, &schema_at);
                if has("continuationToken") {
                    paging = Some(json!({"next": "header", "items": "value"}));
                } else if has("$top") && has("$skip") {
                    paging = Some(json!({"next": "skip", "items": "value"}));
                }
                list
            } else {
                let converted = schemas.convert(schema, notes, &schema_at);
                paging = paging.or_else(|| body_paging(found, schema));
                converted
            };
            out.insert("content".into(), json!({"application/json": {"schema": converted}}));
        }
        responses.insert(status.clone(), Value::Object(out));
    }
    if let Some(paging) = paging {
        op.insert("x-ado-paging".into(), paging);
    } else if has("$top") || has("continuationToken") {
        notes.review(format!(
            "{id}: pages by `$top`/`continuationToken`, but not in a way the importer knows"
        ));
    }
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }
    if let Some(body) = body {
        op.insert("requestBody".into(), body);
    }
    op.insert("responses".into(), Value::Object(responses));
    Value::Object(op)
}

/// Body paging: the answer is an object with a `continuationToken` and one array of items.
fn body_paging(found: &Found, schema: &Value) -> Option<Value> {
    let name = schema.get("$ref")?.as_str()?.strip_prefix("#/definitions/")?;
    let props = found
        .doc
        .value
        .pointer(&format!("/definitions/{name}/properties"))?
        .as_object()?;
    props.get("continuationToken")?;
    let mut arrays = props
        .iter()
        .filter(|(_, p)| p.get("type").and_then(|t| t.as_str()) == Some("array"));
    let (items, _) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    Some(json!({"next": "body", "token": "continuationToken", "items": items}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_drop_the_words_that_repeat_the_group() {
        assert_eq!(short_name("Repositories", "Get Repository"), "get");
        assert_eq!(short_name("Pats", "Get"), "get");
        assert_eq!(short_name("Preview", "Preview"), "preview");
        assert_eq!(short_name("Runs", "Run Pipeline"), "run_pipeline");
        assert_eq!(short_name("Evaluations", "Requeue Policy Evaluation"), "requeue_policy");
        assert_eq!(snake_case("Policy Configurations"), "policy_configurations");
        assert_eq!(words("GetRefs"), vec!["get", "refs"]);
    }
}
