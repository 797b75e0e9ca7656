use std::time::{Duration, SystemTime};

use chrono::{DateTime, SecondsFormat, Utc};
use proptest::prelude::*;

use super::*;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn refusal(text: &str) -> String {
    text.parse::<Timestamp>().unwrap_err().to_string()
}

#[test]
fn a_date_time_with_an_offset_is_read_as_that_instant() {
    let t = at("2020-11-02T22:56:52.1033333+01:00");
    assert_eq!((t.unix_seconds(), t.subsec_nanos()), (1_604_354_212, 103_333_300));
}

#[test]
fn a_date_time_without_an_offset_is_read_as_utc_and_written_back_unchanged() {
    let json = r#""2015-02-23T12:51:06.8106632""#;
    let t: Timestamp = serde_json::from_str(json).unwrap();
    assert_eq!((t.unix_seconds(), t.subsec_nanos()), (1_424_695_866, 810_663_200));
    assert_eq!(serde_json::to_string(&t).unwrap(), json);
}

#[test]
fn the_services_never_is_year_one() {
    let t = at("0001-01-01T00:00:00");
    assert_eq!(t.unix_seconds(), -62_135_596_800);
    assert_eq!(t.to_string(), "0001-01-01T00:00:00");
}

#[test]
fn a_text_that_is_not_a_date_time_is_refused_with_the_text_and_what_was_expected() {
    let err = serde_json::from_str::<Timestamp>(r#""yesterday""#).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#""yesterday" is not an RFC 3339 date-time: expected a four-digit year"#
    );
}

#[test]
fn a_day_the_month_does_not_have_is_refused() {
    assert_eq!(
        refusal("2023-02-29T00:00:00Z"),
        r#""2023-02-29T00:00:00Z" is not an RFC 3339 date-time: expected a day that the month has"#
    );
    assert_eq!(at("2024-02-29T00:00:00Z").unix_seconds(), 1_709_164_800);
}

#[test]
fn february_29_is_in_leap_years_only() {
    for leap in ["2024", "2000", "2400", "0000"] {
        assert!(format!("{leap}-02-29T00:00:00Z").parse::<Timestamp>().is_ok(), "{leap}");
    }
    for common in ["2023", "1900", "2100"] {
        let text = format!("{common}-02-29T00:00:00Z");
        assert_eq!(
            refusal(&text),
            format!("{text:?} is not an RFC 3339 date-time: expected a day that the month has")
        );
    }
}

#[test]
fn each_malformed_part_is_named() {
    let cases = [
        ("2024-13-01T00:00:00Z", "a month from 01 to 12"),
        ("2024-01-01 24:00:00Z", "a time from 00:00:00 to 23:59:60"),
        ("2024-01-01T23:60:00Z", "a time from 00:00:00 to 23:59:60"),
        ("2024-01-01T23:59:61Z", "a time from 00:00:00 to 23:59:60"),
        (
            "2024-01-01X00:00:00Z",
            "`T`, `t` or a space between the date and the time",
        ),
        ("2024-01-01T00:00:00.Z", "digits after the decimal point"),
        ("2024-01-01T00:00:00+0100", "`:` in the offset"),
        ("2024-01-01T00:00:00+24:00", "an offset from -23:59 to +23:59"),
        (
            "2024-01-01T00:00:00 UTC",
            "`Z` or an offset such as `+01:00` after the time",
        ),
        ("2024-01-01T00:00:00Zz", "nothing after the offset"),
        ("2024-1-01T00:00:00Z", "a two-digit month"),
    ];
    for (text, expected) in cases {
        assert_eq!(
            refusal(text),
            format!("{text:?} is not an RFC 3339 date-time: expected {expected}")
        );
    }
}

#[test]
fn a_refused_text_is_shown_quoted_escaped_and_cut_short() {
    let text = format!("\u{1b}[31m{}", "x".repeat(100));
    let shown = format!("{:?}", &text[..64]);
    assert_eq!(
        refusal(&text),
        format!("{shown}… is not an RFC 3339 date-time: expected a four-digit year")
    );
}

#[test]
fn a_leap_second_is_the_first_second_of_the_next_minute() {
    let leap = at("2016-12-31T23:59:60.5Z");
    assert_eq!((leap.unix_seconds(), leap.subsec_nanos()), (1_483_228_800, 500_000_000));
    assert_eq!(leap.as_str(), "2016-12-31T23:59:60.5Z");
}

#[test]
fn an_instant_from_unix_time_is_written_in_utc_within_the_years_rfc_3339_writes() {
    let first = Timestamp::from_unix(-62_167_219_200, 0).unwrap();
    assert_eq!(first.as_str(), "0000-01-01T00:00:00Z");
    let last = Timestamp::from_unix(253_402_300_799, 999_999_999).unwrap();
    assert_eq!(last.as_str(), "9999-12-31T23:59:59.999999999Z");
    for (seconds, nanos) in [(-62_167_219_201, 0), (253_402_300_800, 0), (0, 1_000_000_000)] {
        let err = Timestamp::from_unix(seconds, nanos).unwrap_err();
        assert!(err.is_out_of_range(), "{seconds} {nanos}");
    }
    assert!(!"x".parse::<Timestamp>().unwrap_err().is_out_of_range());
}

