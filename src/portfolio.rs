//! Across customers: the worklist, the owners' scorecards and the portfolio figures.

use crate::calendar::Calendar;
use crate::input::records::{Complaint, FeedbackKind, Feedback, Promise};
use crate::input::store::Store;
use crate::input::strings::Own;
use crate::score::health::Band;
use crate::score::neglect::{Evidence, FlagCore};
use crate::score::r2;
use crate::score::risk::Level;
use crate::score::stage::Stage;
use crate::score::value::Tier;
use crate::time::{date_from_days, format_date, Instant, DAY_MS};
use serde::Serialize;
use crate::keyed::Keyed;

/// One entry of the worklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkItem {
    /// The customer.
    pub customer_id: String,
    /// Its name.
    pub customer_name: Option<String>,
    /// Who should act.
    pub owner: Option<String>,
    /// The action's kind.
    pub kind: &'static str,
    /// What to do.
    pub message: String,
    /// The row it is about.
    pub evidence: Option<Evidence>,
    /// Health points gained when done.
    pub uplift: f64,
    /// The customer's priority (risk × value).
    pub priority: f64,
    /// The action's severity.
    pub severity: crate::input::records::Severity,
    /// Business days overdue, for flag actions.
    pub overdue: Option<f64>,
    /// The customer's value tier.
    pub tier: crate::score::value::Tier,
    /// The customer's health score.
    pub health: f64,
    /// Its band.
    pub band: Band,
    /// The customer's risk level.
    pub risk: Level,
}

/// One owner's scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerCard {
    /// The owner (null: customers and flags without one).
    pub owner: Option<String>,
    /// Customers owned.
    pub customers: usize,
    /// Open, not snoozed flags owned, by kind.
    pub open_flags: Keyed<&'static str, usize>,
    /// Snoozed flags owned.
    pub snoozed_flags: usize,
    /// Sum of the business days overdue of those open flags.
    pub overdue_days: f64,
    /// Of the promises owned that were due by `asOf`, the share not kept by their due date
    /// (kept late counts as broken); null without any.
    pub broken_promise_rate: Option<f64>,
    /// Promises due by `asOf`.
    pub promises_due: usize,
    /// Median business days from opening to resolution of the complaints of the customers
    /// owned, resolved by `asOf`; null without any.
    pub median_complaint_resolution_days: Option<f64>,
    /// Share of the customers owned at high or critical risk.
    pub high_risk_share: Option<f64>,
}

#[derive(Default)]
struct Acc {
    customers: usize,
    high_risk: usize,
    flags: Keyed<&'static str, usize>,
    snoozed: usize,
    overdue: f64,
    promises_due: usize,
    promises_broken: usize,
    resolutions: Vec<f64>,
}

/// What the portfolio figures need of one customer.
pub struct Facts<'a> {
    /// The customer's slot.
    pub slot: usize,
    /// Its owner.
    pub owner: Option<Own>,
    /// Risk level.
    pub level: Level,
    /// Health band.
    pub band: Band,
    /// Value tier.
    pub tier: Tier,
    /// Stage.
    pub stage: Stage,
    /// Trailing-12-month revenue (as reported, rounded).
    pub revenue12m: f64,
    /// CLV.
    pub clv: Option<f64>,
    /// Open flags.
    pub flags: &'a [FlagCore],
}

