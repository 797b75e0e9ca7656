//! Loading and validating a curated fragment.

use std::path::Path;

/// An operation as the generator and ado-core see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationFacts {
    pub id: String,
    pub method: String,
    pub path: String,
    pub api_version: String,
}

/// `value`, or what its `$ref` points to inside `doc` (`#/components/...`, `#/parameters/...`);
/// a reference that leads nowhere is left as it is.
pub fn resolve<'a>(doc: &'a serde_json::Value, value: &'a serde_json::Value) -> &'a serde_json::Value {
    match value
        .get("$ref")
        .and_then(|r| r.as_str())
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => doc.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

/// Strip a UTF-8 byte-order mark, which some upstream files start with.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Read a fragment (YAML or JSON) as a JSON value.
pub fn load_value(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = strip_bom(&text);
    let is_json = path.extension().is_some_and(|e| e == "json");
    if is_json {
        serde_json::from_str(text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
    } else {
        serde_yaml::from_str(text).map_err(|e| format!("{}: not YAML: {e}", path.display()))
    }
}

/// Load a fragment and check that it is OpenAPI 3.0.3, naming the path of any fault.
pub fn load(path: &Path) -> Result<(openapiv3::OpenAPI, serde_json::Value), String> {
    let value = load_value(path)?;
    match value.get("openapi").and_then(|v| v.as_str()) {
        Some("3.0.3") => {}
        Some(other) => {
            return Err(format!("{}: at openapi: expected 3.0.3, found {other}", path.display()));
        }
        None => return Err(format!("{}: at openapi: missing", path.display())),
    }
    let spec: openapiv3::OpenAPI = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        let (at, why) = locate_fault(&value).unwrap_or_else(|| (e.path().to_string(), e.inner().to_string()));
        format!("{}: at {at}: {why}", path.display())
    })?;
    check_operations(path, &value)?;
    Ok((spec, value))
}

/// Narrow a fault down: openapiv3 reads many parts through untagged enums, which report only
/// where the enum starts; reading the parts one by one names the exact place.
fn locate_fault(value: &serde_json::Value) -> Option<(String, String)> {
    fn check<T: serde::de::DeserializeOwned>(at: String, part: &serde_json::Value) -> Option<(String, String)> {
        match serde_path_to_error::deserialize::<_, T>(part.clone()) {
            Ok(_) => None,
            Err(e) => {
                let inner = e.path().to_string();
                let at = if inner == "." { at } else { format!("{at}.{inner}") };
                Some((at, e.inner().to_string()))
            }
        }
    }
    let paths = value.get("paths").and_then(|p| p.as_object());
    for (route, item) in paths.into_iter().flatten() {
        for method in METHODS {
            let Some(op) = item.get(*method) else { continue };
            let at = format!("paths.{route}.{method}");
            for (status, response) in op.get("responses").and_then(|r| r.as_object()).into_iter().flatten() {
                if response.get("$ref").is_none()
                    && let Some(fault) = check::<openapiv3::Response>(format!("{at}.responses.{status}"), response)
                {
                    return Some(fault);
                }
            }
            for (i, param) in op
                .get("parameters")
                .and_then(|p| p.as_array())
                .into_iter()
                .flatten()
                .enumerate()
            {
                if param.get("$ref").is_none()
                    && let Some(fault) = check::<openapiv3::Parameter>(format!("{at}.parameters[{i}]"), param)
                {
                    return Some(fault);
                }
            }
            if let Some(fault) = check::<openapiv3::Operation>(at, op) {
                return Some(fault);
            }
        }
    }
    let schemas = value.pointer("/components/schemas").and_then(|s| s.as_object());
    for (name, schema) in schemas.into_iter().flatten() {
        if let Some(fault) = check::<openapiv3::Schema>(format!("components.schemas.{name}"), schema) {
            return Some(fault);
        }
    }
    None
}

/// Every operation has a snake_case id, a description on each response and an api-version.
fn check_operations(path: &Path, value: &serde_json::Value) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for op in operations(value) {
        let at = format!("{}: at paths.{}.{}", path.display(), op.path, op.method.to_lowercase());
        if op.id.is_empty()
            || !op
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(format!("{at}.operationId: `{}` is not snake_case", op.id));
        }
        if op.api_version.is_empty() {
            return Err(format!("{at}.x-ado-api-version: missing"));
        }
        if !seen.insert(op.id.clone()) {
            return Err(format!("{at}.operationId: `{}` is used twice", op.id));
        }
    }
    Ok(())
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// The operations of a fragment in document order of paths, then method.
pub fn operations(value: &serde_json::Value) -> Vec<OperationFacts> {
    let mut out = Vec::new();
    let Some(paths) = value.get("paths").and_then(|p| p.as_object()) else {
        return out;
    };
    for (path, item) in paths {
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                out.push(OperationFacts {
                    id: op
                        .get("operationId")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    method: method.to_uppercase(),
                    path: path.clone(),
                    api_version: op
                        .get("x-ado-api-version")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-spec-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_fragment_that_is_not_openapi_3_0_3_names_the_version() {
        let path = write("v.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        let err = load(&path).unwrap_err();
        assert!(err.ends_with("at openapi: expected 3.0.3, found 3.1.0"), "{err}");
    }

    #[test]
    fn an_invalid_fragment_fails_with_the_path_of_the_fault() {
        let path = write(
            "bad.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: x\n      responses:\n        '200': {content: {}}\n",
        );
        let err = load(&path).unwrap_err();
        assert!(
            err.ends_with("at paths./x.get.responses.200: missing field `description`"),
            "{err}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        assert_eq!(strip_bom("\u{feff}{}"), "{}");
    }

    #[test]
    fn an_operation_without_api_version_is_refused() {
        let path = write(
            "nov.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: x_get\n      responses:\n        '200': {description: ok}\n",
        );
        let err = load(&path).unwrap_err();
        assert!(err.ends_with("at paths./x.get.x-ado-api-version: missing"), "{err}");
    }
}
