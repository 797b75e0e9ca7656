//! Upstream Swagger 2.0 definitions as OpenAPI 3 schemas, with the mechanical fixes: `allOf`
//! flattened, `JObject` and free-form objects made `JsonObject`, inline `x-ms-enum`s named,
//! `required` dropped, arrays and maps nullable.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value, json};

use super::Notes;
use crate::names::pascal_case;

/// The schema every free-form object becomes.
pub const JSON_OBJECT: &str = "JsonObject";

/// Upstream's links type, which the service sends in another shape than declared.
const REFERENCE_LINKS: &str = "ReferenceLinks";

/// Converts the definitions an import reaches, one at a time.
pub struct Schemas<'a> {
    definitions: &'a Map<String, Value>,
    /// Converted schemas by name, in the order they were reached.
    pub out: Map<String, Value>,
    queue: VecDeque<String>,
    seen: BTreeSet<String>,
    /// Enum values of each named enum, to notice two inline enums with one name.
    enums: BTreeMap<String, Value>,
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn definition_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/definitions/")
}

/// An upstream `JObject` (declared as `{item, type}`) or an object with no shape at all.
fn is_free_form(schema: &Value, name: Option<&str>) -> bool {
    // Upstream writes free-form values as the `JObject` definition or as a string of that format.
    let format = schema.get("format").and_then(|f| f.as_str());
    if name == Some("JObject") || matches!(format, Some("JObject" | "JToken")) {
        return true;
    }
    schema.get("type").and_then(|t| t.as_str()) == Some("object")
        && schema.get("properties").is_none()
        && schema.get("additionalProperties").is_none()
        && schema.get("allOf").is_none()
}

impl<'a> Schemas<'a> {
    pub fn new(definitions: &'a Map<String, Value>) -> Self {
        Self {
            definitions,
            out: Map::new(),
            queue: VecDeque::new(),
            seen: BTreeSet::new(),
            enums: BTreeMap::new(),
        }
    }

    /// A reference to an upstream definition, queued for conversion.
    fn refer(&mut self, name: &str, notes: &mut Notes, at: &str) -> Value {
        if name == REFERENCE_LINKS {
            return self.reference_links(notes);
        }
        let free_form = self.definitions.get(name).is_some_and(|d| is_free_form(d, Some(name)));
        if free_form {
            notes.fix(
                at,
                format!("upstream's `{name}` is free-form: `{JSON_OBJECT}`, kept as it came."),
            );
            return self.json_object();
        }
        if !self.definitions.contains_key(name) {
            notes.review(format!("{at}: `{name}` is not among upstream's definitions"));
        }
        if self.seen.insert(name.to_string()) {
            self.queue.push_back(name.to_string());
        }
        reference(name)
    }

    /// `ReferenceLinks` as the service sends it: upstream declares `{links: object}`, the answers
    /// hold `{"self": {"href": ...}, ...}`, a map from a link's name to the link.
    fn reference_links(&mut self, notes: &mut Notes) -> Value {
        if !self.out.contains_key(REFERENCE_LINKS) {
            notes.fix(
                "/components/schemas/ReferenceLinks",
                "upstream declares `{links: object}`, but the service sends `{\"self\": {\"href\": ...}, ...}`: a map from the link's name to the link.".to_string(),
            );
            self.out.insert(
                REFERENCE_LINKS.to_string(),
                json!({"type": "object", "nullable": true, "description": "Links to related resources, by name.", "additionalProperties": {"$ref": "#/components/schemas/Link"}}),
            );
            self.out.insert(
                "Link".to_string(),
                json!({"type": "object", "description": "One link.", "properties": {"href": {"type": "string"}}}),
            );
        }
        reference(REFERENCE_LINKS)
    }

    fn json_object(&mut self) -> Value {
        self.out.entry(JSON_OBJECT).or_insert_with(|| {
            json!({"type": "object", "nullable": true, "description": "A JSON object kept as it came.", "additionalProperties": {}})
        });
        reference(JSON_OBJECT)
    }

