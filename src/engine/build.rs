//! Building an engine: reading the records with their options, fitting the buying model, and
//! scoring every customer.

use super::{lists, Engine, Entry, Models, TREND_DAYS};
use crate::analyze::Options;
use crate::error::Error;
use crate::input::load::{Loader, Mode};
use crate::input::records::Table;
use crate::input::store::Store;
use crate::models;
use crate::policy::Policy;
use crate::score::value::{self, Ranking, RfmScales};
use crate::time::DAY_MS;
use serde_json::Value as Json;
use std::cell::RefCell;
use std::rc::Rc;

/// The caller's policy, read before the records (plain dates are read in its timezone).
fn caller_policy(options: &Json) -> Result<Option<Policy>, Error> {
    match options.get("policy").filter(|p| !p.is_null()) {
        Some(p) if options.is_object() => Policy::from_json(p, "options.policy").map(Some),
        _ => Ok(None),
    }
}

/// Read an export (JSON) and resolve its options.
pub fn read_json(bytes: &[u8], options: &Json, fallback_as_of: Option<&str>) -> Result<(Store, Options), Error> {
    let given = caller_policy(options)?;
    let offset = given.as_ref().map_or(0, |p| p.offset_secs);
    let mut store = Store::default();
    let mut loader = Loader::new(&mut store, offset, Mode::Load);
    loader.follow_envelope = given.is_none();
    let env = crate::input::json::read_export(bytes, &mut loader)?;
    let used = loader.offset();
    loader.finish()?;
    let opts = Options::resolve(options, env.as_of.as_ref(), env.policy.as_ref(), fallback_as_of)?;
    if opts.policy.offset_secs != used {
        // The envelope's policy came after the rows and sets another timezone: read again.
        let mut again = Store::default();
        let mut loader = Loader::new(&mut again, opts.policy.offset_secs, Mode::Load);
        crate::input::json::read_export(bytes, &mut loader)?;
        loader.finish()?;
        again.present = env.present;
        return Ok((again, opts));
    }
    store.present = env.present;
    Ok((store, opts))
}

/// Read an export (JSON) with options already resolved (plain dates in their policy's timezone;
/// an envelope's own options are ignored).
pub fn read_json_with(bytes: &[u8], options: &Options) -> Result<(Store, ()), Error> {
    let mut store = Store::default();
    let mut loader = Loader::new(&mut store, options.policy.offset_secs, Mode::Load);
    let env = crate::input::json::read_export(bytes, &mut loader)?;
    loader.finish()?;
    store.present = env.present;
    Ok((store, ()))
}

/// Read one CSV file per table and resolve the options.
pub fn read_csv(tables: &[(Table, &[u8])], options: &Json, fallback_as_of: Option<&str>) -> Result<(Store, Options), Error> {
    let opts = Options::resolve(options, None, None, fallback_as_of)?;
    let mut store = Store::default();
    let present;
    {
        let mut loader = Loader::new(&mut store, opts.policy.offset_secs, Mode::Load);
        let mut seen = [false; 8];
        // Customers first, so that the other tables' rows need not wait for them.
        let mut ordered: Vec<&(Table, &[u8])> = tables.iter().collect();
        crate::sort::sort_by(&mut ordered, |a, b| (a.0 != Table::Customers).cmp(&(b.0 != Table::Customers)));
        for (t, bytes) in ordered {
            if seen[*t as usize] {
                return Err(Error::input(format!("csv.{}", t.as_str()), "given twice"));
            }
            seen[*t as usize] = true;
            crate::input::csv::read_table(*t, bytes, &format!("csv.{}", t.as_str()), &mut loader)?;
        }
        if !seen[0] {
            return Err(Error::input("csv.customers", "is required (a CSV file of customers)"));
        }
        present = seen;
        loader.finish()?;
    }
    store.present = present;
    Ok((store, opts))
}

/// Fit (or take) the models on the summaries at `asOf`.
pub fn fit(summaries: &[Option<crate::btyd::Summary>], options: &Options) -> Models {
    let (report, fitted) = models::portfolio_models(summaries, options.models.as_ref());
    let fitted_at = (report.source == "fitted").then_some(options.as_of);
    Models { report, fitted, fitted_at, updates_since_fit: 0 }
}

/// Score a whole portfolio.
pub fn engine(store: Rc<Store>, options: Options) -> Engine {
    engine_with(store, options, None)
}

