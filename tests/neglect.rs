//! Every neglect kind on both sides of its deadline, over weekends and holidays, and SPEC's
//! "whose turn is it" rules.

mod common;
use common::*;
use serde_json::json;

const EARLY: &str = "2026-11-02T09:00:00Z"; // Monday: the base outbound contact

fn inbound(id: &str, at: &str, channel: &str, status: Option<&str>) -> serde_json::Value {
    let mut c = json!({"id": id, "customerId": "c1", "at": at, "direction": "inbound", "channel": channel});
    if let Some(s) = status {
        c["status"] = json!(s);
    }
    c
}

fn outbound(id: &str, at: &str) -> serde_json::Value {
    json!({"id": id, "customerId": "c1", "at": at, "direction": "outbound", "channel": "call", "status": "answered"})
}

#[test]
fn unreturned_contact_both_sides_of_the_deadline() {
    // Thu 19 Nov 09:30 → due Fri 20 Nov 09:30.
    let data = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-19T09:30:00Z", "call", Some("missed"))]));
    assert!(flags_of(&run(data.clone(), "2026-11-20T09:30:00Z"), "c1", "unreturned_contact").is_empty());
    let r = run(data.clone(), "2026-11-20T09:30:01Z");
    let f = flags_of(&r, "c1", "unreturned_contact");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].due, "2026-11-20T09:30:00+00:00");
    assert_eq!(f[0].since, "2026-11-19T09:30:00+00:00");
    assert_eq!(f[0].evidence.as_ref().unwrap().id, "k1");
    assert_eq!(f[0].evidence.as_ref().unwrap().table.as_str(), "contacts");
    assert_eq!(f[0].owner.as_deref(), Some("Alice"));
    assert!(!f[0].snoozed);
    // A week later: 4 business days overdue (Fri → Thu, weekend excluded).
    let r = run(data, "2026-11-26T09:30:00Z");
    let f = flags_of(&r, "c1", "unreturned_contact");
    assert_eq!(f[0].overdue, 4.0);
    assert_eq!(f[0].message, "Return the missed call of Thu 19 Nov — 4 business days overdue");
    assert_eq!(f[0].severity.as_str(), "high");
}

#[test]
fn unreturned_contact_over_a_weekend() {
    // Fri 20 Nov 14:00 → due Mon 23 Nov 14:00.
    let data = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-20T14:00:00Z", "email", None)]));
    assert!(flags_of(&run(data.clone(), "2026-11-22T23:00:00Z"), "c1", "unreturned_contact").is_empty());
    assert!(flags_of(&run(data.clone(), "2026-11-23T14:00:00Z"), "c1", "unreturned_contact").is_empty());
    let r = run(data, "2026-11-23T14:00:01Z");
    assert_eq!(flags_of(&r, "c1", "unreturned_contact").len(), 1);
}

#[test]
fn unreturned_contact_over_a_holiday() {
    // Fri 20 Nov 14:00 with Mon 23 Nov a holiday → due Tue 24 Nov 14:00.
    let data = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-20T14:00:00Z", "chat", None)]));
    let policy = json!({"holidays": ["2026-11-23"]});
    assert!(flags_of(&run_with(data.clone(), "2026-11-23T20:00:00Z", policy.clone()), "c1", "unreturned_contact").is_empty());
    assert!(flags_of(&run_with(data.clone(), "2026-11-24T13:59:59Z", policy.clone()), "c1", "unreturned_contact").is_empty());
    let r = run_with(data, "2026-11-24T15:00:00Z", policy);
    let f = flags_of(&r, "c1", "unreturned_contact");
    assert_eq!(f[0].due, "2026-11-24T14:00:00+00:00");
}

