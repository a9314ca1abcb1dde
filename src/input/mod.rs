//! The input: raw rows ([`raw`]), typed records ([`records`]), validation ([`validate`]) and
//! the point-in-time view ([`snapshot`]).

pub mod hash;
pub mod raw;
pub mod records;
pub mod snapshot;
pub mod validate;
