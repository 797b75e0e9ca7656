//! Printing results: a table on a terminal, JSON (the service's field names) otherwise.

use std::io::{IsTerminal, Write};

use serde::Serialize;
use serde_json::Value;

use crate::cli::OutputFormat;

/// Print a line to standard output; a closed output (`ado … | head`) is not an error.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, $($arg)*);
    }};
}

/// How to print.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    json: bool,
}

/// A column: header and JSON pointer into each row.
pub type Column = (&'static str, &'static str);

impl Printer {
    /// From the `--output` choice and whether standard output is a terminal.
    pub fn new(format: OutputFormat) -> Self {
        let json = match format {
            OutputFormat::Json => true,
            OutputFormat::Table => false,
            OutputFormat::Auto => !std::io::stdout().is_terminal(),
        };
        Self { json }
    }

    /// Whether output is JSON.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Print one object.
    pub fn object<T: Serialize>(&self, value: &T) {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        if self.json {
            print_json(&value);
        } else {
            let mut out = String::new();
            describe(&value, "", &mut out);
            emit(&out);
        }
    }

    /// Print a list of objects with these columns (all fields in JSON).
    pub fn list<T: Serialize>(&self, items: &[T], columns: &[Column]) {
        let rows: Vec<Value> = items
            .iter()
            .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
            .collect();
        if self.json {
            print_json(&Value::Array(rows));
        } else {
            emit(&table(&rows, columns));
        }
    }

    /// Print a line of text (as `{"message": ...}` in JSON).
    pub fn message(&self, text: &str) {
        if self.json {
            print_json(&serde_json::json!({ "message": text }));
        } else {
            emit(&format!("{text}\n"));
        }
    }
}

fn emit(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn print_json(value: &Value) {
    emit(&format!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    ));
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items.iter().map(|v| cell(Some(v))).collect::<Vec<_>>().join(", "),
        Some(other) => other.to_string(),
    }
}

/// A table of rows.
pub fn table(rows: &[Value], columns: &[Column]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| columns.iter().map(|(_, p)| cell(row.pointer(p))).collect())
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, (h, _))| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([h.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let line = |values: Vec<&str>, out: &mut String| {
        let padded: Vec<String> = values.iter().zip(&widths).map(|(v, w)| format!("{v:<w$}")).collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    };
    line(columns.iter().map(|(h, _)| *h).collect(), &mut out);
    line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
        &mut out,
    );
    for row in &cells {
        line(row.iter().map(String::as_str).collect(), &mut out);
    }
    out.push_str(&format!(
        "({} {})\n",
        rows.len(),
        if rows.len() == 1 { "item" } else { "items" }
    ));
    out
}

/// `key: value` lines, nested objects with dotted keys; links are left out.
fn describe(value: &Value, prefix: &str, out: &mut String) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "_links" {
                    continue;
                }
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                match v {
                    Value::Object(_) => describe(v, &name, out),
                    Value::Array(items) if items.iter().any(Value::is_object) => {
                        for (i, item) in items.iter().enumerate() {
                            describe(item, &format!("{name}[{i}]"), out);
                        }
                    }
                    _ => out.push_str(&format!("{name}: {}\n", cell(Some(v)))),
                }
            }
        }
        other => out.push_str(&format!("{prefix}: {}\n", cell(Some(other)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_table_pads_columns_and_counts_rows() {
        let rows = vec![
            json!({"id": 17, "type": {"displayName": "Required reviewers"}}),
            json!({"id": 2, "type": null}),
        ];
        assert_eq!(
            table(&rows, &[("ID", "/id"), ("TYPE", "/type/displayName")]),
            "ID  TYPE\n--  ------------------\n17  Required reviewers\n2\n(2 items)\n"
        );
    }

    #[test]
    fn an_object_is_described_with_dotted_keys_and_no_links() {
        let mut out = String::new();
        describe(
            &json!({"id": 1, "_links": {"self": {}}, "type": {"id": "x"}, "scope": [{"refName": "r"}]}),
            "",
            &mut out,
        );
        assert_eq!(out, "id: 1\ntype.id: x\nscope[0].refName: r\n");
    }
}