    /// A wrapper `{count, value}` for a bare array answer of `item`.
    pub fn list_of(&mut self, item: &Value, notes: &mut Notes, at: &str) -> Value {
        let item = self.convert(item, notes, at);
        let item_name = item
            .get("$ref")
            .and_then(|r| r.as_str())
            .and_then(|r| r.rsplit('/').next())
            .unwrap_or("Item")
            .to_string();
        let name = format!("{item_name}List");
        if self.definitions.contains_key(&name) {
            notes.review(format!(
                "{at}: the wrapper `{name}` has the name of an upstream definition"
            ));
        }
        self.out.entry(name.clone()).or_insert_with(|| {
            // The service always sends `value` in a list answer.
            json!({
                "type": "object",
                "description": format!("A list of `{item_name}` as the service answers it."),
                "required": ["value"],
                "properties": {
                    "count": {"type": "integer", "format": "int32"},
                    "value": {"type": "array", "items": item},
                },
            })
        });
        notes.fix(
            at,
            "upstream declares a bare array; the service answers `{count, value}`.".to_string(),
        );
        reference(&name)
    }

    /// Convert one schema (a property, a parameter's, a body's), queueing what it refers to.
    pub fn convert(&mut self, schema: &Value, notes: &mut Notes, at: &str) -> Value {
        if let Some(target) = schema.get("$ref").and_then(|r| r.as_str()) {
            return match definition_name(target) {
                Some(name) => self.refer(name, notes, at),
                None => {
                    notes.review(format!("{at}: a reference outside the definitions: {target}"));
                    schema.clone()
                }
            };
        }
        if is_free_form(schema, None) {
            return self.json_object();
        }
        if let Some(values) = schema.get("enum") {
            return self.enumeration(schema, values, notes, at);
        }
        let mut out = Map::new();
        for key in ["type", "format", "readOnly", "minimum", "maximum", "default"] {
            if let Some(value) = schema.get(key) {
                out.insert(key.to_string(), value.clone());
            }
        }
        match schema.get("type").and_then(|t| t.as_str()) {
            Some("array") => {
                out.insert("nullable".into(), Value::Bool(true));
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                out.insert("items".into(), self.convert(&items, notes, &format!("{at}/items")));
            }
            _ if schema.get("additionalProperties").is_some() || schema.get("properties").is_some() => {
                out.insert("type".into(), json!("object"));
                if let Some(extra) = schema.get("additionalProperties") {
                    out.insert("nullable".into(), Value::Bool(true));
                    let converted = match extra {
                        Value::Bool(_) => json!({}),
                        other => self.convert(other, notes, &format!("{at}/additionalProperties")),
                    };
                    out.insert("additionalProperties".into(), converted);
                }
                if schema.get("properties").is_some() {
                    let props = self.properties(schema, notes, at);
                    out.insert("properties".into(), Value::Object(props));
                }
            }
            _ => {}
        }
        Value::Object(out)
    }

    /// An enum: named after its `x-ms-enum` and referred to, or inline when upstream names none.
    fn enumeration(&mut self, schema: &Value, values: &Value, notes: &mut Notes, at: &str) -> Value {
        let enum_schema = json!({"type": schema.get("type").cloned().unwrap_or(json!("string")), "enum": values});
        let Some(name) = schema.pointer("/x-ms-enum/name").and_then(|n| n.as_str()) else {
            notes.review(format!("{at}: an enum upstream does not name; kept inline"));
            return enum_schema;
        };
        let name = pascal_case(name);
        match self.enums.get(&name) {
            Some(known) if known != values => {
                notes.review(format!("{at}: the enum `{name}` is declared twice with other values"));
            }
            Some(_) => {}
            None => {
                self.enums.insert(name.clone(), values.clone());
                notes.fix(
                    &super::yaml::pointer("/components/schemas", &name),
                    "upstream declares this enum inline with `x-ms-enum`; named here, and open: a value the service adds later decodes as `Other`.".to_string(),
                );
                let mut open = enum_schema;
                open["x-ado-open-enum"] = Value::Bool(true);
                self.out.insert(name.clone(), open);
            }
        }
        reference(&name)
    }

