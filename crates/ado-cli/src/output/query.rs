//! `--query`: a JMESPath expression over the JSON output. The `jmespath` crate returns objects
//! with sorted keys; a multiselect hash (`[].{Name: name, Id: id}`) is given back its keys in the
//! order the expression names them, as `az` does, so tables and JSON show columns as written.

use ado_core::{Error, Result};
use jmespath::ast::Ast;
use serde_json::Value;

/// A compiled `--query`.
#[derive(Debug)]
pub struct Query(jmespath::Expression<'static>);

impl Query {
    /// Compile `text`; an expression that does not parse is a usage error.
    pub fn new(text: &str) -> Result<Self> {
        jmespath::compile(text)
            .map(Self)
            .map_err(|e| Error::invalid_input(format!("--query `{text}` is not JMESPath: {e}")))
    }

    /// `value` through the expression.
    pub fn apply(&self, value: &Value) -> Result<Value> {
        let fail = |e: &dyn std::fmt::Display| Error::invalid_input(format!("--query `{}`: {e}", self.0.as_str()));
        let found = self.0.search(value).map_err(|e| fail(&e))?;
        let mut found = serde_json::to_value(&*found).map_err(|e| fail(&e))?;
        if let Some(keys) = result_keys(self.0.as_ast()) {
            order(&mut found, &keys);
        }
        Ok(found)
    }
}

/// The keys of the multiselect hash that makes the result's objects, if one does.
fn result_keys(ast: &Ast) -> Option<Vec<&str>> {
    match ast {
        Ast::MultiHash { elements, .. } => Some(elements.iter().map(|e| e.key.as_str()).collect()),
        Ast::Projection { rhs, .. } | Ast::Subexpr { rhs, .. } => result_keys(rhs),
        Ast::Condition { then, .. } => result_keys(then),
        // Functions that reorder or pick from their first argument keep its objects' shape.
        Ast::Function { name, args, .. } if matches!(name.as_str(), "sort_by" | "reverse" | "max_by" | "min_by") => {
            args.first().and_then(result_keys)
        }
        _ => None,
    }
}

/// Put `keys` first, in their order, in `value`'s objects (or the objects of its lists).
fn order(value: &mut Value, keys: &[&str]) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|item| order(item, keys)),
        Value::Object(map) => {
            let mut rest = std::mem::take(map);
            for key in keys {
                if let Some(value) = rest.shift_remove(*key) {
                    map.insert((*key).to_string(), value);
                }
            }
            map.append(&mut rest);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(value: &Value) -> Vec<&str> {
        value.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn a_query_selects_from_a_list() {
        let found = Query::new("[?id > `1`].name")
            .unwrap()
            .apply(&json!([{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]))
            .unwrap();
        assert_eq!(found, json!(["b"]));
    }

    #[test]
    fn a_query_that_does_not_parse_is_a_usage_error() {
        let err = Query::new("[?id ==").unwrap_err();
        assert!(err.to_string().contains("--query `[?id ==` is not JMESPath"), "{err}");
    }

    #[test]
    fn a_multiselect_keeps_the_order_it_names_its_keys_in() {
        let found = Query::new("[].{Zeta: name, Alpha: id, Mid: folder}")
            .unwrap()
            .apply(&json!([{"id": 1, "name": "a", "folder": "\\"}]))
            .unwrap();
        assert_eq!(keys(&found[0]), ["Zeta", "Alpha", "Mid"]);
    }

    #[test]
    fn a_multiselect_under_a_filter_pipe_or_sort_keeps_its_order() {
        let rows = json!({"value": [{"id": 2, "name": "b"}, {"id": 1, "name": "a"}]});
        for text in [
            "value[?id > `0`].{Z: name, A: id}",
            "value | [].{Z: name, A: id}",
            "sort_by(value[].{Z: name, A: id}, &A)",
        ] {
            let found = Query::new(text).unwrap().apply(&rows).unwrap();
            assert_eq!(keys(&found[0]), ["Z", "A"], "{text}");
        }
    }

    #[test]
    fn a_single_object_multiselect_keeps_its_order() {
        let found = Query::new("{b: name, a: id}")
            .unwrap()
            .apply(&json!({"id": 1, "name": "x"}))
            .unwrap();
        assert_eq!(keys(&found), ["b", "a"]);
    }
}
