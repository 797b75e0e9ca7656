//! Printing results as `az` does: `--output json|jsonc|yaml|yamlc|table|tsv|none` (a table on a
//! terminal, JSON otherwise), after an optional JMESPath `--query`. Text from the service is
//! untrusted: human-readable output escapes its control characters.
//!
//! Output that cannot be written (a closed standard output, a full disk) is recorded and ends the
//! command with a message and a non-zero exit; a reader that went away (`ado … | head`) does not.

mod query;
mod table;
mod text;

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use ado_core::Result;
use serde::Serialize;
use serde_json::Value;

pub use table::escape;

/// Print a line to standard output (a human-readable line: the caller escapes service text).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        $crate::output::write_out(&format!("{}\n", format_args!($($arg)*)));
    }};
}

/// How to print results.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A table on a terminal, JSON when piped.
    Auto,
    /// JSON with the service's field names.
    Json,
    /// JSON, coloured.
    Jsonc,
    /// YAML.
    Yaml,
    /// YAML, coloured.
    Yamlc,
    /// A table fitted to the terminal.
    Table,
    /// Tab-separated values, one line per item: for `cut`, `while read` and the like.
    Tsv,
    /// Nothing (the exit code says how it went).
    None,
}

/// A column of a table: header and JSON pointer into each row.
pub type Column = (&'static str, &'static str);

/// How to print: the format (auto resolved) and the query.
#[derive(Debug)]
pub struct Printer {
    format: Format,
    query: Option<query::Query>,
}

impl Printer {
    /// From `--output` and `--query`; a query that does not parse is a usage error.
    pub fn new(format: Format, query: Option<&str>) -> Result<Self> {
        let format = match format {
            Format::Auto if std::io::stdout().is_terminal() => Format::Table,
            Format::Auto => Format::Json,
            other => other,
        };
        let query = query.map(query::Query::new).transpose()?;
        Ok(Self { format, query })
    }

    /// Whether output is for programs (anything but a table without a query): commands that
    /// print a human summary print the whole answer instead.
    pub fn is_structured(&self) -> bool {
        self.format != Format::Table || self.query.is_some()
    }

    /// Print one object (a table shows it as `key: value` lines).
    pub fn object<T: Serialize>(&self, value: &T) -> Result<()> {
        self.print(to_value(value), None)
    }

    /// Print a list (a table shows these columns; other formats every field).
    pub fn list<T: Serialize>(&self, items: &[T], columns: &[Column]) -> Result<()> {
        self.print(Value::Array(items.iter().map(to_value).collect()), Some(columns))
    }

    /// Print a line of text (`{"message": ...}` for programs).
    pub fn message(&self, text: &str) -> Result<()> {
        if self.is_structured() {
            self.print(serde_json::json!({ "message": text }), None)
        } else {
            write_out(&format!("{}\n", escape(text)));
            Ok(())
        }
    }

    fn print(&self, value: Value, columns: Option<&[Column]>) -> Result<()> {
        let (value, columns) = match &self.query {
            Some(query) => (query.apply(&value)?, None),
            None => (value, columns),
        };
        let rendered = match self.format {
            Format::None => return Ok(()),
            Format::Json | Format::Auto => text::json(&value),
            Format::Jsonc => text::json_coloured(&value),
            Format::Yaml => text::yaml(&value)?,
            Format::Yamlc => text::yaml_coloured(&text::yaml(&value)?),
            Format::Tsv => text::tsv(&value),
            Format::Table => table::render(&value, columns, table::terminal_width()),
        };
        write_out(&rendered);
        Ok(())
    }
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The first failure to write standard output, if any.
static WRITE_FAILURE: Mutex<Option<String>> = Mutex::new(None);

/// Write to standard output, recording a failure (other than a reader that went away).
pub fn write_out(text: &str) {
    let mut out = std::io::stdout().lock();
    let written = if STDOUT_CLOSED.get().copied().unwrap_or(false) {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotConnected,
            "standard output is closed",
        ))
    } else {
        out.write_all(text.as_bytes()).and_then(|()| out.flush())
    };
    if let Err(error) = written
        && error.kind() != std::io::ErrorKind::BrokenPipe
        && let Ok(mut failure) = WRITE_FAILURE.lock()
    {
        failure.get_or_insert_with(|| error.to_string());
    }
}

/// Whether standard output was closed when the command started.
static STDOUT_CLOSED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Called first thing: note whether standard output was closed when the command started.
pub fn guard_stdout() {
    let _ = STDOUT_CLOSED.set(stdout_closed());
}

/// Rust's runtime reopens a closed standard output on `/dev/null`, read-write, before `main`
/// (so nothing the command opens takes its number); that is how a closed one shows. A shell's
/// `> /dev/null` opens it write-only.
#[cfg(target_os = "linux")]
fn stdout_closed() -> bool {
    let on_null = std::fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == std::path::Path::new("/dev/null"));
    let read_write = std::fs::read_to_string("/proc/self/fdinfo/1").ok().is_some_and(|info| {
        info.lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
            .is_some_and(|flags| flags & 0o3 == 0o2)
    });
    on_null && read_write
}

#[cfg(not(target_os = "linux"))]
fn stdout_closed() -> bool {
    false
}

/// Why output could not be written, when it could not.
pub fn write_failure() -> Option<String> {
    WRITE_FAILURE.lock().ok().and_then(|f| f.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printer(format: Format, query: Option<&str>) -> Printer {
        Printer::new(format, query).unwrap()
    }

    #[test]
    fn a_table_with_a_query_is_for_programs_and_without_is_for_people() {
        assert!(!printer(Format::Table, None).is_structured());
        assert!(printer(Format::Table, Some("id")).is_structured());
        assert!(printer(Format::Tsv, None).is_structured());
    }
}
