//! # Tend
//!
//! Tend finds the customers a business is about to lose. It reads a CRM export — customers,
//! orders, contacts, complaints, promises, feedback, deliveries and snoozes — and answers, at an
//! instant `asOf` given by the caller, who is being neglected (with the evidence, the owner and
//! how overdue), how satisfied each customer is and how much each one matters.
//!
//! The core is plain Rust: no clock reads, no host timezone, no panics on input. The
//! WebAssembly boundary lives in `src/wasm/` and only converts.
//!
//! ```
//! use tend::{analyze_str, Options};
//! let data = r#"{
//!   "customers": [{"id": "c1", "name": "Acme", "owner": "Alice"}],
//!   "contacts": [{"id": "k1", "customerId": "c1", "at": "2026-11-19T09:30:00Z",
//!                 "direction": "inbound", "channel": "call", "status": "missed"}]
//! }"#;
//! let report = analyze_str(data, &Options::at("2026-11-26T09:30:00Z").unwrap()).unwrap();
//! let flag = &report.customers[0].neglect[0];
//! assert_eq!(flag.kind.as_str(), "unreturned_contact");
//! assert_eq!(flag.overdue, 4.0);
//! assert_eq!(flag.message, "Return the missed call of Thu 19 Nov — 4 business days overdue");
//! ```
#![deny(missing_docs)]

pub mod analyze;
pub mod btyd;
pub mod calendar;
pub mod drivers;
pub mod engine;
pub mod error;
pub mod exact;
pub mod finite;
pub mod hash;
pub mod input;
pub mod keyed;
pub mod models;
pub mod num;
pub mod policy;
pub mod portfolio;
pub mod report;
pub mod score;
pub mod sort;
pub mod split;
pub mod time;

/// The WebAssembly boundary (compiled for `wasm32` only).
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use analyze::{analyze_input, analyze_str, Options};
pub use engine::Engine;
pub use error::{Error, Reason};
pub use policy::Policy;
pub use report::Report;
