//! The relationship stage (Dwyer, Schurr & Oh), from documented rules on the records. First
//! rule that matches:
//!
//! | stage | rule |
//! |---|---|
//! | `awareness` | no order yet (or no orders table in the export: buying `not_recorded`) |
//! | `dissolution` | buying `lapsed`; or `slowing` with defection-zone feedback or an open, not snoozed, high or critical flag |
//! | `exploration` | buying `new`, or at most 2 orders |
//! | `expansion` | buying `growing`, or trailing-12-month revenue above 1.2 × the 12 months before |
//! | `commitment` | otherwise: steady repeat buying |

use super::buying::{Buying, Status};
use super::neglect::FlagCore;
use super::satisfaction::{Satisfaction, Zone};
use crate::input::records::Severity;
use serde::Serialize;

/// A relationship stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// No sale yet.
    Awareness,
    /// First purchases.
    Exploration,
    /// Rising frequency or value.
    Expansion,
    /// Steady repeat buying.
    Commitment,
    /// Withdrawing.
    Dissolution,
}

/// The stage of a customer from its buying, satisfaction, trailing and previous 12 months'
/// revenue and open flags.
pub fn stage(b: &Buying, s: &Satisfaction, revenue12m: f64, revenue_prev12m: f64, flags: &[FlagCore]) -> Stage {
    let serious = flags.iter().any(|f| !f.snoozed() && f.severity >= Severity::High);
    match b.status {
        Status::Never | Status::NotRecorded => Stage::Awareness,
        Status::Lapsed => Stage::Dissolution,
        Status::Slowing if s.zone == Some(Zone::Defection) || serious => Stage::Dissolution,
        Status::New => Stage::Exploration,
        _ if b.orders <= 2 => Stage::Exploration,
        Status::Growing => Stage::Expansion,
        _ if revenue12m > 1.2 * revenue_prev12m && revenue_prev12m > 0.0 => Stage::Expansion,
        _ => Stage::Commitment,
    }
}
