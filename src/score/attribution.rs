//! Why a health score moved between two instants: the change split into the four components'
//! contributions (which add up to it), and each contribution into the rows behind it.
//!
//! | component | causes |
//! |---|---|
//! | satisfaction | each survey answer that arrived (or left the 12-month window), by its step in the index when the answers are applied one at a time in time order; each complaint opened, resolved or out of the window, by its change of the deduction |
//! | buying | the status change (the orders of the span, else the last order), then the P(alive) change at the new status |
//! | attention, service | each flag that opened, grew more overdue, closed or was snoozed, by its change of the penalty |
//!
//! The raw amounts are in component points before the caps and clamps; they are scaled to the
//! component's actual change and weighted, so that the causes of a component add up to its
//! contribution (the rounding residue goes to the largest). A component keeps at most
//! [`MAX_CAUSES`] causes; the rest are summed into one "and N more" cause.

use super::buying::Buying;
use super::health::{flag_penalty_cents, is_service, serde_plain, status_score, HealthCore};
use super::neglect::{self, FlagCore};
use super::satisfaction::normalise;
use super::view::{Ctx, View};
use super::r2;
use crate::input::records::{FeedbackKind, Slot, Table};
use crate::num::Num;
use crate::time::DAY_MS;
use serde::Serialize;

/// Causes kept per component.
pub const MAX_CAUSES: usize = 8;

/// The components, in order.
pub const COMPONENTS: [&str; 4] = ["satisfaction", "buying", "attention", "service"];

/// The four contributions to a change of the score.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[allow(missing_docs)]
pub struct Contributions {
    pub satisfaction: f64,
    pub buying: f64,
    pub attention: f64,
    pub service: f64,
}

/// The row a cause is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseEvidence {
    /// Its table.
    pub table: Table,
    /// Its id.
    pub id: String,
}

/// One row behind a contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    /// `satisfaction`, `buying`, `attention` or `service`.
    pub component: &'static str,
    /// Its share of the score's change, in points.
    pub delta: f64,
    /// The row (null for a gap with no row: no outreach, no feedback, answers aged together).
    pub evidence: Option<CauseEvidence>,
    /// "−12 attention: Keep the promise … — due Tue 10 Nov, 3 business days overdue".
    pub message: String,
}

/// A change of health with its attribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The score's change.
    pub delta: f64,
    /// Per component.
    pub components: Contributions,
    /// The rows behind them, by component then size.
    pub causes: Vec<Cause>,
}

/// One side of a change: the instant's context, the customer's rows then and its scores.
pub struct Side<'a> {
    /// The instant.
    pub cx: &'a Ctx<'a>,
    /// The customer's rows known then.
    pub view: View<'a>,
    /// Health then.
    pub health: &'a HealthCore,
    /// Buying then.
    pub buying: &'a Buying,
    /// Open flags then.
    pub flags: &'a [FlagCore],
}

/// A raw cause: amount in component points, evidence, text.
struct Raw {
    amount: f64,
    evidence: Option<(Table, Slot)>,
    text: String,
}

/// Attribute the change of health from `a` to `b` (`b` the later).
pub fn attribute(a: &Side, b: &Side) -> Attribution {
    // `+ 0.0`: a change of nothing is 0, not −0.
    let delta = r2(b.health.score - a.health.score) + 0.0;
    let w = b.health.weights;
    let exact: [f64; 4] = [0, 1, 2, 3].map(|k| w[k] * b.health.parts[k] - a.health.weights[k] * a.health.parts[k]);
    let mut rounded = exact.map(|x| r2(x) + 0.0);
    let biggest = (0..4).fold(0, |m, k| if exact[k].abs() > exact[m].abs() { k } else { m });
    rounded[biggest] = r2(rounded[biggest] + delta - rounded.iter().sum::<f64>()) + 0.0;
    let raws = [satisfaction(a, b), buying(a, b), flags(a, b, false), flags(a, b, true)];
    let mut causes = Vec::new();
    for (k, raw) in raws.into_iter().enumerate() {
        let part = b.health.parts[k] - a.health.parts[k];
        causes.extend(scale(k, raw, part, rounded[k], b.cx));
    }
    let components = Contributions { satisfaction: rounded[0], buying: rounded[1], attention: rounded[2], service: rounded[3] };
    Attribution { delta, components, causes }
}

