//! Instants, ISO 8601 parsing and formatting.
//!
//! An instant is a number of milliseconds since 1970-01-01T00:00:00Z ([`Instant`]). Parsing is
//! a small hand parser (chrono's format machinery costs ~10 KB of wasm); chrono's typed
//! constructors validate the calendar date. Nothing here reads the clock or the host timezone.

use chrono::{Datelike, NaiveDate};

/// Milliseconds since the Unix epoch, UTC.
pub type Instant = i64;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Days between 0001-01-01 (chrono's day 1 of the common era) and 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Parse an ISO 8601 timestamp or plain date.
///
/// Accepted: `YYYY-MM-DD` (read as 00:00 at `default_offset_secs`), and
/// `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z`, `±HH:MM`, `±HHMM`, `±HH` or nothing (then
/// `default_offset_secs` applies). `T` may be a space. Returns `None` for anything else,
/// including impossible dates (`2026-02-30`) and times (`24:00`) and instants outside
/// [`MIN_INSTANT`]…[`MAX_INSTANT`] (0001-01-01T00:00Z to 9999-12-31T23:59:59.999Z).
///
/// ```
/// use tend::time::parse_instant;
/// assert_eq!(parse_instant("1970-01-02", 0), Some(86_400_000));
/// assert_eq!(parse_instant("1970-01-01T01:00:00+01:00", 0), Some(0));
/// assert_eq!(parse_instant("1970-01-01", 3600), Some(-3_600_000));
/// assert_eq!(parse_instant("2026-13-45", 0), None);
/// ```
pub fn parse_instant(s: &str, default_offset_secs: i32) -> Option<Instant> {
    parse_any(s, default_offset_secs).filter(|t| (MIN_INSTANT..=MAX_INSTANT).contains(t))
}

/// The first instant Tend reads, 0001-01-01T00:00:00Z (a year 0000 has no ISO reading that
/// every tool agrees on).
pub const MIN_INSTANT: Instant = -62_135_596_800_000;
/// The last instant Tend reads, 9999-12-31T23:59:59.999Z: output never shows a year 10000.
pub const MAX_INSTANT: Instant = 253_402_300_799_999;

fn parse_any(s: &str, default_offset_secs: i32) -> Option<Instant> {
    let b = s.trim().as_bytes();
    let mut p = Cursor { b, i: 0 };
    let days = days_from_date(p.date()?);
    if p.done() {
        return Some(days * DAY_MS - i64::from(default_offset_secs) * 1000);
    }
    match p.next()? {
        b'T' | b't' | b' ' => {}
        _ => return None,
    }
    let hour = p.digits(2)?;
    p.eat(b':')?;
    let minute = p.digits(2)?;
    let mut second = 0;
    let mut millis = 0u32;
    if p.peek() == Some(b':') {
        p.i += 1;
        second = p.digits(2)?;
        if matches!(p.peek(), Some(b'.') | Some(b',')) {
            p.i += 1;
            let start = p.i;
            let mut scale = 100;
            while let Some(c) = p.peek().filter(u8::is_ascii_digit) {
                millis += u32::from(c - b'0') * scale;
                scale /= 10;
                p.i += 1;
            }
            if p.i == start || p.i - start > 9 {
                return None;
            }
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset_secs: i64 = match p.peek() {
        None => i64::from(default_offset_secs),
        Some(b'Z') | Some(b'z') => {
            p.i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            p.i += 1;
            let oh = p.digits(2)?;
            let om = if p.done() {
                0
            } else {
                if p.peek() == Some(b':') {
                    p.i += 1;
                }
                p.digits(2)?
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let v = i64::from(oh * 3600 + om * 60);
            if sign == b'-' {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    if !p.done() {
        return None;
    }
    let local = days * DAY_MS
        + i64::from(hour * 3600 + minute * 60 + second) * 1000
        + i64::from(millis);
    Some(local - offset_secs * 1000)
}

/// Parse a plain date `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut p = Cursor { b: s.trim().as_bytes(), i: 0 };
    let d = p.date()?;
    p.done().then_some(d)
}

/// Days since 1970-01-01 of a date.
pub fn days_from_date(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - EPOCH_DAYS_FROM_CE
}

/// The date of a day number (days since 1970-01-01). Out-of-range days clamp to chrono's
/// limits; instants parsed by this module are always within 0000–9999.
pub fn date_from_days(days: i64) -> NaiveDate {
    let ce = days.saturating_add(EPOCH_DAYS_FROM_CE).clamp(1, i64::from(i32::MAX)) as i32;
    NaiveDate::from_num_days_from_ce_opt(ce).unwrap_or(NaiveDate::MIN)
}

/// Format an instant as ISO 8601 at a fixed offset: `2026-11-20T14:05:00+01:00`
/// (milliseconds shown only when not zero).
///
/// ```
/// use tend::time::format_instant;
/// assert_eq!(format_instant(0, 3600), "1970-01-01T01:00:00+01:00");
/// assert_eq!(format_instant(1, 0), "1970-01-01T00:00:00.001+00:00");
/// ```
pub fn format_instant(t: Instant, offset_secs: i32) -> String {
    // Derived instants (a deadline some business days after a row's date) may pass the
    // instants Tend reads, and an offset may move the local time past year 9999: both are
    // shown at the nearest instant that reads back.
    let t = t.clamp(MIN_INSTANT, MAX_INSTANT);
    let local = (t + i64::from(offset_secs) * 1000).clamp(MIN_INSTANT, MAX_INSTANT);
    let days = local.div_euclid(DAY_MS);
    let ms = local.rem_euclid(DAY_MS);
    let d = date_from_days(days);
    let (h, m, s, f) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let sign = if offset_secs < 0 { '-' } else { '+' };
    let o = offset_secs.unsigned_abs();
    let frac = if f == 0 { String::new() } else { format!(".{f:03}") };
    format!(
        "{:04}-{:02}-{:02}T{h:02}:{m:02}:{s:02}{frac}{sign}{:02}:{:02}",
        d.year(),
        d.month(),
        d.day(),
        o / 3600,
        o / 60 % 60
    )
}

/// An instant shown at a fixed offset: serialises as [`format_instant`] does, without building
/// the text until it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    /// The instant.
    pub t: Instant,
    /// The offset it is shown at, in seconds.
    pub offset: i32,
}

impl Stamp {
    /// `t` shown at `offset`.
    pub fn new(t: Instant, offset: i32) -> Self {
        Stamp { t, offset }
    }
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_instant(self.t, self.offset))
    }
}

impl PartialEq<&str> for Stamp {
    fn eq(&self, other: &&str) -> bool {
        format_instant(self.t, self.offset) == *other
    }
}

impl PartialEq<str> for Stamp {
    fn eq(&self, other: &str) -> bool {
        format_instant(self.t, self.offset) == other
    }
}

impl serde::Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_instant(self.t, self.offset))
    }
}