#[test]
fn contact_on_a_weekend_counts_from_the_next_workday() {
    // Saturday 21 Nov → counting starts Mon 23 00:00 → due Tue 24 00:00.
    let data = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-21T11:00:00Z", "email", None)]));
    assert!(flags_of(&run(data.clone(), "2026-11-23T23:59:59Z"), "c1", "unreturned_contact").is_empty());
    let r = run(data, "2026-11-24T00:00:01Z");
    assert_eq!(flags_of(&r, "c1", "unreturned_contact")[0].due, "2026-11-24T00:00:00+00:00");
}

#[test]
fn answered_call_needs_no_return() {
    let data = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-10T09:30:00Z", "call", Some("answered"))]));
    assert!(flags_of(&run(data, "2026-11-20T17:00:00Z"), "c1", "unreturned_contact").is_empty());
}

#[test]
fn voicemail_and_unanswered_channels_need_a_return() {
    let data = with(
        base(EARLY),
        "contacts",
        json!([inbound("k1", "2026-11-10T09:30:00Z", "call", Some("voicemail")), inbound("k2", "2026-11-10T10:30:00Z", "meeting", None)]),
    );
    let r = run(data, "2026-11-20T17:00:00Z");
    let f = flags_of(&r, "c1", "unreturned_contact");
    // Both wait for a reply: one conversation, one flag.
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].count, Some(2));
    assert!(f[0].message.starts_with("Return the voicemail of Tue 10 Nov and 1 more contact since — "), "{}", f[0].message);
}

#[test]
fn the_contacts_waiting_since_the_last_outbound_are_one_flag_due_from_the_oldest() {
    let mut contacts = vec![inbound("k0", "2026-11-02T09:00:00Z", "email", None), outbound("o1", "2026-11-03T08:00:00Z")];
    for (i, day) in ["05", "06", "09", "12"].iter().enumerate() {
        contacts.push(inbound(&format!("k{}", i + 1), &format!("2026-11-{day}T09:00:00Z"), "email", None));
    }
    // An answered call needs no reply and is not counted.
    contacts.push(inbound("k9", "2026-11-13T09:00:00Z", "call", Some("answered")));
    let r = run(with(base(EARLY), "contacts", json!(contacts)), "2026-11-20T17:00:00Z");
    let f = flags_of(&r, "c1", "unreturned_contact");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].count, Some(4));
    assert_eq!(f[0].evidence.as_ref().map(|e| e.id.as_str()), Some("k1"));
    assert!(f[0].since.to_string().starts_with("2026-11-05"), "{}", f[0].since);
    assert!(f[0].message.contains("and 3 more contacts since"), "{}", f[0].message);
    // One action for the conversation.
    let c = r.customers.iter().find(|c| c.id == "c1").unwrap();
    assert_eq!(c.actions.iter().filter(|a| a.kind == "unreturned_contact").count(), 1, "{:#?}", c.actions);
    // Other kinds have no count.
    assert!(flags(&r, "c1").iter().filter(|f| f.kind.as_str() != "unreturned_contact").all(|f| f.count.is_none()));
}

#[test]
fn inbound_is_returned_by_a_later_outbound_on_any_channel() {
    let mut later = outbound("o1", "2026-11-17T08:00:00Z");
    later["channel"] = json!("email");
    let data = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-16T09:30:00Z", "call", Some("voicemail")), later]));
    assert!(flags_of(&run(data, "2026-11-20T17:00:00Z"), "c1", "unreturned_contact").is_empty());
}

#[test]
fn outbound_before_or_at_the_same_instant_does_not_return_it() {
    let data = with(
        base(EARLY),
        "contacts",
        json!([outbound("o1", "2026-11-16T09:30:00Z"), inbound("k1", "2026-11-16T09:30:00Z", "email", None)]),
    );
    assert_eq!(flags_of(&run(data, "2026-11-20T17:00:00Z"), "c1", "unreturned_contact").len(), 1);
}