/// Scale a component's raw causes to its contribution `total`, keep the largest.
fn scale(k: usize, mut raw: Vec<Raw>, part: f64, total: f64, cx: &Ctx) -> Vec<Cause> {
    let sum: f64 = raw.iter().map(|r| r.amount).sum();
    if total == 0.0 {
        return Vec::new();
    }
    if sum.abs() < 1e-9 || part == 0.0 {
        raw = vec![Raw { amount: part, evidence: None, text: "other changes".into() }];
    }
    let sum: f64 = raw.iter().map(|r| r.amount).sum();
    let factor = if sum.abs() < 1e-9 { 0.0 } else { total / sum };
    // Largest first; ties by text, then by the row's id: an order of the content, not of slots.
    let d = cx.data();
    let id = |r: &Raw| r.evidence.and_then(|(t, s)| d.row_id(t, s)).unwrap_or("");
    crate::sort::sort_by(&mut raw, |x, y| {
        y.amount.abs().partial_cmp(&x.amount.abs()).unwrap_or(std::cmp::Ordering::Equal).then_with(|| x.text.cmp(&y.text)).then_with(|| id(x).cmp(id(y)))
    });
    if raw.len() > MAX_CAUSES {
        let rest: Vec<Raw> = raw.split_off(MAX_CAUSES - 1);
        let amount = rest.iter().map(|r| r.amount).sum();
        raw.push(Raw { amount, evidence: None, text: format!("and {} more", rest.len()) });
    }
    let mut out: Vec<(f64, Raw)> = raw.into_iter().map(|r| (r2(r.amount * factor) + 0.0, r)).collect();
    let residue = r2(total - out.iter().map(|x| x.0).sum::<f64>());
    if let Some(first) = out.first_mut() {
        first.0 = r2(first.0 + residue) + 0.0;
    }
    out.into_iter()
        .filter(|x| x.0 != 0.0)
        .map(|(delta, r)| Cause {
            component: COMPONENTS[k],
            delta,
            evidence: r.evidence.map(|(table, slot)| CauseEvidence { table, id: d.row_id(table, slot).unwrap_or("").to_owned() }),
            message: format!("{} {}: {}", signed(delta), COMPONENTS[k], r.text),
        })
        .collect()
}

/// `+3.5`, `−12` (a true minus sign).
pub fn signed(x: f64) -> String {
    if x < 0.0 {
        format!("−{}", Num(-x))
    } else {
        format!("+{}", Num(x))
    }
}

fn survey_name(k: FeedbackKind) -> &'static str {
    match k {
        FeedbackKind::Nps => "NPS",
        FeedbackKind::Csat => "CSAT",
        FeedbackKind::Ces => "CES",
    }
}

/// The satisfaction index kept as the answers come and go (as `satisfaction::compute` has it).
#[derive(Clone, Copy, Default)]
struct Index {
    sum: [f64; 3],
    n: [u32; 3],
    latest: [Option<u8>; 3],
}

impl Index {
    fn value(&self) -> f64 {
        let kinds = [FeedbackKind::Nps, FeedbackKind::Csat, FeedbackKind::Ces];
        let (mut s, mut n) = (0.0, 0u32);
        for k in kinds {
            let i = k as usize;
            if self.n[i] > 0 {
                s += normalise(k, self.sum[i] / f64::from(self.n[i]));
                n += 1;
            }
        }
        if n == 0 {
            for k in kinds {
                if let Some(x) = self.latest[k as usize] {
                    s += normalise(k, f64::from(x));
                    n += 1;
                }
            }
        }
        if n == 0 {
            60.0
        } else {
            s / f64::from(n)
        }
    }
}

fn satisfaction(a: &Side, b: &Side) -> Vec<Raw> {
    let d = a.cx.data();
    let mut out = Vec::new();
    // Answers: those of `a`'s window, then the ones that left, then the ones that came.
    let (wa, wb) = (a.view.as_of - 365 * DAY_MS, b.view.as_of - 365 * DAY_MS);
    let mut ix = Index::default();
    for &i in a.view.feedback {
        let f = &d.feedback[i as usize];
        ix.latest[f.kind as usize] = Some(f.score);
        if f.at > wa {
            ix.sum[f.kind as usize] += f64::from(f.score);
            ix.n[f.kind as usize] += 1;
        }
    }
    for &i in a.view.feedback.iter().filter(|i| (wa + 1..=wb).contains(&d.feedback[**i as usize].at)) {
        let f = &d.feedback[i as usize];
        let before = ix.value();
        ix.sum[f.kind as usize] -= f64::from(f.score);
        ix.n[f.kind as usize] -= 1;
        let text = format!("{} {} of {} left the 12-month window", survey_name(f.kind), f.score, a.cx.day(f.at));
        out.push(Raw { amount: ix.value() - before, evidence: Some((Table::Feedback, i)), text });
    }
    for &i in &b.view.feedback[a.view.feedback.len().min(b.view.feedback.len())..] {
        let f = &d.feedback[i as usize];
        let before = ix.value();
        ix.latest[f.kind as usize] = Some(f.score);
        if f.at > wb {
            ix.sum[f.kind as usize] += f64::from(f.score);
            ix.n[f.kind as usize] += 1;
        }
        let text = format!("{} {} on {}", survey_name(f.kind), f.score, b.cx.day(f.at));
        out.push(Raw { amount: ix.value() - before, evidence: Some((Table::Feedback, i)), text });
    }
    // Complaints: each one's share of the deduction at both instants.
    let weight = |v: &View, i: Slot, window: i64| {
        let x = &d.complaints[i as usize];
        if x.opened_at > v.as_of {
            return 0.0;
        }
        let w = super::satisfaction::severity_weight(x.severity);
        let open = if v.known(x.resolved_at).is_none() { 4.0 * w } else { 0.0 };
        open + if x.opened_at > window { w } else { 0.0 }
    };
    for &i in b.view.complaints {
        let x = &d.complaints[i as usize];
        let (before, after) = (weight(&a.view, i, wa), weight(&b.view, i, wb));
        if before == after {
            continue;
        }
        let cat = x.category.map_or(String::new(), |c| format!(", {}", c.as_str()));
        let text = if x.opened_at > a.view.as_of {
            format!("complaint opened {} ({}{cat})", b.cx.day(x.opened_at), x.severity.as_str())
        } else if after < before && b.view.known(x.resolved_at).is_some() && a.view.known(x.resolved_at).is_none() {
            format!("complaint resolved {}", b.cx.day(x.resolved_at.unwrap_or(b.view.as_of)))
        } else {
            format!("complaint of {} left the 12-month window", a.cx.day(x.opened_at))
        };
        out.push(Raw { amount: before - after, evidence: Some((Table::Complaints, i)), text });
    }
    out
}

