//! The input contract: rows as read from JSON ([`json`]) or CSV ([`csv`]) into loosely typed
//! [`row`]s, the contract's checks ([`check`]) into typed [`records`], loading into the
//! [`store`] ([`load`]), and each customer's rows in time order ([`by_customer`]).
//!
//! Nothing here depends on scoring.

pub mod by_customer;
pub mod check;
pub mod csv;
pub mod ids;
pub mod json;
pub mod key_table;
pub mod load;
pub mod records;
pub mod row;
pub mod store;
pub mod strings;
