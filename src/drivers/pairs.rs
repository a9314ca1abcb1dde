//! Answer pairs: every two consecutive answers of one survey by one customer, with the events of
//! each kind counted in the span between them.
//!
//! A customer's answers of a kind, oldest first, give the pairs `(a_i, a_{i+1})`; the span of a
//! pair is `(a_i.at, a_{i+1}.at]` and its row holds the change of the answer and the count of
//! each event kind whose instant lies in the span. Events before the first answer or after the
//! last lie in no span. The events come sorted by instant, so one walk with a pointer counts
//! every span: linear in the customer's rows.

use super::events::KINDS;
use super::regression::Sample;
use crate::input::records::{Dataset, FeedbackKind, Slot};
use crate::sort::key_i64;

/// The surveys, in report order.
pub(crate) const SURVEYS: [FeedbackKind; 3] = [FeedbackKind::Nps, FeedbackKind::Csat, FeedbackKind::Ces];

/// The rows of one survey and the portfolio's counts per event kind.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pairs {
    /// One row per answer pair.
    pub(crate) sample: Sample,
    /// Events of each kind inside spans.
    pub(crate) events: [u32; KINDS],
    /// Pairs whose span holds at least one event of each kind.
    pub(crate) pairs: [u32; KINDS],
}

/// The responses of a pair: the change of the score and, for NPS, of the promoter (9–10) and
/// the detractor (0–6) indicators.
fn change(kind: FeedbackKind, from: u8, to: u8) -> [i8; 3] {
    let dy = i16::from(to) - i16::from(from);
    let dy = dy.clamp(-127, 127) as i8;
    if kind == FeedbackKind::Nps {
        let promoter = |s: u8| i8::from(s >= 9);
        let detractor = |s: u8| i8::from(s <= 6);
        [dy, promoter(to) - promoter(from), detractor(to) - detractor(from)]
    } else {
        [dy, 0, 0]
    }
}

/// Add customer `cluster`'s pairs of every survey. `feedback` is its answers known at `asOf`,
/// oldest first; `events` its events as `(key_i64(instant), kind)`, sorted.
pub(crate) fn add(out: &mut [Pairs; 3], cluster: u32, d: &Dataset, feedback: &[Slot], events: &[(u64, u32)]) {
    let mut counts = [0u32; KINDS];
    for (s, kind) in SURVEYS.iter().enumerate() {
        let p = &mut out[s];
        let mut j = 0;
        let mut prev: Option<u8> = None;
        for f in feedback.iter().map(|i| &d.feedback[*i as usize]).filter(|f| f.kind == *kind) {
            let t = key_i64(f.at);
            match prev {
                None => {
                    while j < events.len() && events[j].0 <= t {
                        j += 1;
                    }
                }
                Some(from) => {
                    counts.iter_mut().for_each(|c| *c = 0);
                    while j < events.len() && events[j].0 <= t {
                        let k = events[j].1 as usize;
                        if k < KINDS {
                            counts[k] = counts[k].saturating_add(1);
                        }
                        j += 1;
                    }
                    for (k, n) in counts.iter().enumerate() {
                        if *n > 0 {
                            p.events[k] = p.events[k].saturating_add(*n);
                            p.pairs[k] = p.pairs[k].saturating_add(1);
                        }
                    }
                    p.sample.push(cluster, change(*kind, from, f.score), counts.iter().copied().enumerate());
                }
            }
            prev = Some(f.score);
        }
    }
}
