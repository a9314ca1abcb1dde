//! State changes: who entered the red band, high or critical risk, or the dissolution stage in
//! the last 7 and 30 days, and how long those in the red band or at high risk have been there.
//!
//! A customer *entered* a state in the last N days (N = 7 or 30) when it is in the state at
//! `asOf` and was not at `asOf` − N days (or was not known then) — the two instants are re-run
//! as a history's points are ([`super::history`]), so risk is the risk of the customer's own
//! records (word of mouth is not re-run for the past). How long a customer has been in the red
//! band or at high risk is read from the weekly points of its history back to 26 weeks: the age
//! of the oldest point of the unbroken run, a lower bound to the week (`atLeast` when the run
//! reaches the window's start).
//!
//! The states 7 and 30 days before are kept with each customer in a watched state at `asOf`,
//! computed when it is scored (at load and when an update scores it again; all of them again
//! when an update moves the tiers of those instants).

use super::history::State;
use super::pages::CustomerRow;
use super::Engine;
use crate::error::Error;
use crate::score::health::Band;
use crate::score::risk::Level;
use crate::score::stage::Stage;
use crate::time::DAY_MS;
use serde::Serialize;
use serde_json::Value as Json;

/// The windows of the summary, in days.
pub const WINDOWS: [i64; 2] = [7, 30];

/// The past instants the states of the changes need: 7 days before `asOf` and, for the
/// risk's trend, 37 and 60 days before (30 days before is the engine's own).
pub fn instants(as_of: crate::time::Instant) -> [crate::time::Instant; 3] {
    [7, 37, 60].map(|d| as_of - d * DAY_MS)
}

/// How far back the days in a state are read, in weeks.
pub const DAYS_WEEKS: i64 = 26;

/// The most customers a page lists.
pub const MAX_LIMIT: usize = 1000;

/// Customers who entered each state in one window.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entered {
    /// The red band.
    pub red: usize,
    /// High or critical risk.
    pub high_risk: usize,
    /// The dissolution stage.
    pub dissolution: usize,
}

/// The summary's counts.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeCounts {
    /// In the last 7 days.
    pub days7: Entered,
    /// In the last 30 days.
    pub days30: Entered,
}

/// How long a customer has been in a state.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Standing {
    /// Days, to the week (a lower bound).
    pub days: u32,
    /// The run reaches the start of the 26 weeks read.
    pub at_least: bool,
}

/// One customer of the changes list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRow {
    /// The customer, as the customers list has it.
    #[serde(flatten)]
    pub customer: CustomerRow,
    /// The value ranked by: the larger of the trailing 12 months' revenue and the CLV.
    pub value: f64,
    /// The states entered in the window: `red`, `high_risk`, `dissolution`.
    pub entered: Vec<&'static str>,
    /// In the red band since (null when not in it).
    pub red: Option<Standing>,
    /// At high or critical risk since (null when not).
    pub high_risk: Option<Standing>,
}

/// A page of changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangesPage {
    /// The window, in days.
    pub days: i64,
    /// Customers who entered a state in the window.
    pub entered: Entered,
    /// Rows matching the query, over all pages.
    pub total: usize,
    /// This page, by value descending, then id.
    pub items: Vec<ChangeRow>,
}

/// What the changes list is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangesQuery {
    /// 7 or 30.
    pub days: i64,
    /// Also the customers that stayed in a watched state (not only those that entered one).
    pub all: bool,
    /// First row.
    pub offset: usize,
    /// Rows a page.
    pub limit: usize,
}

impl ChangesQuery {
    /// Read `{ days?, all?, offset?, limit? }`.
    pub fn from_json(v: &Json) -> Result<Self, Error> {
        let mut q = ChangesQuery { days: 7, all: false, offset: 0, limit: 50 };
        let Some(o) = v.as_object() else {
            return if v.is_null() { Ok(q) } else { Err(Error::option("changes", "must be an object { days, all, offset, limit }")) };
        };
        for (k, x) in o {
            let path = format!("changes.{k}");
            let count = || x.as_u64().filter(|n| *n <= u32::MAX as u64).map(|n| n as usize).ok_or_else(|| Error::option(path.clone(), "must be a whole number ≥ 0"));
            match k.as_str() {
                "days" => match x.as_i64() {
                    Some(d) if WINDOWS.contains(&d) => q.days = d,
                    _ => return Err(Error::option(path, "must be 7 or 30")),
                },
                "all" => q.all = x.as_bool().ok_or_else(|| Error::option(path.clone(), "must be true or false"))?,
                "offset" => q.offset = count()?,
                "limit" => {
                    let l = count()?;
                    if l == 0 || l > MAX_LIMIT {
                        return Err(Error::option(path, format!("must be from 1 to {MAX_LIMIT}")));
                    }
                    q.limit = l;
                }
                _ => return Err(Error::option(path, "is not an option (days, all, offset, limit)")),
            }
        }
        Ok(q)
    }
}

