//! [`DateTime`]: the type of every `format: date-time` member. It keeps the text the server sent
//! and, when that text is a valid RFC 3339 date-time, the instant it names. Decoding never fails
//! on the text itself (servers send what they send); strict parsing is [`DateTime::parse`].
//! The calendar arithmetic is Howard Hinnant's `days_from_civil`/`civil_from_days` (proleptic
//! Gregorian calendar), kept here so that the crate needs no date-time dependency.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An RFC 3339 date and time (`2020-07-21T18:37:44Z`), as the API sends it.
///
/// A `DateTime` holds the text as received and, when the text is valid RFC 3339
/// (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`), the instant it names and its UTC offset.
/// Decoding an answer never fails because of the text: a value that is not RFC 3339 is kept as
/// it is, [`is_valid`](DateTime::is_valid) is `false` and the accessors return `None`.
/// Serializing writes the text back unchanged, so an answer sent back (or a `roundtrip`) is
/// byte for byte what was received.
///
/// Equality and hashing compare the text (`…Z` and `…+00:00` are different values naming the same
/// instant); the order is by instant (invalid values first), then by text.
///
/// ```
/// use digitalocean::DateTime;
///
/// let created = DateTime::parse("2020-07-21T18:37:44+02:00").unwrap();
/// assert_eq!(created.unix_seconds(), Some(1_595_349_464));
/// assert_eq!(created.offset_seconds(), Some(7200));
///
/// // What a server may send instead: kept, but not an instant.
/// let odd = DateTime::from("last tuesday");
/// assert!(!odd.is_valid());
/// assert_eq!(odd.as_str(), "last tuesday");
/// assert_eq!(odd.unix_seconds(), None);
///
/// // From the system clock, written in UTC.
/// let now = DateTime::from(std::time::SystemTime::now());
/// assert!(now.as_str().ends_with('Z'));
/// ```
#[derive(Clone, Default)]
pub struct DateTime {
    text: Text,
    instant: Option<Instant>,
}

/// The longest text kept inline: `2020-07-21T18:37:44.123456789+02:00` has 35 bytes.
const INLINE: usize = 38;

/// The text of a date-time: inline when it fits (every RFC 3339 text with up to nanoseconds
/// does), so that decoding one allocates nothing; on the heap otherwise.
#[derive(Clone)]
enum Text {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Text {
    fn new(text: &str) -> Text {
        if text.len() > INLINE {
            return Text::Heap(text.into());
        }
        let mut bytes = [0; INLINE];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Text::Inline { len: text.len() as u8, bytes }
    }

    fn as_str(&self) -> &str {
        match self {
            // A whole `&str` was copied in, so the bytes are UTF-8.
            Text::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Text::Heap(text) => text,
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::new("")
    }
}

/// The instant a valid text names: whole seconds since 1970-01-01T00:00:00Z, the nanoseconds
/// after them (always below one second) and the offset the text was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Instant {
    seconds: i64,
    nanos: u32,
    offset: i32,
}

/// Why a text is not an RFC 3339 date-time ([`DateTime::parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    /// The text (cut to 64 bytes).
    text: String,
    reason: String,
}

impl DateTimeError {
    /// What is wrong, without the text (`month 13 is not in 01-12`).
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not an RFC 3339 date-time: {}", self.text, self.reason)
    }
}

impl std::error::Error for DateTimeError {}

/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z in unix seconds: the instants RFC 3339 can write.
const MIN_SECONDS: i64 = -62_167_219_200;
const MAX_SECONDS: i64 = 253_402_300_799;
const NANOS_PER_SECOND: u32 = 1_000_000_000;

