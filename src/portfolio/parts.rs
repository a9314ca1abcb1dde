//! The portfolio figures as parts that add up: each engine (one over the whole portfolio, or
//! one per bucket of it) counts its customers into parts, parts are merged, and the figures are
//! read off the merged part. Every count is an integer and every sum of money or days an
//! [`ExactSum`], so the figures do not depend on how the customers were split or ordered.

use super::{DailyPoint, Facts, OwnerCard, Portfolio, ValueAtRisk, DAILY_DAYS};
use crate::calendar::Calendar;
use crate::exact::ExactSum;
use crate::input::records::{Complaint, Feedback, FeedbackKind, NeglectKind, Promise};
use crate::input::store::Store;
use crate::input::strings::Own;
use crate::keyed::Keyed;
use crate::score::r2;
use crate::score::risk::Level;
use crate::time::{date_from_days, format_date, Instant, DAY_MS};
use serde::{Deserialize, Serialize};

/// One owner's counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OwnerAcc {
    customers: usize,
    high_risk: usize,
    /// Open flags per kind, in [`NeglectKind::ALL`] order.
    flags: Vec<usize>,
    snoozed: usize,
    overdue: ExactSum,
    promises_due: usize,
    promises_broken: usize,
    /// Business days to resolve each resolved complaint (their bits).
    resolutions: Vec<u64>,
}

impl OwnerAcc {
    fn merge(&mut self, o: &OwnerAcc) {
        self.customers += o.customers;
        self.high_risk += o.high_risk;
        self.flags.resize(self.flags.len().max(o.flags.len()), 0);
        for (k, n) in o.flags.iter().enumerate() {
            self.flags[k] += n;
        }
        self.snoozed += o.snoozed;
        self.overdue.merge(&o.overdue);
        self.promises_due += o.promises_due;
        self.promises_broken += o.promises_broken;
        self.resolutions.extend_from_slice(&o.resolutions);
    }
}

/// The owners' counts, by owner name (`None`: no owner), named owners by name, then `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OwnersPart(pub Vec<(Option<String>, OwnerAcc)>);

fn by_owner(a: &Option<String>, b: &Option<String>) -> std::cmp::Ordering {
    match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Greater,
        (_, None) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) => x.cmp(y),
    }
}

impl OwnersPart {
    /// The counts of these customers.
    pub fn of<'a>(store: &Store, cal: &Calendar, as_of: Instant, customers: impl Iterator<Item = Facts<'a>>) -> Self {
        let d = &store.data;
        // Accumulators by owner (the last one: no owner).
        let mut acc: Vec<OwnerAcc> = (0..=d.owners.len()).map(|_| OwnerAcc::default()).collect();
        let none = d.owners.len();
        let key = |o: Option<Own>| o.map_or(none, |o| o.0 as usize);
        let kind = |k: NeglectKind| NeglectKind::ALL.iter().position(|x| *x == k).unwrap_or(0);
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
                    a.flags.resize(NeglectKind::ALL.len(), 0);
                    a.flags[kind(f.kind)] += 1;
                    a.overdue.add(f.overdue);
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
                    acc[k].resolutions.push(cal.business_days_between(x.opened_at, r).to_bits());
                }
            }
        }
        let mut out: Vec<(Option<String>, OwnerAcc)> = acc
            .into_iter()
            .enumerate()
            .filter(|(k, _)| used[*k])
            .map(|(k, a)| ((k != none).then(|| d.owners.name(Own(k as u32)).to_owned()), a))
            .collect();
        crate::sort::sort_by(&mut out, |a, b| by_owner(&a.0, &b.0));
        OwnersPart(out)
    }

    /// Add another part's counts.
    pub fn merge(&mut self, o: &OwnersPart) {
        for (name, acc) in &o.0 {
            match self.0.binary_search_by(|x| by_owner(&x.0, name)) {
                Ok(k) => self.0[k].1.merge(acc),
                Err(k) => self.0.insert(k, (name.clone(), acc.clone())),
            }
        }
    }

    /// The owners' scorecards: named owners first, alphabetically; the unassigned last.
    pub fn cards(&self) -> Vec<OwnerCard> {
        self.0
            .iter()
            .map(|(owner, a)| {
                let mut open_flags = Keyed::new();
                for (kind, n) in NeglectKind::ALL.iter().zip(&a.flags).filter(|(_, n)| **n > 0) {
                    open_flags.insert(kind.as_str(), *n);
                }
                let mut resolutions: Vec<f64> = a.resolutions.iter().map(|b| f64::from_bits(*b)).collect();
                OwnerCard {
                    owner: owner.clone(),
                    customers: a.customers,
                    open_flags,
                    snoozed_flags: a.snoozed,
                    overdue_days: r2(a.overdue.value()),
                    broken_promise_rate: (a.promises_due > 0).then(|| r2(a.promises_broken as f64 / a.promises_due as f64)),
                    promises_due: a.promises_due,
                    median_complaint_resolution_days: crate::sort::median(&mut resolutions).map(r2),
                    high_risk_share: (a.customers > 0).then(|| r2(a.high_risk as f64 / a.customers as f64)),
                }
            })
            .collect()
    }
}

/// The daily series' counts: per day (oldest first), the answers in its trailing window —
/// promoters, detractors, NPS answers, CSAT 4s and 5s, CSAT answers, the sum of CES scores,
/// CES answers, all answers — and the complaints open then.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DailyPart(pub Vec<[i64; 9]>);

