//! YAML text for a JSON value, block style, with comment lines before chosen keys: the importer
//! writes each `# fix:` beside what it changed. serde_yaml cannot write comments.

use std::collections::BTreeMap;

use serde_json::Value;

/// Comment lines (without `# `) to write before the key at a JSON pointer.
pub type Comments = BTreeMap<String, Vec<String>>;

/// The JSON pointer of `key` inside the value at `parent`.
pub fn pointer(parent: &str, key: &str) -> String {
    format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// `value` as YAML; `value` should be an object (a document).
pub fn write(value: &Value, comments: &Comments) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, "", 0, comments),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, at: &str, indent: usize, comments: &Comments) {
    let pad = " ".repeat(indent);
    for (key, value) in map {
        let here = pointer(at, key);
        for line in comments.get(&here).into_iter().flatten() {
            out.push_str(&format!("{pad}# {line}\n"));
        }
        out.push_str(&format!("{pad}{}:", plain_or_quoted(key)));
        write_value(out, value, &here, indent, comments);
    }
}

/// The part after `key:`: a scalar on the same line, or a nested block below it.
fn write_value(out: &mut String, value: &Value, at: &str, indent: usize, comments: &Comments) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, at, indent + 2, comments);
        }
        Value::Array(items) if !items.is_empty() && !items.iter().all(is_flow_scalar) => {
            out.push('\n');
            write_items(out, items, at, indent + 2, comments);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn write_items(out: &mut String, items: &[Value], at: &str, indent: usize, comments: &Comments) {
    let pad = " ".repeat(indent);
    for (i, item) in items.iter().enumerate() {
        let here = format!("{at}/{i}");
        for line in comments.get(&here).into_iter().flatten() {
            out.push_str(&format!("{pad}# {line}\n"));
        }
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The map is written two deeper, then its first line takes the dash.
                let mut block = String::new();
                write_map(&mut block, map, &here, indent + 2, comments);
                let inner = " ".repeat(indent + 2);
                let mut dashed = false;
                for line in block.lines() {
                    let is_comment = line.trim_start().starts_with('#');
                    if !dashed && !is_comment {
                        out.push_str(&format!("{pad}- {}\n", &line[inner.len()..]));
                        dashed = true;
                    } else {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
            Value::Array(inner) if !inner.is_empty() && !inner.iter().all(is_flow_scalar) => {
                out.push_str(&format!("{pad}-\n"));
                write_items(out, inner, &here, indent + 2, comments);
            }
            other => out.push_str(&format!("{pad}- {}\n", inline(other))),
        }
    }
}

fn is_flow_scalar(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

/// A scalar, or an empty or all-scalar collection, in flow style.
fn inline(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|item| match item {
                    Value::String(text) if is_plain(text) && !text.contains(['{', '}', ',']) => text.clone(),
                    Value::String(text) => quoted(text),
                    other => inline(other),
                })
                .collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".to_string(),
        other => scalar(other),
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => plain_or_quoted(text),
        // Numbers, booleans and null are written as JSON writes them, which YAML reads back alike.
        other => other.to_string(),
    }
}

/// A string plain when YAML reads it back as the same string, double-quoted otherwise.
fn plain_or_quoted(text: &str) -> String {
    if is_plain(text) { text.to_string() } else { quoted(text) }
}

/// Double-quoted, escaping what YAML would not read back as written: quotes, backslashes, and
/// every character outside YAML's printable set or that YAML takes for a line break.
fn quoted(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' | ' '..='~' => out.push(c),
            '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' if !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push(c)
            }
            c if u32::from(c) >= 0x10000 => out.push(c),
            c => out.push_str(&format!("\\u{:04x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

fn is_plain(text: &str) -> bool {
    const WORDS: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"];
    let Some(first) = text.chars().next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '/' || first == '$' || first == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_$./{}-?#,()`' ".contains(c))
        && !text.ends_with(' ')
        && !text.contains(" #")
        && !WORDS.contains(&text.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn comments_are_written_before_their_key_at_its_depth() {
        let value = json!({"paths": {"/a": {"get": {"operationId": "a_get"}}}});
        let mut comments = Comments::new();
        comments.insert(
            "/paths/~1a/get/operationId".into(),
            vec!["fix: upstream id `A_Get`.".into()],
        );
        assert_eq!(
            write(&value, &comments),
            "paths:\n  /a:\n    get:\n      # fix: upstream id `A_Get`.\n      operationId: a_get\n"
        );
    }

    #[test]
    fn sequences_of_maps_take_a_dash_on_their_first_key_and_scalars_stay_in_flow() {
        let value = json!({"parameters": [{"name": "$top", "in": "query"}], "tags": ["refs"], "e": {}});
        assert_eq!(
            write(&value, &Comments::new()),
            "parameters:\n  - name: $top\n    in: query\ntags: [refs]\ne: {}\n"
        );
    }

    #[test]
    fn strings_yaml_would_read_otherwise_are_quoted() {
        let value = json!({"200": "7.1", "a": "true", "b": "4e080c62-fa21", "c": "a: b", "d": ""});
        assert_eq!(
            write(&value, &Comments::new()),
            "\"200\": \"7.1\"\na: \"true\"\nb: \"4e080c62-fa21\"\nc: \"a: b\"\nd: \"\"\n"
        );
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<String>().prop_map(Value::String),
            "[a-z$/{}?#:, ()`'-]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner.clone(), 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                prop::collection::btree_map("[a-z$/{}?#: -]{0,8}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_document_reads_back_as_the_same_value(
            doc in prop::collection::btree_map("[a-zA-Z0-9$/{}?#: -]{0,8}", any_json(), 1..5)
        ) {
            let value = Value::Object(doc.into_iter().collect());
            let text = write(&value, &Comments::new());
            let back: Value = serde_yaml::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(back, value, "{}", text);
        }
    }
}
