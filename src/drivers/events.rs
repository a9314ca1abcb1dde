//! The operational events of one customer and their instants, by kind, as known at `asOf`.
//!
//! | kind | event | instant |
//! |---|---|---|
//! | `deliveries.late` | delivered after `promisedAt`; or not delivered and `promisedAt` passed | `deliveredAt`; `promisedAt` |
//! | `deliveries.problem:<p>` | a `problem` (one kind per value; `problem: late` is its own kind, apart from the dates) | `deliveredAt`, else `promisedAt` |
//! | `complaints.category:<c>` | a complaint with a category | `openedAt` |
//! | `complaints.severity:<s>` | a complaint (every one has a severity) | `openedAt` |
//! | `complaints.firstResponse.late` | no response by `openedAt` + `complaintFirstResponseWithin` business days (a resolution counts as the response) | that due instant |
//! | `complaints.resolution.late` | not resolved by `openedAt` + `complaintResolveWithin[severity]` business days | that due instant |
//! | `promises.broken` | not kept by `dueAt` | `dueAt` |
//! | `contacts.unreturned` | a conversation (the inbound contacts that need a return since the last outbound one, as in neglect) not returned by an outbound contact within `returnContactWithin` business days of its oldest contact | that due instant |
//! | `contacts.outreachGap` | a gap between outbound contacts (the first from the first known date, the last open up to `asOf`) longer than `outreachEvery[tier]` calendar days | the start of the gap + that cadence |
//!
//! Deadlines follow neglect: a deadline is missed when the thing came strictly later than it
//! (or, not done, when `asOf` is strictly later). Fields dated after `asOf` have not happened,
//! and events dated after `asOf` are not counted. Without a `contacts` table (not recorded)
//! there are no contact events.

use crate::input::records::{Direction, Table};
use crate::policy::Policy;
use crate::score::neglect::outreach_days;
use crate::score::value::Tier;
use crate::score::view::{Ctx, View};
use crate::sort::key_i64;
use crate::time::Instant;

/// Event kinds.
pub(crate) const KINDS: usize = 21;
/// `deliveries.late`.
pub(crate) const DELIVERY_LATE: usize = 0;
/// `deliveries.problem:<p>`, from here in [`Problem::ALL`](crate::input::records::Problem) order.
pub(crate) const PROBLEM: usize = 1;
/// `complaints.category:<c>`, in `Category::ALL` order.
pub(crate) const CATEGORY: usize = 6;
/// `complaints.severity:<s>`, in `Severity::ALL` order.
pub(crate) const SEVERITY: usize = 12;
/// `complaints.firstResponse.late`.
pub(crate) const FIRST_RESPONSE_LATE: usize = 16;
/// `complaints.resolution.late`.
pub(crate) const RESOLUTION_LATE: usize = 17;
/// `promises.broken`.
pub(crate) const PROMISE_BROKEN: usize = 18;
/// `contacts.unreturned`.
pub(crate) const UNRETURNED: usize = 19;
/// `contacts.outreachGap`.
pub(crate) const OUTREACH_GAP: usize = 20;

/// The name of an event kind, as reported.
pub(crate) fn name(k: usize) -> String {
    use crate::input::records::{Category, Problem, Severity};
    match k {
        DELIVERY_LATE => "deliveries.late".into(),
        PROBLEM..CATEGORY => format!("deliveries.problem:{}", Problem::ALL[k - PROBLEM].as_str()),
        CATEGORY..SEVERITY => format!("complaints.category:{}", Category::ALL[k - CATEGORY].as_str()),
        SEVERITY..FIRST_RESPONSE_LATE => format!("complaints.severity:{}", Severity::ALL[k - SEVERITY].as_str()),
        FIRST_RESPONSE_LATE => "complaints.firstResponse.late".into(),
        RESOLUTION_LATE => "complaints.resolution.late".into(),
        PROMISE_BROKEN => "promises.broken".into(),
        UNRETURNED => "contacts.unreturned".into(),
        _ => "contacts.outreachGap".into(),
    }
}

/// Whether something due at `due` and done at `done` (if it was by `as_of`) was late.
fn late(done: Option<Instant>, due: Instant, as_of: Instant) -> bool {
    done.map_or(as_of > due, |t| t > due)
}

