//! The business-day calendar: workdays, holidays and a fixed UTC offset.
//!
//! "N business days after instant t" is the same clock time, in the policy's offset, on the
//! N-th workday after t's date; when t falls on a non-workday, counting starts from 00:00 of
//! the next workday. "Business days between" measures the workday time between two instants,
//! in days, as a decimal: each workday contributes the part of its 24 hours that lies between
//! them.

use crate::time::{days_from_date, Instant, DAY_MS};
use chrono::NaiveDate;

/// A business-day calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    offset_ms: i64,
    /// Workdays, Monday first.
    workdays: [bool; 7],
    /// Holiday day numbers that fall on workdays, sorted and deduplicated.
    holidays: Vec<i64>,
}

impl Calendar {
    /// A calendar. `workdays` is indexed Monday = 0; at least one must be true (the policy
    /// checks this; with none, every day is treated as a workday rather than looping).
    pub fn new(offset_secs: i32, workdays: [bool; 7], holidays: &[NaiveDate]) -> Self {
        let workdays = if workdays.iter().any(|w| *w) { workdays } else { [true; 7] };
        let mut cal = Calendar { offset_ms: i64::from(offset_secs) * 1000, workdays, holidays: Vec::new() };
        let mut hs: Vec<i64> = holidays
            .iter()
            .map(|d| days_from_date(*d))
            .filter(|d| cal.weekday_is_workday(*d))
            .collect();
        crate::sort::sort_i64(&mut hs);
        hs.dedup();
        // A calendar whose every workday is a holiday forever cannot exist: holidays are finite.
        cal.holidays = hs;
        cal
    }

    /// The offset in seconds.
    pub fn offset_secs(&self) -> i32 {
        (self.offset_ms / 1000) as i32
    }

    /// The local day number (days since 1970-01-01 in the calendar's offset) of an instant.
    pub fn day(&self, t: Instant) -> i64 {
        (t + self.offset_ms).div_euclid(DAY_MS)
    }

    /// Milliseconds since local midnight.
    pub fn time_of_day(&self, t: Instant) -> i64 {
        (t + self.offset_ms).rem_euclid(DAY_MS)
    }

    /// The instant of local time `ms` on local day `day`.
    pub fn at(&self, day: i64, ms: i64) -> Instant {
        day * DAY_MS + ms - self.offset_ms
    }

    fn weekday_is_workday(&self, day: i64) -> bool {
        // 1970-01-01 was a Thursday (Monday = 0 → Thursday = 3).
        self.workdays[(day + 3).rem_euclid(7) as usize]
    }

    /// Whether a local day number is a workday (a workday of the week and not a holiday).
    pub fn is_workday(&self, day: i64) -> bool {
        self.weekday_is_workday(day) && self.holidays.binary_search(&day).is_err()
    }

    /// The first workday strictly after `day`.
    pub fn next_workday(&self, day: i64) -> i64 {
        let mut d = day + 1;
        // Terminates: at least one weekday is a workday and holidays are finite.
        let limit = 8 + self.holidays.len();
        for _ in 0..limit {
            if self.is_workday(d) {
                return d;
            }
            d += 1;
        }
        d
    }

    /// The instant `n` business days after `t`.
    ///
    /// ```
    /// use tend::calendar::Calendar;
    /// use tend::time::parse_instant;
    /// let cal = Calendar::new(0, [true, true, true, true, true, false, false], &[]);
    /// let fri = parse_instant("2026-11-20T14:00:00Z", 0).unwrap();
    /// let mon = parse_instant("2026-11-23T14:00:00Z", 0).unwrap();
    /// assert_eq!(cal.add_business_days(fri, 1), mon);
    /// ```
    pub fn add_business_days(&self, t: Instant, n: u32) -> Instant {
        let d = self.day(t);
        let (mut cur, tod) =
            if self.is_workday(d) { (d, self.time_of_day(t)) } else { (self.next_workday(d), 0) };
        for _ in 0..n {
            cur = self.next_workday(cur);
        }
        self.at(cur, tod)
    }

    /// Workday time between `a` and `b` in days (0 when `b <= a`).
    ///
    /// ```
    /// use tend::calendar::Calendar;
    /// use tend::time::parse_instant;
    /// let cal = Calendar::new(0, [true, true, true, true, true, false, false], &[]);
    /// let fri = parse_instant("2026-11-20T12:00:00Z", 0).unwrap();
    /// let tue = parse_instant("2026-11-24T12:00:00Z", 0).unwrap();
    /// assert_eq!(cal.business_days_between(fri, tue), 2.0);
    /// ```
    pub fn business_days_between(&self, a: Instant, b: Instant) -> f64 {
        if b <= a {
            return 0.0;
        }
        let (da, db) = (self.day(a), self.day(b));
        let (ta, tb) = (self.time_of_day(a), self.time_of_day(b));
        let ms = if da == db {
            if self.is_workday(da) { tb - ta } else { 0 }
        } else {
            let head = if self.is_workday(da) { DAY_MS - ta } else { 0 };
            let tail = if self.is_workday(db) { tb } else { 0 };
            head + tail + self.workdays_in(da + 1, db) * DAY_MS
        };
        ms as f64 / DAY_MS as f64
    }

