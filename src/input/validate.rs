//! Validation: raw rows to typed records, with one rejection per bad row.
//!
//! Validation does not depend on `asOf`: the same dataset can be viewed at several instants
//! (see [`crate::input::snapshot`]). Of rows sharing an id within a table, the first valid one in
//! input order is kept and later ones are rejected as duplicates.

use super::raw::{Field as F, Loose, RawExport, RawRecord, RawRow, RawTable};
use super::records::*;
use crate::error::{quote, Reason};
use crate::time::{parse_instant, Instant};
use serde::Serialize;
use super::hash::{IdMap, IdSet};
use std::borrow::Cow;

/// A rejected row (or, in `warnings`, a kept row with one field ignored).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    /// The table.
    pub table: Table,
    /// The row's position in its table, from 0.
    pub index: usize,
    /// The row's id when it could be read.
    pub id: Option<String>,
    /// The offending field as named in the contract, `null` when the row is not an object.
    pub field: Option<&'static str>,
    /// A stable code for the reason (`missing`, `invalid_date`, `unknown_customer`, …).
    pub code: &'static str,
    /// A lowercase explanation quoting the bad value.
    pub reason: String,
}

/// What validation produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validated {
    /// The accepted records.
    pub data: Dataset,
    /// Rows received per table, in [`Table::ALL`] order.
    pub received: [usize; 8],
    /// Rejected rows, in table then input order.
    pub rejected: Vec<Rejection>,
    /// Kept rows with a field ignored (an unknown `referredBy`).
    pub warnings: Vec<Rejection>,
}

type Checked<T> = Result<T, (&'static str, Reason)>;

fn id_text(v: &Loose) -> Option<String> {
    match v {
        Loose::Str(s) if !s.is_empty() => Some(s.clone()),
        Loose::Num(n) if n.is_finite() => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                Some(format!("{}", *n as i64))
            } else {
                Some(format!("{n}"))
            }
        }
        _ => None,
    }
}

fn req_id(v: Option<&Loose>, f: &'static str) -> Checked<String> {
    match v {
        None => Err((f, Reason::Missing)),
        Some(x) => id_text(x).ok_or_else(|| (f, Reason::InvalidId(x.quoted()))),
    }
}

fn opt_text(v: Option<&Loose>, f: &'static str) -> Checked<Option<String>> {
    match v {
        None => Ok(None),
        Some(Loose::Str(s)) => Ok(Some(s.clone())),
        Some(n @ Loose::Num(_)) => Ok(id_text(n)),
        Some(x) => Err((f, Reason::WrongType { expected: "a string", got: x.quoted() })),
    }
}

fn req_instant(v: Option<&Loose>, f: &'static str, off: i32) -> Checked<Instant> {
    match v {
        None => Err((f, Reason::Missing)),
        Some(Loose::Str(s)) => parse_instant(s, off).ok_or_else(|| (f, Reason::InvalidDate(quote(s)))),
        Some(x) => Err((f, Reason::InvalidDate(x.quoted()))),
    }
}

fn opt_instant(v: Option<&Loose>, f: &'static str, off: i32) -> Checked<Option<Instant>> {
    match v {
        None => Ok(None),
        Some(_) => req_instant(v, f, off).map(Some),
    }
}

fn req_number(v: Option<&Loose>, f: &'static str) -> Checked<f64> {
    match v {
        None => Err((f, Reason::Missing)),
        Some(Loose::Num(n)) if n.is_finite() => Ok(*n),
        Some(Loose::Str(s)) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() && !s.trim().is_empty() => Ok(n),
            _ => Err((f, Reason::InvalidNumber(quote(s)))),
        },
        Some(x) => Err((f, Reason::InvalidNumber(x.quoted()))),
    }
}

fn opt_enum<E>(v: Option<&Loose>, f: &'static str, parse: fn(&str) -> Option<E>, allowed: &'static str) -> Checked<Option<E>> {
    match v {
        None => Ok(None),
        Some(Loose::Str(s)) => parse(s)
            .map(Some)
            .ok_or_else(|| (f, Reason::UnknownValue { got: quote(s), allowed: allowed.trim_end() })),
        Some(x) => Err((f, Reason::UnknownValue { got: x.quoted(), allowed: allowed.trim_end() })),
    }
}

fn req_enum<E>(v: Option<&Loose>, f: &'static str, parse: fn(&str) -> Option<E>, allowed: &'static str) -> Checked<E> {
    opt_enum(v, f, parse, allowed)?.ok_or((f, Reason::Missing))
}

