//! `cargo xtask upstream-diff <dir>`: what upstream has that a fragment lacks, and the reverse.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::areas::areas;
use crate::spec;

/// Operations, parameters and schema fields, keyed so that both sides compare.
#[derive(Default, Debug)]
pub struct Surface {
    /// `METHOD /path` (organization dropped, lower case, no trailing `?`) → parameter names.
    pub operations: BTreeMap<String, BTreeSet<String>>,
    /// schema name → field names.
    pub schemas: BTreeMap<String, BTreeSet<String>>,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// Normalise a path: drop the organization segment, lower-case. A trailing `?` is kept: it is how
/// both sides tell the PAT list from the PAT get.
fn normalise_path(path: &str) -> String {
    let path = path.strip_prefix("/{organization}").unwrap_or(path);
    path.to_lowercase()
}

/// Parameters an operation names, api-version and organization left out (they move into the base
/// URL and the per-operation table).
fn parameter_names(doc: &serde_json::Value, item: &serde_json::Value, op: &serde_json::Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let lists = [item.get("parameters"), op.get("parameters")];
    for param in lists.into_iter().flatten().filter_map(|p| p.as_array()).flatten() {
        let resolved = spec::resolve(doc, param);
        let Some(name) = resolved.get("name").and_then(|n| n.as_str()) else {
            continue;
        };
        let location = resolved.get("in").and_then(|n| n.as_str()).unwrap_or_default();
        if name == "api-version" || name == "organization" || location == "body" {
            continue;
        }
        names.insert(name.to_string());
    }
    if op.get("requestBody").is_some()
        || op
            .get("parameters")
            .and_then(|p| p.as_array())
            .is_some_and(|ps| ps.iter().any(|p| p.get("in").and_then(|i| i.as_str()) == Some("body")))
    {
        names.insert("(body)".to_string());
    }
    names
}

/// Fields of a schema, following `allOf` (upstream composes many types that way).
fn fields(doc: &serde_json::Value, schema: &serde_json::Value, out: &mut BTreeSet<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
        out.extend(props.keys().cloned());
    }
    for part in schema.get("allOf").and_then(|a| a.as_array()).into_iter().flatten() {
        fields(doc, spec::resolve(doc, part), out, depth + 1);
    }
}

/// The surface of a Swagger 2.0 or OpenAPI 3 document.
pub fn surface(doc: &serde_json::Value) -> Surface {
    let mut surface = Surface::default();
    for key in ["paths", "x-ms-paths"] {
        let Some(paths) = doc.get(key).and_then(|p| p.as_object()) else {
            continue;
        };
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(*method) {
                    let name = format!("{} {}", method.to_uppercase(), normalise_path(path));
                    surface.operations.insert(name, parameter_names(doc, item, op));
                }
            }
        }
    }
    let schemas = doc
        .get("definitions")
        .or_else(|| doc.pointer("/components/schemas"))
        .and_then(|d| d.as_object());
    for (name, schema) in schemas.into_iter().flatten() {
        let mut set = BTreeSet::new();
        fields(doc, schema, &mut set, 0);
        if !set.is_empty() {
            surface.schemas.insert(name.clone(), set);
        }
    }
    surface
}

/// Lines describing how `ours` differs from `upstream`.
pub fn compare(ours: &Surface, upstream: &Surface) -> Vec<String> {
    let mut lines = Vec::new();
    for (op, params) in &upstream.operations {
        match ours.operations.get(op) {
            None => lines.push(format!("operation only upstream: {op}")),
            Some(mine) => {
                for p in params.difference(mine) {
                    lines.push(format!("parameter only upstream: {op} {p}"));
                }
                for p in mine.difference(params) {
                    lines.push(format!("parameter only in fragment: {op} {p}"));
                }
            }
        }
    }
    for op in ours
        .operations
        .keys()
        .filter(|op| !upstream.operations.contains_key(*op))
    {
        lines.push(format!("operation only in fragment: {op}"));
    }
    for (name, upstream_fields) in &upstream.schemas {
        let Some(mine) = ours.schemas.get(name) else {
            lines.push(format!("schema only upstream: {name}"));
            continue;
        };
        for f in upstream_fields.difference(mine) {
            lines.push(format!("field only upstream: {name}.{f}"));
        }
        for f in mine.difference(upstream_fields) {
            lines.push(format!("field only in fragment: {name}.{f}"));
        }
    }
    lines
}

