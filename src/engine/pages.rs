//! Pages of the worklist, of the customers list, of the flags and of the rejected rows, filtered
//! and sorted in the engine: a list of 100,000 customers is paged without building 100,000
//! reports. The matching positions of the last query of each kind are kept until the next
//! update, so paging through one result costs only the page.

use super::fold::{contains_ci, fold};
use super::query::{band_name, name, stage_name, Query, CUSTOMER_SORTS, MAX_LIMIT, WORKLIST_SORTS};
use super::{sorts, Engine};
use crate::error::Error;
use crate::input::store::Rejection;
use crate::portfolio::WorkItem;
use crate::score::health::Band;
use crate::score::r2;
use crate::score::risk::Level;
use crate::score::stage::Stage;
use crate::score::value::Tier;
use crate::time::DAY_MS;
use serde::Serialize;
use std::cmp::Ordering;

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    /// Items matching the query, over all pages.
    pub total: usize,
    /// This page's items.
    pub items: Vec<T>,
}

/// A page of the rejected rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectedPage {
    /// Rows listed, over all pages (at most 1,000).
    pub total: usize,
    /// This page's rows.
    pub items: Vec<Rejection>,
    /// Rejected rows not listed (past the first 1,000), counted in the summary's
    /// `rejectedByCode`.
    pub omitted: usize,
}

/// One customer as a compact row of the customers list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its account owner.
    pub owner: Option<String>,
    /// Value tier.
    pub tier: Tier,
    /// Relationship stage.
    pub stage: Stage,
    /// Health score.
    pub health: f64,
    /// Health band.
    pub band: Band,
    /// 30-day health trend.
    pub trend: Option<f64>,
    /// Risk level.
    pub risk: Level,
    /// Risk score.
    pub risk_score: f64,
    /// Open, not snoozed flags.
    pub open_flags: usize,
    /// Open actions.
    pub actions: usize,
    /// Trailing-12-month revenue.
    pub revenue12m: f64,
    /// The worklist rank key.
    pub priority: f64,
    /// The predicted lapse date (`buying.lapseAt`), with a model.
    pub lapse_at: Option<crate::time::Stamp>,
}

/// A neglect flag with its customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlagItem {
    /// The customer's id.
    pub customer_id: String,
    /// Its name.
    pub customer_name: Option<String>,
    /// The flag, as in the customer's report.
    #[serde(flatten)]
    pub flag: crate::score::neglect::Flag,
}

fn cmp_f(a: f64, b: f64) -> Ordering {
    a.partial_cmp(&b).unwrap_or(Ordering::Equal)
}

impl Engine {
    fn search_hit(&self, c: usize, needle: &str) -> bool {
        let d = &self.store.data;
        let cust = &d.customers[c];
        contains_ci(d.s(cust.id), needle) || d.opt(cust.name).is_some_and(|n| contains_ci(n, needle))
    }

    fn customer_matches(&self, c: usize, q: &Query, owner: &Option<Option<crate::input::strings::Own>>) -> bool {
        let e = &self.entries[c];
        let d = &self.store.data;
        if let Some(o) = owner {
            if d.customers[c].owner != *o {
                return false;
            }
        }
        let tier = self.now_rank.tier(c);
        q.tier.as_ref().is_none_or(|f| f.accepts(name(tier)))
            && q.band.as_ref().is_none_or(|f| f.accepts(band_name(e.band)))
            && q.risk.as_ref().is_none_or(|f| f.accepts(crate::score::actions::level_name(e.risk.level)))
            && q.stage.as_ref().is_none_or(|f| f.accepts(stage_name(e.stage)))
            && q.search.as_ref().is_none_or(|s| self.search_hit(c, &fold(s)))
            && q.lapse_within.is_none_or(|n| e.lapse_at.is_some_and(|t| (t - self.as_of()) as f64 <= n as f64 * DAY_MS as f64))
    }

    /// The owner a filter names: `None` no filter, `Some(None)` without an owner; a name nobody
    /// has matches nothing (`Some(Some(u32::MAX))`).
    fn owner_filter(&self, q: &Query) -> Option<Option<crate::input::strings::Own>> {
        let o = q.owner.as_ref()?;
        if o.is_empty() {
            return Some(None);
        }
        Some(Some(self.store.data.owners.find(o).unwrap_or(crate::input::strings::Own(u32::MAX))))
    }

    /// The compact row of customer slot `c`.
    pub fn customer_row(&self, c: usize) -> CustomerRow {
        let e = &self.entries[c];
        let d = &self.store.data;
        let cust = &d.customers[c];
        CustomerRow {
            id: d.s(cust.id).to_owned(),
            name: d.opt(cust.name).map(str::to_owned),
            owner: d.owner(cust.owner).map(str::to_owned),
            tier: self.now_rank.tier(c),
            stage: e.stage,
            health: e.health,
            band: e.band,
            trend: e.trend,
            risk: e.risk.level,
            risk_score: e.risk.score,
            open_flags: e.open_flags(),
            actions: e.actions.len(),
            revenue12m: r2(e.own.revenue12m),
            priority: e.priority,
            lapse_at: e.lapse_at.map(|t| crate::time::Stamp::new(t, self.options.policy.offset_secs)),
        }
    }