    /// The properties of an object, `allOf` parts first (in order), then its own.
    fn properties(&mut self, schema: &Value, notes: &mut Notes, at: &str) -> Map<String, Value> {
        self.properties_within(schema, notes, at, &mut Vec::new())
    }

    /// `properties`, with the `allOf` definitions already being flattened (a cycle is reported,
    /// not followed).
    fn properties_within(
        &mut self,
        schema: &Value,
        notes: &mut Notes,
        at: &str,
        within: &mut Vec<String>,
    ) -> Map<String, Value> {
        let mut props = Map::new();
        for part in schema.get("allOf").and_then(|a| a.as_array()).into_iter().flatten() {
            let name = part.get("$ref").and_then(|r| r.as_str()).and_then(definition_name);
            if let Some(name) = name {
                if within.iter().any(|n| n == name) {
                    notes.review(format!("{at}: `allOf` reaches `{name}` again (a cycle); not followed"));
                    continue;
                }
                within.push(name.to_string());
            }
            let resolved = match name {
                Some(name) => self.definitions.get(name).cloned().unwrap_or_default(),
                None => part.clone(),
            };
            let kind = resolved.get("type").and_then(|t| t.as_str());
            if kind == Some("array")
                || (resolved.get("additionalProperties").is_some() && resolved.get("properties").is_none())
            {
                notes.review(format!(
                    "{at}: an `allOf` part is an array or a map (`{}`), which an object's fields cannot hold; write this schema by hand",
                    name.unwrap_or("inline")
                ));
            }
            props.extend(self.properties_within(&resolved, notes, at, within));
            if name.is_some() {
                within.pop();
            }
        }
        for (field, value) in schema
            .get("properties")
            .and_then(|p| p.as_object())
            .into_iter()
            .flatten()
        {
            let field_at = format!("{}/properties/{}", at, field.replace('~', "~0").replace('/', "~1"));
            props.insert(field.clone(), self.convert(value, notes, &field_at));
        }
        props
    }

    /// Convert every queued definition, and those they reach.
    pub fn drain(&mut self, notes: &mut Notes) {
        while let Some(name) = self.queue.pop_front() {
            let Some(definition) = self.definitions.get(&name) else {
                continue;
            };
            let at = super::yaml::pointer("/components/schemas", &name);
            let parts: Vec<String> = definition
                .get("allOf")
                .and_then(|a| a.as_array())
                .into_iter()
                .flatten()
                .filter_map(|p| p.get("$ref")?.as_str().and_then(definition_name).map(String::from))
                .collect();
            let mut fixes = Vec::new();
            if !parts.is_empty() {
                fixes.push(format!(
                    "upstream composes this with `allOf: [{}]`; flattened.",
                    parts.join(", ")
                ));
            }
            let required: Vec<&str> = definition
                .get("required")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str())
                .collect();
            if !required.is_empty() {
                fixes.push(format!(
                    "upstream requires {}; optional here until the service is shown always to send them.",
                    required.join(", ")
                ));
                notes.review(format!(
                    "{name}: upstream requires {}; mark a field required (and nullable if it comes as null) only when every recorded answer has it",
                    required.join(", ")
                ));
            }
            let converted = if definition.get("enum").is_some() {
                fixes.push("open: a value the service adds later decodes as `Other`.".to_string());
                json!({"type": definition.get("type").cloned().unwrap_or(json!("string")), "x-ado-open-enum": true, "enum": definition["enum"]})
            } else {
                let mut object = Map::new();
                object.insert("type".into(), json!("object"));
                let props = self.properties_within(definition, notes, &at, &mut vec![name.clone()]);
                object.insert("properties".into(), Value::Object(props));
                Value::Object(object)
            };
            for fix in fixes {
                notes.fix(&at, fix);
            }
            self.out.insert(name, converted);
        }
    }
}
