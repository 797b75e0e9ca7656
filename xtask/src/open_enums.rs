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

/// `forcePushRequired` → `ForcePushRequired`, `not-set` → `NotSet`.
fn variant(value: &str) -> String {
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|f| f.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The macro call for one open enum, as Rust source.
pub fn render(open: &OpenEnum) -> String {
    let mut out = format!(
        "ado_core::open_enum! {{\n    /// `{}`: the documented values, and any other kept as it came.\n    pub enum {} {{\n",
        open.name, open.name
    );
    for value in &open.values {
        out.push_str(&format!(
            "        /// `{value}`.\n        {} = {:?},\n",
            variant(value),
            value
        ));
    }
    out.push_str("    }\n}\n");
    out
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
            render(&open[0]),
            "ado_core::open_enum! {\n    /// `State`: the documented values, and any other kept as it came.\n    pub enum State {\n        /// `notSet`.\n        NotSet = \"notSet\",\n        /// `force-push`.\n        ForcePush = \"force-push\",\n    }\n}\n"
        );
    }
}
