//! `cargo xtask import <swagger.json>... --area <name> [--operations <ids or tags>] [--force]`:
//! write `specs/<name>.yaml` from upstream Swagger 2.0 with the mechanical fixes applied, each
//! recorded as a `# fix:` line beside what it changed, and list what it could not decide (the
//! `# review:` lines at the top, printed too) for a person to settle before `cargo xtask generate`.

mod operations;
mod schemas;
pub mod yaml;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::spec;
use operations::{Found, METHODS, snake_case, split_id};
use schemas::Schemas;

/// One upstream document.
pub struct Upstream {
    pub file: String,
    pub value: Value,
}

impl Upstream {
    pub fn load(path: &Path) -> Result<Self, String> {
        let value = spec::load_value(path)?;
        if value.get("swagger").and_then(|v| v.as_str()) != Some("2.0") {
            return Err(format!("{}: not a Swagger 2.0 document", path.display()));
        }
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Self { file, value })
    }

    /// The area as the location service names it: `Git` → `git`, `pipelinePermissions` kept.
    fn area_name(&self) -> String {
        let area = self
            .value
            .get("x-ms-vss-area")
            .and_then(|a| a.as_str())
            .unwrap_or_default();
        let mut chars = area.chars();
        chars
            .next()
            .map(|f| f.to_ascii_lowercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }
}

/// What the import changed (comments by place) and what it leaves to a person.
#[derive(Default)]
pub struct Notes {
    pub fixes: yaml::Comments,
    pub review: Vec<String>,
    /// Review items that many operations share: the item, then the operations.
    shared: Vec<(String, Vec<String>)>,
}

impl Notes {
    fn fix(&mut self, at: &str, text: String) {
        let lines = self.fixes.entry(at.to_string()).or_default();
        let line = format!("fix: {text}");
        if !lines.contains(&line) {
            lines.push(line);
        }
    }

    fn review(&mut self, text: String) {
        if !self.review.contains(&text) {
            self.review.push(text);
        }
    }

    /// A review item that holds for operation `id`, listed once with every operation it holds for.
    fn review_of(&mut self, id: &str, text: &str) {
        match self.shared.iter_mut().find(|(t, _)| t == text) {
            Some((_, ids)) => ids.push(id.to_string()),
            None => self.shared.push((text.to_string(), vec![id.to_string()])),
        }
    }

    /// Add the shared items to the review list.
    fn finish(&mut self) {
        for (text, ids) in std::mem::take(&mut self.shared) {
            self.review(format!("{}: {text}", ids.join(", ")));
        }
    }
}

/// The fixes every import makes, written once at the top.
const THROUGHOUT: &[&str] = &[
    "fix: `{organization}` is part of the base URL built by ado-core, not a path parameter; upstream's `host` is the server.",
    "fix: the shared, value-less `api-version` parameter is replaced by `x-ado-api-version` on each operation.",
    "fix: upstream ids have spaces; each operation has a snake_case id and its group as its tag.",
    "fix: every response has a description (OpenAPI 3 requires one; upstream has none); summaries are upstream's method names.",
    "fix: no field is required unless the service always sends it; arrays and maps are nullable.",
];

/// Whether an operation is among those asked for: by upstream id, fragment id or tag.
fn selected(selection: &[String], upstream_id: &str, id: &str) -> bool {
    let (group, _) = split_id(upstream_id);
    selection.is_empty()
        || selection
            .iter()
            .any(|s| s == upstream_id || s == id || s == group || *s == snake_case(group))
}

/// Every operation of the documents, in their order (`paths`, then `x-ms-paths`).
fn found(docs: &[Upstream]) -> Vec<Found<'_>> {
    let mut out = Vec::new();
    for doc in docs {
        for key in ["paths", "x-ms-paths"] {
            for (path, item) in doc.value.get(key).and_then(|p| p.as_object()).into_iter().flatten() {
                for method in METHODS {
                    if let Some(op) = item.get(*method) {
                        let path = path.strip_prefix("/{organization}").unwrap_or(path).to_string();
                        let id = op.get("operationId").and_then(|i| i.as_str()).unwrap_or_default();
                        out.push(Found {
                            doc,
                            id,
                            path,
                            method,
                            op,
                            item,
                        });
                    }
                }
            }
        }
    }
    out
}

/// The fragment's key for an operation's path. Upstream puts a second operation of one path and
/// method under `x-ms-paths` with a query in the key (`…/pats?`, `…/{repositoryId}?includeParent=…`):
/// the query goes (its parameters are declared anyway), and a key that is then taken keeps one
/// trailing `?`, which yields the same URL.
fn fragment_path(paths: &Map<String, Value>, found: &Found, notes: &mut Notes) -> Result<String, String> {
    let Some((path, _)) = found.path.split_once('?') else {
        return Ok(found.path.clone());
    };
    let taken = |key: &str| paths.get(key).is_some_and(|item| item.get(found.method).is_some());
    let key = [path.to_string(), format!("{path}?")]
        .into_iter()
        .find(|key| !taken(key))
        .ok_or_else(|| format!("{}: a third operation on {} {path}", found.id, found.method))?;
    notes.fix(
        &yaml::pointer("/paths", &key),
        format!(
            "upstream keys this operation `{}` under `x-ms-paths` (Swagger 2.0 allows one per path and method); a first-class path here, the same URL.",
            found.path
        ),
    );
    Ok(key)
}