    /// A page of the customers list.
    pub fn customers(&self, q: &Query) -> Result<Page<CustomerRow>, Error> {
        if q.kind.is_some() {
            return Err(Error::option("query.kind", "filters the worklist and the flags, not the customers list"));
        }
        let sort = q.sort_spec(CUSTOMER_SORTS, "query")?;
        let key = q.key();
        let cached = self.cache.borrow_mut().customers.get(&key);
        let list = match cached {
            Some(v) => v,
            None => {
                let owner = self.owner_filter(q);
                let mut v: Vec<u32> = self.by_id().into_iter().filter(|c| self.customer_matches(*c as usize, q, &owner)).collect();
                self.sort_customers(&mut v, sort);
                let v = std::rc::Rc::new(v);
                self.cache.borrow_mut().customers.put(key, v.clone());
                v
            }
        };
        let items = list.iter().skip(q.offset).take(q.limit()).map(|c| self.customer_row(*c as usize)).collect();
        Ok(Page { total: list.len(), items })
    }

    fn sort_customers(&self, v: &mut [u32], sort: Option<(String, Option<bool>)>) {
        let (field, dir) = sort.unwrap_or(("priority".into(), None));
        let d = &self.store.data;
        let en = &self.entries;
        let desc_default = matches!(field.as_str(), "priority" | "riskScore" | "openFlags" | "actions" | "revenue12m" | "risk");
        let desc = dir.unwrap_or(desc_default);
        // `v` is in id order, and equal keys keep their order: ids ascending among equals.
        if field == "id" {
            if desc {
                v.reverse();
            }
            return;
        }
        let names = (field == "name").then(|| self.name_ranks());
        let owners = if field == "owner" { self.owner_ranks() } else { Vec::new() };
        let key = |c: &u32| -> u64 {
            let c = *c as usize;
            let e = &en[c];
            match field.as_str() {
                "name" => names.as_ref().map_or(0, |r| u64::from(r[c])),
                "owner" => sorts::owner_key(&owners, d.customers[c].owner),
                "tier" => self.now_rank.tier(c) as u64,
                "stage" => e.stage as u64,
                "health" => sorts::num(e.health),
                "band" => e.band as u64,
                "trend" => sorts::num(e.trend.unwrap_or(0.0)),
                "risk" | "riskScore" => sorts::num(e.risk.score),
                "openFlags" => e.open_flags() as u64,
                "actions" => e.actions.len() as u64,
                "revenue12m" => sorts::num(e.own.revenue12m),
                _ => sorts::num(e.priority),
            }
        };
        sorts::sort_by_key(v, desc, &key);
    }

    /// A page of the worklist.
    pub fn worklist(&self, q: &Query) -> Result<Page<WorkItem>, Error> {
        let sort = q.sort_spec(WORKLIST_SORTS, "query")?;
        let key = q.key();
        let cached = self.cache.borrow_mut().worklist.get(&key);
        let list = match cached {
            Some(v) => v,
            None => {
                let v = std::rc::Rc::new(self.worklist_positions(q, sort));
                self.cache.borrow_mut().worklist.put(key, v.clone());
                v
            }
        };
        let cx = self.ctx(self.options.as_of);
        let items = list.iter().skip(q.offset).take(q.limit()).map(|(c, k)| self.work_item(&cx, *c as usize, *k as usize)).collect();
        Ok(Page { total: list.len(), items })
    }

    fn worklist_positions(&self, q: &Query, sort: Option<(String, Option<bool>)>) -> Vec<(u32, u16)> {
        let owner = self.owner_filter(q);
        let customer_q = Query { owner: None, ..q.clone() };
        let mut v: Vec<(u32, u16)> = Vec::new();
        for &c in &self.order {
            if !self.customer_matches(c as usize, &customer_q, &None) {
                continue;
            }
            for (k, a) in self.entries[c as usize].actions.iter().enumerate() {
                if owner.is_some_and(|o| a.owner != o) {
                    continue;
                }
                if q.kind.as_ref().is_some_and(|f| !f.accepts(a.kind())) {
                    continue;
                }
                v.push((c, k as u16));
            }
        }
        if let Some((field, dir)) = sort {
            let act = |p: &(u32, u16)| &self.entries[p.0 as usize].actions[p.1 as usize];
            let en = |p: &(u32, u16)| &self.entries[p.0 as usize];
            let desc = dir.unwrap_or(matches!(field.as_str(), "priority" | "overdue" | "uplift" | "severity" | "risk"));
            // Equal keys keep the worklist's own order.
            if field == "priority" && dir != Some(false) {
                return v;
            }
            let names = (field == "customer").then(|| self.name_ranks());
            let owners = if field == "owner" { self.owner_ranks() } else { Vec::new() };
            let key = |p: &(u32, u16)| -> u64 {
                let a = act(p);
                match field.as_str() {
                    "overdue" => sorts::num(a.overdue().unwrap_or(-1.0)),
                    "uplift" => sorts::num(a.uplift),
                    "severity" => a.severity as u64,
                    "customer" => names.as_ref().map_or(0, |r| u64::from(r[p.0 as usize])),
                    "kind" => crate::score::actions::kind_rank(a.kind()),
                    "owner" => sorts::owner_key(&owners, a.owner),
                    "tier" => self.now_rank.tier(p.0 as usize) as u64,
                    "health" => sorts::num(en(p).health),
                    "risk" => sorts::num(en(p).risk.score),
                    _ => sorts::num(en(p).priority),
                }
            };
            sorts::sort_by_key(&mut v, desc, &key);
        }
        v
    }

