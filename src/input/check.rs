//! The contract's checks on one row: loosely typed values to a typed record, or the first
//! field that breaks the contract with its [`Reason`]. The loader ([`crate::input::load`])
//! checks the `id` and the `customerId` first; the functions here check the other fields, in
//! the order the contract lists them.

use super::records::*;
use crate::num::Num;
use super::row::{Row, Val};
use super::strings::{Own, Owners, Str, Strings};
use crate::error::{quote, Reason};
use crate::time::{parse_instant, Instant};
use std::borrow::Cow;

/// A check's outcome: the value, or the field (as named in the contract) and why.
pub type Checked<T> = Result<T, (&'static str, Reason)>;

/// Where checked text goes.
pub struct Texts<'s> {
    /// The string arena.
    pub strings: &'s mut Strings,
    /// The owner names.
    pub owners: &'s mut Owners,
    /// The offset plain dates are read in, in seconds.
    pub offset: i32,
}

impl Texts<'_> {
    fn text(&mut self, v: &Val, f: &'static str) -> Checked<Option<Str>> {
        Ok(opt_text(v, f)?.map(|s| self.strings.add(&s)))
    }

    fn owner(&mut self, v: &Val) -> Checked<Option<Own>> {
        Ok(opt_text(v, "owner")?.map(|s| self.owners.intern(&s)))
    }
}

/// An id as text: a non-empty string, or a number as its decimal string.
#[inline(never)]
pub fn id_text<'a>(v: &'a Val) -> Option<Cow<'a, str>> {
    match v {
        Val::Str(s) if !s.is_empty() => Some(Cow::Borrowed(s.as_ref())),
        Val::Num(n) if n.is_finite() => Some(Cow::Owned(if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", *n as i64)
        } else {
            format!("{}", Num(*n))
        })),
        _ => None,
    }
}

/// A required id.
#[inline(never)]
pub fn req_id<'a>(v: &'a Val, f: &'static str) -> Checked<Cow<'a, str>> {
    match v {
        Val::Absent => Err((f, Reason::Missing)),
        x => id_text(x).ok_or_else(|| (f, Reason::InvalidId(x.quoted()))),
    }
}

#[inline(never)]
fn opt_text<'a>(v: &'a Val, f: &'static str) -> Checked<Option<Cow<'a, str>>> {
    match v {
        Val::Absent => Ok(None),
        Val::Str(s) => Ok(Some(Cow::Borrowed(s.as_ref()))),
        n @ Val::Num(_) => Ok(id_text(n)),
        x => Err((f, Reason::WrongType { expected: "a string", got: x.quoted() })),
    }
}

#[inline(never)]
fn req_instant(v: &Val, f: &'static str, off: i32) -> Checked<Instant> {
    match v {
        Val::Absent => Err((f, Reason::Missing)),
        Val::Str(s) => parse_instant(s, off).ok_or_else(|| (f, Reason::InvalidDate(quote(s)))),
        x => Err((f, Reason::InvalidDate(x.quoted()))),
    }
}

#[inline(never)]
fn opt_instant(v: &Val, f: &'static str, off: i32) -> Checked<Option<Instant>> {
    match v {
        Val::Absent => Ok(None),
        _ => req_instant(v, f, off).map(Some),
    }
}

#[inline(never)]
fn req_number(v: &Val, f: &'static str) -> Checked<f64> {
    match v {
        Val::Absent => Err((f, Reason::Missing)),
        Val::Num(n) if n.is_finite() => Ok(*n),
        Val::Str(s) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() && !s.trim().is_empty() => Ok(n),
            _ => Err((f, Reason::InvalidNumber(quote(s)))),
        },
        x => Err((f, Reason::InvalidNumber(x.quoted()))),
    }
}