fn not_before(t: Option<Instant>, f: &'static str, v: Option<&Loose>, base: Instant, bf: &'static str, bv: Option<&Loose>) -> Checked<()> {
    match t {
        Some(t) if t < base => Err((
            f,
            Reason::Before {
                value: v.map(Loose::quoted).unwrap_or_default(),
                other: bf,
                other_value: bv.map(Loose::quoted).unwrap_or_default(),
            },
        )),
        _ => Ok(()),
    }
}

/// Customer ids: accepted ones map to their position, rejected ones are remembered so that
/// their rows can say why they are rejected too.
struct Customers {
    index: IdMap<String, usize>,
    rejected: IdSet<String>,
}

impl Customers {
    fn resolve(&self, v: Option<&Loose>) -> Checked<usize> {
        let id = match v {
            Some(Loose::Str(s)) if !s.is_empty() => Cow::Borrowed(s.as_str()),
            _ => Cow::Owned(req_id(v, "customerId")?),
        };
        match self.index.get(id.as_ref()) {
            Some(i) => Ok(*i),
            None if self.rejected.contains(id.as_ref()) => Err(("customerId", Reason::RejectedCustomer(quote(&id)))),
            None => Err(("customerId", Reason::UnknownCustomer(quote(&id)))),
        }
    }
}

struct Sink<'a> {
    rejected: &'a mut Vec<Rejection>,
}

impl Sink<'_> {
    fn reject(&mut self, table: Table, index: usize, id: Option<String>, (field, reason): (&'static str, Reason)) {
        self.rejected.push(Rejection { table, index, id, field: Some(field), code: reason.code(), reason: reason.to_string() });
    }
}

/// Validate rows of one table that have an `id`: `check` builds the record; duplicates of an
/// accepted id are rejected.
fn table_with_ids<T>(
    table: Table,
    rows: &[RawRow],
    sink: &mut Sink,
    mut check: impl FnMut(&RawRecord, String, usize) -> Checked<T>,
) -> Vec<T> {
    let mut out = Vec::with_capacity(rows.len());
    let mut seen: IdMap<String, usize> = IdMap::default();
    seen.reserve(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let r = match row {
            RawRow::Obj(r) => r,
            RawRow::Other(v) => {
                let reason = Reason::NotAnObject(v.quoted());
                sink.rejected.push(Rejection { table, index, id: None, field: None, code: reason.code(), reason: reason.to_string() });
                continue;
            }
        };
        let id = match req_id(r.get(F::Id), "id") {
            Ok(id) => id,
            Err(e) => {
                sink.reject(table, index, None, e);
                continue;
            }
        };
        // The first valid row keeps an id; a later row with it is a duplicate.
        if let Some(first) = seen.get(&id) {
            let reason = Reason::Duplicate { id: quote(&id), first: *first };
            sink.reject(table, index, Some(id), ("id", reason));
            continue;
        }
        match check(r, id.clone(), index) {
            Err(e) => sink.reject(table, index, Some(id), e),
            Ok(rec) => {
                seen.insert(id, index);
                out.push(rec);
            }
        }
    }
    out
}

fn rows(t: &Option<RawTable>) -> &[RawRow] {
    match t {
        Some(RawTable::Rows(r)) => r,
        _ => &[],
    }
}

/// Check that every table is an array (or absent) and that `customers` is present.
pub fn check_shape(raw: &RawExport) -> Result<(), crate::Error> {
    fn shape(t: &Option<RawTable>, name: &str) -> Result<(), crate::Error> {
        match t {
            Some(RawTable::NotArray(v)) => {
                Err(crate::Error::input(format!("data.{name}"), format!("expected an array of rows, got {}", v.quoted())))
            }
            _ => Ok(()),
        }
    }
    if raw.customers.is_none() {
        return Err(crate::Error::input("data.customers", "is required (an array of customers)"));
    }
    shape(&raw.customers, "customers")?;
    shape(&raw.orders, "orders")?;
    shape(&raw.contacts, "contacts")?;
    shape(&raw.complaints, "complaints")?;
    shape(&raw.promises, "promises")?;
    shape(&raw.feedback, "feedback")?;
    shape(&raw.deliveries, "deliveries")?;
    shape(&raw.snoozes, "snoozes")
}