fn red(s: &State) -> bool {
    s.band == Band::Red
}

fn high(s: &State) -> bool {
    s.level >= Level::High
}

fn dissolving(s: &State) -> bool {
    s.stage == Stage::Dissolution
}

/// Whether a state is one the changes watch.
pub(super) fn watched(s: &State) -> bool {
    red(s) || high(s) || dissolving(s)
}

/// The states entered since `before`.
fn entered(now: &State, before: Option<&State>) -> Vec<&'static str> {
    let tests: [(&'static str, fn(&State) -> bool); 3] = [("red", red), ("high_risk", high), ("dissolution", dissolving)];
    tests.iter().filter(|(_, f)| f(now) && !before.is_some_and(f)).map(|x| x.0).collect()
}

fn count(rows: &[(u32, State, [Option<State>; 2])], w: usize) -> Entered {
    let mut e = Entered::default();
    for (_, now, past) in rows {
        for k in entered(now, past[w].as_ref()) {
            match k {
                "red" => e.red += 1,
                "high_risk" => e.high_risk += 1,
                _ => e.dissolution += 1,
            }
        }
    }
    e
}

impl Engine {
    /// The customers in a watched state now: (slot, state now, states 7 and 30 days before).
    fn watched_rows(&self) -> Vec<(u32, State, [Option<State>; 2])> {
        let mut rows = Vec::new();
        for (c, e) in self.entries.iter().enumerate().filter(|(_, e)| e.alive) {
            let now = State { band: e.band, level: e.base_level, stage: e.stage };
            if watched(&now) {
                rows.push((c as u32, now, e.past));
            }
        }
        rows
    }

    /// Customers who entered each state in the last 7 and 30 days.
    pub fn change_counts(&self) -> ChangeCounts {
        let rows = self.watched_rows();
        ChangeCounts { days7: count(&rows, 0), days30: count(&rows, 1) }
    }

    /// A page of the customers who entered a watched state in the window (with `all`, also
    /// those who stayed in one), by value.
    pub fn changes(&self, q: &ChangesQuery) -> ChangesPage {
        let watched = self.watched_rows();
        let w = usize::from(q.days != 7);
        let d = &self.store.data;
        let mut rows: Vec<(u32, f64, Vec<&'static str>)> = watched
            .iter()
            .map(|(c, now, past)| {
                let e = &self.entries[*c as usize];
                let value = crate::score::r2(e.own.revenue12m).max(e.clv.unwrap_or(0.0)).max(0.0);
                (*c, value, entered(now, past[w].as_ref()))
            })
            .filter(|r| q.all || !r.2.is_empty())
            .collect();
        crate::sort::sort_by(&mut rows, |a, b| {
            b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then_with(|| d.customer_id(a.0 as usize).cmp(d.customer_id(b.0 as usize)))
        });
        let total = rows.len();
        if total > q.offset {
            // The weekly points the days in a state are read from, and their trends' instants.
            let as_of = self.options.as_of;
            let weeks: Vec<i64> = (1..=DAYS_WEEKS).flat_map(|k| [as_of - k * 7 * DAY_MS, as_of - (k * 7 + super::TREND_DAYS) * DAY_MS]).collect();
            self.cuts_for(&weeks);
        }
        let items = rows.into_iter().skip(q.offset).take(q.limit).map(|(c, value, entered)| self.change_row(c as usize, value, entered)).collect();
        ChangesPage { days: q.days, entered: count(&watched, w), total, items }
    }

    fn change_row(&self, c: usize, value: f64, entered: Vec<&'static str>) -> ChangeRow {
        let e = &self.entries[c];
        let now = State { band: e.band, level: e.base_level, stage: e.stage };
        // Walk the weekly points back while the customer stays red or at high risk.
        let (mut in_red, mut in_high) = (red(&now).then_some(0i64), high(&now).then_some(0i64));
        let (mut red_run, mut high_run) = (in_red.is_some(), in_high.is_some());
        let mut k = 1;
        while (red_run || high_run) && k <= DAYS_WEEKS {
            let s = self.state_at(c, self.options.as_of - k * 7 * DAY_MS);
            if red_run && s.as_ref().is_some_and(red) {
                in_red = Some(k);
            } else {
                red_run = false;
            }
            if high_run && s.as_ref().is_some_and(high) {
                in_high = Some(k);
            } else {
                high_run = false;
            }
            k += 1;
        }
        let standing = |w: Option<i64>| w.map(|w| Standing { days: (w * 7) as u32, at_least: w == DAYS_WEEKS });
        ChangeRow { customer: self.customer_row(c), value, entered, red: standing(in_red), high_risk: standing(in_high) }
    }
}