#[inline(never)]
fn opt_enum<E>(v: &Val, f: &'static str, parse: fn(&str) -> Option<E>, allowed: &'static str) -> Checked<Option<E>> {
    match v {
        Val::Absent => Ok(None),
        Val::Str(s) => {
            parse(s).map(Some).ok_or_else(|| (f, Reason::UnknownValue { got: quote(s), allowed: allowed.trim_end() }))
        }
        x => Err((f, Reason::UnknownValue { got: x.quoted(), allowed: allowed.trim_end() })),
    }
}

#[inline(never)]
fn req_enum<E>(v: &Val, f: &'static str, parse: fn(&str) -> Option<E>, allowed: &'static str) -> Checked<E> {
    opt_enum(v, f, parse, allowed)?.ok_or((f, Reason::Missing))
}

#[inline(never)]
fn not_before(t: Option<Instant>, f: &'static str, v: &Val, base: Instant, bf: &'static str, bv: &Val) -> Checked<()> {
    match t {
        Some(t) if t < base => Err((f, Reason::Before { value: v.quoted(), other: bf, other_value: bv.quoted() })),
        _ => Ok(()),
    }
}

/// A customer row (slots: id, name, owner, createdAt, segment, referredBy), its id checked.
pub fn customer(r: &Row, id: &str, x: &mut Texts) -> Checked<Customer> {
    let name = opt_text(r.get(1), "name")?;
    let owner = opt_text(r.get(2), "owner")?;
    let created_at = opt_instant(r.get(3), "createdAt", x.offset)?;
    let segment = opt_text(r.get(4), "segment")?;
    let referral = match r.get(5) {
        Val::Absent => Referral::None,
        v => match id_text(v) {
            Some(rid) => Referral::Id(x.strings.add(&rid)),
            None => Referral::Invalid(v.quoted().into()),
        },
    };
    Ok(Customer {
        id: x.strings.add(id),
        name: name.map(|s| x.strings.add(&s)),
        owner: owner.map(|s| x.owners.intern(&s)),
        created_at,
        segment: segment.map(|s| x.strings.add(&s)),
        referral,
        alive: true,
    })
}

/// An order row (id, customerId, at, amount, kind), its id and customer checked.
pub fn order(r: &Row, id: Str, customer: Slot, x: &mut Texts) -> Checked<Order> {
    let at = req_instant(r.get(2), "at", x.offset)?;
    let amount = req_number(r.get(3), "amount")?;
    let refund = match r.get(4) {
        Val::Absent => false,
        Val::Str(s) if s == "sale" => false,
        Val::Str(s) if s == "refund" => true,
        v => return Err(("kind", Reason::UnknownValue { got: v.quoted(), allowed: "sale refund" })),
    };
    if amount < 0.0 && !refund {
        return Err(("amount", Reason::NegativeAmount(format!("`{}`", Num(amount)))));
    }
    if refund && amount > 0.0 {
        return Err(("amount", Reason::PositiveRefund(format!("`{}`", Num(amount)))));
    }
    Ok(Order { id, customer, at, amount, refund })
}

/// A contact row (id, customerId, at, direction, channel, status, owner).
pub fn contact(r: &Row, id: Str, customer: Slot, x: &mut Texts) -> Checked<Contact> {
    Ok(Contact {
        id,
        customer,
        at: req_instant(r.get(2), "at", x.offset)?,
        direction: req_enum(r.get(3), "direction", Direction::parse, Direction::ALLOWED)?,
        channel: req_enum(r.get(4), "channel", Channel::parse, Channel::ALLOWED)?,
        status: opt_enum(r.get(5), "status", CallStatus::parse, CallStatus::ALLOWED)?,
        owner: x.owner(r.get(6))?,
    })
}

/// A complaint row (id, customerId, openedAt, severity, category, firstResponseAt, resolvedAt).
pub fn complaint(r: &Row, id: Str, customer: Slot, x: &mut Texts) -> Checked<Complaint> {
    let opened_at = req_instant(r.get(2), "openedAt", x.offset)?;
    let severity = req_enum(r.get(3), "severity", Severity::parse, Severity::ALLOWED)?;
    let category = opt_enum(r.get(4), "category", Category::parse, Category::ALLOWED)?;
    let first_response_at = opt_instant(r.get(5), "firstResponseAt", x.offset)?;
    not_before(first_response_at, "firstResponseAt", r.get(5), opened_at, "openedAt", r.get(2))?;
    let resolved_at = opt_instant(r.get(6), "resolvedAt", x.offset)?;
    not_before(resolved_at, "resolvedAt", r.get(6), opened_at, "openedAt", r.get(2))?;
    Ok(Complaint { id, customer, opened_at, severity, category, first_response_at, resolved_at })
}

