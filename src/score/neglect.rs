//! Who is being neglected: SPEC's "whose turn is it" rules, one flag per open gap.
//!
//! | kind | open when (at `asOf`) | since | due | severity |
//! |---|---|---|---|---|
//! | `unreturned_contact` | inbound contacts (other than answered calls) have no outbound contact to the customer after them: one flag for them all (one conversation waiting for a reply, with their `count`) | the oldest of them | + `returnContactWithin` business days | medium; high from 2 business days overdue; critical from 5 |
//! | `broken_promise` | `dueAt` passed without `keptAt` | `dueAt` | `dueAt` | high; critical from 5 |
//! | `complaint_no_response` | no `firstResponseAt` | opened | + `complaintFirstResponseWithin` | the complaint's severity, one step up |
//! | `complaint_overdue` | not resolved | opened | + `complaintResolveWithin[severity]` | the complaint's severity; one step up from 5 overdue |
//! | `complaint_no_update` | not resolved and no outbound contact since the later of opening and the last outbound contact | that instant | + `complaintUpdateEvery` | medium; high for high/critical complaints |
//! | `no_outreach` | no outbound contact for `outreachEvery[tier]` calendar days | last outbound contact, else first known date | + that many days | low; medium for tier A; one step up from 20 overdue |
//! | `no_feedback` | no feedback for `feedbackEvery` calendar days | last feedback, else first known date | + that many days | low |
//! | `delivery_failure` | past `promisedAt` and not delivered; or delivered late or with a `problem` and no outbound contact since delivery | promised / delivered | `promisedAt` / + `returnContactWithin` | medium; high for `missing`, `wrong_item`, `damaged` or from 3 overdue |
//!
//! A table missing from the export is "not recorded", not "none": without `contacts` there is no
//! `unreturned_contact`, `complaint_no_update`, `no_outreach` or follow-up `delivery_failure`
//! (an undelivered one still is), without `feedback` no `no_feedback` ([`NOT_EVALUATED`]).
//!
//! A deadline is missed when `asOf` is strictly later than it. `overdue` is the workday time
//! from the deadline to `asOf` in business days. A snooze silences matching flags while `asOf`
//! is before its `until`: they are still reported, with `snoozed: true`.

use super::r2;
use super::value::Tier;
use super::view::{Ctx, View};
use crate::input::records::*;
use crate::input::strings::Own;
use crate::policy::Policy;
use crate::time::{Instant, Stamp, DAY_MS};
use serde::Serialize;

/// What is not evaluated when a table is missing from the export: `(table, rules and health
/// components left out)`, listed in the report's `input.notEvaluated`, in table order.
pub const NOT_EVALUATED: [(Table, &str); 5] = [
    (Table::Orders, "the buying status (not_recorded) and the buying component of health; value tiers, RFM and lifetime value see no revenue"),
    (Table::Contacts, "unreturned_contact, complaint_no_update, no_outreach and the follow-up of late or faulty deliveries"),
    (Table::Complaints, "complaint_no_response, complaint_overdue, complaint_no_update"),
    (Table::Feedback, "no_feedback and surveys in the satisfaction component"),
    (Table::Deliveries, "delivery_failure"),
];

/// The row a flag is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Its table.
    pub table: Table,
    /// Its id.
    pub id: String,
}

/// The snooze that silences a flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnoozeInfo {
    /// Until when.
    pub until: Stamp,
    /// Why.
    pub reason: String,
}

/// One neglect flag, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    /// The kind of neglect.
    pub kind: NeglectKind,
    /// How bad it is.
    pub severity: Severity,
    /// When the gap opened.
    pub since: Stamp,
    /// When it was due to be closed.
    pub due: Stamp,
    /// Business days from `due` to `asOf`.
    pub overdue: f64,
    /// The row it is about (for `unreturned_contact`, the oldest contact waiting); null for
    /// `no_outreach` and `no_feedback`.
    pub evidence: Option<Evidence>,
    /// `unreturned_contact`: the inbound contacts waiting for a reply since the last outbound
    /// contact (one conversation, one flag); null for the other kinds.
    pub count: Option<u32>,
    /// Who should act: the row's own owner, else the customer's.
    pub owner: Option<String>,
    /// Silenced by a snooze (still reported).
    pub snoozed: bool,
    /// The snooze, when snoozed.
    pub snooze: Option<SnoozeInfo>,
    /// What to do, in words a rep understands.
    pub message: String,
}

/// What a flag's message needs beyond its row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Note {
    /// Nothing more.
    Plain,
    /// A delivery that came (late or with a problem) and was not followed up.
    Delivered,
    /// `no_outreach`: whether there was an outbound contact, and the tier's cadence.
    Outreach {
        /// There was an outbound contact (else: never contacted since the first known date).
        contacted: bool,
        /// The value tier that sets the cadence.
        tier: Tier,
    },
    /// `unreturned_contact`: the inbound contacts waiting for a reply (one conversation).
    Waiting {
        /// How many.
        count: u32,
    },
    /// `no_feedback`: whether there was feedback.
    Feedback {
        /// There was feedback (else: never, since the first known date).
        given: bool,
    },
}