#[test]
fn a_return_after_as_of_has_not_happened_yet() {
    let data = with(
        base(EARLY),
        "contacts",
        json!([inbound("k1", "2026-11-16T09:30:00Z", "email", None), outbound("o1", "2026-11-25T09:30:00Z")]),
    );
    let r = run(data.clone(), "2026-11-20T17:00:00Z");
    assert_eq!(flags_of(&r, "c1", "unreturned_contact").len(), 1);
    assert_eq!(r.input.contacts.future, 1);
    assert!(flags_of(&run(data, "2026-11-25T10:00:00Z"), "c1", "unreturned_contact").is_empty());
}

#[test]
fn the_contact_owner_owns_the_flag() {
    let mut k = inbound("k1", "2026-11-16T09:30:00Z", "email", None);
    k["owner"] = json!("Bruno");
    let r = run(with(base(EARLY), "contacts", json!([k])), "2026-11-20T17:00:00Z");
    assert_eq!(flags_of(&r, "c1", "unreturned_contact")[0].owner.as_deref(), Some("Bruno"));
}

fn promise(kept: Option<&str>) -> serde_json::Value {
    let mut p = json!({"id": "p1", "customerId": "c1", "madeAt": "2026-11-06T10:00:00Z", "dueAt": "2026-11-13T17:00:00Z",
                       "owner": "Chen", "text": "Send the revised quote"});
    if let Some(k) = kept {
        p["keptAt"] = json!(k);
    }
    p
}

#[test]
fn broken_promise_both_sides_of_due() {
    let data = with(base(EARLY), "promises", json!([promise(None)]));
    assert!(flags_of(&run(data.clone(), "2026-11-13T17:00:00Z"), "c1", "broken_promise").is_empty());
    let r = run(data.clone(), "2026-11-13T17:00:01Z");
    let f = flags_of(&r, "c1", "broken_promise");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].owner.as_deref(), Some("Chen"));
    assert_eq!(f[0].evidence.as_ref().unwrap().table.as_str(), "promises");
    let r = run(data, "2026-11-20T17:00:00Z");
    let f = flags_of(&r, "c1", "broken_promise");
    assert_eq!(f[0].overdue, 5.0);
    assert_eq!(f[0].severity.as_str(), "critical");
    assert_eq!(f[0].message, "Keep the promise “Send the revised quote” (promised Fri 6 Nov) — due Fri 13 Nov, 5 business days overdue");
}

#[test]
fn a_promise_kept_late_raises_no_flag_but_one_kept_after_as_of_does() {
    let late = with(base(EARLY), "promises", json!([promise(Some("2026-11-16T09:00:00Z"))]));
    assert!(flags_of(&run(late.clone(), "2026-11-20T17:00:00Z"), "c1", "broken_promise").is_empty());
    assert_eq!(flags_of(&run(late, "2026-11-15T17:00:00Z"), "c1", "broken_promise").len(), 1);
}

fn complaint(sev: &str, opened: &str, first: Option<&str>, resolved: Option<&str>) -> serde_json::Value {
    let mut x = json!({"id": "x1", "customerId": "c1", "openedAt": opened, "severity": sev, "category": "delivery"});
    if let Some(t) = first {
        x["firstResponseAt"] = json!(t);
    }
    if let Some(t) = resolved {
        x["resolvedAt"] = json!(t);
    }
    x
}

#[test]
fn complaint_without_first_response() {
    // Mon 16 Nov 10:00 → due Tue 17 Nov 10:00.
    let data = with(base(EARLY), "complaints", json!([complaint("high", "2026-11-16T10:00:00Z", None, None)]));
    assert!(flags_of(&run(data.clone(), "2026-11-17T10:00:00Z"), "c1", "complaint_no_response").is_empty());
    let r = run(data, "2026-11-17T10:00:01Z");
    let f = flags_of(&r, "c1", "complaint_no_response");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity.as_str(), "critical");
    assert!(f[0].message.starts_with("Respond to the high delivery complaint of Mon 16 Nov"));
    // A response after asOf has not happened yet.
    let later = with(base(EARLY), "complaints", json!([complaint("high", "2026-11-16T10:00:00Z", Some("2026-11-19T10:00:00Z"), None)]));
    assert_eq!(flags_of(&run(later.clone(), "2026-11-18T10:00:00Z"), "c1", "complaint_no_response").len(), 1);
    assert!(flags_of(&run(later, "2026-11-19T10:00:00Z"), "c1", "complaint_no_response").is_empty());
}