/// A promise row (id, customerId, madeAt, dueAt, keptAt, owner, text).
pub fn promise(r: &Row, id: Str, customer: Slot, x: &mut Texts) -> Checked<Promise> {
    let made_at = req_instant(r.get(2), "madeAt", x.offset)?;
    let due_at = req_instant(r.get(3), "dueAt", x.offset)?;
    not_before(Some(due_at), "dueAt", r.get(3), made_at, "madeAt", r.get(2))?;
    let kept_at = opt_instant(r.get(4), "keptAt", x.offset)?;
    not_before(kept_at, "keptAt", r.get(4), made_at, "madeAt", r.get(2))?;
    let owner = x.owner(r.get(5))?;
    let text = x.text(r.get(6), "text")?;
    Ok(Promise { id, customer, made_at, due_at, kept_at, owner, text })
}

/// A feedback row (id, customerId, at, kind, score, comment).
pub fn feedback(r: &Row, id: Str, customer: Slot, x: &mut Texts) -> Checked<Feedback> {
    let at = req_instant(r.get(2), "at", x.offset)?;
    let kind = req_enum(r.get(3), "kind", FeedbackKind::parse, FeedbackKind::ALLOWED)?;
    let s = req_number(r.get(4), "score")?;
    let (min, max) = kind.range();
    if s < f64::from(min) || s > f64::from(max) {
        return Err(("score", Reason::OutOfRange { got: format!("`{}`", Num(s)), kind: kind.as_str(), min, max }));
    }
    if s.fract() != 0.0 {
        return Err(("score", Reason::NotWhole(format!("`{}`", Num(s)))));
    }
    let comment = x.text(r.get(5), "comment")?;
    Ok(Feedback { id, customer, at, kind, score: s as u8, comment })
}

/// A delivery row (id, customerId, promisedAt, deliveredAt, problem).
pub fn delivery(r: &Row, id: Str, customer: Slot, x: &mut Texts) -> Checked<Delivery> {
    Ok(Delivery {
        id,
        customer,
        promised_at: req_instant(r.get(2), "promisedAt", x.offset)?,
        delivered_at: opt_instant(r.get(3), "deliveredAt", x.offset)?,
        problem: opt_enum(r.get(4), "problem", Problem::parse, Problem::ALLOWED)?,
    })
}

/// A snooze row (id?, customerId, until, reason, kinds).
pub fn snooze(r: &Row, id: Option<Str>, customer: Slot, x: &mut Texts) -> Checked<Snooze> {
    let until = req_instant(r.get(2), "until", x.offset)?;
    let reason = opt_text(r.get(3), "reason")?.ok_or(("reason", Reason::Missing))?;
    let kinds = match r.get(4) {
        Val::Absent => ALL_KINDS,
        Val::Array(items) => {
            let mut mask = 0u16;
            for it in items {
                match it {
                    Val::Str(s) => match NeglectKind::parse(s) {
                        Some(k) => mask |= 1 << k as u16,
                        None => return Err(("kinds", Reason::UnknownValue { got: it.quoted(), allowed: NeglectKind::ALLOWED.trim_end() })),
                    },
                    _ => return Err(("kinds", Reason::UnknownValue { got: it.quoted(), allowed: NeglectKind::ALLOWED.trim_end() })),
                }
            }
            mask
        }
        v => return Err(("kinds", Reason::WrongType { expected: "an array of neglect kinds", got: v.quoted() })),
    };
    Ok(Snooze { id, customer, until, reason: x.strings.add(&reason), kinds })
}