/// Validate a whole export. `offset_secs` is the policy's offset, which plain dates are read in.
pub fn validate(raw: &RawExport, offset_secs: i32) -> Result<Validated, crate::Error> {
    check_shape(raw)?;
    let off = offset_secs;
    let mut v = Validated::default();
    let mut rejected = Vec::new();
    let mut sink = Sink { rejected: &mut rejected };

    // Customers first: everything else refers to them.
    let cust_rows = rows(&raw.customers);
    let mut referrals: Vec<(usize, Option<Loose>, usize)> = Vec::new();
    let customers = table_with_ids(Table::Customers, cust_rows, &mut sink, |r, id, row_index| {
        let c = Customer {
            id,
            name: opt_text(r.get(F::Name), "name")?,
            owner: opt_text(r.get(F::Owner), "owner")?,
            created_at: opt_instant(r.get(F::CreatedAt), "createdAt", off)?,
            segment: opt_text(r.get(F::Segment), "segment")?,
            referred_by: None,
        };
        Ok((c, r.get(F::ReferredBy).cloned(), row_index))
    });
    let mut index: IdMap<String, usize> = IdMap::default();
    index.reserve(customers.len());
    let mut list = Vec::with_capacity(customers.len());
    for (i, (c, refby, row_index)) in customers.into_iter().enumerate() {
        index.insert(c.id.clone(), i);
        referrals.push((i, refby, row_index));
        list.push(c);
    }
    let mut rejected_ids: IdSet<String> = IdSet::default();
    for r in sink.rejected.iter() {
        if let Some(id) = &r.id {
            if !index.contains_key(id) {
                rejected_ids.insert(id.clone());
            }
        }
    }
    for (i, refby, row_index) in referrals {
        let Some(raw_ref) = refby else { continue };
        let warn = |reason: Reason| Rejection {
            table: Table::Customers,
            index: row_index,
            id: Some(list[i].id.clone()),
            field: Some("referredBy"),
            code: reason.code(),
            reason: reason.to_string(),
        };
        match id_text(&raw_ref) {
            None => v.warnings.push(warn(Reason::InvalidId(raw_ref.quoted()))),
            Some(rid) if rid == list[i].id => v.warnings.push(warn(Reason::SelfReference(quote(&rid)))),
            Some(rid) => match index.get(&rid) {
                Some(j) => list[i].referred_by = Some(*j),
                None => v.warnings.push(warn(Reason::UnknownCustomer(quote(&rid)))),
            },
        }
    }
    let cs = Customers { index, rejected: rejected_ids };
    v.data.customers = list;

    v.data.orders = table_with_ids(Table::Orders, rows(&raw.orders), &mut sink, |r, id, _| {
        let customer = cs.resolve(r.get(F::CustomerId))?;
        let at = req_instant(r.get(F::At), "at", off)?;
        let amount = req_number(r.get(F::Amount), "amount")?;
        let refund = match r.get(F::Kind) {
            None => false,
            Some(Loose::Str(s)) if s == "sale" => false,
            Some(Loose::Str(s)) if s == "refund" => true,
            Some(x) => return Err(("kind", Reason::UnknownValue { got: x.quoted(), allowed: "sale refund" })),
        };
        if amount < 0.0 && !refund {
            return Err(("amount", Reason::NegativeAmount(format!("`{amount}`"))));
        }
        if refund && amount > 0.0 {
            return Err(("amount", Reason::PositiveRefund(format!("`{amount}`"))));
        }
        Ok(Order { id, customer, at, amount, refund })
    });

    v.data.contacts = table_with_ids(Table::Contacts, rows(&raw.contacts), &mut sink, |r, id, _| {
        Ok(Contact {
            id,
            customer: cs.resolve(r.get(F::CustomerId))?,
            at: req_instant(r.get(F::At), "at", off)?,
            direction: req_enum(r.get(F::Direction), "direction", Direction::parse, Direction::ALLOWED)?,
            channel: req_enum(r.get(F::Channel), "channel", Channel::parse, Channel::ALLOWED)?,
            status: opt_enum(r.get(F::Status), "status", CallStatus::parse, CallStatus::ALLOWED)?,
            owner: opt_text(r.get(F::Owner), "owner")?,
        })
    });

    v.data.complaints = table_with_ids(Table::Complaints, rows(&raw.complaints), &mut sink, |r, id, _| {
        let customer = cs.resolve(r.get(F::CustomerId))?;
        let opened_at = req_instant(r.get(F::OpenedAt), "openedAt", off)?;
        let severity = req_enum(r.get(F::Severity), "severity", Severity::parse, Severity::ALLOWED)?;
        let category = opt_enum(r.get(F::Category), "category", Category::parse, Category::ALLOWED)?;
        let first_response_at = opt_instant(r.get(F::FirstResponseAt), "firstResponseAt", off)?;
        not_before(first_response_at, "firstResponseAt", r.get(F::FirstResponseAt), opened_at, "openedAt", r.get(F::OpenedAt))?;
        let resolved_at = opt_instant(r.get(F::ResolvedAt), "resolvedAt", off)?;
        not_before(resolved_at, "resolvedAt", r.get(F::ResolvedAt), opened_at, "openedAt", r.get(F::OpenedAt))?;
        Ok(Complaint { id, customer, opened_at, severity, category, first_response_at, resolved_at })
    });

    v.data.promises = table_with_ids(Table::Promises, rows(&raw.promises), &mut sink, |r, id, _| {
        let customer = cs.resolve(r.get(F::CustomerId))?;
        let made_at = req_instant(r.get(F::MadeAt), "madeAt", off)?;
        let due_at = req_instant(r.get(F::DueAt), "dueAt", off)?;
        not_before(Some(due_at), "dueAt", r.get(F::DueAt), made_at, "madeAt", r.get(F::MadeAt))?;
        let kept_at = opt_instant(r.get(F::KeptAt), "keptAt", off)?;
        not_before(kept_at, "keptAt", r.get(F::KeptAt), made_at, "madeAt", r.get(F::MadeAt))?;
        Ok(Promise { id, customer, made_at, due_at, kept_at, owner: opt_text(r.get(F::Owner), "owner")?, text: opt_text(r.get(F::Text), "text")? })
    });

    v.data.feedback = table_with_ids(Table::Feedback, rows(&raw.feedback), &mut sink, |r, id, _| {
        let customer = cs.resolve(r.get(F::CustomerId))?;
        let at = req_instant(r.get(F::At), "at", off)?;
        let kind = req_enum(r.get(F::Kind), "kind", FeedbackKind::parse, FeedbackKind::ALLOWED)?;
        let s = req_number(r.get(F::Score), "score")?;
        let (min, max) = kind.range();
        let got = format!("`{s}`");
        if s < f64::from(min) || s > f64::from(max) {
            return Err(("score", Reason::OutOfRange { got, kind: kind.as_str(), min, max }));
        }
        if s.fract() != 0.0 {
            return Err(("score", Reason::NotWhole(got)));
        }
        Ok(Feedback { id, customer, at, kind, score: s as u8, comment: opt_text(r.get(F::Comment), "comment")? })
    });

    v.data.deliveries = table_with_ids(Table::Deliveries, rows(&raw.deliveries), &mut sink, |r, id, _| {
        Ok(Delivery {
            id,
            customer: cs.resolve(r.get(F::CustomerId))?,
            promised_at: req_instant(r.get(F::PromisedAt), "promisedAt", off)?,
            delivered_at: opt_instant(r.get(F::DeliveredAt), "deliveredAt", off)?,
            problem: opt_enum(r.get(F::Problem), "problem", Problem::parse, Problem::ALLOWED)?,
        })
    });

    // Snoozes have no id: each row stands alone.
    for (index, row) in rows(&raw.snoozes).iter().enumerate() {
        let r = match row {
            RawRow::Obj(r) => r,
            RawRow::Other(x) => {
                let reason = Reason::NotAnObject(x.quoted());
                sink.rejected.push(Rejection { table: Table::Snoozes, index, id: None, field: None, code: reason.code(), reason: reason.to_string() });
                continue;
            }
        };
        let built = (|| -> Checked<Snooze> {
            let customer = cs.resolve(r.get(F::CustomerId))?;
            let until = req_instant(r.get(F::Until), "until", off)?;
            let reason = opt_text(r.get(F::Reason), "reason")?.ok_or(("reason", Reason::Missing))?;
            let kinds = match r.get(F::Kinds) {
                None => None,
                Some(Loose::Array(items)) => {
                    let mut ks = Vec::with_capacity(items.len());
                    for it in items {
                        let k = match it {
                            Loose::Str(s) => NeglectKind::parse(s),
                            _ => None,
                        };
                        match k {
                            Some(k) => ks.push(k),
                            None => {
                                return Err(("kinds", Reason::UnknownValue { got: it.quoted(), allowed: NeglectKind::ALLOWED.trim_end() }))
                            }
                        }
                    }
                    Some(ks)
                }
                Some(x) => return Err(("kinds", Reason::WrongType { expected: "an array of neglect kinds", got: x.quoted() })),
            };
            Ok(Snooze { customer, until, reason, kinds })
        })();
        match built {
            Ok(s) => v.data.snoozes.push(s),
            Err(e) => sink.reject(Table::Snoozes, index, None, e),
        }
    }

    v.received = [
        cust_rows.len(),
        rows(&raw.orders).len(),
        rows(&raw.contacts).len(),
        rows(&raw.complaints).len(),
        rows(&raw.promises).len(),
        rows(&raw.feedback).len(),
        rows(&raw.deliveries).len(),
        rows(&raw.snoozes).len(),
    ];
    v.rejected = rejected;
    Ok(v)
}