/// Compare every fragment with every upstream file in `dir`; operations are matched by method and
/// path, so an upstream file may hold any mix of areas.
pub fn run(root: &Path, dir: &Path) -> Result<bool, String> {
    let mut upstream = Surface::default();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    if entries.is_empty() {
        return Err(format!("{}: no .json specs", dir.display()));
    }
    for path in &entries {
        let doc = spec::load_value(path)?;
        let s = surface(&doc);
        upstream.operations.extend(s.operations);
        upstream.schemas.extend(s.schemas);
    }
    let mut ours = Surface::default();
    for area in areas(root)? {
        let doc = spec::load_value(&root.join(&area.spec))?;
        let s = surface(&doc);
        ours.operations.extend(s.operations);
        ours.schemas.extend(s.schemas);
    }
    let lines = compare(&ours, &upstream);
    for line in &lines {
        println!("{line}");
    }
    println!(
        "{} upstream operations, {} in the fragments, {} differences",
        upstream.operations.len(),
        ours.operations.len(),
        lines.len()
    );
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_compare_without_organization_or_case_and_keep_the_list_question_mark() {
        assert_eq!(
            normalise_path("/{organization}/_apis/tokens/pats?"),
            "/_apis/tokens/pats?"
        );
        assert_eq!(
            normalise_path("/{project}/_apis/pipelines/pipelinePermissions"),
            "/{project}/_apis/pipelines/pipelinepermissions"
        );
    }

    #[test]
    fn upstream_only_operations_parameters_schemas_and_fields_are_listed() {
        let upstream = json!({
            "swagger": "2.0",
            "parameters": {"v": {"name": "api-version", "in": "query"}},
            "paths": {"/{organization}/_apis/things": {
                "get": {"parameters": [{"name": "organization", "in": "path"}, {"name": "$top", "in": "query"}, {"$ref": "#/parameters/v"}]},
                "delete": {"parameters": []}
            }},
            "definitions": {
                "Base": {"properties": {"id": {}}},
                "Thing": {"allOf": [{"$ref": "#/definitions/Base"}], "properties": {"name": {}, "color": {}}}
            }
        });
        let ours = json!({
            "openapi": "3.0.3",
            "paths": {"/_apis/things": {"get": {"parameters": [{"name": "$skip", "in": "query"}]}}},
            "components": {"schemas": {"Thing": {"properties": {"id": {}, "name": {}}}}}
        });
        let lines = compare(&surface(&ours), &surface(&upstream));
        assert_eq!(
            lines,
            vec![
                "operation only upstream: DELETE /_apis/things",
                "parameter only upstream: GET /_apis/things $top",
                "parameter only in fragment: GET /_apis/things $skip",
                "schema only upstream: Base",
                "field only upstream: Thing.color",
            ]
        );
    }

    #[test]
    fn the_fragments_cover_every_upstream_operation_and_parameter_when_the_reference_is_present() {
        let dir = crate::workspace_root().join("../shared/reference");
        if !dir.exists() {
            eprintln!("skipped: {} is not here", dir.display());
            return;
        }
        let mut upstream = Surface::default();
        for name in [
            "tokens-7.1.json",
            "pipelines-7.1.json",
            "pipelinePermissions-7.1.json",
            "policy-7.1.json",
        ] {
            let s = surface(&spec::load_value(&dir.join(name)).unwrap());
            upstream.operations.extend(s.operations);
            upstream.schemas.extend(s.schemas);
        }
        let mut ours = Surface::default();
        for area in areas(&crate::workspace_root()).unwrap() {
            let s = surface(&spec::load_value(&crate::workspace_root().join(&area.spec)).unwrap());
            ours.operations.extend(s.operations);
            ours.schemas.extend(s.schemas);
        }
        // git: only the operations the fragment imported (of upstream's 107), and their schemas.
        let git = surface(&spec::load_value(&dir.join("git-7.1.json")).unwrap());
        for (op, params) in git.operations {
            if ours.operations.contains_key(&op) {
                upstream.operations.insert(op, params);
            }
        }
        for (name, fields) in git.schemas {
            upstream.schemas.entry(name).or_insert(fields);
        }
        assert_eq!(upstream.operations.len(), 39);
        // Fields the fragments add on purpose, each explained by a `# fix:` there.
        let added = [
            "field only in fragment: CreatePipelineConfigurationParameters.path",
            "field only in fragment: CreatePipelineConfigurationParameters.repository",
            "field only in fragment: RunResources.builds",
            "field only in fragment: RunResources.packages",
        ];
        let differences: Vec<String> = compare(&ours, &upstream)
            .into_iter()
            .filter(|l| !l.starts_with("schema only upstream"))
            .collect();
        let unexplained: Vec<&String> = differences.iter().filter(|l| !added.contains(&l.as_str())).collect();
        assert_eq!(unexplained, Vec::<&String>::new());
        assert_eq!(
            differences.len(),
            added.len(),
            "an addition listed here is gone: {differences:?}"
        );
    }
}