#[test]
fn complaint_resolution_overdue_by_severity() {
    // medium: 7 business days from Tue 20 Oct 10:00 → Thu 29 Oct 10:00.
    let data = with(
        with(base(EARLY), "complaints", json!([complaint("medium", "2026-10-20T10:00:00Z", Some("2026-10-21T09:00:00Z"), None)])),
        "contacts",
        json!([outbound("o1", "2026-10-28T10:00:00Z")]),
    );
    assert!(flags_of(&run(data.clone(), "2026-10-29T10:00:00Z"), "c1", "complaint_overdue").is_empty());
    let r = run(data.clone(), "2026-10-29T10:00:01Z");
    assert_eq!(flags_of(&r, "c1", "complaint_overdue")[0].due, "2026-10-29T10:00:00+00:00");
    // critical: 1 business day.
    let crit = with(base(EARLY), "complaints", json!([complaint("critical", "2026-11-16T10:00:00Z", Some("2026-11-16T11:00:00Z"), None)]));
    assert!(flags_of(&run(crit.clone(), "2026-11-17T10:00:00Z"), "c1", "complaint_overdue").is_empty());
    assert_eq!(flags_of(&run(crit, "2026-11-17T10:00:01Z"), "c1", "complaint_overdue").len(), 1);
    // Resolved: nothing.
    let done = with(base(EARLY), "complaints", json!([complaint("low", "2026-10-01T10:00:00Z", Some("2026-10-01T11:00:00Z"), Some("2026-10-02T10:00:00Z"))]));
    assert!(flags(&run(done, "2026-11-20T10:00:00Z"), "c1").iter().all(|f| !f.kind.as_str().starts_with("complaint")));
}

#[test]
fn complaint_without_updates() {
    // low, opened Mon 9 Nov 10:00, last outbound Tue 10 Nov 12:00 → due Fri 13 Nov 12:00.
    let data = with(
        with(base(EARLY), "complaints", json!([complaint("low", "2026-11-09T10:00:00Z", Some("2026-11-09T11:00:00Z"), None)])),
        "contacts",
        json!([outbound("o1", "2026-11-10T12:00:00Z")]),
    );
    assert!(flags_of(&run(data.clone(), "2026-11-13T12:00:00Z"), "c1", "complaint_no_update").is_empty());
    let r = run(data.clone(), "2026-11-13T12:00:01Z");
    let f = flags_of(&r, "c1", "complaint_no_update");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].since, "2026-11-10T12:00:00+00:00");
    // Kept updated: an outbound contact on Thu 12 Nov moves the deadline to Tue 17 Nov.
    let kept = with(data, "contacts", json!([outbound("o2", "2026-11-12T12:00:00Z")]));
    assert!(flags_of(&run(kept.clone(), "2026-11-17T12:00:00Z"), "c1", "complaint_no_update").is_empty());
    assert_eq!(flags_of(&run(kept, "2026-11-17T12:00:01Z"), "c1", "complaint_no_update").len(), 1);
}

#[test]
fn complaint_update_clock_starts_at_opening_when_the_last_contact_is_older() {
    // Opened Mon 16 Nov 10:00, last outbound long before → due Thu 19 Nov 10:00.
    let data = with(base(EARLY), "complaints", json!([complaint("low", "2026-11-16T10:00:00Z", Some("2026-11-16T10:30:00Z"), None)]));
    assert!(flags_of(&run(data.clone(), "2026-11-19T10:00:00Z"), "c1", "complaint_no_update").is_empty());
    assert_eq!(flags_of(&run(data, "2026-11-19T10:00:01Z"), "c1", "complaint_no_update")[0].since, "2026-11-16T10:00:00+00:00");
}

