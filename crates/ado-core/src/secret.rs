//! A string that must never be printed: tokens, passwords, PAT secrets.

use std::fmt;

/// A secret value. `Debug` and `Display` print `[redacted]`; the value is reachable only through
/// [`Secret::expose`], so it cannot end up in a log line or an error message by accident.
///
/// It serialises as the plain string, so an answer that carries a secret (a new PAT) can be
/// written out on purpose.
///
/// ```
/// let secret = ado_core::Secret::new("hunter2");
/// assert_eq!(format!("{secret:?} {secret}"), "[redacted] [redacted]");
/// assert_eq!(secret.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wrap a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself. Call it only where the value must leave the program.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(s))
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Secret {
    fn schema_name() -> String {
        "Secret".to_string()
    }
    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_prints_as_redacted_both_ways() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}|{secret}"), "[redacted]|[redacted]");
    }

    #[test]
    fn only_an_empty_value_is_empty() {
        assert!(Secret::new("").is_empty());
        assert!(!Secret::new("x").is_empty());
    }

    #[test]
    fn every_way_in_keeps_the_value() {
        assert_eq!(Secret::from("a").expose(), "a");
        assert_eq!(Secret::from("b".to_string()).expose(), "b");
        assert_eq!("c".parse::<Secret>().unwrap().expose(), "c");
    }
}

#[cfg(all(test, feature = "schemars"))]
mod schema_tests {
    use super::*;

    #[test]
    fn a_secret_is_described_as_a_string_named_secret() {
        let schema = schemars::schema_for!(Secret);
        let text = serde_json::to_string(&schema).unwrap();
        assert!(text.contains(r#""type":"string""#), "{text}");
        assert!(text.contains(r#""title":"Secret""#), "{text}");
    }
}
