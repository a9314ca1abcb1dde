//! One customer's records as known at an instant: the rows of each table dated at or before
//! it (a prefix of the customer's time-ordered lists), and the context every score of that
//! instant shares.

use crate::calendar::Calendar;
use crate::input::records::*;
use crate::input::store::Store;
use crate::policy::Policy;
use crate::time::{date_from_days, Instant};
use chrono::Datelike;

/// What every score at one instant shares.
pub struct Ctx<'a> {
    /// The store.
    pub store: &'a Store,
    /// The policy.
    pub policy: &'a Policy,
    /// Its calendar.
    pub cal: &'a Calendar,
    /// The instant.
    pub as_of: Instant,
    /// The local year of `as_of` (dates in messages omit it).
    pub year: i32,
}

impl<'a> Ctx<'a> {
    /// The context at `as_of`.
    pub fn new(store: &'a Store, policy: &'a Policy, cal: &'a Calendar, as_of: Instant) -> Self {
        Ctx { store, policy, cal, as_of, year: date_from_days(cal.day(as_of)).year() }
    }

    /// The records.
    pub fn data(&self) -> &'a Dataset {
        &self.store.data
    }

    /// Customer `c`'s rows known at this instant.
    pub fn view(&self, c: usize) -> View<'a> {
        let s = self.store;
        let t = self.as_of;
        View {
            d: &s.data,
            c,
            as_of: t,
            orders: s.known::<Order>(c, t),
            contacts: s.known::<Contact>(c, t),
            complaints: s.known::<Complaint>(c, t),
            promises: s.known::<Promise>(c, t),
            feedback: s.known::<Feedback>(c, t),
            deliveries: s.known::<Delivery>(c, t),
            snoozes: s.rows_of::<Snooze>(c),
        }
    }

    /// A short human date (`Thu 19 Nov`) of an instant in the policy's timezone.
    pub fn day(&self, t: Instant) -> String {
        crate::time::human_date(date_from_days(self.cal.day(t)), self.year)
    }
}

/// One customer's rows known at an instant, each table oldest first.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct View<'a> {
    pub d: &'a Dataset,
    pub c: usize,
    pub as_of: Instant,
    pub orders: &'a [Slot],
    pub contacts: &'a [Slot],
    pub complaints: &'a [Slot],
    pub promises: &'a [Slot],
    pub feedback: &'a [Slot],
    pub deliveries: &'a [Slot],
    /// All of the customer's snoozes (a snooze matters while `as_of` is before its `until`).
    pub snoozes: &'a [Slot],
}

impl View<'_> {
    /// A field's instant if it had happened by `as_of`.
    pub fn known(&self, t: Option<Instant>) -> Option<Instant> {
        t.filter(|t| *t <= self.as_of)
    }

    /// The customer.
    pub fn customer(&self) -> &Customer {
        &self.d.customers[self.c]
    }

    /// The customer's first known date: `createdAt`, else its earliest row known at `as_of`.
    pub fn first_known(&self) -> Option<Instant> {
        let d = self.d;
        if let Some(t) = self.customer().created_at {
            return Some(t);
        }
        [
            self.orders.first().map(|i| d.orders[*i as usize].at),
            self.contacts.first().map(|i| d.contacts[*i as usize].at),
            self.complaints.first().map(|i| d.complaints[*i as usize].opened_at),
            self.promises.first().map(|i| d.promises[*i as usize].made_at),
            self.feedback.first().map(|i| d.feedback[*i as usize].at),
            self.deliveries.first().map(|i| d.deliveries[*i as usize].promised_at),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}
