//! The formats for programs: JSON and YAML (plain or coloured, as `az`'s `jsonc` and `yamlc`),
//! and tab-separated values.

use ado_core::{Error, Result};
use serde_json::Value;

const KEY: &str = "\u{1b}[94m";
const STRING: &str = "\u{1b}[32m";
const OTHER: &str = "\u{1b}[33m";
const RESET: &str = "\u{1b}[0m";

/// Indented JSON.
pub fn json(value: &Value) -> String {
    format!("{}\n", serde_json::to_string_pretty(value).unwrap_or_default())
}

/// Indented JSON with keys, strings and other values coloured.
pub fn json_coloured(value: &Value) -> String {
    let mut out = String::new();
    coloured(value, 0, &mut out);
    out.push('\n');
    out
}

fn coloured(value: &Value, depth: usize, out: &mut String) {
    let pad = |depth: usize| "  ".repeat(depth);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (key, v)) in map.iter().enumerate() {
                out.push_str(&format!(
                    "{}{KEY}{}{RESET}: ",
                    pad(depth + 1),
                    Value::String(key.clone())
                ));
                coloured(v, depth + 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}}}", pad(depth)));
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                coloured(item, depth + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}]", pad(depth)));
        }
        Value::String(_) => out.push_str(&format!("{STRING}{value}{RESET}")),
        Value::Object(_) | Value::Array(_) => out.push_str(&value.to_string()),
        other => out.push_str(&format!("{OTHER}{other}{RESET}")),
    }
}

/// YAML.
pub fn yaml(value: &Value) -> Result<String> {
    serde_yaml_ng::to_string(value)
        .map_err(|e| Error::invalid_input(format!("the answer cannot be written as YAML: {e}")))
}

/// YAML with each mapping key coloured.
pub fn yaml_coloured(yaml: &str) -> String {
    yaml.lines()
        .map(|line| {
            let body = line.trim_start_matches([' ', '-']);
            let indent = &line[..line.len() - body.len()];
            match body
                .split_once(": ")
                .or_else(|| body.strip_suffix(':').map(|k| (k, "")))
            {
                Some((key, rest)) if !key.starts_with(['"', '\'']) && !key.contains(' ') => {
                    let sep = if line.ends_with(':') && rest.is_empty() {
                        ":"
                    } else {
                        ": "
                    };
                    format!("{indent}{KEY}{key}{RESET}{sep}{rest}\n")
                }
                _ => format!("{line}\n"),
            }
        })
        .collect()
}

/// Tab-separated values, as `az` writes them: a line per item of a list (a line for an object
/// or a value), each object's (or inner list's) plain fields in order, deeper objects and lists
/// left out. Tabs and
/// new lines inside a value are escaped so that every item stays one line.
pub fn tsv(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Array(items) => {
            for item in items {
                line(item, &mut out);
            }
        }
        Value::Null => {}
        other => line(other, &mut out),
    }
    out
}

fn line(value: &Value, out: &mut String) {
    let fields: Vec<String> = match value {
        Value::Object(map) => map.values().filter_map(plain).collect(),
        Value::Array(items) => items.iter().filter_map(plain).collect(),
        other => plain(other).into_iter().collect(),
    };
    out.push_str(&fields.join("\t"));
    out.push('\n');
}

/// A plain value as one TSV field; `None` for objects and lists.
fn plain(value: &Value) -> Option<String> {
    let text = match value {
        Value::Object(_) | Value::Array(_) => return None,
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(
        text.replace('\\', "\\\\")
            .replace('\t', "\\t")
            .replace('\n', "\\n")
            .replace('\r', "\\r"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tsv_writes_a_line_per_item_with_plain_fields_only() {
        let value = json!([{"id": 1, "name": "a", "type": {"id": "x"}, "tags": ["t"]}, {"id": 2, "name": null}]);
        assert_eq!(tsv(&value), "1\ta\n2\t\n");
    }

    #[test]
    fn tsv_writes_inner_lists_as_fields() {
        assert_eq!(tsv(&json!([[1, "a", {"x": 1}], [2, "b"]])), "1\ta\n2\tb\n");
    }

    #[test]
    fn tsv_keeps_each_item_on_one_line() {
        assert_eq!(tsv(&json!(["a\tb\nc"])), "a\\tb\\nc\n");
        assert_eq!(tsv(&json!("one")), "one\n");
    }

    #[test]
    fn yaml_is_written_with_the_service_field_names() {
        assert_eq!(
            yaml(&json!({"id": 17, "isBlocking": true})).unwrap(),
            "id: 17\nisBlocking: true\n"
        );
    }

    #[test]
    fn coloured_json_is_json_once_the_colours_are_taken_out() {
        let value = json!({"id": 17, "name": "ci", "tags": ["a"], "empty": {}, "none": null});
        let shown = json_coloured(&value);
        let plain: String = shown
            .replace(KEY, "")
            .replace(STRING, "")
            .replace(OTHER, "")
            .replace(RESET, "");
        assert_eq!(serde_json::from_str::<Value>(&plain).unwrap(), value);
        assert!(
            shown.contains(&format!("{KEY}\"id\"{RESET}: {OTHER}17{RESET}")),
            "{shown}"
        );
    }

    #[test]
    fn coloured_yaml_colours_the_keys() {
        assert_eq!(
            yaml_coloured("id: 17\ntype:\n  displayName: x\n"),
            format!("{KEY}id{RESET}: 17\n{KEY}type{RESET}:\n  {KEY}displayName{RESET}: x\n")
        );
    }
}