    /// Number of workdays in the local days `[from, to)`.
    pub fn workdays_in(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        let per_week = self.workdays.iter().filter(|w| **w).count() as i64;
        let span = to - from;
        let mut count = span / 7 * per_week;
        let rest_start = from + span / 7 * 7;
        for d in rest_start..to {
            if self.weekday_is_workday(d) {
                count += 1;
            }
        }
        let lo = self.holidays.partition_point(|h| *h < from);
        let hi = self.holidays.partition_point(|h| *h < to);
        count - (hi - lo) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_instant;

    const MON_FRI: [bool; 7] = [true, true, true, true, true, false, false];

    fn t(s: &str) -> Instant {
        parse_instant(s, 0).unwrap()
    }

    #[test]
    fn adds_over_weekend_and_holiday() {
        let hol = [NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()];
        let cal = Calendar::new(0, MON_FRI, &hol);
        assert_eq!(cal.add_business_days(t("2026-11-20T14:00:00Z"), 1), t("2026-11-24T14:00:00Z"));
        assert_eq!(cal.add_business_days(t("2026-11-19T14:00:00Z"), 2), t("2026-11-24T14:00:00Z"));
        assert_eq!(cal.add_business_days(t("2026-11-19T14:00:00Z"), 0), t("2026-11-19T14:00:00Z"));
    }

    #[test]
    fn non_workday_counts_from_next_workday_midnight() {
        let cal = Calendar::new(0, MON_FRI, &[]);
        // Saturday call: counting starts Monday 00:00, so 1 business day ends Tuesday 00:00.
        assert_eq!(cal.add_business_days(t("2026-11-21T10:00:00Z"), 1), t("2026-11-24T00:00:00Z"));
        assert_eq!(cal.add_business_days(t("2026-11-21T10:00:00Z"), 0), t("2026-11-23T00:00:00Z"));
    }

    #[test]
    fn offset_changes_the_local_day() {
        // 23:30Z on Friday is 00:30 Saturday at +01:00.
        let cal = Calendar::new(3600, MON_FRI, &[]);
        // Counting starts Monday 00:00 local; one business day ends Tuesday 00:00 local = Monday 23:00Z.
        assert_eq!(cal.add_business_days(t("2026-11-20T23:30:00Z"), 1), t("2026-11-23T23:00:00Z"));
        // 22:30Z Friday is still Friday 23:30 local: due Monday 23:30 local.
        assert_eq!(cal.add_business_days(t("2026-11-20T22:30:00Z"), 1), t("2026-11-23T22:30:00Z"));
    }

    #[test]
    fn between_counts_workday_time() {
        let cal = Calendar::new(0, MON_FRI, &[]);
        assert_eq!(cal.business_days_between(t("2026-11-20T12:00:00Z"), t("2026-11-23T12:00:00Z")), 1.0);
        assert_eq!(cal.business_days_between(t("2026-11-21T12:00:00Z"), t("2026-11-22T12:00:00Z")), 0.0);
        assert_eq!(cal.business_days_between(t("2026-11-23T06:00:00Z"), t("2026-11-23T18:00:00Z")), 0.5);
        assert_eq!(cal.business_days_between(t("2026-11-23T00:00:00Z"), t("2026-12-07T00:00:00Z")), 10.0);
        assert_eq!(cal.business_days_between(t("2026-11-24T00:00:00Z"), t("2026-11-23T00:00:00Z")), 0.0);
        let hol = [NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(), NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()];
        let cal = Calendar::new(0, MON_FRI, &hol);
        assert_eq!(cal.business_days_between(t("2026-11-23T00:00:00Z"), t("2026-12-07T00:00:00Z")), 9.0);
    }

    #[test]
    fn between_matches_a_day_by_day_count() {
        let hol = [NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()];
        let cal = Calendar::new(-3 * 3600, [true, false, true, true, false, true, false], &hol);
        let start = t("2026-11-01T00:00:00Z");
        for len in 0..80 {
            let from = cal.day(start);
            let naive = (from..from + len).filter(|d| cal.is_workday(*d)).count() as i64;
            assert_eq!(cal.workdays_in(from, from + len), naive, "len {len}");
        }
    }
}