/// The owners' scorecards, by owner name (null last). `customers` in id order.
pub fn owners<'a>(store: &Store, cal: &Calendar, as_of: Instant, customers: impl Iterator<Item = Facts<'a>>) -> Vec<OwnerCard> {
    let d = &store.data;
    // Accumulators by owner (the last one: no owner).
    let mut acc: Vec<Acc> = (0..=d.owners.len()).map(|_| Acc::default()).collect();
    let none = d.owners.len();
    let key = |o: Option<Own>| o.map_or(none, |o| o.0 as usize);
    let mut used = vec![false; acc.len()];
    for c in customers {
        let k = key(c.owner);
        used[k] = true;
        let a = &mut acc[k];
        a.customers += 1;
        if c.level >= Level::High {
            a.high_risk += 1;
        }
        for f in c.flags {
            let k = key(f.owner);
            used[k] = true;
            let a = &mut acc[k];
            if f.snoozed() {
                a.snoozed += 1;
            } else {
                *a.flags.entry(f.kind.as_str()) += 1;
                a.overdue += f.overdue;
            }
        }
        let owner = d.customers[c.slot].owner;
        for &i in store.known::<Promise>(c.slot, as_of) {
            let p = &d.promises[i as usize];
            if p.due_at > as_of {
                continue;
            }
            let k = key(p.owner.or(owner));
            used[k] = true;
            let a = &mut acc[k];
            a.promises_due += 1;
            if p.kept_at.filter(|k| *k <= as_of).is_none_or(|k| k > p.due_at) {
                a.promises_broken += 1;
            }
        }
        for &i in store.known::<Complaint>(c.slot, as_of) {
            let x = &d.complaints[i as usize];
            if let Some(r) = x.resolved_at.filter(|r| *r <= as_of) {
                let k = key(owner);
                used[k] = true;
                acc[k].resolutions.push(cal.business_days_between(x.opened_at, r));
            }
        }
    }
    let mut cards: Vec<OwnerCard> = acc
        .into_iter()
        .enumerate()
        .filter(|(k, _)| used[*k])
        .map(|(k, mut a)| OwnerCard {
            owner: (k != none).then(|| d.owners.name(Own(k as u32)).to_owned()),
            customers: a.customers,
            open_flags: a.flags,
            snoozed_flags: a.snoozed,
            overdue_days: r2(a.overdue),
            broken_promise_rate: (a.promises_due > 0).then(|| r2(a.promises_broken as f64 / a.promises_due as f64)),
            promises_due: a.promises_due,
            median_complaint_resolution_days: crate::sort::median(&mut a.resolutions).map(r2),
            high_risk_share: (a.customers > 0).then(|| r2(a.high_risk as f64 / a.customers as f64)),
        })
        .collect();
    // Named owners first, alphabetically; the unassigned last.
    crate::sort::sort_by(&mut cards, |a, b| match (&a.owner, &b.owner) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Greater,
        (_, None) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) => x.cmp(y),
    });
    cards
}

/// One day of the satisfaction series.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyPoint {
    /// The local date.
    pub date: String,
    /// NPS (% promoters − % detractors) of the answers in the 90 days up to that day.
    pub nps: Option<f64>,
    /// CSAT % (share of 4s and 5s).
    pub csat: Option<f64>,
    /// Mean CES.
    pub ces: Option<f64>,
    /// Answers in the window, all kinds.
    pub responses: usize,
    /// Complaints open at that instant.
    pub open_complaints: usize,
}

/// Value at risk: what the customers at high or critical risk bring.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueAtRisk {
    /// How many customers.
    pub customers: usize,
    /// Their trailing-12-month revenue.
    pub revenue12m: f64,
    /// Their CLV, when a buying model is fitted.
    pub clv: Option<f64>,
}

/// Portfolio figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Portfolio {
    /// Customers by band, tier, stage and risk level (every key present).
    pub counts: Keyed<&'static str, Keyed<&'static str, usize>>,
    /// Value at risk.
    pub value_at_risk: ValueAtRisk,
    /// One point per day over the last 90 days, ascending, the last on `asOf`'s day.
    pub daily: Vec<DailyPoint>,
}

/// Days in the daily series, and in each point's trailing window.
pub const DAILY_DAYS: i64 = 90;