impl DateTime {
    /// Parses an RFC 3339 date-time strictly: `2020-07-21T18:37:44Z`, with an optional fraction
    /// of a second (digits beyond nanoseconds are dropped) and a zone `Z` or `±HH:MM`. As RFC 3339
    /// allows, `t` and `z` may be lowercase and a space may stand for `T`. A leap second (`:60`)
    /// is accepted and read as the last nanosecond of the second before it.
    pub fn parse(text: &str) -> Result<DateTime, DateTimeError> {
        match parse_rfc3339(text) {
            Ok(instant) => Ok(DateTime { text: Text::new(text), instant: Some(instant) }),
            Err(reason) => Err(DateTimeError { text: cut(text, 64).to_owned(), reason }),
        }
    }

    /// The instant `seconds` after 1970-01-01T00:00:00Z plus `nanos` nanoseconds (a billion or
    /// more carry into the seconds), written in UTC: `2020-07-21T18:37:44Z`, with a fraction
    /// (`.5`, `.000000001`) only when there are nanoseconds. Instants before year 0000 or after
    /// year 9999, which RFC 3339 cannot write, are clamped to the first or last second of that range.
    pub fn from_unix(seconds: i64, nanos: u32) -> DateTime {
        let seconds = seconds.saturating_add(i64::from(nanos / NANOS_PER_SECOND));
        let nanos = nanos % NANOS_PER_SECOND;
        let (seconds, nanos) = if seconds < MIN_SECONDS {
            (MIN_SECONDS, 0)
        } else if seconds > MAX_SECONDS {
            (MAX_SECONDS, NANOS_PER_SECOND - 1)
        } else {
            (seconds, nanos)
        };
        DateTime { text: Text::new(&format_utc(seconds, nanos)), instant: Some(Instant { seconds, nanos, offset: 0 }) }
    }

    /// The text as received (or as written by [`from_unix`](DateTime::from_unix)).
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// Whether the text is a valid RFC 3339 date-time (else every accessor returns `None`).
    pub fn is_valid(&self) -> bool {
        self.instant.is_some()
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (rounded down: `1969-12-31T23:59:59.5Z` is `-1`).
    pub fn unix_seconds(&self) -> Option<i64> {
        self.instant.map(|i| i.seconds)
    }

    /// The nanoseconds after [`unix_seconds`](DateTime::unix_seconds), below one billion.
    pub fn subsec_nanos(&self) -> Option<u32> {
        self.instant.map(|i| i.nanos)
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z.
    pub fn unix_nanos(&self) -> Option<i128> {
        self.instant.map(|i| i128::from(i.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(i.nanos))
    }

    /// The UTC offset the text was written in, in seconds east of UTC (`+02:00` is `7200`;
    /// `Z` and `-00:00` are `0`).
    pub fn offset_seconds(&self) -> Option<i32> {
        self.instant.map(|i| i.offset)
    }

    /// The instant as a [`SystemTime`], when the platform's `SystemTime` can hold it.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let instant = self.instant?;
        let whole = if instant.seconds >= 0 {
            UNIX_EPOCH.checked_add(Duration::from_secs(instant.seconds.unsigned_abs()))?
        } else {
            UNIX_EPOCH.checked_sub(Duration::from_secs(instant.seconds.unsigned_abs()))?
        };
        whole.checked_add(Duration::from_nanos(u64::from(instant.nanos)))
    }
}

impl From<SystemTime> for DateTime {
    /// The instant in UTC, as [`DateTime::from_unix`] writes it.
    fn from(time: SystemTime) -> DateTime {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => DateTime::from_unix(i64::try_from(after.as_secs()).unwrap_or(i64::MAX), after.subsec_nanos()),
            Err(before) => {
                let before = before.duration();
                let seconds = i64::try_from(before.as_secs()).map_or(i64::MIN, |s| -s);
                match before.subsec_nanos() {
                    0 => DateTime::from_unix(seconds, 0),
                    nanos => DateTime::from_unix(seconds.saturating_sub(1), NANOS_PER_SECOND - nanos),
                }
            }
        }
    }
}

impl From<String> for DateTime {
    /// Leniently: any text is taken; [`is_valid`](DateTime::is_valid) says whether it is RFC 3339.
    fn from(text: String) -> DateTime {
        DateTime::from(text.as_str())
    }
}

impl From<&str> for DateTime {
    /// Leniently, as `From<String>`.
    fn from(text: &str) -> DateTime {
        DateTime { text: Text::new(text), instant: parse_rfc3339(text).ok() }
    }
}

impl From<&String> for DateTime {
    /// Leniently, as `From<String>`.
    fn from(text: &String) -> DateTime {
        DateTime::from(text.as_str())
    }
}

impl std::str::FromStr for DateTime {
    type Err = DateTimeError;