    pub(super) fn work_item(&self, cx: &crate::score::view::Ctx, c: usize, k: usize) -> WorkItem {
        let e = &self.entries[c];
        let d = &self.store.data;
        let cust = &d.customers[c];
        let x = crate::score::actions::describe(&e.actions[k], cx);
        WorkItem {
            customer_id: d.s(cust.id).to_owned(),
            customer_name: d.opt(cust.name).map(str::to_owned),
            owner: x.owner,
            kind: x.kind,
            message: x.message,
            evidence: x.evidence,
            uplift: x.uplift,
            priority: e.priority,
            severity: x.severity,
            overdue: x.overdue,
            tier: self.now_rank.tier(c),
            health: e.health,
            band: e.band,
            risk: e.risk.level,
        }
    }

    /// A page of the neglect flags (snoozed ones included), by owner — named owners
    /// alphabetically, the unassigned last — then most overdue first, then customer id and
    /// kind. `owner` and `kind` filter as on the worklist; the other filters apply to the
    /// customer.
    pub fn flags(&self, q: &Query) -> Result<Page<FlagItem>, Error> {
        if q.sort.is_some() {
            return Err(Error::option("query.sort", "flags come in one order (owner, then most overdue)"));
        }
        let owner = self.owner_filter(q);
        let customer_q = Query { owner: None, ..q.clone() };
        let d = &self.store.data;
        let mut v: Vec<(u32, u16)> = Vec::new();
        for c in self.by_id() {
            if !self.customer_matches(c as usize, &customer_q, &None) {
                continue;
            }
            for (k, f) in self.entries[c as usize].flags.iter().enumerate() {
                if owner.is_some_and(|o| f.owner != o) || q.kind.as_ref().is_some_and(|x| !x.accepts(f.kind.as_str())) {
                    continue;
                }
                v.push((c, k as u16));
            }
        }
        let flag = |p: &(u32, u16)| &self.entries[p.0 as usize].flags[p.1 as usize];
        crate::sort::sort_by(&mut v, |a, b| {
            let (x, y) = (flag(a), flag(b));
            let (ox, oy) = (d.owner(x.owner), d.owner(y.owner));
            let owners = match (ox, oy) {
                (None, None) => Ordering::Equal,
                (None, _) => Ordering::Greater,
                (_, None) => Ordering::Less,
                (Some(p), Some(q)) => p.cmp(q),
            };
            owners.then(cmp_f(y.overdue, x.overdue)).then_with(|| d.customer_id(a.0 as usize).cmp(d.customer_id(b.0 as usize))).then(x.kind.cmp(&y.kind))
        });
        let cx = self.ctx(self.options.as_of);
        let items = v
            .iter()
            .skip(q.offset)
            .take(q.limit())
            .map(|p| {
                let cust = &d.customers[p.0 as usize];
                FlagItem {
                    customer_id: d.s(cust.id).to_owned(),
                    customer_name: d.opt(cust.name).map(str::to_owned),
                    flag: crate::score::neglect::describe(flag(p), &cx),
                }
            })
            .collect();
        Ok(Page { total: v.len(), items })
    }

    /// A page of the warnings: kept rows with one field ignored (a `referredBy` that names no
    /// customer, the customer itself, or is not an id).
    pub fn warnings_page(&self, offset: usize, limit: usize) -> Page<Rejection> {
        let w = self.warnings();
        Page { total: w.len(), items: w.into_iter().skip(offset).take(limit.min(MAX_LIMIT)).collect() }
    }

    /// A page of the rejected rows listed (the first 1,000: the load's, then each update's);
    /// `omitted` counts the others (`summary().input.rejectedByCode` counts them all).
    pub fn rejected(&self, offset: usize, limit: usize) -> RejectedPage {
        let r = &self.store.rejected;
        let items = r.iter().skip(offset).take(limit.min(MAX_LIMIT)).cloned().collect();
        RejectedPage { total: r.len(), items, omitted: self.store.rejected_total() - r.len() }
    }
}