impl DailyPart {
    /// The counts of a store's customers. Cost grows with rows + days: one sort per table,
    /// then binary searches.
    pub fn of(store: &Store, as_of: Instant) -> Self {
        let d = &store.data;
        let n = store.slots();
        let mut fb: Vec<(i64, FeedbackKind, u8)> =
            (0..n).flat_map(|c| store.known::<Feedback>(c, as_of).iter()).map(|i| &d.feedback[*i as usize]).map(|f| (f.at, f.kind, f.score)).collect();
        crate::sort::sort_by(&mut fb, |a, b| a.0.cmp(&b.0));
        let times: Vec<i64> = fb.iter().map(|x| x.0).collect();
        let mut pre = vec![[0i64; 7]; fb.len() + 1];
        for (k, (_, kind, s)) in fb.iter().enumerate() {
            let mut row = pre[k];
            match kind {
                FeedbackKind::Nps => {
                    row[2] += 1;
                    if *s >= 9 {
                        row[0] += 1;
                    } else if *s <= 6 {
                        row[1] += 1;
                    }
                }
                FeedbackKind::Csat => {
                    row[4] += 1;
                    if *s >= 4 {
                        row[3] += 1;
                    }
                }
                FeedbackKind::Ces => {
                    row[6] += 1;
                    row[5] += i64::from(*s);
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
        let days = (0..DAILY_DAYS)
            .rev()
            .map(|back| {
                let t = as_of - back * DAY_MS;
                let from = t - DAILY_DAYS * DAY_MS;
                let (lo, hi) = (times.partition_point(|x| *x <= from), times.partition_point(|x| *x <= t));
                let mut day = [0i64; 9];
                for j in 0..7 {
                    day[j] = pre[hi][j] - pre[lo][j];
                }
                day[7] = (hi - lo) as i64;
                day[8] = opened.partition_point(|x| *x <= t) as i64 - resolved.partition_point(|x| *x <= t) as i64;
                day
            })
            .collect();
        DailyPart(days)
    }

    /// Add another part's counts.
    pub fn merge(&mut self, o: &DailyPart) {
        if self.0.is_empty() {
            self.0 = o.0.clone();
            return;
        }
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            for j in 0..9 {
                a[j] += b[j];
            }
        }
    }

    /// The series: 90 points, each at the clock time of `asOf` on its day.
    pub fn points(&self, cal: &Calendar, as_of: Instant) -> Vec<DailyPoint> {
        let n = self.0.len() as i64;
        self.0
            .iter()
            .enumerate()
            .map(|(k, w)| {
                let t = as_of - (n - 1 - k as i64) * DAY_MS;
                let f = |j: usize| w[j] as f64;
                DailyPoint {
                    date: format_date(date_from_days(cal.day(t))),
                    nps: (w[2] > 0).then(|| r2((f(0) - f(1)) / f(2) * 100.0)),
                    csat: (w[4] > 0).then(|| r2(f(3) / f(4) * 100.0)),
                    ces: (w[6] > 0).then(|| r2(f(5) / f(6))),
                    responses: w[7].max(0) as usize,
                    open_complaints: w[8].max(0) as usize,
                }
            })
            .collect()
    }
}

/// The counts behind the portfolio figures: customers by band, tier, stage and risk (in the
/// order [`Portfolio::counts`] lists them), and the value at risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioPart {
    counts: [Vec<usize>; 4],
    at_risk: usize,
    revenue: ExactSum,
    clv: Option<ExactSum>,
}

/// The keys of [`Portfolio::counts`] and their values, in order.
const KEYS: [(&str, &[&str]); 4] = [
    ("band", &["green", "amber", "red"]),
    ("tier", &["A", "B", "C"]),
    ("stage", &["awareness", "exploration", "expansion", "commitment", "dissolution"]),
    ("risk", &["low", "medium", "high", "critical"]),
];

impl PortfolioPart {
    /// The counts of these customers.
    pub fn of<'a>(customers: impl Iterator<Item = Facts<'a>>) -> Self {
        let mut p = PortfolioPart { counts: KEYS.map(|(_, vs)| vec![0; vs.len()]), at_risk: 0, revenue: ExactSum::new(), clv: None };
        for c in customers {
            let name = |v: &dyn super::erased::Named| v.name();
            for (k, v) in [name(&c.band), name(&c.tier), name(&c.stage), name(&c.level)].into_iter().enumerate() {
                if let Some(j) = KEYS[k].1.iter().position(|x| *x == v) {
                    p.counts[k][j] += 1;
                }
            }
            if c.level >= Level::High {
                p.at_risk += 1;
                p.revenue.add(c.revenue12m);
                if let Some(v) = c.clv {
                    p.clv.get_or_insert_with(ExactSum::new).add(v);
                }
            }
        }
        p
    }

    /// Add another part's counts.
    pub fn merge(&mut self, o: &PortfolioPart) {
        for k in 0..4 {
            for (a, b) in self.counts[k].iter_mut().zip(&o.counts[k]) {
                *a += b;
            }
        }
        self.at_risk += o.at_risk;
        self.revenue.merge(&o.revenue);
        if let Some(c) = &o.clv {
            self.clv.get_or_insert_with(ExactSum::new).merge(c);
        }
    }

    /// The portfolio figures, with the daily series.
    pub fn figures(&self, daily: Vec<DailyPoint>) -> Portfolio {
        let mut counts: Keyed<&'static str, Keyed<&'static str, usize>> = Keyed::new();
        for (k, (key, vs)) in KEYS.iter().enumerate() {
            let mut m = Keyed::new();
            for (j, v) in vs.iter().enumerate() {
                m.insert(*v, self.counts[k].get(j).copied().unwrap_or(0));
            }
            counts.insert(*key, m);
        }
        let value_at_risk = ValueAtRisk { customers: self.at_risk, revenue12m: r2(self.revenue.value()), clv: self.clv.as_ref().map(|c| r2(c.value())) };
        Portfolio { counts, value_at_risk, daily }
    }
}