    /// Strictly, as [`DateTime::parse`].
    fn from_str(text: &str) -> Result<DateTime, DateTimeError> {
        DateTime::parse(text)
    }
}

impl fmt::Display for DateTime {
    /// The text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for DateTime {
    /// `DateTime("2020-07-21T18:37:44Z")`, or `DateTime(invalid "...")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_valid() {
            write!(f, "DateTime({:?})", self.as_str())
        } else {
            write!(f, "DateTime(invalid {:?})", cut(self.as_str(), 64))
        }
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &DateTime) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for DateTime {}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Ord for DateTime {
    /// By instant (invalid values before every valid one), then by text. Equal texts name the
    /// same instant, so this agrees with `==`.
    fn cmp(&self, other: &DateTime) -> Ordering {
        let key = |d: &DateTime| d.instant.map(|i| (i.seconds, i.nanos));
        key(self).cmp(&key(other)).then_with(|| self.as_str().cmp(other.as_str()))
    }
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &DateTime) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl serde::Serialize for DateTime {
    /// The text, unchanged.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    /// Any JSON string (leniently, as `From<String>`); another JSON value is an error, as for
    /// any string member.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        struct Text;

        impl serde::de::Visitor<'_> for Text {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DateTime, E> {
                Ok(DateTime::from(text))
            }

            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<DateTime, E> {
                Ok(DateTime::from(text))
            }
        }

        deserializer.deserialize_string(Text)
    }
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Reads `YYYY-MM-DD(T|t| )HH:MM:SS[.digits](Z|z|±HH:MM)`; the error says what is wrong.
fn parse_rfc3339(text: &str) -> Result<Instant, String> {
    let mut at = Cursor { bytes: text.as_bytes(), pos: 0 };
    let year = at.number(4, "the year (4 digits)")?;
    at.expect(b"-", "`-` after the year")?;
    let month = at.number(2, "the month (2 digits)")?;
    at.expect(b"-", "`-` after the month")?;
    let day = at.number(2, "the day (2 digits)")?;
    at.expect(b"Tt ", "`T` between the date and the time")?;
    let hour = at.number(2, "the hour (2 digits)")?;
    at.expect(b":", "`:` after the hour")?;
    let minute = at.number(2, "the minutes (2 digits)")?;
    at.expect(b":", "`:` after the minutes")?;
    let second = at.number(2, "the seconds (2 digits)")?;
    let mut nanos = 0;
    if at.peek() == Some(b'.') {
        at.pos += 1;
        let start = at.pos;
        while at.peek().is_some_and(|b| b.is_ascii_digit()) {
            let digit = u32::from(at.bytes[at.pos] - b'0');
            let place = at.pos - start;
            if place < 9 {
                nanos += digit * 10u32.pow(8 - place as u32);
            }
            at.pos += 1;
        }
        if at.pos == start {
            return Err(format!("expected digits after `.` at byte {start}"));
        }
    }
    let offset = match at.peek() {
        Some(b'Z' | b'z') => {
            at.pos += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            at.pos += 1;
            let hours = at.number(2, "the offset's hours (2 digits)")?;
            at.expect(b":", "`:` in the offset")?;
            let minutes = at.number(2, "the offset's minutes (2 digits)")?;
            if hours > 23 || minutes > 59 {
                return Err(format!("offset {hours:02}:{minutes:02} is not a valid UTC offset"));
            }
            let offset = (hours * 3600 + minutes * 60) as i32;
            if sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        None => return Err("missing the time zone (`Z` or `±HH:MM`)".to_owned()),
        Some(_) => return Err(format!("expected the time zone (`Z` or `±HH:MM`) at byte {}", at.pos)),
    };
    if at.pos != at.bytes.len() {
        return Err(format!("unexpected text after the time zone at byte {}", at.pos));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("month {month:02} is not in 01-12"));
    }
    let last = days_in_month(year, month);
    if !(1..=last).contains(&day) {
        return Err(format!("day {day:02} is not in 01-{last:02} for {year:04}-{month:02}"));
    }
    if hour > 23 {
        return Err(format!("hour {hour:02} is not in 00-23"));
    }
    if minute > 59 {
        return Err(format!("minute {minute:02} is not in 00-59"));
    }
    if second > 60 {
        return Err(format!("second {second:02} is not in 00-60"));
    }
    let (second, nanos) = if second == 60 { (59, NANOS_PER_SECOND - 1) } else { (second, nanos) };
    let days = days_from_civil(i64::from(year), month, day);
    let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Ok(Instant { seconds: local - i64::from(offset), nanos, offset })
}