/// One neglect flag as scored: numbers and row slots, described in words only when shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlagCore {
    /// The kind of neglect.
    pub kind: NeglectKind,
    /// How bad it is.
    pub severity: Severity,
    /// When the gap opened.
    pub since: Instant,
    /// When it was due to be closed.
    pub due: Instant,
    /// Business days from `due` to `asOf`.
    pub overdue: f64,
    /// The row it is about.
    pub evidence: Option<(Table, Slot)>,
    /// Who should act.
    pub owner: Option<Own>,
    /// The snooze that silences it.
    pub snooze: Option<Slot>,
    /// What the message needs beyond the row.
    pub note: Note,
}

impl FlagCore {
    /// Whether a snooze silences it.
    pub fn snoozed(&self) -> bool {
        self.snooze.is_some()
    }
}

/// "4 business days overdue".
pub fn overdue_text(x: f64) -> String {
    if x < 1.0 {
        "less than a business day overdue".into()
    } else {
        let n = x.round() as i64;
        format!("{n} business day{} overdue", if n == 1 { "" } else { "s" })
    }
}

struct Detect<'a> {
    cx: &'a Ctx<'a>,
    v: &'a View<'a>,
    out: Vec<FlagCore>,
    /// The snooze that silences each kind (found once per kind: a customer may hold many
    /// snoozes and many flags).
    snoozes: [Option<Option<Slot>>; 16],
}

impl Detect<'_> {
    /// The snooze silencing `kind` at `asOf`: the one lasting longest (ties by reason).
    fn snooze(&mut self, kind: NeglectKind) -> Option<Slot> {
        let (d, as_of) = (self.v.d, self.v.as_of);
        let snoozes = self.v.snoozes;
        *self.snoozes[kind as usize % 16].get_or_insert_with(|| {
            snoozes.iter().copied().filter(|i| d.snoozes[*i as usize].silences(kind, as_of)).max_by(|a, b| {
                let (x, y) = (&d.snoozes[*a as usize], &d.snoozes[*b as usize]);
                x.until.cmp(&y.until).then_with(|| d.s(x.reason).cmp(d.s(y.reason)))
            })
        })
    }

    fn owner(&self, own: Option<Own>) -> Option<Own> {
        own.or(self.v.customer().owner)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: NeglectKind,
        since: Instant,
        due: Instant,
        evidence: Option<(Table, Slot)>,
        owner: Option<Own>,
        severity: impl Fn(f64) -> Severity,
        note: Note,
    ) {
        let as_of = self.v.as_of;
        if as_of <= due {
            return;
        }
        let overdue = r2(self.cx.cal.business_days_between(due, as_of));
        let snooze = self.snooze(kind);
        self.out.push(FlagCore { kind, severity: severity(overdue), since, due, overdue, evidence, owner, snooze, note });
    }
}

/// The cadence of outreach for a tier, in calendar days.
pub fn outreach_days(policy: &Policy, tier: Tier) -> u32 {
    match tier {
        Tier::A => policy.outreach_every.a,
        Tier::B => policy.outreach_every.b,
        Tier::C => policy.outreach_every.c,
    }
}

