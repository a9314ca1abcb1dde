//! Who is being neglected: SPEC's "whose turn is it" rules, one flag per open gap.
//!
//! | kind | open when (at `asOf`) | since | due | severity |
//! |---|---|---|---|---|
//! | `unreturned_contact` | an inbound contact (other than an answered call) has no outbound contact to the customer after it | the contact | + `returnContactWithin` business days | medium; high from 2 business days overdue; critical from 5 |
//! | `broken_promise` | `dueAt` passed without `keptAt` | `dueAt` | `dueAt` | high; critical from 5 |
//! | `complaint_no_response` | no `firstResponseAt` | opened | + `complaintFirstResponseWithin` | the complaint's severity, one step up |
//! | `complaint_overdue` | not resolved | opened | + `complaintResolveWithin[severity]` | the complaint's severity; one step up from 5 overdue |
//! | `complaint_no_update` | not resolved and no outbound contact since the later of opening and the last outbound contact | that instant | + `complaintUpdateEvery` | medium; high for high/critical complaints |
//! | `no_outreach` | no outbound contact for `outreachEvery[tier]` calendar days | last outbound contact, else first known date | + that many days | low; medium for tier A; one step up from 20 overdue |
//! | `no_feedback` | no feedback for `feedbackEvery` calendar days | last feedback, else first known date | + that many days | low |
//! | `delivery_failure` | past `promisedAt` and not delivered; or delivered late or with a `problem` and no outbound contact since delivery | promised / delivered | `promisedAt` / + `returnContactWithin` | medium; high for `missing`, `wrong_item`, `damaged` or from 3 overdue |
//!
//! A deadline is missed when `asOf` is strictly later than it. `overdue` is the workday time
//! from the deadline to `asOf` in business days. A snooze silences matching flags while `asOf`
//! is before its `until`: they are still reported, with `snoozed: true`.

use super::r2;
use crate::calendar::Calendar;
use crate::input::records::*;
use crate::input::snapshot::Snapshot;
use crate::policy::Policy;
use crate::score::value::Tier;
use crate::time::{date_from_days, format_instant, human_date, Instant, DAY_MS};
use chrono::Datelike;
use serde::Serialize;

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
    pub until: String,
    /// Why.
    pub reason: String,
}

/// One neglect flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    /// The kind of neglect.
    pub kind: NeglectKind,
    /// How bad it is.
    pub severity: Severity,
    /// When the gap opened.
    pub since: String,
    /// When it was due to be closed.
    pub due: String,
    /// Business days from `due` to `asOf`.
    pub overdue: f64,
    /// The row it is about; null for `no_outreach` and `no_feedback`.
    pub evidence: Option<Evidence>,
    /// Who should act: the row's own owner, else the customer's.
    pub owner: Option<String>,
    /// Silenced by a snooze (still reported).
    pub snoozed: bool,
    /// The snooze, when snoozed.
    pub snooze: Option<SnoozeInfo>,
    /// What to do, in words a rep understands.
    pub message: String,
    /// `since` as an instant.
    #[serde(skip)]
    pub since_at: Instant,
    /// `due` as an instant.
    #[serde(skip)]
    pub due_at: Instant,
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

struct Ctx<'a> {
    snap: &'a Snapshot<'a>,
    policy: &'a Policy,
    cal: &'a Calendar,
    c: usize,
    year: i32,
    out: Vec<Flag>,
}