/// Score a portfolio, or one bucket of it with the tenant's figures `given`.
pub fn engine_with(store: Rc<Store>, options: Options, given: Option<&crate::split::Given>) -> Engine {
    let cal = options.policy.calendar();
    let n = store.slots();
    let as_of = options.as_of;
    let then = as_of - TREND_DAYS * DAY_MS;
    let mut e = Engine {
        store,
        cal,
        then,
        models: Models { report: models::portfolio_models(&[], None).0, fitted: None, fitted_at: None, updates_since_fit: 0 },
        now_rank: Ranking::default(),
        then_rank: Ranking::default(),
        scales: RfmScales::default(),
        given_rfm: None,
        entries: vec![Entry::dead(); n],
        links: Vec::new(),
        order: Vec::new(),
        updates: 0,
        cache: RefCell::new(lists::Cache::default()),
        cuts: RefCell::new(Vec::new()),
        drivers: RefCell::new(None),
        options,
    };
    // Own figures at both instants, and the summaries the model is fitted on.
    let mut summaries = vec![None; n];
    let mut owns = vec![(value::Own::default(), value::Own::default()); n];
    {
        let (now, past) = (e.ctx(as_of), e.ctx(then));
        for c in 0..n {
            if !e.store.data.customers[c].alive {
                continue;
            }
            let v = now.view(c);
            owns[c] = (value::own(&v), value::own(&past.view(c)));
            summaries[c] = models::customer_summary(&v, e.options.policy.offset_secs);
        }
    }
    for (c, (own, own_then)) in owns.into_iter().enumerate() {
        e.entries[c].alive = e.store.data.customers[c].alive;
        e.entries[c].own = own;
        e.entries[c].own_then = own_then;
    }
    match given {
        None => {
            e.models = fit(&summaries, &e.options);
            e.rank();
            e.scales = RfmScales::build(e.entries.iter().filter(|x| x.alive).filter_map(|x| value::rfm_key(&x.own, as_of)));
        }
        Some(g) => e.take_given(g),
    }
    drop(summaries);
    // The tiers of the state changes' past instants, in one batch.
    e.cuts_for(&super::changes::instants(as_of));
    for c in 0..n {
        e.rescore(c);
    }
    e.link();
    // Word of mouth: customers linked to unhappy or high-risk ones are assessed again.
    let exposed: Vec<usize> = (0..n).filter(|c| e.exposure_count(*c) > 0).collect();
    for c in exposed {
        e.rescore(c);
    }
    e.sort_order();
    e
}

impl Engine {
    /// Take the tenant's figures: its models, the customers' tiers and RFM scores, the tiers of
    /// the state changes' instants.
    fn take_given(&mut self, g: &crate::split::Given) {
        let s = &g.stats;
        let (_, fitted) = models::portfolio_models(&[], Some(&s.given));
        self.models = Models { report: s.models.clone(), fitted, fitted_at: s.fitted_at, updates_since_fit: 0 };
        let d = &self.store.data;
        let n = self.entries.len();
        let places: Vec<Option<&crate::split::Placement>> =
            (0..n).map(|c| if self.entries[c].alive { g.place(d.customer_id(c)) } else { None }).collect();
        let none = (value::Tier::C, None);
        self.now_rank = Ranking { order: Vec::new(), sum: s.sum_now, place: places.iter().map(|p| p.map_or(none, |p| p.now)).collect() };
        self.then_rank = Ranking { order: Vec::new(), sum: s.sum_then, place: places.iter().map(|p| p.map_or(none, |p| p.then)).collect() };
        self.given_rfm = Some(places.iter().map(|p| p.and_then(|p| p.rfm)).collect());
        self.cuts.borrow_mut().extend(s.cuts.iter().map(|(t, c)| (*t, Rc::new(c.clone()))));
    }

    /// Rank the customers by revenue at both instants.
    pub(super) fn rank(&mut self) {
        let d = &self.store.data;
        let id = |s: u32| d.customer_id(s as usize);
        let now: Vec<f64> = self.entries.iter().map(|x| if x.alive { x.own.revenue12m } else { 0.0 }).collect();
        let then: Vec<f64> = self.entries.iter().map(|x| if x.alive { x.own_then.revenue12m } else { 0.0 }).collect();
        self.now_rank = Ranking::build(&now, &id, &self.options.policy);
        self.then_rank = Ranking::build(&then, &id, &self.options.policy);
    }

    /// Referral links, both ways.
    pub(super) fn link(&mut self) {
        let n = self.store.slots();
        let mut links: Vec<Vec<u32>> = vec![Vec::new(); n];
        for c in 0..n {
            if let Some(r) = self.referrer(c) {
                links[c].push(r as u32);
                links[r].push(c as u32);
            }
        }
        self.links = links;
    }

    /// The customer that `c` names in `referredBy`, when it exists.
    pub(super) fn referrer(&self, c: usize) -> Option<usize> {
        let d = &self.store.data;
        let cust = d.customers.get(c).filter(|x| x.alive)?;
        match cust.referral {
            crate::input::records::Referral::Id(r) => {
                let rid = d.s(r);
                self.store.customer(rid).map(|s| s as usize).filter(|s| *s != c)
            }
            _ => None,
        }
    }

    /// The worklist order: customers with actions by priority descending, then id.
    pub(super) fn sort_order(&mut self) {
        let d = &self.store.data;
        let mut order: Vec<u32> =
            (0..self.entries.len() as u32).filter(|c| self.entries[*c as usize].alive && !self.entries[*c as usize].actions.is_empty()).collect();
        let en = &self.entries;
        // Priority descending (−0 and 0 equal, as the lists compare them), then id.
        crate::sort::by_key_then(&mut order, &|c| !super::sorts::num(en[c as usize].priority), &|a, b| {
            d.customer_id(a as usize).cmp(d.customer_id(b as usize))
        });
        self.order = order;
        self.cache.borrow_mut().clear();
    }
}
