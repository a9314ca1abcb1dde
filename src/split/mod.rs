//! Scoring one portfolio in parts: a tenant too large for one task is split into buckets of
//! customers, and every bucket is scored by its own engine with the portfolio's figures given,
//! so that each customer's scores, and the totals added bucket by bucket, are those of one
//! engine over the whole portfolio — to the last bit.
//!
//! What crosses customers, and how it is carried:
//!
//! | what | from the buckets | to the buckets |
//! |---|---|---|
//! | value tiers now and 30 days back, revenue shares | [`Facts`]: trailing revenue at both instants | [`Placement`] per customer; the sums |
//! | the tiers of the state changes' instants | trailing revenue at each instant | their [`TierCut`](crate::score::cut::TierCut)s |
//! | RFM quintiles | the RFM values | the scores, in the [`Placement`] |
//! | the BG/NBD + Gamma-Gamma fit | the buying summary | the fitted models, as `options.models` takes them |
//! | word of mouth (referral links) | — | none: [`buckets`] keeps every referral tree in one bucket |
//! | owners' cards, daily series, counts, value at risk | the engine's [`Part`](crate::engine::split::Part) | added, exactly ([`crate::exact`]) |
//!
//! The order of the facts is the customers' input order (their rows' indexes), which is the
//! order one engine fits in: give every row its index in the whole tenant's table.
//!
//! The passes (Spark runs them as jobs; a test runs them in a loop):
//! 1. [`buckets::assign`] over the customers' ids and `referredBy`: each customer's bucket;
//! 2. per bucket, [`facts`] of its customers;
//! 3. over all facts, [`TenantStats::compute`]: the placements and the tenant's figures;
//! 4. per bucket, [`crate::Engine::build_given`] with its placements, then its tables and
//!    its [`Part`](crate::engine::split::Part);
//! 5. [`crate::engine::split::merge`] of the parts: the summary one engine gives.

pub mod buckets;
pub mod facts;
pub mod subset;
pub mod tenant;
pub mod wire;

pub use facts::{facts, Facts};
pub use tenant::{Given, Placement, TenantStats};
