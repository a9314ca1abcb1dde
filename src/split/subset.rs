//! Reading one bucket of an export: every row is read, and only the rows of the bucket's
//! customers (by `id` in customers, `customerId` elsewhere) reach the store, with their
//! indexes in the whole export — so rejections name the same rows, and the customers keep the
//! export's order. A row that names no customer is kept by bucket 0 (it is rejected there,
//! once).

use crate::hash::IdMap;
use crate::input::check::id_text;
use crate::input::records::Table;
use crate::input::row::{slot, At, Row, Sink, Val, MAX_FIELDS};

/// A sink that passes on the rows of one bucket.
pub struct Subset<'s> {
    inner: &'s mut dyn Sink,
    bucket: u32,
    buckets: u32,
    /// Linked customers' bucket keys ([`super::buckets::linked`]).
    keys: &'s IdMap<String, String>,
}

impl<'s> Subset<'s> {
    /// Pass on to `inner` the rows of `bucket` of `buckets`.
    pub fn new(inner: &'s mut dyn Sink, bucket: u32, buckets: u32, keys: &'s IdMap<String, String>) -> Self {
        Subset { inner, bucket, buckets, keys }
    }

    fn bucket_of(&self, table: Table, row: &Row<'_>) -> u32 {
        let field: &[u8] = if table == Table::Customers { b"id" } else { b"customerId" };
        match slot(table, field).and_then(|s| id_text(row.get(s))) {
            Some(id) => super::buckets::of_id(self.keys.get(id.as_ref()).map_or(id.as_ref(), |k| k.as_str()), self.buckets),
            None => 0,
        }
    }
}

impl Sink for Subset<'_> {
    fn row(&mut self, table: Table, at: At, row: &Row<'_>) {
        if self.bucket_of(table, row) == self.bucket {
            self.inner.row(table, at, row);
        }
    }

    fn rows(&mut self, table: Table, rows: &[(At, Row<'_>)]) {
        let mut kept: Vec<(At, Row<'_>)> = Vec::new();
        for (at, row) in rows {
            if self.bucket_of(table, row) == self.bucket {
                kept.push((*at, row.clone()));
            }
        }
        self.inner.rows(table, &kept);
    }

    fn other(&mut self, table: Table, at: At, value: &Val<'_>) {
        if self.bucket == 0 {
            self.inner.other(table, at, value);
        }
    }

    fn broken(&mut self, table: Table, at: At, id: Option<String>, field: Option<&'static str>, reason: crate::error::Reason) {
        if self.bucket == 0 {
            self.inner.broken(table, at, id, field, reason);
        }
    }

    fn envelope_policy(&mut self, policy: &serde_json::Value) {
        self.inner.envelope_policy(policy);
    }

    fn columns(&mut self, columns: [Option<u32>; MAX_FIELDS]) {
        self.inner.columns(columns);
    }

    fn table_start(&mut self, table: Table, at_most: usize) {
        self.inner.table_start(table, at_most);
    }

    fn table_end(&mut self, table: Table) {
        self.inner.table_end(table);
    }

    fn reset(&mut self) {
        self.inner.reset();
    }
}

/// Collects `(id, referredBy)` of every customer row (for [`super::buckets::linked`]).
#[derive(Default)]
pub struct Referrals(pub Vec<(String, Option<String>)>);

impl Sink for Referrals {
    fn row(&mut self, table: Table, _at: At, row: &Row<'_>) {
        if table != Table::Customers {
            return;
        }
        let get = |f: &[u8]| slot(table, f).and_then(|s| id_text(row.get(s))).map(|c| c.into_owned());
        if let Some(id) = get(b"id") {
            self.0.push((id, get(b"referredBy")));
        }
    }
    fn other(&mut self, _: Table, _: At, _: &Val<'_>) {}
    fn broken(&mut self, _: Table, _: At, _: Option<String>, _: Option<&'static str>, _: crate::error::Reason) {}
    fn table_end(&mut self, _: Table) {}
    fn reset(&mut self) {
        self.0.clear();
    }
}

/// The bucket keys of an export's linked customers ([`super::buckets::linked`]), from its JSON.
pub fn referral_keys(bytes: &[u8]) -> Result<IdMap<String, String>, crate::error::Error> {
    let mut r = Referrals::default();
    crate::input::json::read_export(bytes, &mut r)?;
    let pairs: Vec<(&str, Option<&str>)> = r.0.iter().map(|(id, by)| (id.as_str(), by.as_deref())).collect();
    Ok(super::buckets::linked(&pairs).into_iter().collect())
}

/// Read bucket `bucket` of `buckets` of an export (JSON; the options already resolved), with
/// `keys` from [`referral_keys`].
pub fn read_json(
    bytes: &[u8],
    options: &crate::analyze::Options,
    bucket: u32,
    buckets: u32,
    keys: &IdMap<String, String>,
) -> Result<crate::input::store::Store, crate::error::Error> {
    use crate::input::load::{Loader, Mode};
    let mut store = crate::input::store::Store::default();
    let mut loader = Loader::new(&mut store, options.policy.offset_secs, Mode::Load);
    let env = crate::input::json::read_export(bytes, &mut Subset::new(&mut loader, bucket, buckets, keys))?;
    loader.finish()?;
    store.present = env.present;
    Ok(store)
}