fn buying_part(status_score: f64, p: Option<f64>) -> f64 {
    let v = match p {
        Some(p) => (status_score + 100.0 * p) / 2.0,
        None => status_score,
    };
    crate::num::clamp(v, 0.0, 100.0)
}

fn buying(a: &Side, b: &Side) -> Vec<Raw> {
    let d = a.cx.data();
    let (x, y) = (a.buying, b.buying);
    let (sa, sb) = (status_score(x.status), status_score(y.status));
    let mid = buying_part(sb, x.p_alive);
    let status = mid - buying_part(sa, x.p_alive);
    let p = buying_part(sb, y.p_alive) - mid;
    // The orders of the span, else the last one.
    let new = &b.view.orders[a.view.orders.len().min(b.view.orders.len())..];
    let last = b.view.orders.last().copied();
    let cx = b.cx;
    let named = |s: &[Slot]| s.iter().rev().take(3).rev().map(|o| d.row_id(Table::Orders, *o).unwrap_or("")).collect::<Vec<_>>().join(", ");
    let since = || last.map_or("no order yet".to_owned(), |o| format!("no order since {}", cx.day(d.orders[o as usize].at)));
    let evidence = new.last().or(last.as_ref()).map(|o| (Table::Orders, *o));
    let mut out = Vec::new();
    if status != 0.0 {
        let text = if new.is_empty() {
            format!("{} → {}, {}", serde_plain(x.status), serde_plain(y.status), since())
        } else {
            format!("{} → {} (orders {})", serde_plain(x.status), serde_plain(y.status), named(new))
        };
        out.push(Raw { amount: status, evidence, text });
    }
    if p != 0.0 {
        let (pa, pb) = (x.p_alive.unwrap_or(0.0), y.p_alive.unwrap_or(0.0));
        let text = if new.is_empty() {
            format!("P(alive) {} → {}, {}", Num(r2(pa)), Num(r2(pb)), since())
        } else {
            format!("P(alive) {} → {} after orders {}", Num(r2(pa)), Num(r2(pb)), named(new))
        };
        out.push(Raw { amount: p, evidence, text });
    }
    out
}

fn flags(a: &Side, b: &Side, service: bool) -> Vec<Raw> {
    type Key = (u8, Option<Slot>);
    let key = |f: &FlagCore| -> Key { (f.kind as u8, f.evidence.map(|e| e.1)) };
    let pen = |f: &FlagCore| if f.snoozed() { 0 } else { flag_penalty_cents(f) };
    // Each side's flags of this component by key, for lookups without a quadratic scan.
    let keyed = |fl: &[FlagCore]| {
        let mut v: Vec<(Key, usize)> = fl.iter().enumerate().filter(|(_, f)| is_service(f.kind) == service).map(|(i, f)| (key(f), i)).collect();
        crate::sort::sort_by(&mut v, |x, y| x.0.cmp(&y.0));
        v
    };
    let (ka, kb) = (keyed(a.flags), keyed(b.flags));
    let find = |v: &[(Key, usize)], k: Key| v.binary_search_by(|x| x.0.cmp(&k)).ok().map(|p| v[p].1);
    let mut out = Vec::new();
    for &(k, i) in &kb {
        let f = &b.flags[i];
        let before = find(&ka, k).map(|j| &a.flags[j]);
        let (p0, p1) = (before.map_or(0, pen), pen(f));
        if p0 == p1 {
            continue;
        }
        let message = neglect::describe(f, b.cx).message;
        let text = match before {
            None => message,
            Some(_) if f.snoozed() => format!("snoozed: {message}"),
            Some(_) => format!("still open: {message}"),
        };
        out.push(Raw { amount: (p0 - p1) as f64 / 100.0, evidence: f.evidence, text });
    }
    for &(k, i) in &ka {
        let f = &a.flags[i];
        if find(&kb, k).is_some() || pen(f) == 0 {
            continue;
        }
        let text = format!("closed: {}", neglect::describe(f, a.cx).message);
        out.push(Raw { amount: pen(f) as f64 / 100.0, evidence: f.evidence, text });
    }
    out
}
