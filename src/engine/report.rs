//! The whole report of an engine: every customer in words, the worklist, the owners' cards,
//! the portfolio figures, the models and what happened to the input — what `analyze()`
//! returns.

use super::Engine;
use crate::input::records::{Referral, Table};
use crate::input::store::Rejection;
use crate::portfolio::{self, Facts, WorkItem};
use crate::report::{CustomerReport, InputReport, Report};
use crate::error::{quote, Reason};
use crate::time::format_instant;

impl Engine {
    /// The report of customer slot `c`, exactly as the whole report has it.
    pub(super) fn customer_report(&self, c: usize) -> Option<CustomerReport> {
        let e = self.entry(c)?;
        let f = self.frame_now();
        let s = super::score::score(&f, c, true);
        let a = super::score::assess(&f, &s, c, e.trend, e.exposure as usize);
        let d = &self.store.data;
        let referred_by = self.referrer(c).map(|r| d.customer_id(r).to_owned());
        let trend = e.trend.map(|_| {
            let ft = self.frame_then();
            let then = super::score::score(&ft, c, false);
            crate::score::attribution::attribute(&super::history::side(&ft, &then, c), &super::history::side(&f, &s, c))
        });
        let rfm = self.rfm(c, &s.own);
        Some(super::score::describe(&f, s, a, c, rfm, self.exposure_ids(c), referred_by, trend))
    }

    /// A customer's report by id, or `None`.
    pub fn customer(&self, id: &str) -> Option<CustomerReport> {
        self.customer_report(self.slot(id)?)
    }