impl Ctx<'_> {
    fn day(&self, t: Instant) -> String {
        human_date(date_from_days(self.cal.day(t)), self.year)
    }

    fn owner(&self, own: &Option<String>) -> Option<String> {
        own.clone().or_else(|| self.snap.data.customers[self.c].owner.clone())
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: NeglectKind,
        since: Instant,
        due: Instant,
        evidence: Option<(Table, &str)>,
        owner: Option<String>,
        severity: impl Fn(f64) -> Severity,
        message: impl Fn(&str) -> String,
    ) {
        let as_of = self.snap.as_of;
        if as_of <= due {
            return;
        }
        let overdue = r2(self.cal.business_days_between(due, as_of));
        let d = self.snap.data;
        let snooze = self
            .snap
            .snoozes
            .of(self.c)
            .iter()
            .map(|i| &d.snoozes[*i as usize])
            .filter(|s| s.silences(kind, as_of))
            .max_by(|a, b| a.until.cmp(&b.until).then_with(|| a.reason.cmp(&b.reason)));
        let off = self.policy.offset_secs;
        self.out.push(Flag {
            kind,
            severity: severity(overdue),
            since: format_instant(since, off),
            due: format_instant(due, off),
            overdue,
            evidence: evidence.map(|(table, id)| Evidence { table, id: id.to_owned() }),
            owner,
            snoozed: snooze.is_some(),
            snooze: snooze.map(|s| SnoozeInfo { until: format_instant(s.until, off), reason: s.reason.clone() }),
            message: message(&overdue_text(overdue)),
            since_at: since,
            due_at: due,
        });
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

/// The neglect flags of customer `c`, most overdue first. `tier` sets the outreach cadence.
pub fn detect(snap: &Snapshot, policy: &Policy, cal: &Calendar, c: usize, tier: Tier) -> Vec<Flag> {
    let d = snap.data;
    let as_of = snap.as_of;
    let mut cx = Ctx { snap, policy, cal, c, year: date_from_days(cal.day(as_of)).year(), out: Vec::new() };
    let contacts = snap.contacts.of(c);
    let last_out: Option<Instant> = contacts
        .iter()
        .rev()
        .map(|i| &d.contacts[*i as usize])
        .find(|k| k.direction == Direction::Outbound)
        .map(|k| k.at);
    let out_after = |t: Instant| last_out.is_some_and(|o| o > t);

    for &i in contacts {
        let k = &d.contacts[i as usize];
        if !k.needs_return() || out_after(k.at) {
            continue;
        }
        let due = cal.add_business_days(k.at, policy.return_contact_within);
        let (noun, when) = (contact_noun(k), cx.day(k.at));
        cx.push(
            NeglectKind::UnreturnedContact,
            k.at,
            due,
            Some((Table::Contacts, &k.id)),
            cx.owner(&k.owner),
            |o| if o >= 5.0 { Severity::Critical } else if o >= 2.0 { Severity::High } else { Severity::Medium },
            |od| format!("Return the {noun} of {when} — {od}"),
        );
    }

    for &i in snap.promises.of(c) {
        let p = &d.promises[i as usize];
        if snap.known(p.kept_at).is_some() {
            continue;
        }
        let (made, due_day) = (cx.day(p.made_at), cx.day(p.due_at));
        let what = match &p.text {
            Some(t) if !t.trim().is_empty() => format!("“{}” (promised {made})", clip(t.trim(), 80)),
            _ => format!("made {made}"),
        };
        cx.push(
            NeglectKind::BrokenPromise,
            p.due_at,
            p.due_at,
            Some((Table::Promises, &p.id)),
            cx.owner(&p.owner),
            |o| if o >= 5.0 { Severity::Critical } else { Severity::High },
            |od| format!("Keep the promise {what} — due {due_day}, {od}"),
        );
    }

    for &i in snap.complaints.of(c) {
        let x = &d.complaints[i as usize];
        if snap.known(x.resolved_at).is_some() {
            continue;
        }
        let (noun, opened) = (complaint_noun(x), cx.day(x.opened_at));
        let owner = cx.owner(&None);
        if snap.known(x.first_response_at).is_none() {
            let due = cal.add_business_days(x.opened_at, policy.complaint_first_response_within);
            cx.push(
                NeglectKind::ComplaintNoResponse,
                x.opened_at,
                due,
                Some((Table::Complaints, &x.id)),
                owner.clone(),
                |_| x.severity.raised(),
                |od| format!("Respond to the {noun} of {opened} — {od}"),
            );
        }
        let due = cal.add_business_days(x.opened_at, policy.complaint_resolve_within.get(x.severity));
        cx.push(
            NeglectKind::ComplaintOverdue,
            x.opened_at,
            due,
            Some((Table::Complaints, &x.id)),
            owner.clone(),
            |o| if o >= 5.0 { x.severity.raised() } else { x.severity },
            |od| format!("Resolve the {noun} of {opened} — resolution {od}"),
        );
        let from = last_out.map_or(x.opened_at, |o| o.max(x.opened_at));
        let due = cal.add_business_days(from, policy.complaint_update_every);
        let from_day = cx.day(from);
        let since_what = if from > x.opened_at { format!("last contact {from_day}") } else { "no contact since it was opened".into() };
        cx.push(
            NeglectKind::ComplaintNoUpdate,
            from,
            due,
            Some((Table::Complaints, &x.id)),
            owner,
            |_| if x.severity >= Severity::High { Severity::High } else { Severity::Medium },
            |od| format!("Update the customer on the open {noun} of {opened} — {since_what}, {od}"),
        );
    }

    for &i in snap.deliveries.of(c) {
        let x = &d.deliveries[i as usize];
        let owner = cx.owner(&None);
        match snap.known(x.delivered_at) {
            None => {
                let promised = cx.day(x.promised_at);
                cx.push(
                    NeglectKind::DeliveryFailure,
                    x.promised_at,
                    x.promised_at,
                    Some((Table::Deliveries, &x.id)),
                    owner,
                    |o| delivery_severity(x.problem, o),
                    |od| format!("Chase the delivery promised {promised} — not delivered, {od}"),
                );
            }
            Some(at) if (at > x.promised_at || x.problem.is_some()) && !out_after(at) => {
                let due = cal.add_business_days(at, policy.return_contact_within);
                let (noun, when) = (problem_noun(x.problem), cx.day(at));
                cx.push(
                    NeglectKind::DeliveryFailure,
                    at,
                    due,
                    Some((Table::Deliveries, &x.id)),
                    owner,
                    |o| delivery_severity(x.problem, o),
                    |od| format!("Follow up on the {noun} delivery of {when} — nobody has contacted the customer since, {od}"),
                );
            }
            Some(_) => {}
        }
    }

    let first = snap.first_known(c);
    let owner = cx.owner(&None);
    if let Some(since) = last_out.or(first) {
        let every = match tier {
            Tier::A => policy.outreach_every.a,
            Tier::B => policy.outreach_every.b,
            Tier::C => policy.outreach_every.c,
        };
        let days = (as_of - since) / DAY_MS;
        let why = if last_out.is_some() { "no outbound contact for" } else { "never contacted in" };
        let tier_name = format!("{tier:?}");
        cx.push(
            NeglectKind::NoOutreach,
            since,
            since + Policy::days_ms(every),
            None,
            owner.clone(),
            |o| {
                let base = if tier == Tier::A { Severity::Medium } else { Severity::Low };
                if o >= 20.0 { base.raised() } else { base }
            },
            |_| format!("Reach out — {why} {days} days (tier {tier_name}: every {every} days)"),
        );
    }
    let last_fb = snap.feedback.of(c).last().map(|i| d.feedback[*i as usize].at);
    if let Some(since) = last_fb.or(first) {
        let every = policy.feedback_every;
        let days = (as_of - since) / DAY_MS;
        let why = if last_fb.is_some() { "none for" } else { "never given in" };
        cx.push(
            NeglectKind::NoFeedback,
            since,
            since + Policy::days_ms(every),
            None,
            owner,
            |_| Severity::Low,
            |_| format!("Ask for feedback — {why} {days} days (every {every} days)"),
        );
    }

    let mut out = cx.out;
    super::sort_by(&mut out, |a, b| {
        b.overdue
            .partial_cmp(&a.overdue)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.evidence.as_ref().map(|e| &e.id).cmp(&b.evidence.as_ref().map(|e| &e.id)))
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

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    } else {
        s.to_owned()
    }
}