#[test]
fn no_outreach_by_tier() {
    // One customer with revenue is tier A (30 days); last outbound Thu 1 Oct 12:00 → due Sat 31 Oct 12:00.
    let data = with(base("2026-10-01T12:00:00Z"), "orders", json!([{"id": "o1", "customerId": "c1", "at": "2026-09-01", "amount": 500}]));
    assert!(flags_of(&run(data.clone(), "2026-10-31T12:00:00Z"), "c1", "no_outreach").is_empty());
    let r = run(data.clone(), "2026-10-31T12:00:01Z");
    let f = flags_of(&r, "c1", "no_outreach");
    assert_eq!(f.len(), 1);
    assert!(f[0].evidence.is_none());
    assert_eq!(f[0].severity.as_str(), "medium");
    assert!(f[0].message.contains("tier A: every 30 days"), "{}", f[0].message);
    // Without revenue the customer is tier C: 120 days.
    let c = base("2026-10-01T12:00:00Z");
    assert!(flags_of(&run(c.clone(), "2027-01-29T12:00:00Z"), "c1", "no_outreach").is_empty());
    assert_eq!(flags_of(&run(c, "2027-01-29T12:00:01Z"), "c1", "no_outreach").len(), 1);
}

#[test]
fn no_outreach_without_any_contact_counts_from_first_known_date() {
    // `contacts: []`: recorded, none.
    let data = json!({"customers": [{"id": "c1", "createdAt": "2026-01-01T00:00:00Z"}, {"id": "c2"}], "contacts": [],
                      "orders": [{"id": "o1", "customerId": "c2", "at": "2026-02-01T00:00:00Z", "amount": 0}]});
    let r = run(data.clone(), "2026-05-01T00:00:01Z");
    assert_eq!(flags_of(&r, "c1", "no_outreach")[0].since, "2026-01-01T00:00:00+00:00");
    assert!(flags_of(&r, "c2", "no_outreach").is_empty(), "c2 known only since 1 Feb: due 1 Jun");
    let r = run(data, "2026-06-01T00:00:01Z");
    assert_eq!(flags_of(&r, "c2", "no_outreach")[0].since, "2026-02-01T00:00:00+00:00");
}

#[test]
fn a_table_missing_from_the_export_is_not_recorded_and_its_rules_are_not_evaluated() {
    // Orders only (the CDNOW shape): nobody is "never contacted" or "never asked".
    let data = json!({"customers": [{"id": "c1", "createdAt": "2025-01-01"}],
                      "orders": [{"id": "o1", "customerId": "c1", "at": "2025-02-01", "amount": 5}]});
    let r = run(data.clone(), "2026-11-20T00:00:00Z");
    assert!(flags(&r, "c1").is_empty(), "{:#?}", flags(&r, "c1"));
    let skipped: Vec<&str> = r.input.not_evaluated.iter().map(|n| n.table.as_str()).collect();
    assert_eq!(skipped, ["contacts", "complaints", "feedback", "deliveries"]);
    assert!(r.input.not_evaluated[0].rules.contains("no_outreach"));
    // Each table given, even empty, brings its rules back.
    let mut all = data.clone();
    all["contacts"] = json!([]);
    all["feedback"] = json!([]);
    let r = run(all, "2026-11-20T00:00:00Z");
    let kinds: Vec<&str> = flags(&r, "c1").iter().map(|f| f.kind.as_str()).collect();
    assert!(kinds.contains(&"no_outreach") && kinds.contains(&"no_feedback"), "{kinds:?}");
    assert_eq!(r.input.not_evaluated.iter().map(|n| n.table.as_str()).collect::<Vec<_>>(), ["complaints", "deliveries"]);
    // Complaints without contacts: answered and resolved on time, but no update rule.
    let mut c = data;
    c["complaints"] = json!([{"id": "x1", "customerId": "c1", "openedAt": "2026-10-01", "severity": "low", "firstResponseAt": "2026-10-01"}]);
    let kinds: Vec<String> = flags(&run(c, "2026-11-20T00:00:00Z"), "c1").iter().map(|f| f.kind.as_str().to_owned()).collect();
    assert_eq!(kinds, ["complaint_overdue"]);
}