struct Cursor<'t> {
    bytes: &'t [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Exactly `width` ASCII digits.
    fn number(&mut self, width: usize, what: &str) -> Result<u32, String> {
        let digits = self.bytes.get(self.pos..self.pos + width).filter(|d| d.iter().all(u8::is_ascii_digit));
        let Some(digits) = digits else {
            return Err(format!("expected {what} at byte {}", self.pos));
        };
        self.pos += width;
        Ok(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    }

    /// One of the bytes in `allowed`.
    fn expect(&mut self, allowed: &[u8], what: &str) -> Result<(), String> {
        match self.peek() {
            Some(b) if allowed.contains(&b) => {
                self.pos += 1;
                Ok(())
            }
            _ => Err(format!("expected {what} at byte {}", self.pos)),
        }
    }
}

fn is_leap_year(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to `year-month-day` (proleptic Gregorian; negative before 1970).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Years start in March, so that the leap day is the last day of a year.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01: `(year, month, day)`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = (if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 }) as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` for an instant in range; the fraction without trailing zeros.
fn format_utc(seconds: i64, nanos: u32) -> String {
    let days = seconds.div_euclid(86_400);
    let time = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (time / 3600, time / 60 % 60, time % 60);
    let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    if nanos != 0 {
        let fraction = format!("{nanos:09}");
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
    text.push('Z');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(text: &str) -> DateTime {
        DateTime::parse(text).unwrap()
    }

    fn reason(text: &str) -> String {
        match DateTime::parse(text) {
            Ok(value) => panic!("{text:?} parsed as {value:?}"),
            Err(e) => {
                // Lenient: the same text is kept, invalid, with no instant.
                let lenient = DateTime::from(text);
                assert!(!lenient.is_valid(), "{text:?}");
                assert_eq!(lenient.as_str(), text);
                assert_eq!((lenient.unix_seconds(), lenient.subsec_nanos(), lenient.offset_seconds()), (None, None, None));
                assert_eq!(lenient.to_system_time(), None);
                e.reason().to_owned()
            }
        }
    }

    #[test]
    fn texts_of_any_length_are_kept_whole() {
        let longest = "2020-07-21T18:37:44.123456789+02:00";
        assert!(matches!(valid(longest).text, Text::Inline { .. }));
        assert_eq!(valid(longest).as_str(), longest);
        let long = "2020-07-21T18:37:44.1234567890123456789+02:00";
        assert!(matches!(valid(long).text, Text::Heap(_)));
        assert_eq!(valid(long).as_str(), long);
        assert_eq!(valid(long).unix_seconds(), valid(longest).unix_seconds());
        let odd = "not a date, and longer than forty bytes: é";
        assert_eq!(DateTime::from(odd).as_str(), odd);
        assert_eq!(DateTime::from(odd), DateTime::from(odd.to_owned()));
        assert_eq!(DateTime::default().as_str(), "");
    }

    #[test]
    fn civil_days_agree_with_known_dates_and_each_other() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
        assert_eq!(days_from_civil(0, 1, 1), -719_528);
        assert_eq!(days_from_civil(9999, 12, 31), 2_932_896);
        // Every day from year 0 to 9999 maps back to itself, one after the other.
        let mut expected = days_from_civil(0, 1, 1);
        for year in 0..=9999u32 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let days = days_from_civil(i64::from(year), month, day);
                    assert_eq!(days, expected, "{year:04}-{month:02}-{day:02}");
                    assert_eq!(civil_from_days(days), (i64::from(year), month, day));
                    expected += 1;
                }
            }
        }
        assert_eq!(expected - days_from_civil(0, 1, 1), 10_000 * 365 + 2425);
    }

    #[test]
    fn leap_years() {
        for (year, leap) in [(2024, true), (2023, false), (2000, true), (1900, false), (2100, false), (1600, true), (0, true)] {
            assert_eq!(is_leap_year(year), leap, "{year}");
        }
    }

    #[test]
    fn parses_instants_and_offsets() {
        let cases: &[(&str, i64, u32, i32)] = &[
            ("1970-01-01T00:00:00Z", 0, 0, 0),
            ("2020-07-21T18:37:44Z", 1_595_356_664, 0, 0),
            ("2020-07-21T18:37:44.123Z", 1_595_356_664, 123_000_000, 0),
            ("2020-07-21T18:37:44.000000001Z", 1_595_356_664, 1, 0),
            ("2020-07-21T18:37:44.1234567891234Z", 1_595_356_664, 123_456_789, 0),
            ("2020-07-21T20:37:44+02:00", 1_595_356_664, 0, 7200),
            ("2020-07-21T13:07:44-05:30", 1_595_356_664, 0, -19_800),
            ("2020-07-21T18:37:44-00:00", 1_595_356_664, 0, 0),
            ("2020-07-21t18:37:44z", 1_595_356_664, 0, 0),
            ("2020-07-21 18:37:44Z", 1_595_356_664, 0, 0),
            ("2024-02-29T12:00:00Z", 1_709_208_000, 0, 0),
            ("1969-12-31T23:59:59Z", -1, 0, 0),
            ("1969-12-31T23:59:59.5Z", -1, 500_000_000, 0),
            ("1900-01-01T00:00:00Z", -2_208_988_800, 0, 0),
            ("0000-01-01T00:00:00Z", MIN_SECONDS, 0, 0),
            ("9999-12-31T23:59:59.999999999Z", MAX_SECONDS, 999_999_999, 0),
            ("9999-12-31T23:59:59-23:59", MAX_SECONDS + 86_340, 0, -86_340),
            ("2016-12-31T23:59:60Z", 1_483_228_799, 999_999_999, 0),
        ];
        for &(text, seconds, nanos, offset) in cases {
            let value = valid(text);
            assert_eq!(value.as_str(), text);
            assert_eq!(value.to_string(), text);
            assert_eq!(
                (value.unix_seconds(), value.subsec_nanos(), value.offset_seconds()),
                (Some(seconds), Some(nanos), Some(offset)),
                "{text}"
            );
            assert_eq!(value.unix_nanos(), Some(i128::from(seconds) * 1_000_000_000 + i128::from(nanos)));
            assert_eq!(DateTime::from(text), value);
            assert_eq!(text.parse::<DateTime>(), Ok(value));
        }
    }

    #[test]
    fn writes_unix_instants_in_utc_and_reads_them_back() {
        let cases: &[(i64, u32, &str)] = &[
            (0, 0, "1970-01-01T00:00:00Z"),
            (1_595_356_664, 0, "2020-07-21T18:37:44Z"),
            (1_595_356_664, 500_000_000, "2020-07-21T18:37:44.5Z"),
            (1_595_356_664, 1, "2020-07-21T18:37:44.000000001Z"),
            (1_709_208_000, 0, "2024-02-29T12:00:00Z"),
            (1_709_251_199, 999_000_000, "2024-02-29T23:59:59.999Z"),
            (-1, 0, "1969-12-31T23:59:59Z"),
            (-1, 250_000_000, "1969-12-31T23:59:59.25Z"),
            (-86_400 * 365, 0, "1969-01-01T00:00:00Z"),
            (-2_208_988_800, 0, "1900-01-01T00:00:00Z"),
            (MIN_SECONDS, 0, "0000-01-01T00:00:00Z"),
            (MAX_SECONDS, 0, "9999-12-31T23:59:59Z"),
            // Carried nanoseconds, and instants RFC 3339 cannot write, clamped.
            (0, 1_500_000_000, "1970-01-01T00:00:01.5Z"),
            (MIN_SECONDS - 1, 0, "0000-01-01T00:00:00Z"),
            (i64::MIN, 0, "0000-01-01T00:00:00Z"),
            (MAX_SECONDS + 1, 0, "9999-12-31T23:59:59.999999999Z"),
            (i64::MAX, u32::MAX, "9999-12-31T23:59:59.999999999Z"),
        ];
        for &(seconds, nanos, text) in cases {
            let written = DateTime::from_unix(seconds, nanos);
            assert_eq!(written.as_str(), text, "{seconds} {nanos}");
            let read = valid(text);
            assert_eq!(read, written);
            assert_eq!(read.unix_nanos(), written.unix_nanos(), "{text}");
            assert_eq!(read.offset_seconds(), Some(0));
        }
    }

    #[test]
    fn converts_to_and_from_system_time() {
        let later = UNIX_EPOCH + Duration::new(1_595_356_664, 5);
        assert_eq!(DateTime::from(later).as_str(), "2020-07-21T18:37:44.000000005Z");
        assert_eq!(DateTime::from(later).to_system_time(), Some(later));
        let earlier = UNIX_EPOCH - Duration::new(1, 250_000_000);
        assert_eq!(DateTime::from(earlier).as_str(), "1969-12-31T23:59:58.75Z");
        assert_eq!(DateTime::from(earlier).to_system_time(), Some(earlier));
        assert_eq!(DateTime::from(UNIX_EPOCH - Duration::from_secs(2)).as_str(), "1969-12-31T23:59:58Z");
        assert_eq!(valid("2020-07-21T20:37:44+02:00").to_system_time(), Some(UNIX_EPOCH + Duration::from_secs(1_595_356_664)));
    }

    #[test]
    fn refuses_what_is_not_rfc_3339_and_keeps_it_leniently() {
        let cases: &[(&str, &str)] = &[
            ("2024-13-01T00:00:00Z", "month 13 is not in 01-12"),
            ("2024-00-01T00:00:00Z", "month 00 is not in 01-12"),
            ("2023-02-29T00:00:00Z", "day 29 is not in 01-28 for 2023-02"),
            ("2024-02-30T00:00:00Z", "day 30 is not in 01-29 for 2024-02"),
            ("1900-02-29T00:00:00Z", "day 29 is not in 01-28 for 1900-02"),
            ("2024-04-31T00:00:00Z", "day 31 is not in 01-30 for 2024-04"),
            ("2024-01-00T00:00:00Z", "day 00 is not in 01-31 for 2024-01"),
            ("2024-01-01T24:00:00Z", "hour 24 is not in 00-23"),
            ("2024-01-01T00:60:00Z", "minute 60 is not in 00-59"),
            ("2024-01-01T00:00:61Z", "second 61 is not in 00-60"),
            ("2024-01-01T00:00:00", "missing the time zone (`Z` or `±HH:MM`)"),
            ("2024-01-01T00:00:00+0200", "expected `:` in the offset at byte 22"),
            ("2024-01-01T00:00:00+24:00", "offset 24:00 is not a valid UTC offset"),
            ("2024-01-01T00:00:00UTC", "expected the time zone (`Z` or `±HH:MM`) at byte 19"),
            ("2024-01-01T00:00:00Zjunk", "unexpected text after the time zone at byte 20"),
            ("2024-01-01T00:00:00.Z", "expected digits after `.` at byte 20"),
            ("2024-01-01", "expected `T` between the date and the time at byte 10"),
            ("2024-01-01_00:00:00Z", "expected `T` between the date and the time at byte 10"),
            ("2024-1-01T00:00:00Z", "expected the month (2 digits) at byte 5"),
            ("24-01-01T00:00:00Z", "expected the year (4 digits) at byte 0"),
            ("+2024-01-01T00:00:00Z", "expected the year (4 digits) at byte 0"),
            ("garbage", "expected the year (4 digits) at byte 0"),
            ("", "expected the year (4 digits) at byte 0"),
            ("1595356664", "expected `-` after the year at byte 4"),
            ("２０２４-01-01T00:00:00Z", "expected the year (4 digits) at byte 0"),
        ];
        for &(text, expected) in cases {
            assert_eq!(reason(text), expected, "{text:?}");
        }
        let error = DateTime::parse("2024-13-01T00:00:00Z").unwrap_err();
        assert_eq!(error.to_string(), "\"2024-13-01T00:00:00Z\" is not an RFC 3339 date-time: month 13 is not in 01-12");
        let long = "x".repeat(500);
        assert!(DateTime::parse(&long).unwrap_err().to_string().len() < 150);
    }

    #[test]
    fn default_is_empty_and_invalid() {
        let empty = DateTime::default();
        assert_eq!(empty.as_str(), "");
        assert!(!empty.is_valid());
        assert_eq!(empty, DateTime::from(""));
    }

    #[test]
    fn serde_keeps_the_text_and_refuses_other_json() {
        for text in
            ["2020-07-21T18:37:44Z", "2020-07-21t18:37:44.120+02:00", "2020-07-21 18:37:44Z", "not a date", "", "2023-02-29T00:00:00Z"]
        {
            let json = serde_json::Value::String(text.to_owned());
            let value: DateTime = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(value.as_str(), text);
            assert_eq!(value.is_valid(), DateTime::parse(text).is_ok(), "{text}");
            assert_eq!(serde_json::to_value(&value).unwrap(), json);
            let from_text: DateTime = serde_json::from_str(&serde_json::to_string(text).unwrap()).unwrap();
            assert_eq!(from_text, value);
        }
        for other in ["1595356664", "null", "true", "{}", "[\"2020-07-21T18:37:44Z\"]"] {
            let error = serde_json::from_str::<DateTime>(other).unwrap_err();
            assert!(error.to_string().contains("expected an RFC 3339 date-time string"), "{other}: {error}");
        }
    }

    #[test]
    fn equality_is_by_text_and_order_by_instant() {
        let utc = valid("2020-07-21T18:37:44Z");
        let paris = valid("2020-07-21T20:37:44+02:00");
        assert_ne!(utc, paris);
        assert_eq!(utc.unix_nanos(), paris.unix_nanos());
        let earlier = valid("2020-07-21T19:37:43+01:00");
        let invalid = DateTime::from("soon");
        let mut sorted = vec![paris.clone(), utc.clone(), invalid.clone(), earlier.clone()];
        sorted.sort();
        assert_eq!(sorted, vec![invalid, earlier, utc, paris]);
        assert_eq!(format!("{:?}", valid("2020-07-21T18:37:44Z")), "DateTime(\"2020-07-21T18:37:44Z\")");
        assert_eq!(format!("{:?}", DateTime::from("soon")), "DateTime(invalid \"soon\")");
    }
}
