//! Date-times as the service writes them, decoded leniently and written back unchanged.

mod rfc3339;
#[cfg(test)]
mod tests;

use std::fmt;
use std::time::{Duration, SystemTime};

use rfc3339::Instant;

/// A date-time from the service.
///
/// Azure DevOps writes most date-times in RFC 3339 (`2020-11-02T22:56:52.1033333Z`), but some answers
/// leave out the offset (`2015-02-23T12:51:06.8106632`); those are read as UTC. The service's exact
/// text is kept, so a value read and written back is byte-for-byte what the service sent.
///
/// The instant is available as seconds since the Unix epoch or as a [`SystemTime`], and, with the
/// `chrono` feature, as a `chrono::DateTime<Utc>` (`to_utc`). A leap second (`23:59:60`) is read
/// as Unix time has it: the first second of the next minute.
///
/// ```
/// use std::time::{Duration, SystemTime};
///
/// let t: ado_core::Timestamp = "2015-02-23T12:51:06.8106632".parse()?;
/// assert_eq!((t.unix_seconds(), t.subsec_nanos()), (1_424_695_866, 810_663_200));
/// assert_eq!(t.to_string(), "2015-02-23T12:51:06.8106632");
///
/// let later = ado_core::Timestamp::try_from(SystemTime::UNIX_EPOCH + Duration::from_secs(1_424_695_867))?;
/// assert_eq!(later.as_str(), "2015-02-23T12:51:07Z");
/// assert!(t < later);
/// # Ok::<(), ado_core::TimestampError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    instant: Instant,
}

/// A text that is not an RFC 3339 date-time, or an instant RFC 3339 cannot write.
///
/// ```
/// let err = "2023-02-29T10:00:00Z".parse::<ado_core::Timestamp>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#""2023-02-29T10:00:00Z" is not an RFC 3339 date-time: expected a day that the month has"#
/// );
/// assert!(!err.is_out_of_range());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(Reason);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    Text { text: String, expected: &'static str },
    OutOfRange,
}

/// How much of a refused text an error shows: a date-time is at most about 40 characters.
const SHOWN: usize = 64;

impl TimestampError {
    /// Whether the instant is outside the years RFC 3339 writes (rather than a malformed text).
    pub fn is_out_of_range(&self) -> bool {
        self.0 == Reason::OutOfRange
    }
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            // Quoted and escaped, and cut short: the text may be anything a server sent.
            Reason::Text { text, expected } => match text.char_indices().nth(SHOWN) {
                Some((end, _)) => write!(
                    f,
                    "{:?}… is not an RFC 3339 date-time: expected {expected}",
                    &text[..end]
                ),
                None => write!(f, "{text:?} is not an RFC 3339 date-time: expected {expected}"),
            },
            Reason::OutOfRange => f.write_str("the instant is outside the years 0000 to 9999 that RFC 3339 writes"),
        }
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// The instant `seconds` and `nanos` after 1970-01-01T00:00:00Z, written in UTC with the
    /// fewest fraction digits (0, 3, 6 or 9) that keep it; refused outside the years 0000 to
    /// 9999, or when `nanos` is a second or more.
    ///
    /// ```
    /// let t = ado_core::Timestamp::from_unix(1_424_695_867, 250_000_000)?;
    /// assert_eq!(t.as_str(), "2015-02-23T12:51:07.250Z");
    /// assert!(ado_core::Timestamp::from_unix(253_402_300_800, 0).unwrap_err().is_out_of_range());
    /// # Ok::<(), ado_core::TimestampError>(())
    /// ```
    pub fn from_unix(seconds: i64, nanos: u32) -> Result<Self, TimestampError> {
        let instant = Instant { seconds, nanos };
        let text = rfc3339::format(instant).ok_or(TimestampError(Reason::OutOfRange))?;
        Ok(Self { text, instant })
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    pub fn unix_seconds(&self) -> i64 {
        self.instant.seconds
    }

    /// Nanoseconds past [`Timestamp::unix_seconds`], below one second.
    pub fn subsec_nanos(&self) -> u32 {
        self.instant.nanos
    }

    /// The instant as a [`SystemTime`], or `None` where the platform's `SystemTime` cannot hold
    /// it (Windows holds nothing before 1601, and the service writes `0001-01-01T00:00:00` for
    /// "never").
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    ///
    /// let t: ado_core::Timestamp = "1970-01-01T00:00:01.5Z".parse()?;
    /// assert_eq!(t.to_system_time(), Some(SystemTime::UNIX_EPOCH + Duration::from_millis(1_500)));
    /// # Ok::<(), ado_core::TimestampError>(())
    /// ```
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let seconds = Duration::from_secs(self.instant.seconds.unsigned_abs());
        let whole = if self.instant.seconds >= 0 {
            SystemTime::UNIX_EPOCH.checked_add(seconds)
        } else {
            SystemTime::UNIX_EPOCH.checked_sub(seconds)
        };
        whole?.checked_add(Duration::from_nanos(u64::from(self.instant.nanos)))
    }

    /// The text the service sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Written in UTC with the fewest fraction digits (0, 3, 6 or 9) that keep the instant:
/// `2015-02-23T12:51:07Z`, `2015-02-23T12:51:07.250Z`.
impl TryFrom<SystemTime> for Timestamp {
    type Error = TimestampError;
    fn try_from(time: SystemTime) -> Result<Self, Self::Error> {
        // Nanoseconds since the epoch, negative before it; Euclidean division then gives whole
        // seconds and a fraction that is never negative on either side of 1970.
        let out_of_range = |_| TimestampError(Reason::OutOfRange);
        let since_epoch = match time.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()),
            Err(before) => i128::try_from(before.duration().as_nanos()).map(|nanos| -nanos),
        }
        .map_err(out_of_range)?;
        let seconds = i64::try_from(since_epoch.div_euclid(1_000_000_000)).map_err(out_of_range)?;
        let nanos = u32::try_from(since_epoch.rem_euclid(1_000_000_000)).map_err(out_of_range)?;
        Self::from_unix(seconds, nanos)
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let instant = rfc3339::parse(text).map_err(|expected| {
            TimestampError(Reason::Text {
                text: text.to_string(),
                expected,
            })
        })?;
        Ok(Self {
            text: text.to_string(),
            instant,
        })
    }
}

#[cfg(feature = "chrono")]
impl Timestamp {
    /// The instant as a `chrono` date-time in UTC (feature `chrono`).
    ///
    /// ```
    /// let t: ado_core::Timestamp = "2020-11-02T22:56:52.1033333+01:00".parse()?;
    /// assert_eq!(t.to_utc().to_rfc3339(), "2020-11-02T21:56:52.103333300+00:00");
    /// # Ok::<(), ado_core::TimestampError>(())
    /// ```
    pub fn to_utc(&self) -> chrono::DateTime<chrono::Utc> {
        // Never the default: chrono holds some 262,000 years either side of 1970, and a timestamp
        // is within a day of the years 0000 to 9999.
        chrono::DateTime::from_timestamp(self.instant.seconds, self.instant.nanos).unwrap_or_default()
    }
}

/// Written in UTC with the fewest fraction digits (0, 3, 6 or 9) that keep the instant, a leap
/// second as the first second of the next minute; refused outside the years 0000 to 9999
/// (feature `chrono`).
///
/// ```
/// let utc = chrono::DateTime::from_timestamp(1_424_695_867, 250_000_000).expect("in range");
/// let t = ado_core::Timestamp::try_from(utc)?;
/// assert_eq!(t.as_str(), "2015-02-23T12:51:07.250Z");
/// assert_eq!(t.to_utc(), utc);
/// # Ok::<(), ado_core::TimestampError>(())
/// ```
#[cfg(feature = "chrono")]
impl TryFrom<chrono::DateTime<chrono::Utc>> for Timestamp {
    type Error = TimestampError;
    fn try_from(utc: chrono::DateTime<chrono::Utc>) -> Result<Self, Self::Error> {
        // chrono writes a leap second as a fraction of a second or more past the 59th.
        let nanos = utc.timestamp_subsec_nanos();
        let seconds = utc.timestamp() + i64::from(nanos / 1_000_000_000);
        Self::from_unix(seconds, nanos % 1_000_000_000)
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

/// By instant, then by text (the same instant written two ways is two values).
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant
            .cmp(&other.instant)
            .then_with(|| self.text.cmp(&other.text))
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
