//! RFC 3339 date-times to and from seconds since the Unix epoch, by the proleptic Gregorian
//! calendar; the service's form without an offset is read as UTC. As in Unix time, a leap
//! second (`23:59:60`) is the first second of the next minute.

/// Seconds in a day.
const DAY: i64 = 86_400;

/// An instant: whole seconds since 1970-01-01T00:00:00Z and the nanoseconds past them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Instant {
    pub seconds: i64,
    pub nanos: u32,
}

/// The earliest and latest instants RFC 3339 can write in UTC (years 0000 to 9999); a text with
/// an offset may name an instant up to a day beyond them.
pub(super) const FIRST_SECOND: i64 = -62_167_219_200;
pub(super) const LAST_SECOND: i64 = 253_402_300_799;

/// Reads `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction][Z|z|(+|-)HH:MM]`; without an offset the time
/// is UTC. Fraction digits past nanoseconds are read and dropped. The error says what is wrong.
pub(super) fn parse(text: &str) -> Result<Instant, &'static str> {
    let mut at = Cursor(text.as_bytes());
    let year = at.digits(4, "a four-digit year")?;
    at.expect(b'-', "`-` after the year")?;
    let month = at.digits(2, "a two-digit month")?;
    at.expect(b'-', "`-` after the month")?;
    let day = at.digits(2, "a two-digit day")?;
    if !at.take_any(b"Tt ") {
        return Err("`T`, `t` or a space between the date and the time");
    }
    let hour = at.digits(2, "a two-digit hour")?;
    at.expect(b':', "`:` after the hour")?;
    let minute = at.digits(2, "two-digit minutes")?;
    at.expect(b':', "`:` after the minutes")?;
    let second = at.digits(2, "two-digit seconds")?;
    let nanos = if at.take_any(b".") { at.fraction()? } else { 0 };
    let offset = at.offset()?;
    if !at.0.is_empty() {
        return Err("nothing after the offset");
    }

    if !(1..=12).contains(&month) {
        return Err("a month from 01 to 12");
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err("a day that the month has");
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err("a time from 00:00:00 to 23:59:60");
    }
    let local = days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60 + second;
    Ok(Instant {
        seconds: local - offset,
        nanos,
    })
}

/// Writes an instant as `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z` (the fraction in the
/// fewest of 0, 3, 6 or 9 digits that keep it), or `None` outside years 0000 to 9999.
pub(super) fn format(instant: Instant) -> Option<String> {
    if !(FIRST_SECOND..=LAST_SECOND).contains(&instant.seconds) || instant.nanos >= 1_000_000_000 {
        return None;
    }
    let (days, time) = (instant.seconds.div_euclid(DAY), instant.seconds.rem_euclid(DAY));
    let (year, month, day) = civil_from_days(days);
    let mut text = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        time / 3600,
        time / 60 % 60,
        time % 60
    );
    let nanos = instant.nanos;
    let fraction = match nanos {
        0 => String::new(),
        _ if nanos.is_multiple_of(1_000_000) => format!(".{:03}", nanos / 1_000_000),
        _ if nanos.is_multiple_of(1_000) => format!(".{:06}", nanos / 1_000),
        _ => format!(".{nanos:09}"),
    };
    text.push_str(&fraction);
    text.push('Z');
    Some(text)
}

/// The bytes left to read.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn digits(&mut self, count: usize, what: &'static str) -> Result<i64, &'static str> {
        let Some((digits, rest)) = self.0.split_at_checked(count) else {
            return Err(what);
        };
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(what);
        }
        self.0 = rest;
        Ok(digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), &'static str> {
        if self.take_any(&[byte]) { Ok(()) } else { Err(what) }
    }

    fn take_any(&mut self, bytes: &[u8]) -> bool {
        match self.0.split_first() {
            Some((first, rest)) if bytes.contains(first) => {
                self.0 = rest;
                true
            }
            _ => false,
        }
    }

    /// The digits after the decimal point, as nanoseconds.
    fn fraction(&mut self) -> Result<u32, &'static str> {
        let count = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return Err("digits after the decimal point");
        }
        let (digits, rest) = self.0.split_at(count);
        self.0 = rest;
        let nanos = digits
            .iter()
            .chain(std::iter::repeat(&b'0'))
            .take(9)
            .fold(0, |n, d| n * 10 + u32::from(d - b'0'));
        Ok(nanos)
    }

    /// The offset from UTC in seconds; none is UTC.
    fn offset(&mut self) -> Result<i64, &'static str> {
        if self.0.is_empty() || self.take_any(b"Zz") {
            return Ok(0);
        }
        let sign = match self.0.first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err("`Z` or an offset such as `+01:00` after the time"),
        };
        self.0 = &self.0[1..];
        let hours = self.digits(2, "a two-digit offset hour")?;
        self.expect(b':', "`:` in the offset")?;
        let minutes = self.digits(2, "two-digit offset minutes")?;
        if hours > 23 || minutes > 59 {
            return Err("an offset from -23:59 to +23:59");
        }
        Ok(sign * (hours * 3600 + minutes * 60))
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