#[test]
fn equal_timestamps_hash_alike() {
    use std::collections::HashSet;
    let set: HashSet<Timestamp> = [at("2024-05-01T10:00:00Z"), at("2024-05-01T10:00:00Z")].into();
    assert_eq!(set.len(), 1);
}

#[test]
fn fraction_digits_past_nanoseconds_are_dropped() {
    assert_eq!(at("2024-01-01T00:00:00.1234567899Z").subsec_nanos(), 123_456_789);
}

#[test]
fn the_text_sent_is_kept_and_shown() {
    let t = at("2024-05-01T10:00:00.5+02:00");
    assert_eq!(t.as_str(), "2024-05-01T10:00:00.5+02:00");
    assert_eq!(t.to_string(), "2024-05-01T10:00:00.5+02:00");
    assert_eq!(format!("{t:?}"), "Timestamp(2024-05-01T10:00:00.5+02:00)");
}

#[test]
fn timestamps_order_by_instant_then_by_text() {
    let early = at("2024-05-01T10:00:00Z");
    let same_instant = at("2024-05-01T12:00:00+02:00");
    let late = at("2024-05-01T10:00:01Z");
    assert!(early < late);
    assert_eq!(early.partial_cmp(&late), Some(std::cmp::Ordering::Less));
    assert_eq!(late.partial_cmp(&early), Some(std::cmp::Ordering::Greater));
    assert_eq!(early.unix_seconds(), same_instant.unix_seconds());
    assert_ne!(early.cmp(&same_instant), std::cmp::Ordering::Equal);
    assert_eq!(early.partial_cmp(&early.clone()), Some(std::cmp::Ordering::Equal));
}

#[test]
fn a_system_time_is_written_in_utc_with_the_fewest_fraction_digits() {
    let epoch = SystemTime::UNIX_EPOCH;
    let written = |time: SystemTime| Timestamp::try_from(time).unwrap().to_string();
    assert_eq!(
        written(epoch + Duration::from_secs(1_424_695_867)),
        "2015-02-23T12:51:07Z"
    );
    assert_eq!(written(epoch + Duration::from_millis(250)), "1970-01-01T00:00:00.250Z");
    assert_eq!(written(epoch + Duration::from_micros(1)), "1970-01-01T00:00:00.000001Z");
    assert_eq!(
        written(epoch + Duration::from_nanos(7)),
        "1970-01-01T00:00:00.000000007Z"
    );
    assert_eq!(
        written(epoch - Duration::from_millis(1_250)),
        "1969-12-31T23:59:58.750Z"
    );
    assert_eq!(written(epoch - Duration::from_secs(2)), "1969-12-31T23:59:58Z");
    // The last day of a 400-year cycle, and the day after it.
    assert_eq!(
        written(epoch + Duration::from_secs(951_782_400)),
        "2000-02-29T00:00:00Z"
    );
    assert_eq!(
        written(epoch + Duration::from_secs(951_868_800)),
        "2000-03-01T00:00:00Z"
    );
}

#[test]
fn a_system_time_past_year_9999_is_refused() {
    let far = SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_800);
    assert_eq!(
        Timestamp::try_from(far).unwrap_err().to_string(),
        "the instant is outside the years 0000 to 9999 that RFC 3339 writes"
    );
}

#[test]
fn a_timestamp_is_the_same_system_time() {
    let t = at("2020-11-02T22:56:52.1033333+01:00");
    let time = t.to_system_time().unwrap();
    assert_eq!(
        time.duration_since(SystemTime::UNIX_EPOCH).unwrap(),
        Duration::new(1_604_354_212, 103_333_300)
    );
    assert_eq!(
        at("1969-12-31T23:59:58.75Z").to_system_time(),
        Some(SystemTime::UNIX_EPOCH - Duration::from_millis(1_250))
    );
}

/// What chrono reads a text as: RFC 3339, with UTC when the text has no offset (as the service
/// means it).
fn chrono_reads(text: &str) -> Option<(i64, u32)> {
    let bytes = text.as_bytes();
    let has_offset = text.ends_with(['Z', 'z']) || (bytes.len() > 6 && matches!(bytes[bytes.len() - 6], b'+' | b'-'));
    let with_offset = if has_offset {
        text.to_string()
    } else {
        format!("{text}Z")
    };
    let utc = DateTime::parse_from_rfc3339(&with_offset).ok()?.with_timezone(&Utc);
    // chrono keeps a leap second as a second or more of nanoseconds past the 59th.
    let nanos = utc.timestamp_subsec_nanos();
    Some((
        utc.timestamp() + i64::from(nanos / 1_000_000_000),
        nanos % 1_000_000_000,
    ))
}