/// Append customer `v`'s events as `(key_i64(instant), kind)` to `out` (unsorted). `tier` (the
/// customer's tier at `asOf`) sets the outreach cadence.
pub(crate) fn collect(cx: &Ctx, v: &View, tier: Tier, out: &mut Vec<(u64, u32)>) {
    let d = v.d;
    let policy = cx.policy;
    let cal = cx.cal;
    let as_of = v.as_of;
    let mut push = |t: Instant, k: usize| {
        if t <= as_of {
            out.push((key_i64(t), k as u32));
        }
    };

    for &i in v.deliveries {
        let dl = &d.deliveries[i as usize];
        let got = v.known(dl.delivered_at);
        match got {
            Some(at) if at > dl.promised_at => push(at, DELIVERY_LATE),
            None if as_of > dl.promised_at => push(dl.promised_at, DELIVERY_LATE),
            _ => {}
        }
        if let Some(p) = dl.problem {
            push(got.unwrap_or(dl.promised_at), PROBLEM + p as usize);
        }
    }

    for &i in v.complaints {
        let c = &d.complaints[i as usize];
        push(c.opened_at, SEVERITY + c.severity as usize);
        if let Some(cat) = c.category {
            push(c.opened_at, CATEGORY + cat as usize);
        }
        let resolved = v.known(c.resolved_at);
        let responded = match (v.known(c.first_response_at), resolved) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let due = cal.add_business_days(c.opened_at, policy.complaint_first_response_within);
        if late(responded, due, as_of) {
            push(due, FIRST_RESPONSE_LATE);
        }
        let due = cal.add_business_days(c.opened_at, policy.complaint_resolve_within.get(c.severity));
        if late(resolved, due, as_of) {
            push(due, RESOLUTION_LATE);
        }
    }

    for &i in v.promises {
        let p = &d.promises[i as usize];
        if late(v.known(p.kept_at), p.due_at, as_of) {
            push(p.due_at, PROMISE_BROKEN);
        }
    }

    if !cx.store.present[Table::Contacts as usize] {
        return;
    }
    let within = policy.return_contact_within;
    let every = Policy::days_ms(outreach_days(policy, tier));
    // The conversation waiting for a reply: its oldest and newest inbound contact.
    let (mut oldest, mut newest): (Option<Instant>, Option<Instant>) = (None, None);
    let mut gap_from = v.first_known();
    for &i in v.contacts {
        let k = &d.contacts[i as usize];
        if k.direction == Direction::Outbound {
            // An outbound contact returns the inbound ones strictly before it; those at the same
            // instant stay waiting (neglect's rule).
            if let Some(o) = oldest.filter(|o| *o < k.at) {
                let due = cal.add_business_days(o, within);
                if k.at > due {
                    push(due, UNRETURNED);
                }
                oldest = newest.filter(|n| *n == k.at);
                newest = oldest;
            }
            if let Some(from) = gap_from {
                if k.at > from + every {
                    push(from + every, OUTREACH_GAP);
                }
            }
            gap_from = Some(k.at);
        } else if k.needs_return() {
            oldest = oldest.or(Some(k.at));
            newest = Some(k.at);
        }
    }
    if let Some(o) = oldest {
        let due = cal.add_business_days(o, within);
        if as_of > due {
            push(due, UNRETURNED);
        }
    }
    if let Some(from) = gap_from {
        if as_of > from + every {
            push(from + every, OUTREACH_GAP);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Options;
    use crate::time::{format_instant, parse_instant};

    /// Customer `c1`'s events in `data` at `as_of`, as `(instant, kind name)` in time order.
    fn events(data: serde_json::Value, as_of: &str, tier: Tier) -> Vec<(String, String)> {
        let opts = Options::from_json(&serde_json::json!({ "asOf": as_of })).unwrap();
        let (store, _) = crate::engine::read_json_with(data.to_string().as_bytes(), &opts).unwrap();
        let cal = opts.policy.calendar();
        let cx = Ctx::new(&store, &opts.policy, &cal, opts.as_of);
        let mut out = Vec::new();
        collect(&cx, &cx.view(0), tier, &mut out);
        crate::sort::sort_pairs(&mut out);
        out.into_iter().map(|(t, k)| (format_instant((t ^ (1 << 63)) as i64, 0), name(k as usize))).collect()
    }

    fn at(s: &str) -> String {
        format_instant(parse_instant(s, 0).unwrap(), 0)
    }

    fn ev(s: &str, k: &str) -> (String, String) {
        (at(s), k.to_owned())
    }

    #[test]
    fn deliveries_late_by_the_dates_and_problems_by_value() {
        let data = serde_json::json!({
            "customers": [{"id": "c1"}],
            "deliveries": [
                {"id": "on-time", "customerId": "c1", "promisedAt": "2026-03-02T10:00:00Z", "deliveredAt": "2026-03-02T10:00:00Z"},
                {"id": "late-damaged", "customerId": "c1", "promisedAt": "2026-03-03T10:00:00Z", "deliveredAt": "2026-03-05T10:00:00Z", "problem": "damaged"},
                {"id": "marked-late", "customerId": "c1", "promisedAt": "2026-03-06T10:00:00Z", "deliveredAt": "2026-03-06T09:00:00Z", "problem": "late"},
                {"id": "undelivered", "customerId": "c1", "promisedAt": "2026-03-09T10:00:00Z", "problem": "missing"},
                {"id": "delivered-after-asof", "customerId": "c1", "promisedAt": "2026-03-10T10:00:00Z", "deliveredAt": "2026-04-01T00:00:00Z"},
                {"id": "not-yet-due", "customerId": "c1", "promisedAt": "2026-03-20T10:00:00Z"}
            ]
        });
        assert_eq!(
            events(data, "2026-03-20T10:00:00Z", Tier::C),
            vec![
                ev("2026-03-05T10:00:00Z", "deliveries.late"),
                ev("2026-03-05T10:00:00Z", "deliveries.problem:damaged"),
                ev("2026-03-06T09:00:00Z", "deliveries.problem:late"),
                ev("2026-03-09T10:00:00Z", "deliveries.late"),
                ev("2026-03-09T10:00:00Z", "deliveries.problem:missing"),
                ev("2026-03-10T10:00:00Z", "deliveries.late"),
            ]
        );
    }

    #[test]
    fn complaint_deadlines_in_business_days() {
        // Opened Friday: the first response is due Monday, a high one resolved by Wednesday.
        let data = serde_json::json!({
            "customers": [{"id": "c1"}],
            "complaints": [
                {"id": "q1", "customerId": "c1", "openedAt": "2026-03-06T09:00:00Z", "severity": "high", "category": "billing",
                 "firstResponseAt": "2026-03-10T09:00:00Z", "resolvedAt": "2026-03-11T09:00:00Z"},
                {"id": "q2", "customerId": "c1", "openedAt": "2026-03-09T09:00:00Z", "severity": "critical",
                 "resolvedAt": "2026-03-09T12:00:00Z"},
                {"id": "q3", "customerId": "c1", "openedAt": "2026-03-12T09:00:00Z", "severity": "low",
                 "firstResponseAt": "2026-03-13T09:00:00Z"}
            ]
        });
        assert_eq!(
            events(data, "2026-03-20T10:00:00Z", Tier::C),
            vec![
                ev("2026-03-06T09:00:00Z", "complaints.category:billing"),
                ev("2026-03-06T09:00:00Z", "complaints.severity:high"),
                ev("2026-03-09T09:00:00Z", "complaints.severity:critical"),
                ev("2026-03-09T09:00:00Z", "complaints.firstResponse.late"),
                ev("2026-03-12T09:00:00Z", "complaints.severity:low"),
            ]
        );
        // q2 was resolved (and so answered) within hours; q3, responded exactly on time, is due
        // to be resolved only on 2 April.
    }

    #[test]
    fn promises_broken_when_kept_late_or_not_at_all() {
        let data = serde_json::json!({
            "customers": [{"id": "c1"}],
            "promises": [
                {"id": "p1", "customerId": "c1", "madeAt": "2026-03-01", "dueAt": "2026-03-05", "keptAt": "2026-03-05"},
                {"id": "p2", "customerId": "c1", "madeAt": "2026-03-01", "dueAt": "2026-03-06", "keptAt": "2026-03-07"},
                {"id": "p3", "customerId": "c1", "madeAt": "2026-03-01", "dueAt": "2026-03-08"},
                {"id": "p4", "customerId": "c1", "madeAt": "2026-03-01", "dueAt": "2026-03-09", "keptAt": "2026-04-01"},
                {"id": "p5", "customerId": "c1", "madeAt": "2026-03-01", "dueAt": "2026-03-30"}
            ]
        });
        assert_eq!(
            events(data, "2026-03-20T10:00:00Z", Tier::C),
            vec![ev("2026-03-06", "promises.broken"), ev("2026-03-08", "promises.broken"), ev("2026-03-09", "promises.broken")]
        );
    }

    #[test]
    fn contacts_unreturned_per_conversation_and_outreach_gaps_per_tier() {
        let data = serde_json::json!({
            "customers": [{"id": "c1", "createdAt": "2026-01-01T09:00:00Z"}],
            "contacts": [
                // A conversation of two, returned late: one event, due a business day after the oldest.
                {"id": "k1", "customerId": "c1", "at": "2026-03-02T09:00:00Z", "direction": "inbound", "channel": "email"},
                {"id": "k2", "customerId": "c1", "at": "2026-03-03T09:00:00Z", "direction": "inbound", "channel": "call", "status": "missed"},
                {"id": "k3", "customerId": "c1", "at": "2026-03-05T09:00:00Z", "direction": "outbound", "channel": "email"},
                // An answered call needs no return; an email returned in time raises nothing.
                {"id": "k4", "customerId": "c1", "at": "2026-03-09T09:00:00Z", "direction": "inbound", "channel": "call", "status": "answered"},
                {"id": "k5", "customerId": "c1", "at": "2026-03-10T09:00:00Z", "direction": "inbound", "channel": "chat"},
                {"id": "k6", "customerId": "c1", "at": "2026-03-11T09:00:00Z", "direction": "outbound", "channel": "call"},
                // Still waiting at asOf.
                {"id": "k7", "customerId": "c1", "at": "2026-04-20T09:00:00Z", "direction": "inbound", "channel": "email"}
            ]
        });
        // Tier A: every 30 days. From createdAt to k3 is 63 days (a gap, at 31 Jan); k3 → k6 is
        // not; from k6 to asOf (15 May) is open past 10 April.
        assert_eq!(
            events(data.clone(), "2026-05-15T09:00:00Z", Tier::A),
            vec![
                ev("2026-01-31T09:00:00Z", "contacts.outreachGap"),
                ev("2026-03-03T09:00:00Z", "contacts.unreturned"),
                ev("2026-04-10T09:00:00Z", "contacts.outreachGap"),
                ev("2026-04-21T09:00:00Z", "contacts.unreturned"),
            ]
        );
        // Tier C: every 120 days, no gap.
        assert_eq!(
            events(data.clone(), "2026-05-15T09:00:00Z", Tier::C),
            vec![ev("2026-03-03T09:00:00Z", "contacts.unreturned"), ev("2026-04-21T09:00:00Z", "contacts.unreturned")]
        );
        // Not recorded: no contact events.
        let mut none = data;
        none.as_object_mut().unwrap().remove("contacts");
        assert_eq!(events(none, "2026-05-15T09:00:00Z", Tier::A), vec![]);
    }

    #[test]
    fn an_outbound_contact_at_the_same_instant_does_not_return_an_inbound_one() {
        let data = serde_json::json!({
            "customers": [{"id": "c1", "createdAt": "2026-03-01T09:00:00Z"}],
            "contacts": [
                {"id": "a", "customerId": "c1", "at": "2026-03-02T09:00:00Z", "direction": "inbound", "channel": "email"},
                {"id": "b", "customerId": "c1", "at": "2026-03-02T09:00:00Z", "direction": "outbound", "channel": "email"},
                {"id": "c", "customerId": "c1", "at": "2026-03-04T09:00:00Z", "direction": "outbound", "channel": "email"}
            ]
        });
        assert_eq!(events(data, "2026-03-06T09:00:00Z", Tier::C), vec![ev("2026-03-03T09:00:00Z", "contacts.unreturned")]);
    }
}
