//! String enums marked `x-ado-open-enum: true` become `ado_core::open_enum!` types in the
//! generated `types` module instead of typify's closed enums: a value the service adds later
//! decodes as `Other` instead of failing the whole answer.

use serde_json::Value;

/// A schema to write as an open enum: its name and documented values.
pub struct OpenEnum {
    pub name: String,
    pub values: Vec<String>,
}

/// The open enums a fragment asks for, by schema name.
pub fn of(doc: &Value) -> Vec<OpenEnum> {
    let schemas = doc.pointer("/components/schemas").and_then(|s| s.as_object());
    schemas
        .into_iter()
        .flatten()
        .filter(|(_, schema)| schema.get("x-ado-open-enum").and_then(|o| o.as_bool()) == Some(true))
        .map(|(name, schema)| OpenEnum {
            name: name.clone(),
            values: schema
                .get("enum")
                .and_then(|e| e.as_array())
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
        })
        .collect()
}

/// The variant for a value: `forcePushRequired` → `ForcePushRequired`; `other` → `OtherValue`
/// (the macro's own `Other` holds unknown values); a leading digit gets a `V`.
fn variant(value: &str) -> String {
    let name = crate::names::pascal_case(value);
    match name.chars().next() {
        _ if name == "Other" => "OtherValue".to_string(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        _ => name,
    }
}

/// The macro call for one open enum, as Rust source; two values with one variant name, or a
/// value with no letters or digits, are refused by the schema's name.
pub fn render(open: &OpenEnum) -> Result<String, String> {
    let mut out = format!(
        "ado_core::open_enum! {{\n    /// `{}`: the documented values, and any other kept as it came.\n    pub enum {} {{\n",
        open.name, open.name
    );
    let mut seen = std::collections::BTreeSet::new();
    for value in &open.values {
        let name = variant(value);
        if name.is_empty() || !seen.insert(name.clone()) {
            return Err(format!(
                "open enum {}: the value `{value}` has no variant name of its own",
                open.name
            ));
        }
        out.push_str(&format!("        /// `{value}`.\n        {name} = {value:?},\n"));
    }
    if seen.is_empty() {
        return Err(format!("open enum {}: no string values", open.name));
    }
    out.push_str("    }\n}\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_schemas_marked_open_become_open_enums_with_a_variant_per_value() {
        let doc = json!({"components": {"schemas": {
            "State": {"type": "string", "x-ado-open-enum": true, "enum": ["notSet", "force-push"]},
            "Closed": {"type": "string", "enum": ["a"]}
        }}});
        let open = of(&doc);
        assert_eq!(open.len(), 1);
        assert_eq!(
            render(&open[0]).unwrap(),
            "ado_core::open_enum! {\n    /// `State`: the documented values, and any other kept as it came.\n    pub enum State {\n        /// `notSet`.\n        NotSet = \"notSet\",\n        /// `force-push`.\n        ForcePush = \"force-push\",\n    }\n}\n"
        );
    }

    #[test]
    fn a_value_named_other_a_leading_digit_and_a_clash_are_handled() {
        let open = |values: &[&str]| OpenEnum {
            name: "E".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        let text = render(&open(&["other", "2fa"])).unwrap();
        assert!(text.contains("OtherValue = \"other\""), "{text}");
        assert!(text.contains("V2fa = \"2fa\""), "{text}");
        assert_eq!(
            render(&open(&["notSet", "not-set"])).unwrap_err(),
            "open enum E: the value `not-set` has no variant name of its own"
        );
        assert_eq!(
            render(&open(&["--"])).unwrap_err(),
            "open enum E: the value `--` has no variant name of its own"
        );
    }
}
