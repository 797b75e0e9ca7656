//! Date-times as the service writes them, decoded leniently and written back unchanged.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};

/// A date-time from the service.
///
/// Azure DevOps writes most date-times in RFC 3339 (`2020-11-02T22:56:52.1033333Z`), but some answers
/// leave out the offset (`2015-02-23T12:51:06.8106632`); those are read as UTC. The service's exact
/// text is kept, so a value read and written back is byte-for-byte what the service sent.
///
/// ```
/// let t: ado_core::Timestamp = "2015-02-23T12:51:06.8106632".parse().unwrap();
/// assert_eq!(t.to_utc().timestamp(), 1_424_695_866);
/// assert_eq!(t.to_string(), "2015-02-23T12:51:06.8106632");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Timestamp {
    text: String,
    utc: DateTime<Utc>,
}

/// A date-time text that is not a date-time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an RFC 3339 date-time", self.0)
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// The instant, in UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        self.utc
    }

    /// The text the service sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(utc: DateTime<Utc>) -> Self {
        Self {
            text: utc.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            utc,
        }
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let utc = DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|n| n.and_utc()))
            .map_err(|_| TimestampError(text.to_string()))?;
        Ok(Self {
            text: text.to_string(),
            utc,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.text)
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.utc.cmp(&other.utc).then_with(|| self.text.cmp(&other.text))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> String {
        "Timestamp".to_string()
    }
    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("date-time".to_string()),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_time_with_an_offset_is_read_as_that_instant() {
        let t: Timestamp = "2020-11-02T22:56:52.1033333+01:00".parse().unwrap();
        assert_eq!(t.to_utc().to_rfc3339(), "2020-11-02T21:56:52.103333300+00:00");
    }

    #[test]
    fn a_date_time_without_an_offset_is_read_as_utc_and_written_back_unchanged() {
        let json = r#""2015-02-23T12:51:06.8106632""#;
        let t: Timestamp = serde_json::from_str(json).unwrap();
        assert_eq!(t.to_utc().to_rfc3339(), "2015-02-23T12:51:06.810663200+00:00");
        assert_eq!(serde_json::to_string(&t).unwrap(), json);
    }

    #[test]
    fn a_text_that_is_not_a_date_time_is_refused_with_the_text() {
        let err = serde_json::from_str::<Timestamp>(r#""yesterday""#).unwrap_err();
        assert_eq!(err.to_string(), "`yesterday` is not an RFC 3339 date-time");
    }

    #[test]
    fn the_text_sent_is_kept_and_shown() {
        let t: Timestamp = "2024-05-01T10:00:00.5+02:00".parse().unwrap();
        assert_eq!(t.as_str(), "2024-05-01T10:00:00.5+02:00");
        assert_eq!(t.to_string(), "2024-05-01T10:00:00.5+02:00");
        assert_eq!(format!("{t:?}"), "Timestamp(2024-05-01T10:00:00.5+02:00)");
    }

    #[test]
    fn timestamps_order_by_instant_then_by_text() {
        let early: Timestamp = "2024-05-01T10:00:00Z".parse().unwrap();
        let same_instant: Timestamp = "2024-05-01T12:00:00+02:00".parse().unwrap();
        let late: Timestamp = "2024-05-01T10:00:01Z".parse().unwrap();
        assert!(early < late);
        assert_eq!(early.partial_cmp(&late), Some(std::cmp::Ordering::Less));
        assert_eq!(late.partial_cmp(&early), Some(std::cmp::Ordering::Greater));
        assert_eq!(early.to_utc(), same_instant.to_utc());
        assert_ne!(early.cmp(&same_instant), std::cmp::Ordering::Equal);
        assert_eq!(early.partial_cmp(&early.clone()), Some(std::cmp::Ordering::Equal));
    }
}

#[cfg(all(test, feature = "schemars"))]
mod schema_tests {
    use super::*;

    #[test]
    fn a_timestamp_is_described_as_a_date_time_string() {
        let schema = schemars::schema_for!(Timestamp);
        let text = serde_json::to_string(&schema).unwrap();
        assert!(text.contains(r#""type":"string""#), "{text}");
        assert!(text.contains(r#""format":"date-time""#), "{text}");
        assert!(text.contains(r#""title":"Timestamp""#), "{text}");
    }
}