#[test]
fn no_feedback_after_180_days() {
    let data = json!({"customers": [{"id": "c1"}],
                      "contacts": [{"id": "k", "customerId": "c1", "at": "2026-11-01", "direction": "outbound", "channel": "email"}],
                      "feedback": [{"id": "f1", "customerId": "c1", "at": "2026-03-01T10:00:00Z", "kind": "csat", "score": 4}]});
    // 1 Mar + 180 days = 28 Aug 10:00.
    assert!(flags_of(&run(data.clone(), "2026-08-28T10:00:00Z"), "c1", "no_feedback").is_empty());
    let r = run(data, "2026-08-28T10:00:01Z");
    let f = flags_of(&r, "c1", "no_feedback");
    assert_eq!(f[0].due, "2026-08-28T10:00:00+00:00");
    assert!(f[0].evidence.is_none());
}

#[test]
fn undelivered_past_promise() {
    let data = with(base(EARLY), "deliveries", json!([{"id": "d1", "customerId": "c1", "promisedAt": "2026-11-12T12:00:00Z"}]));
    assert!(flags_of(&run(data.clone(), "2026-11-12T12:00:00Z"), "c1", "delivery_failure").is_empty());
    let r = run(data, "2026-11-12T12:00:01Z");
    assert!(flags_of(&r, "c1", "delivery_failure")[0].message.starts_with("Chase the delivery promised Thu 12 Nov"));
}

#[test]
fn problem_delivery_needs_a_follow_up() {
    // Delivered late on Mon 16 Nov 10:00 → follow-up due Tue 17 Nov 10:00.
    let late = with(
        base(EARLY),
        "deliveries",
        json!([{"id": "d1", "customerId": "c1", "promisedAt": "2026-11-13T12:00:00Z", "deliveredAt": "2026-11-16T10:00:00Z"}]),
    );
    assert!(flags_of(&run(late.clone(), "2026-11-17T10:00:00Z"), "c1", "delivery_failure").is_empty());
    assert_eq!(flags_of(&run(late.clone(), "2026-11-17T10:00:01Z"), "c1", "delivery_failure").len(), 1);
    let followed = with(late, "contacts", json!([outbound("o1", "2026-11-16T15:00:00Z")]));
    assert!(flags_of(&run(followed, "2026-11-20T10:00:00Z"), "c1", "delivery_failure").is_empty());
    // On time with a problem: same rule.
    let damaged = with(
        base(EARLY),
        "deliveries",
        json!([{"id": "d1", "customerId": "c1", "promisedAt": "2026-11-16T12:00:00Z", "deliveredAt": "2026-11-16T10:00:00Z", "problem": "damaged"}]),
    );
    let f = run(damaged, "2026-11-18T10:00:00Z");
    assert_eq!(flags_of(&f, "c1", "delivery_failure")[0].severity.as_str(), "high");
    // On time, no problem: nothing.
    let fine = with(
        base(EARLY),
        "deliveries",
        json!([{"id": "d1", "customerId": "c1", "promisedAt": "2026-11-16T12:00:00Z", "deliveredAt": "2026-11-16T10:00:00Z"}]),
    );
    assert!(flags_of(&run(fine, "2026-11-20T10:00:00Z"), "c1", "delivery_failure").is_empty());
}