/// The neglect flags of one customer, most overdue first. `tier` sets the outreach cadence.
pub fn detect(cx: &Ctx, v: &View, tier: Tier) -> Vec<FlagCore> {
    let d = v.d;
    let policy = cx.policy;
    let cal = cx.cal;
    let as_of = v.as_of;
    let mut x = Detect { cx, v, out: Vec::new(), snoozes: [None; 16] };
    let last_out: Option<Instant> =
        v.contacts.iter().rev().map(|i| &d.contacts[*i as usize]).find(|k| k.direction == Direction::Outbound).map(|k| k.at);
    let out_after = |t: Instant| last_out.is_some_and(|o| o > t);
    // A table missing from the export is "not recorded": the rules that need it are not
    // evaluated (an empty table is "recorded, none", and they are).
    let recorded = |t: Table| cx.store.present[t as usize];
    let contacts = recorded(Table::Contacts);

    // The inbound contacts not returned since the last outbound one: one conversation waiting
    // for a reply, due from the oldest.
    let mut waiting = v.contacts.iter().copied().filter(|i| {
        let k = &d.contacts[*i as usize];
        k.needs_return() && !out_after(k.at)
    });
    if let Some(first) = waiting.next().filter(|_| contacts) {
        let count = 1 + waiting.count() as u32;
        let k = &d.contacts[first as usize];
        let due = cal.add_business_days(k.at, policy.return_contact_within);
        x.push(
            NeglectKind::UnreturnedContact,
            k.at,
            due,
            Some((Table::Contacts, first)),
            x.owner(k.owner),
            |o| if o >= 5.0 { Severity::Critical } else if o >= 2.0 { Severity::High } else { Severity::Medium },
            Note::Waiting { count },
        );
    }

    for &i in v.promises {
        let p = &d.promises[i as usize];
        if v.known(p.kept_at).is_some() {
            continue;
        }
        x.push(
            NeglectKind::BrokenPromise,
            p.due_at,
            p.due_at,
            Some((Table::Promises, i)),
            x.owner(p.owner),
            |o| if o >= 5.0 { Severity::Critical } else { Severity::High },
            Note::Plain,
        );
    }

    for &i in v.complaints {
        let c = &d.complaints[i as usize];
        if v.known(c.resolved_at).is_some() {
            continue;
        }
        let owner = x.owner(None);
        let ev = Some((Table::Complaints, i));
        if v.known(c.first_response_at).is_none() {
            let due = cal.add_business_days(c.opened_at, policy.complaint_first_response_within);
            x.push(NeglectKind::ComplaintNoResponse, c.opened_at, due, ev, owner, |_| c.severity.raised(), Note::Plain);
        }
        let due = cal.add_business_days(c.opened_at, policy.complaint_resolve_within.get(c.severity));
        x.push(
            NeglectKind::ComplaintOverdue,
            c.opened_at,
            due,
            ev,
            owner,
            |o| if o >= 5.0 { c.severity.raised() } else { c.severity },
            Note::Plain,
        );
        if !contacts {
            continue;
        }
        let from = last_out.map_or(c.opened_at, |o| o.max(c.opened_at));
        let due = cal.add_business_days(from, policy.complaint_update_every);
        x.push(
            NeglectKind::ComplaintNoUpdate,
            from,
            due,
            ev,
            owner,
            |_| if c.severity >= Severity::High { Severity::High } else { Severity::Medium },
            Note::Plain,
        );
    }

    for &i in v.deliveries {
        let dl = &d.deliveries[i as usize];
        let owner = x.owner(None);
        let ev = Some((Table::Deliveries, i));
        match v.known(dl.delivered_at) {
            None => x.push(NeglectKind::DeliveryFailure, dl.promised_at, dl.promised_at, ev, owner, |o| delivery_severity(dl.problem, o), Note::Plain),
            Some(at) if contacts && (at > dl.promised_at || dl.problem.is_some()) && !out_after(at) => {
                let due = cal.add_business_days(at, policy.return_contact_within);
                x.push(NeglectKind::DeliveryFailure, at, due, ev, owner, |o| delivery_severity(dl.problem, o), Note::Delivered);
            }
            Some(_) => {}
        }
    }

    let first = v.first_known();
    let owner = x.owner(None);
    if let Some(since) = last_out.or(first).filter(|_| contacts) {
        let every = outreach_days(policy, tier);
        x.push(
            NeglectKind::NoOutreach,
            since,
            since + Policy::days_ms(every),
            None,
            owner,
            |o| {
                let base = if tier == Tier::A { Severity::Medium } else { Severity::Low };
                if o >= 20.0 { base.raised() } else { base }
            },
            Note::Outreach { contacted: last_out.is_some(), tier },
        );
    }
    let last_fb = v.feedback.last().map(|i| d.feedback[*i as usize].at);
    if let Some(since) = last_fb.or(first).filter(|_| recorded(Table::Feedback)) {
        x.push(
            NeglectKind::NoFeedback,
            since,
            since + Policy::days_ms(policy.feedback_every),
            None,
            owner,
            |_| Severity::Low,
            Note::Feedback { given: last_fb.is_some() },
        );
    }

    let mut out = x.out;
    let _ = as_of;
    crate::sort::sort_by(&mut out, |a, b| {
        b.overdue
            .partial_cmp(&a.overdue)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.evidence.map(|(t, s)| d.row_id(t, s)).cmp(&b.evidence.map(|(t, s)| d.row_id(t, s))))
    });
    out
}

fn delivery_severity(p: Option<Problem>, overdue: f64) -> Severity {
    if matches!(p, Some(Problem::Missing | Problem::WrongItem | Problem::Damaged)) || overdue >= 3.0 {
        Severity::High
    } else {
        Severity::Medium
    }
}

fn contact_noun(c: &Contact) -> &'static str {
    match (c.channel, c.status) {
        (Channel::Call, Some(CallStatus::Missed)) => "missed call",
        (Channel::Call, Some(CallStatus::Voicemail)) => "voicemail",
        (Channel::Call, _) => "call",
        (Channel::Email, _) => "email",
        (Channel::Chat, _) => "chat message",
        (Channel::Meeting, _) => "meeting request",
        (Channel::Visit, _) => "visit",
        (Channel::Letter, _) => "letter",
    }
}