/// The daily series: 90 points, each at the clock time of `asOf` on its day, over the
/// trailing 90 days. Cost grows with rows + days: one sort per table, then binary searches.
pub fn daily(store: &Store, cal: &Calendar, as_of: Instant) -> Vec<DailyPoint> {
    let d = &store.data;
    let n = store.slots();
    // Known feedback by time, with prefix sums per kind.
    let mut fb: Vec<(i64, FeedbackKind, u8)> = (0..n)
        .flat_map(|c| store.known::<Feedback>(c, as_of).iter())
        .map(|i| &d.feedback[*i as usize])
        .map(|f| (f.at, f.kind, f.score))
        .collect();
    crate::sort::sort_by(&mut fb, |a, b| a.0.cmp(&b.0));
    let times: Vec<i64> = fb.iter().map(|x| x.0).collect();
    // Prefix counts: promoters, detractors, nps n, csat top-2, csat n, ces sum, ces n.
    let mut pre = vec![[0.0f64; 7]; fb.len() + 1];
    for (k, (_, kind, s)) in fb.iter().enumerate() {
        let mut row = pre[k];
        match kind {
            FeedbackKind::Nps => {
                row[2] += 1.0;
                if *s >= 9 {
                    row[0] += 1.0;
                } else if *s <= 6 {
                    row[1] += 1.0;
                }
            }
            FeedbackKind::Csat => {
                row[4] += 1.0;
                if *s >= 4 {
                    row[3] += 1.0;
                }
            }
            FeedbackKind::Ces => {
                row[6] += 1.0;
                row[5] += f64::from(*s);
            }
        }
        pre[k + 1] = row;
    }
    let mut opened: Vec<i64> = Vec::new();
    let mut resolved: Vec<i64> = Vec::new();
    for c in 0..n {
        for &i in store.known::<Complaint>(c, as_of) {
            let x = &d.complaints[i as usize];
            opened.push(x.opened_at);
            if let Some(r) = x.resolved_at.filter(|r| *r <= as_of) {
                resolved.push(r);
            }
        }
    }
    crate::sort::sort_i64(&mut opened);
    crate::sort::sort_i64(&mut resolved);
    (0..DAILY_DAYS)
        .rev()
        .map(|back| {
            let t = as_of - back * DAY_MS;
            let from = t - DAILY_DAYS * DAY_MS;
            let (lo, hi) = (times.partition_point(|x| *x <= from), times.partition_point(|x| *x <= t));
            let w: Vec<f64> = (0..7).map(|j| pre[hi][j] - pre[lo][j]).collect();
            let open = opened.partition_point(|x| *x <= t) - resolved.partition_point(|x| *x <= t);
            DailyPoint {
                date: format_date(date_from_days(cal.day(t))),
                nps: (w[2] > 0.0).then(|| r2((w[0] - w[1]) / w[2] * 100.0)),
                csat: (w[4] > 0.0).then(|| r2(w[3] / w[4] * 100.0)),
                ces: (w[6] > 0.0).then(|| r2(w[5] / w[6])),
                responses: (hi - lo),
                open_complaints: open,
            }
        })
        .collect()
}

/// Counts and value at risk; `customers` in id order.
pub fn portfolio<'a>(customers: impl Iterator<Item = Facts<'a>>, daily: Vec<DailyPoint>) -> Portfolio {
    let mut counts: Keyed<&'static str, Keyed<&'static str, usize>> = Keyed::new();
    let keys: [(&str, &[&str]); 4] = [
        ("band", &["green", "amber", "red"]),
        ("tier", &["A", "B", "C"]),
        ("stage", &["awareness", "exploration", "expansion", "commitment", "dissolution"]),
        ("risk", &["low", "medium", "high", "critical"]),
    ];
    for (k, vs) in keys {
        // Every key present, in order.
        let mut m = Keyed::new();
        for v in vs {
            m.insert(*v, 0);
        }
        counts.insert(k, m);
    }
    let mut var = ValueAtRisk { customers: 0, revenue12m: 0.0, clv: None };
    for c in customers {
        let name = |v: &dyn erased::Named| v.name();
        for (k, v) in [("band", name(&c.band)), ("tier", name(&c.tier)), ("stage", name(&c.stage)), ("risk", name(&c.level))] {
            if let Some(m) = counts.get_mut(&k) {
                if let Some(n) = m.get_mut(&v) {
                    *n += 1;
                }
            }
        }
        if c.level >= Level::High {
            var.customers += 1;
            var.revenue12m += c.revenue12m;
            if let Some(v) = c.clv {
                var.clv = Some(var.clv.unwrap_or(0.0) + v);
            }
        }
    }
    var.revenue12m = r2(var.revenue12m);
    var.clv = var.clv.map(r2);
    Portfolio { counts, value_at_risk: var, daily }
}

mod erased {
    use crate::score::{health::Band, risk::Level, stage::Stage, value::Tier};

    pub trait Named {
        fn name(&self) -> &'static str;
    }
    impl Named for Band {
        fn name(&self) -> &'static str {
            match self {
                Band::Green => "green",
                Band::Amber => "amber",
                Band::Red => "red",
            }
        }
    }
    impl Named for Tier {
        fn name(&self) -> &'static str {
            match self {
                Tier::A => "A",
                Tier::B => "B",
                Tier::C => "C",
            }
        }
    }
    impl Named for Stage {
        fn name(&self) -> &'static str {
            match self {
                Stage::Awareness => "awareness",
                Stage::Exploration => "exploration",
                Stage::Expansion => "expansion",
                Stage::Commitment => "commitment",
                Stage::Dissolution => "dissolution",
            }
        }
    }
    impl Named for Level {
        fn name(&self) -> &'static str {
            match self {
                Level::Low => "low",
                Level::Medium => "medium",
                Level::High => "high",
                Level::Critical => "critical",
            }
        }
    }
}
