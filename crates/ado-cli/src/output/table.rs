//! The human-readable output: lists as tables fitted to the terminal (comfy-table measures
//! Unicode width), objects as `key: value` lines, every piece of service text escaped.

use comfy_table::{ContentArrangement, ContentLineStyle, LineStyle, Table, TableStyle};
use serde_json::Value;

use super::Column;

/// Service text made safe for a terminal: control characters (escape sequences, carriage
/// returns, new lines) and bidirectional overrides are written as `\u{…}`.
pub fn escape(text: &str) -> String {
    let unsafe_char = |c: char| {
        c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Columns two spaces apart, the header underlined with dashes, no borders.
const PLAIN: TableStyle = TableStyle::new()
    .header_lines(ContentLineStyle::none().junction(' '))
    .header_separator(LineStyle::none().fill('-').junction(' '))
    .content_lines(ContentLineStyle::none().junction(' '));

/// The terminal's width in columns, when standard output is a terminal.
pub fn terminal_width() -> Option<u16> {
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0)
}

/// A value as one cell: text as it is, lists joined, nothing for `null`.
fn cell(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items.iter().map(|v| cell(Some(v))).collect::<Vec<_>>().join(", "),
        Some(other) => other.to_string(),
    };
    escape(&text)
}

/// Render a value for people: a list as a table (with `columns`, or one per field of its
/// objects), an object as `key: value` lines, anything else as its text.
pub fn render(value: &Value, columns: Option<&[Column]>, width: Option<u16>) -> String {
    match value {
        Value::Array(rows) => {
            let owned: Vec<(String, String)>;
            let columns: Vec<(&str, &str)> = match columns {
                Some(columns) => columns.to_vec(),
                None => {
                    owned = fields_of(rows);
                    owned.iter().map(|(h, p)| (h.as_str(), p.as_str())).collect()
                }
            };
            list(rows, &columns, width)
        }
        Value::Object(_) => {
            let mut out = String::new();
            describe(value, "", &mut out);
            out
        }
        Value::Null => String::new(),
        other => format!("{}\n", cell(Some(other))),
    }
}

/// Columns for rows that came without any (after a query): each field of the objects, in the
/// order first seen; a list of plain values is one `Result` column.
fn fields_of(rows: &[Value]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for row in rows {
        match row {
            Value::Object(map) => {
                for key in map.keys() {
                    if key != "_links" && !fields.iter().any(|(h, _)| h == key) {
                        fields.push((key.clone(), format!("/{}", key.replace('~', "~0").replace('/', "~1"))));
                    }
                }
            }
            _ => {
                if !fields.iter().any(|(_, p)| p.is_empty()) {
                    fields.push(("Result".to_string(), String::new()));
                }
            }
        }
    }
    fields
}

fn list(rows: &[Value], columns: &[(&str, &str)], width: Option<u16>) -> String {
    let mut table = Table::new();
    table
        .load_style(PLAIN)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(columns.iter().map(|(h, _)| escape(h)));
    if let Some(width) = width {
        table.set_width(width);
    }
    for row in rows {
        table.add_row(columns.iter().map(|(_, p)| cell(row.pointer(p))));
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 1));
    }
    let mut lines: Vec<String> = table.lines().map(|l| l.trim_end().to_string()).collect();
    // The header's dashes run under each column's right padding too: end them with the text.
    if let Some(dashes) = lines.get_mut(1) {
        *dashes = dashes.replace("- ", "  ");
        dashes.pop();
    }
    let noun = if rows.len() == 1 { "item" } else { "items" };
    format!("{}\n({} {noun})\n", lines.join("\n"), rows.len())
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
                    escape(key)
                } else {
                    format!("{prefix}.{}", escape(key))
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
        let rows = json!([
            {"id": 17, "type": {"displayName": "Required reviewers"}},
            {"id": 2, "type": null}
        ]);
        assert_eq!(
            render(&rows, Some(&[("ID", "/id"), ("TYPE", "/type/displayName")]), None),
            "ID  TYPE\n--  ------------------\n17  Required reviewers\n2\n(2 items)\n"
        );
    }

    #[test]
    fn wide_characters_are_measured_by_their_width() {
        let rows = json!([{"name": "流水线", "id": 1}, {"name": "ci", "id": 22}]);
        assert_eq!(
            render(&rows, Some(&[("NAME", "/name"), ("ID", "/id")]), None),
            "NAME    ID\n------  --\n流水线  1\nci      22\n(2 items)\n"
        );
    }

    #[test]
    fn escape_sequences_from_the_service_are_shown_escaped() {
        let rows = json!([{"name": "\u{1b}[2Jgone\r\nnext"}]);
        let shown = render(&rows, Some(&[("NAME", "/name")]), None);
        assert!(shown.contains("\\u{1b}[2Jgone\\u{d}\\u{a}next"), "{shown}");
        assert!(!shown.contains('\u{1b}'));
    }

    #[test]
    fn bidirectional_overrides_are_escaped() {
        assert_eq!(escape("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(escape("plain – text"), "plain – text");
    }

    #[test]
    fn a_table_fits_the_terminal_width() {
        let rows = json!([{"name": "a long pipeline name that would not fit on a narrow terminal at all", "id": 1}]);
        let shown = render(&rows, Some(&[("NAME", "/name"), ("ID", "/id")]), Some(30));
        assert!(
            shown.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 30),
            "{shown}"
        );
        assert!(shown.contains("narrow"), "{shown}");
    }

    #[test]
    fn rows_without_columns_show_each_field_and_plain_values_one_result_column() {
        let rows = json!([{"id": 1, "name": "a"}, {"id": 2, "extra": true}]);
        assert_eq!(
            render(&rows, None, None),
            "id  name  extra\n--  ----  -----\n1   a\n2         true\n(2 items)\n"
        );
        assert_eq!(
            render(&json!(["x", "y"]), None, None),
            "Result\n------\nx\ny\n(2 items)\n"
        );
    }

    #[test]
    fn an_object_is_described_with_dotted_keys_and_no_links() {
        let shown = render(
            &json!({"id": 1, "_links": {"self": {}}, "type": {"id": "x"}, "scope": [{"refName": "r"}]}),
            None,
            None,
        );
        assert_eq!(shown, "id: 1\ntype.id: x\nscope[0].refName: r\n");
    }
}
