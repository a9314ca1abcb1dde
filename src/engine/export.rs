//! The records an engine holds, as an export again (JSON): what the host would send to load
//! the same portfolio afresh. Instants are written in UTC with their milliseconds, amounts as
//! the shortest text that reads back to the same number.

use super::Engine;
use crate::input::records::*;
use crate::input::strings::Str;
use crate::time::{format_instant, Instant};
use serde_json::{json, Map, Value};

fn t(x: Instant) -> Value {
    Value::String(format_instant(x, 0))
}

fn opt_t(x: Option<Instant>) -> Value {
    x.map_or(Value::Null, t)
}

impl Engine {
    /// One customer's records (its row and its rows of every table, each table oldest first),
    /// as an export object; `None` for an unknown customer.
    pub fn records(&self, id: &str) -> Option<Value> {
        let c = self.slot(id)?;
        Some(self.export_of(Some(c)))
    }

    /// The live records as an export object (rows in slot order; without the rejected rows).
    pub fn export(&self) -> Value {
        self.export_of(None)
    }

    fn export_of(&self, only: Option<usize>) -> Value {
        let d = &self.store.data;
        let s = |x: Str| Value::String(d.s(x).to_owned());
        let os = |x: Option<Str>| x.map_or(Value::Null, s);
        let own = |o: Option<crate::input::strings::Own>| d.owner(o).map_or(Value::Null, |n| Value::String(n.to_owned()));
        let cid = |c: Slot| Value::String(d.customer_id(c as usize).to_owned());
        let mut out = Map::new();
        let mut rows = |name: &str, present: bool, v: Vec<Value>| {
            if present || !v.is_empty() {
                out.insert(name.to_owned(), Value::Array(v));
            }
        };
        let p = &self.store.present;
        let st = &self.store;
        let pick = |table: usize, n: usize| -> Vec<usize> {
            match only {
                None => (0..n).collect(),
                Some(c) => st.by[table - 1].of(c).iter().map(|s| *s as usize).collect(),
            }
        };
        rows(
            "customers",
            true,
            d.customers
                .iter()
                .enumerate()
                .filter(|(k, c)| c.alive && only.is_none_or(|o| o == *k))
                .map(|(_, c)| c)
                .map(|c| {
                    let referred = match &c.referral {
                        Referral::Id(r) => s(*r),
                        _ => Value::Null,
                    };
                    json!({"id": s(c.id), "name": os(c.name), "owner": own(c.owner), "createdAt": opt_t(c.created_at),
                           "segment": os(c.segment), "referredBy": referred})
                })
                .collect(),
        );
        let live = |c: Slot| c != DEAD;
        rows(
            "orders",
            p[1],
            pick(1, d.orders.len()).into_iter().map(|k| &d.orders[k]).filter(|r| live(r.customer)).map(|r| {
                json!({"id": s(r.id), "customerId": cid(r.customer), "at": t(r.at), "amount": r.amount, "kind": if r.refund { "refund" } else { "sale" }})
            }).collect(),
        );
        rows(
            "contacts",
            p[2],
            pick(2, d.contacts.len()).into_iter().map(|k| &d.contacts[k]).filter(|r| live(r.customer)).map(|r| {
                json!({"id": s(r.id), "customerId": cid(r.customer), "at": t(r.at), "direction": r.direction.as_str(),
                       "channel": r.channel.as_str(), "status": r.status.map(CallStatus::as_str), "owner": own(r.owner)})
            }).collect(),
        );
        rows(
            "complaints",
            p[3],
            pick(3, d.complaints.len()).into_iter().map(|k| &d.complaints[k]).filter(|r| live(r.customer)).map(|r| {
                json!({"id": s(r.id), "customerId": cid(r.customer), "openedAt": t(r.opened_at), "severity": r.severity.as_str(),
                       "category": r.category.map(Category::as_str), "firstResponseAt": opt_t(r.first_response_at),
                       "resolvedAt": opt_t(r.resolved_at)})
            }).collect(),
        );
        rows(
            "promises",
            p[4],
            pick(4, d.promises.len()).into_iter().map(|k| &d.promises[k]).filter(|r| live(r.customer)).map(|r| {
                json!({"id": s(r.id), "customerId": cid(r.customer), "madeAt": t(r.made_at), "dueAt": t(r.due_at),
                       "keptAt": opt_t(r.kept_at), "owner": own(r.owner), "text": os(r.text)})
            }).collect(),
        );
        rows(
            "feedback",
            p[5],
            pick(5, d.feedback.len()).into_iter().map(|k| &d.feedback[k]).filter(|r| live(r.customer)).map(|r| {
                json!({"id": s(r.id), "customerId": cid(r.customer), "at": t(r.at), "kind": r.kind.as_str(), "score": r.score,
                       "comment": os(r.comment)})
            }).collect(),
        );
        rows(
            "deliveries",
            p[6],
            pick(6, d.deliveries.len()).into_iter().map(|k| &d.deliveries[k]).filter(|r| live(r.customer)).map(|r| {
                json!({"id": s(r.id), "customerId": cid(r.customer), "promisedAt": t(r.promised_at),
                       "deliveredAt": opt_t(r.delivered_at), "problem": r.problem.map(Problem::as_str)})
            }).collect(),
        );
        rows(
            "snoozes",
            p[7],
            pick(7, d.snoozes.len()).into_iter().map(|k| &d.snoozes[k]).filter(|r| live(r.customer)).map(|r| {
                let kinds: Value = if r.kinds == ALL_KINDS {
                    Value::Null
                } else {
                    NeglectKind::ALL.iter().filter(|k| r.kinds & (1 << **k as u16) != 0).map(|k| Value::String(k.as_str().into())).collect()
                };
                json!({"id": os(r.id), "customerId": cid(r.customer), "until": t(r.until), "reason": s(r.reason), "kinds": kinds})
            }).collect(),
        );
        Value::Object(out)
    }
}