#[test]
fn snoozes_silence_but_never_hide() {
    let data = with(base(EARLY), "promises", json!([promise(None)]));
    let snoozed = with(data.clone(), "snoozes", json!([{"customerId": "c1", "until": "2026-12-01", "reason": "champion on holiday", "kinds": ["broken_promise"]}]));
    let f = run(snoozed.clone(), "2026-11-20T17:00:00Z");
    let f = flags_of(&f, "c1", "broken_promise");
    assert_eq!(f.len(), 1);
    assert!(f[0].snoozed);
    assert_eq!(f[0].snooze.as_ref().unwrap().reason, "champion on holiday");
    // At `until` the snooze has ended.
    let r = run(snoozed, "2026-12-01T00:00:00Z");
    assert!(!flags_of(&r, "c1", "broken_promise")[0].snoozed);
    // A snooze for other kinds does not apply.
    let other = with(data.clone(), "snoozes", json!([{"customerId": "c1", "until": "2026-12-01", "reason": "x", "kinds": ["no_feedback"]}]));
    assert!(!flags_of(&run(other, "2026-11-20T17:00:00Z"), "c1", "broken_promise")[0].snoozed);
    // Without kinds it silences everything.
    let all = with(data, "snoozes", json!([{"customerId": "c1", "until": "2026-12-01", "reason": "x"}]));
    assert!(flags_of(&run(all, "2026-11-20T17:00:00Z"), "c1", "broken_promise")[0].snoozed);
}

#[test]
fn policy_durations_move_deadlines() {
    let data = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-16T09:30:00Z", "email", None)]));
    // returnContactWithin 3 → due Thu 19 Nov 09:30.
    let p = json!({"returnContactWithin": 3});
    assert!(flags_of(&run_with(data.clone(), "2026-11-19T09:30:00Z", p.clone()), "c1", "unreturned_contact").is_empty());
    assert_eq!(flags_of(&run_with(data.clone(), "2026-11-19T09:30:01Z", p), "c1", "unreturned_contact").len(), 1);
    // Workdays Sunday–Thursday: due after Thu 19 is Sun 22.
    let data = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-19T09:30:00Z", "email", None)]));
    let p = json!({"workdays": ["sun", "mon", "tue", "wed", "thu"]});
    let r = run_with(data, "2026-11-23T09:30:00Z", p);
    assert_eq!(flags_of(&r, "c1", "unreturned_contact")[0].due, "2026-11-22T09:30:00+00:00");
}

#[test]
fn timezone_sets_the_business_day() {
    // 23:30Z Friday is 00:30 Saturday at +01:00: counting starts Monday 00:00 local.
    let data = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-20T23:30:00Z", "email", None)]));
    let r = run_with(data.clone(), "2026-11-24T12:00:00Z", json!({"timezone": "+01:00"}));
    assert_eq!(flags_of(&r, "c1", "unreturned_contact")[0].due, "2026-11-24T00:00:00+01:00");
    let r = run(data, "2026-11-24T12:00:00Z");
    assert_eq!(flags_of(&r, "c1", "unreturned_contact")[0].due, "2026-11-23T23:30:00+00:00");
}

#[test]
fn date_only_and_offset_timestamps_are_the_same_instants() {
    let a = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-19", "email", None)]));
    let b = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-18T23:00:00Z", "email", None)]));
    let c = with(base(EARLY), "contacts", json!([inbound("k1", "2026-11-19T00:00:00.000+01:00", "email", None)]));
    let p = json!({"timezone": "+01:00"});
    let ra = run_with(a, "2026-11-24T12:00:00Z", p.clone());
    let rb = run_with(b, "2026-11-24T12:00:00Z", p.clone());
    let rc = run_with(c, "2026-11-24T12:00:00Z", p);
    assert_eq!(ra, rb);
    assert_eq!(ra, rc);
    assert_eq!(flags_of(&ra, "c1", "unreturned_contact")[0].since, "2026-11-19T00:00:00+01:00");
}

#[test]
fn healthy_customer_has_no_flags() {
    let data = with(
        base("2026-11-18T09:00:00Z"),
        "orders",
        json!([{"id": "o1", "customerId": "c1", "at": "2026-11-01", "amount": 120.5}]),
    );
    assert!(flags(&run(data, "2026-11-20T17:00:00Z"), "c1").is_empty());
}