/// Format a date as `YYYY-MM-DD`.
pub fn format_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A short human date such as `Thu 19 Nov`, with the year added when it differs from
/// `reference_year`.
pub fn human_date(d: NaiveDate, reference_year: i32) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let wd = DAYS[d.weekday().num_days_from_monday() as usize % 7];
    let mo = MONTHS[(d.month0() as usize).min(11)];
    if d.year() == reference_year {
        format!("{wd} {} {mo}", d.day())
    } else {
        format!("{wd} {} {mo} {}", d.day(), d.year())
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    #[inline(always)]
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }
    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }
    /// `YYYY-MM-DD`, a real calendar date.
    fn date(&mut self) -> Option<NaiveDate> {
        let year = self.digits(4)?;
        self.eat(b'-')?;
        let month = self.digits(2)?;
        self.eat(b'-')?;
        let day = self.digits(2)?;
        NaiveDate::from_ymd_opt(year as i32, month, day)
    }

    #[inline(always)]
    fn digits(&mut self, n: usize) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..n {
            let c = self.next()?;
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        let z = parse_instant("2026-11-20T13:05:00Z", 0).unwrap();
        assert_eq!(parse_instant("2026-11-20T14:05:00+01:00", 0), Some(z));
        assert_eq!(parse_instant("2026-11-20T14:05:00+0100", 0), Some(z));
        assert_eq!(parse_instant("2026-11-20T14:05+01", 0), Some(z));
        assert_eq!(parse_instant("2026-11-20 13:05", 0), Some(z));
        assert_eq!(parse_instant("2026-11-20T13:05:00.000Z", 0), Some(z));
        assert_eq!(parse_instant("2026-11-20T14:05:00", 3600), Some(z));
        assert_eq!(parse_instant("2026-11-20T13:05:00.5Z", 0), Some(z + 500));
        assert_eq!(parse_instant("2026-11-20T08:05:00-05:00", 0), Some(z));
    }

    #[test]
    fn date_only_is_midnight_at_policy_offset() {
        let utc = parse_instant("2026-11-20", 0).unwrap();
        assert_eq!(parse_instant("2026-11-20", 3600), Some(utc - 3_600_000));
        assert_eq!(parse_instant("2026-11-20", -5 * 3600), Some(utc + 5 * 3_600_000));
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "", "2026", "2026-11", "2026-13-01", "2026-02-30", "2026-11-20T24:00", "2026-11-20T12",
            "2026-11-20T12:60", "2026-11-20T12:00:00+25:00", "20261120", "2026-11-20x", "abc",
            "2026-11-20T12:00:00.Z", "2026-11-20T12:00:00Zjunk", "١٢٣٤-11-20",
        ] {
            assert_eq!(parse_instant(s, 0), None, "{s}");
        }
    }

    #[test]
    fn instants_outside_years_0001_to_9999_are_not_read() {
        assert_eq!(parse_instant("0001-01-01T00:00:00Z", 0), Some(MIN_INSTANT));
        assert_eq!(parse_instant("9999-12-31T23:59:59.999Z", 0), Some(MAX_INSTANT));
        assert_eq!(parse_instant("0000-12-31T23:59:59Z", 0), None);
        assert_eq!(parse_instant("0000-01-01", 0), None);
        assert_eq!(parse_instant("0001-01-01T00:30:00+01:00", 0), None);
        assert_eq!(parse_instant("9999-12-31T23:59:59-14:00", 0), None);
        assert_eq!(parse_instant("9999-12-31", -3600), Some(MAX_INSTANT + 1 - DAY_MS + 3_600_000));
        assert_eq!(parse_instant("9999-12-31", 3600), Some(MAX_INSTANT + 1 - DAY_MS - 3_600_000));
    }

    #[test]
    fn every_formatted_instant_reads_back() {
        // Any instant (derived deadlines run past the ends) at any offset a policy allows.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let ends = [MIN_INSTANT, MAX_INSTANT, MIN_INSTANT - 1, MAX_INSTANT + 1, i64::MIN / 2, i64::MAX / 2, 0];
        for k in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let t = if k < ends.len() * 9 { ends[k % ends.len()] } else { (x as i64) >> (x % 40) };
            let offset = [0, 3600, -3600, 14 * 3600, -14 * 3600, 5 * 3600 + 45 * 60][k % 6];
            let text = format_instant(t, offset);
            let back = parse_instant(&text, 0);
            assert!(back.is_some(), "{t} at {offset}: {text}");
            if (MIN_INSTANT + 15 * 3_600_000..=MAX_INSTANT - 15 * 3_600_000).contains(&t) {
                assert_eq!(back, Some(t), "{text}");
            }
        }
    }

    #[test]
    fn formats_round_trip() {
        for s in ["2026-11-20T14:05:00+01:00", "1999-12-31T23:59:59.999-08:00", "2026-03-29T02:30:00+00:00"] {
            let t = parse_instant(s, 0).unwrap();
            let off = match &s[s.len() - 6..] {
                "+01:00" => 3600,
                "-08:00" => -8 * 3600,
                _ => 0,
            };
            assert_eq!(format_instant(t, off), s);
        }
    }

    #[test]
    fn human_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 19).unwrap();
        assert_eq!(human_date(d, 2026), "Thu 19 Nov");
        assert_eq!(human_date(d, 2027), "Thu 19 Nov 2026");
    }
}