fn problem_noun(p: Option<Problem>) -> &'static str {
    match p {
        Some(Problem::Late) | None => "late",
        Some(Problem::Damaged) => "damaged",
        Some(Problem::WrongItem) => "wrong-item",
        Some(Problem::Documentation) => "documentation problem",
        Some(Problem::Missing) => "incomplete",
    }
}

fn complaint_noun(x: &Complaint) -> String {
    match x.category {
        Some(cat) => format!("{} {} complaint", x.severity.as_str(), cat.as_str()),
        None => format!("{} complaint", x.severity.as_str()),
    }
}

/// A flag in words, as reported.
pub fn describe(f: &FlagCore, cx: &Ctx) -> Flag {
    let d = cx.data();
    let off = cx.policy.offset_secs;
    let od = overdue_text(f.overdue);
    let slot = f.evidence.map_or(0, |(_, s)| s as usize);
    let message = match f.kind {
        NeglectKind::UnreturnedContact => {
            let k = &d.contacts[slot];
            match f.note {
                Note::Waiting { count } if count > 1 => {
                    let more = count - 1;
                    let s = if more == 1 { "" } else { "s" };
                    format!("Return the {} of {} and {more} more contact{s} since — {od}", contact_noun(k), cx.day(k.at))
                }
                _ => format!("Return the {} of {} — {od}", contact_noun(k), cx.day(k.at)),
            }
        }
        NeglectKind::BrokenPromise => {
            let p = &d.promises[slot];
            let made = cx.day(p.made_at);
            let what = match d.opt(p.text).map(str::trim) {
                Some(t) if !t.is_empty() => format!("“{}” (promised {made})", clip(t, 80)),
                _ => format!("made {made}"),
            };
            format!("Keep the promise {what} — due {}, {od}", cx.day(p.due_at))
        }
        NeglectKind::ComplaintNoResponse => {
            let c = &d.complaints[slot];
            format!("Respond to the {} of {} — {od}", complaint_noun(c), cx.day(c.opened_at))
        }
        NeglectKind::ComplaintOverdue => {
            let c = &d.complaints[slot];
            format!("Resolve the {} of {} — resolution {od}", complaint_noun(c), cx.day(c.opened_at))
        }
        NeglectKind::ComplaintNoUpdate => {
            let c = &d.complaints[slot];
            let since_what = if f.since > c.opened_at { format!("last contact {}", cx.day(f.since)) } else { "no contact since it was opened".into() };
            format!("Update the customer on the open {} of {} — {since_what}, {od}", complaint_noun(c), cx.day(c.opened_at))
        }
        NeglectKind::DeliveryFailure => {
            let dl = &d.deliveries[slot];
            match f.note {
                Note::Delivered => format!(
                    "Follow up on the {} delivery of {} — nobody has contacted the customer since, {od}",
                    problem_noun(dl.problem),
                    cx.day(f.since)
                ),
                _ => format!("Chase the delivery promised {} — not delivered, {od}", cx.day(dl.promised_at)),
            }
        }
        NeglectKind::NoOutreach => {
            let (contacted, tier) = match f.note {
                Note::Outreach { contacted, tier } => (contacted, tier),
                _ => (false, Tier::C),
            };
            let every = outreach_days(cx.policy, tier);
            let why = if contacted { "no outbound contact for" } else { "never contacted in" };
            format!("Reach out — {why} {} days (tier {}: every {every} days)", (cx.as_of - f.since) / DAY_MS, tier.as_str())
        }
        NeglectKind::NoFeedback => {
            let given = matches!(f.note, Note::Feedback { given: true });
            let why = if given { "none for" } else { "never given in" };
            format!("Ask for feedback — {why} {} days (every {} days)", (cx.as_of - f.since) / DAY_MS, cx.policy.feedback_every)
        }
    };
    let snooze = f.snooze.map(|s| &d.snoozes[s as usize]);
    Flag {
        kind: f.kind,
        severity: f.severity,
        since: Stamp::new(f.since, off),
        due: Stamp::new(f.due, off),
        overdue: f.overdue,
        evidence: f.evidence.map(|(table, s)| Evidence { table, id: d.row_id(table, s).unwrap_or("").to_owned() }),
        count: match f.note {
            Note::Waiting { count } => Some(count),
            _ => None,
        },
        owner: d.owner(f.owner).map(str::to_owned),
        snoozed: snooze.is_some(),
        snooze: snooze.map(|s| SnoozeInfo { until: Stamp::new(s.until, off), reason: d.s(s.reason).to_owned() }),
        message,
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    } else {
        s.to_owned()
    }
}