    /// The facts the portfolio figures need, customers in id order.
    pub(super) fn facts(&self) -> impl Iterator<Item = Facts<'_>> {
        let by_id = self.by_id();
        let d = &self.store.data;
        by_id.into_iter().map(move |c| {
            let e = &self.entries[c as usize];
            Facts {
                slot: c as usize,
                owner: d.customers[c as usize].owner,
                level: e.risk.level,
                band: e.band,
                tier: self.now_rank.tier(c as usize),
                stage: e.stage,
                revenue12m: crate::score::r2(e.own.revenue12m),
                clv: e.clv,
                flags: &e.flags,
            }
        })
    }

    /// Worklist items of customer `c`, in its own order.
    pub(super) fn work_items(&self, c: usize) -> Vec<WorkItem> {
        let cx = self.ctx(self.options.as_of);
        (0..self.entries[c].actions.len()).map(|k| self.work_item(&cx, c, k)).collect()
    }

    /// Kept rows with one field ignored: a `referredBy` that is not an id, names the customer
    /// itself, or names no customer.
    pub fn warnings(&self) -> Vec<Rejection> {
        let d = &self.store.data;
        let mut out = Vec::new();
        for c in self.by_slot() {
            let cust = &d.customers[c];
            let reason = match &cust.referral {
                Referral::None => continue,
                Referral::Invalid(q) => Reason::InvalidId(q.to_string()),
                Referral::Id(r) if d.s(*r) == d.s(cust.id) => Reason::SelfReference(quote(d.s(*r))),
                Referral::Id(r) if self.store.customer(d.s(*r)).is_none() => Reason::UnknownCustomer(quote(d.s(*r))),
                Referral::Id(_) => continue,
            };
            let (index, update) = self.origin(c);
            out.push(Rejection {
                table: Table::Customers,
                index,
                id: Some(d.s(cust.id).to_owned()),
                field: Some("referredBy"),
                code: reason.code(),
                reason: reason.to_string(),
                line: None,
                column: None,
                update,
            });
        }
        out
    }

    /// What happened to the input: counts per table and the rejected rows.
    pub fn input_report(&self, with_rows: bool) -> InputReport {
        let st = &self.store;
        let mut input = InputReport::default();
        if with_rows {
            input.rejected = st.rejected.clone();
            input.warnings = self.warnings();
        }
        input.rejected_omitted = st.rejected_total() - st.rejected.len();
        input.rejected_by_code = st.rejected_by_code();
        input.not_evaluated = crate::report::NotEvaluated::of(&st.present);
        let future = self.future();
        for t in Table::ALL {
            let k = *t as usize;
            let live = st.live(*t);
            let counts = input.table_mut(*t);
            counts.rejected = st.rejected_count[k];
            counts.future = future[k];
            counts.used = live - future[k];
            counts.received = live + counts.rejected;
        }
        input
    }

    /// Rows dated after `asOf`, per table.
    pub fn future(&self) -> [usize; 8] {
        let mut f = [0usize; 8];
        let st = &self.store;
        let t = self.options.as_of;
        for c in 0..st.slots() {
            if !st.data.customers[c].alive {
                continue;
            }
            f[1] += st.rows_of::<crate::input::records::Order>(c).len() - st.known::<crate::input::records::Order>(c, t).len();
            f[2] += st.rows_of::<crate::input::records::Contact>(c).len() - st.known::<crate::input::records::Contact>(c, t).len();
            f[3] += st.rows_of::<crate::input::records::Complaint>(c).len() - st.known::<crate::input::records::Complaint>(c, t).len();
            f[4] += st.rows_of::<crate::input::records::Promise>(c).len() - st.known::<crate::input::records::Promise>(c, t).len();
            f[5] += st.rows_of::<crate::input::records::Feedback>(c).len() - st.known::<crate::input::records::Feedback>(c, t).len();
            f[6] += st.rows_of::<crate::input::records::Delivery>(c).len() - st.known::<crate::input::records::Delivery>(c, t).len();
        }
        f
    }

    /// The whole report, identical to `analyze()` of the same records.
    pub fn report(&self) -> Report {
        let as_of = self.options.as_of;
        let customers: Vec<CustomerReport> = self.by_id().iter().filter_map(|c| self.customer_report(*c as usize)).collect();
        let worklist: Vec<WorkItem> = self.order.iter().flat_map(|c| self.work_items(*c as usize)).collect();
        let owners = portfolio::owners(&self.store, &self.cal, as_of, self.facts());
        let daily = portfolio::daily(&self.store, &self.cal, as_of);
        let portfolio = portfolio::portfolio(self.facts(), daily);
        Report {
            as_of: format_instant(as_of, self.options.policy.offset_secs),
            policy: self.options.policy.clone(),
            customers,
            worklist,
            owners,
            portfolio,
            models: self.models_report(),
            input: self.input_report(true),
            drivers: (*self.drivers()).clone(),
        }
    }

    /// The drivers that hit customer `id` in the last 365 days, or `None` for an unknown id.
    pub fn drivers_of(&self, id: &str) -> Option<Vec<crate::drivers::CustomerDriver>> {
        let c = self.slot(id)?;
        let all = self.drivers();
        Some(crate::drivers::of_customer(&self.ctx(self.options.as_of), c, self.now_rank.tier(c), &all))
    }

    /// The satisfaction drivers at `asOf`, computed when first asked and kept until an update.
    pub fn drivers(&self) -> std::rc::Rc<crate::drivers::Drivers> {
        if let Some(d) = self.drivers.borrow().as_ref() {
            return std::rc::Rc::clone(d);
        }
        let d = std::rc::Rc::new(crate::drivers::compute(&self.ctx(self.options.as_of), &self.now_rank));
        *self.drivers.borrow_mut() = Some(std::rc::Rc::clone(&d));
        d
    }

    /// The models as reported (the repeat buyers counted on the current records).
    pub fn models_report(&self) -> crate::models::ModelsReport {
        let mut m = self.models.report.clone();
        m.repeat_buyers = self.entries.iter().filter(|e| e.alive && e.summary.as_ref().is_some_and(|s| s.frequency > 0)).count();
        m
    }
}
