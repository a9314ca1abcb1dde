//! A point-in-time view of a dataset.
//!
//! Rows dated after `asOf` are counted as `future` and left out; a later field of an earlier
//! row (a complaint resolved after `asOf`) reads as not yet happened ([`Snapshot::known`]).
//! Rows are grouped by customer and sorted by time (ties by input order), so every analysis
//! reads each customer's history in one slice.

use super::records::*;
use crate::time::Instant;

/// Row positions of one table grouped by customer (compressed: `start[c]..start[c + 1]`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grouped {
    start: Vec<u32>,
    rows: Vec<u32>,
}

impl Grouped {
    fn build<'k>(customers: usize, items: &[(usize, usize, Instant)], id: &dyn Fn(u32) -> &'k str) -> Self {
        let mut start = vec![0u32; customers + 1];
        for &(_, c, _) in items {
            start[c + 1] += 1;
        }
        for i in 0..customers {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut rows = vec![0u32; start[customers] as usize];
        let mut times = vec![0i64; rows.len()];
        for &(i, c, t) in items {
            let p = fill[c] as usize;
            rows[p] = i as u32;
            times[p] = t;
            fill[c] += 1;
        }
        // Sort each customer's slice by time, ties by id (so the input order never matters).
        for c in 0..customers {
            let (a, b) = (start[c] as usize, start[c + 1] as usize);
            if b - a > 1 {
                let mut pairs: Vec<(Instant, u32)> = (a..b).map(|p| (times[p], rows[p])).collect();
                pairs.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| id(x.1).cmp(id(y.1))));
                for (k, (_, r)) in pairs.into_iter().enumerate() {
                    rows[a + k] = r;
                }
            }
        }
        Grouped { start, rows }
    }

    /// The row positions of customer `c`, oldest first.
    pub fn of(&self, c: usize) -> &[u32] {
        match (self.start.get(c), self.start.get(c + 1)) {
            (Some(a), Some(b)) => self.rows.get(*a as usize..*b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// All row positions (grouped by customer).
    pub fn all(&self) -> &[u32] {
        &self.rows
    }
}

/// The dataset as known at `as_of`.
#[derive(Debug, Clone)]
pub struct Snapshot<'a> {
    /// The dataset.
    pub data: &'a Dataset,
    /// The instant of evaluation.
    pub as_of: Instant,
    /// Rows left out as future, per table in [`Table::ALL`] order.
    pub future: [usize; 8],
    /// Orders known at `as_of`, by customer.
    pub orders: Grouped,
    /// Contacts known at `as_of`, by customer.
    pub contacts: Grouped,
    /// Complaints opened by `as_of`, by customer.
    pub complaints: Grouped,
    /// Promises made by `as_of`, by customer.
    pub promises: Grouped,
    /// Feedback given by `as_of`, by customer.
    pub feedback: Grouped,
    /// Deliveries promised by `as_of`, by customer.
    pub deliveries: Grouped,
    /// Snoozes, by customer.
    pub snoozes: Grouped,
}

impl<'a> Snapshot<'a> {
    /// View `data` at `as_of`.
    pub fn new(data: &'a Dataset, as_of: Instant) -> Self {
        let n = data.customers.len();
        let mut future = [0usize; 8];
        macro_rules! group {
            ($table:expr, $slot:expr, $time:expr) => {{
                let items: Vec<(usize, usize, Instant)> =
                    $table.iter().enumerate().filter(|(_, r)| $time(r) <= as_of).map(|(i, r)| (i, r.customer, $time(r))).collect();
                let g = Grouped::build(n, &items, &|i| $table[i as usize].id.as_str());
                future[$slot] = $table.len() - g.rows.len();
                g
            }};
        }
        let orders = group!(data.orders, 1, |r: &Order| r.at);
        let contacts = group!(data.contacts, 2, |r: &Contact| r.at);
        let complaints = group!(data.complaints, 3, |r: &Complaint| r.opened_at);
        let promises = group!(data.promises, 4, |r: &Promise| r.made_at);
        let feedback = group!(data.feedback, 5, |r: &Feedback| r.at);
        let deliveries = group!(data.deliveries, 6, |r: &Delivery| r.promised_at);
        let items: Vec<(usize, usize, Instant)> = data.snoozes.iter().enumerate().map(|(i, s)| (i, s.customer, s.until)).collect();
        let snoozes = Grouped::build(n, &items, &|i| data.snoozes[i as usize].reason.as_str());
        Snapshot { data, as_of, future, orders, contacts, complaints, promises, feedback, deliveries, snoozes }
    }

    /// A field's instant if it had happened by `as_of`.
    pub fn known(&self, t: Option<Instant>) -> Option<Instant> {
        t.filter(|t| *t <= self.as_of)
    }

    /// The customer's first known date: `createdAt`, else its earliest row known at `as_of`.
    pub fn first_known(&self, c: usize) -> Option<Instant> {
        let d = self.data;
        if let Some(t) = d.customers.get(c).and_then(|x| x.created_at) {
            return Some(t);
        }
        let first = |g: &Grouped, f: &dyn Fn(usize) -> Instant| g.of(c).first().map(|i| f(*i as usize));
        [
            first(&self.orders, &|i| d.orders[i].at),
            first(&self.contacts, &|i| d.contacts[i].at),
            first(&self.complaints, &|i| d.complaints[i].opened_at),
            first(&self.promises, &|i| d.promises[i].made_at),
            first(&self.feedback, &|i| d.feedback[i].at),
            first(&self.deliveries, &|i| d.deliveries[i].promised_at),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}