/// Any text of the grammar's shape, with or without a fraction and an offset: months 00 to 13,
/// days 00 to 31 (a century year now and then, for the leap-year rule), hours to 24, minutes
/// to 60, seconds to 60 and offset hours to 24, so that the edges of each range are crossed.
fn date_time() -> impl Strategy<Value = String> {
    let year = prop_oneof![0..=9999i64, (0..=99i64).prop_map(|c| c * 100)];
    let date = (year, 0..=13i64, 0..=31i64).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
    let separator = prop::sample::select(vec!["T", "t", " "]);
    let time = (0..=24u32, 0..=60u32, 0..=60u32).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}"));
    let fraction = prop::option::of("[0-9]{1,12}").prop_map(|f| f.map(|f| format!(".{f}")).unwrap_or_default());
    let offset = prop_oneof![
        Just(String::new()),
        prop::sample::select(vec!["Z".to_string(), "z".to_string()]),
        (prop::bool::ANY, 0..=24u32, 0..=60u32)
            .prop_map(|(east, h, m)| format!("{}{h:02}:{m:02}", if east { '+' } else { '-' })),
    ];
    (date, separator, time, fraction, offset).prop_map(|(d, s, t, f, o)| format!("{d}{s}{t}{f}{o}"))
}

proptest! {
    #[test]
    fn every_date_time_in_the_grammar_is_read_or_refused_as_chrono_does(text in date_time()) {
        match text.parse::<Timestamp>() {
            Ok(t) => {
                prop_assert_eq!(Some((t.unix_seconds(), t.subsec_nanos())), chrono_reads(&text));
                prop_assert_eq!(t.as_str(), text.as_str());
            }
            Err(_) => prop_assert_eq!(chrono_reads(&text), None, "{} was refused", text),
        }
    }

    #[test]
    fn any_text_is_read_without_panicking(text in "\\PC{0,40}|[0-9Tt:+.Zz -]{0,40}") {
        if let Ok(t) = text.parse::<Timestamp>() {
            prop_assert_eq!(Some((t.unix_seconds(), t.subsec_nanos())), chrono_reads(&text));
        }
    }

    #[test]
    fn a_date_time_with_one_byte_changed_is_read_or_refused_as_chrono_does(
        text in date_time(),
        index in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"0123456789-+:.TtZz ".to_vec()),
    ) {
        let mut bytes = text.into_bytes();
        let at = index.index(bytes.len());
        bytes[at] = byte;
        let text = String::from_utf8(bytes).unwrap();
        match text.parse::<Timestamp>() {
            Ok(t) => prop_assert_eq!(Some((t.unix_seconds(), t.subsec_nanos())), chrono_reads(&text)),
            Err(_) => prop_assert_eq!(chrono_reads(&text), None, "{} was refused", text),
        }
    }

    #[test]
    fn any_instant_is_written_as_chrono_writes_it_and_read_back(
        seconds in rfc3339::FIRST_SECOND..=rfc3339::LAST_SECOND,
        nanos in prop_oneof![Just(0u32), 0..1000u32, (0..1000u32).prop_map(|n| n * 1_000_000), 0..1_000_000_000u32],
    ) {
        let text = rfc3339::format(rfc3339::Instant { seconds, nanos }).unwrap();
        let chrono = DateTime::<Utc>::from_timestamp(seconds, nanos).unwrap();
        prop_assert_eq!(&text, &chrono.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        prop_assert_eq!(rfc3339::parse(&text), Ok(rfc3339::Instant { seconds, nanos }));
    }
}

#[cfg(feature = "chrono")]
mod with_chrono {
    use super::*;

    #[test]
    fn the_instant_is_chronos_utc_date_time() {
        let t = at("2020-11-02T22:56:52.1033333+01:00");
        assert_eq!(t.to_utc().to_rfc3339(), "2020-11-02T21:56:52.103333300+00:00");
    }

    #[test]
    fn a_chrono_date_time_is_written_in_rfc_3339_and_keeps_its_instant() {
        let utc = DateTime::<Utc>::from_timestamp(1_424_695_867, 250_000_000).unwrap();
        let t = Timestamp::try_from(utc).unwrap();
        assert_eq!(t.as_str(), "2015-02-23T12:51:07.250Z");
        assert_eq!(t.to_utc(), utc);
    }

    #[test]
    fn a_chrono_leap_second_is_the_first_second_of_the_next_minute() {
        let leap = DateTime::<Utc>::from_timestamp(1_483_228_799, 1_500_000_000).unwrap();
        assert_eq!(Timestamp::try_from(leap).unwrap().as_str(), "2017-01-01T00:00:00.500Z");
    }

    #[test]
    fn a_chrono_date_time_past_year_9999_is_refused() {
        let far = DateTime::<Utc>::from_timestamp(253_402_300_800, 0).unwrap();
        assert!(Timestamp::try_from(far).unwrap_err().is_out_of_range());
    }
}

#[cfg(feature = "schemars")]
mod schema {
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