/// The fragment for `area` from `docs`, as a JSON value, and the notes for it.
pub fn import(docs: &[Upstream], area: &str, selection: &[String]) -> Result<(Value, Notes), String> {
    let first = docs.first().ok_or("no upstream document")?;
    let mut notes = Notes::default();
    let all = found(docs);
    let ids = operations::ids(&all);
    let chosen: Vec<(&Found, &String)> = all
        .iter()
        .zip(&ids)
        .filter(|(f, id)| selected(selection, f.id, id))
        .collect();
    if chosen.is_empty() {
        return Err(format!("no operation matches {selection:?}"));
    }
    for wanted in selection {
        let matches = |(f, id): &(&Found, &String)| selected(std::slice::from_ref(wanted), f.id, id);
        if !chosen.iter().any(matches) {
            return Err(format!("no operation or tag is named `{wanted}`"));
        }
    }

    let mut merged = Map::new();
    for doc in docs {
        let definitions = doc.value.get("definitions").and_then(|d| d.as_object());
        for (name, definition) in definitions.into_iter().flatten() {
            match merged.get(name) {
                Some(known) if known != definition => notes.review(format!(
                    "{}: the definition `{name}` differs from an earlier document's; the first is used",
                    doc.file
                )),
                Some(_) => {}
                None => {
                    merged.insert(name.clone(), definition.clone());
                }
            }
        }
    }
    let mut schemas = Schemas::new(&merged);
    let mut paths = Map::new();
    for (found, id) in &chosen {
        let path = fragment_path(&paths, found, &mut notes)?;
        let at = yaml::pointer(&yaml::pointer("/paths", &path), found.method);
        let op = operations::convert(found, id, &mut schemas, &mut notes, &at);
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[found.method] = op;
    }
    schemas.drain(&mut notes);
    notes.finish();

    let host = first
        .value
        .get("host")
        .and_then(|h| h.as_str())
        .unwrap_or("dev.azure.com");
    let mut areas = Map::new();
    for doc in docs {
        let name = doc.area_name();
        match doc.value.get("x-ms-vss-resource-area-id").and_then(|i| i.as_str()) {
            Some(id) => {
                areas.insert(name, json!({"id": id}));
            }
            None => notes.review(format!(
                "{}: upstream names no resource area id for `{name}`; add it to `x-ado-areas` (from an official client)",
                doc.file
            )),
        }
    }
    let version = first.value.pointer("/info/version").cloned().unwrap_or(json!("7.1"));
    let mut tags: Vec<String> = Vec::new();
    for (found, _) in &chosen {
        let tag = snake_case(split_id(found.id).0);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let fragment = json!({
        "openapi": "3.0.3",
        "info": {
            "title": format!("Azure DevOps {area}"),
            "version": version,
            "description": format!("The {area} area: {}.", tags.join(", ")),
        },
        "servers": [{"url": format!("https://{host}/{{organization}}"), "variables": {"organization": {"default": "fabrikam"}}}],
        "x-ado-areas": areas,
        "paths": paths,
        "components": {"schemas": schemas.out},
    });
    Ok((fragment, notes))
}

/// The fragment's text: a header naming the sources, the fixes made throughout and what to review.
pub fn render(fragment: &Value, notes: &Notes, docs: &[Upstream], area: &str) -> String {
    let files: Vec<&str> = docs.iter().map(|d| d.file.as_str()).collect();
    let mut text = format!(
        "# ado-rs fragment: the {area} area (Azure DevOps REST), imported by `cargo xtask import` from\n# upstream {}.\n# Every departure from the upstream shape carries a `# fix:` comment. Fixes that apply throughout:\n",
        files.join(", ")
    );
    for line in THROUGHOUT {
        text.push_str(&format!("# {line}\n"));
    }
    for line in &notes.review {
        text.push_str(&format!("# review: {line}\n"));
    }
    text.push_str(&yaml::write(fragment, &notes.fixes));
    text
}

struct Args {
    files: Vec<PathBuf>,
    area: String,
    operations: Vec<String>,
    force: bool,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        files: Vec::new(),
        area: String::new(),
        operations: Vec::new(),
        force: false,
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--area" => parsed.area = rest.next().ok_or("--area needs a name")?.clone(),
            "--operations" => {
                let list = rest.next().ok_or("--operations needs ids or tags")?;
                parsed
                    .operations
                    .extend(list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()));
            }
            "--force" => parsed.force = true,
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}")),
            file => parsed.files.push(PathBuf::from(file)),
        }
    }
    if parsed.files.is_empty() || parsed.area.is_empty() {
        return Err(
            "usage: cargo xtask import <swagger.json>... --area <name> [--operations <ids or tags>] [--force]".into(),
        );
    }
    if !parsed.area.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(format!("--area `{}`: lower case letters and `_` only", parsed.area));
    }
    Ok(parsed)
}

pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let args = parse(args)?;
    let docs = args
        .files
        .iter()
        .map(|f| Upstream::load(f))
        .collect::<Result<Vec<_>, _>>()?;
    let (fragment, notes) = import(&docs, &args.area, &args.operations)?;
    let out = root.join("specs").join(format!("{}.yaml", args.area));
    if out.exists() && !args.force {
        return Err(format!(
            "{} exists (a curated fragment); --force writes over it",
            out.display()
        ));
    }
    std::fs::write(&out, render(&fragment, &notes, &docs, &args.area))
        .map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "wrote {}: {} operations",
        out.display(),
        spec::operations(&fragment).len()
    );
    println!("to review before `cargo xtask generate`:");
    for line in &notes.review {
        println!("- {line}");
    }
    Ok(true)
}

#[cfg(test)]
mod tests;
