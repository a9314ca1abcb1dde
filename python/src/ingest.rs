//! Arrow tables into the core's store: each table's columns named as the contract's fields are
//! read cell by cell ([`crate::cells`]) into the core's rows and handed to its loader in
//! batches, exactly as its JSON and CSV readers hand theirs — so duplicates, unknown customers,
//! bad cells and rows after `asOf` are judged by the same code, and for every table
//! `received = used + rejected + future`.
//!
//! A table's schema must hold the contract's required fields (as a CSV header must) and may not
//! name a field twice; other columns are ignored. The `customers` table goes first, so that no
//! row waits for its customer.
//!
//! The Spark path ships rows between tasks as one binary cell each ([`encode`], [`decode`]): the
//! cells a row would give here, so a row scored on a cluster is read exactly as it is read in
//! one process.

use crate::cells::{Col, NotUtf8};
use arrow_array::{Array, BinaryArray, RecordBatch};
use std::borrow::Cow;
use tend::error::{Error, Reason};
use tend::input::load::{Loader, Mode};
use tend::input::records::Table;
use tend::input::row::{fields, slot, At, Row, Sink, Val, MAX_FIELDS};
use tend::input::store::Store;

/// Rows handed to the loader at once.
const BATCH: usize = 1024;

fn input_error(path: String, reason: String) -> Error {
    Error::InvalidInput { path, reason }
}

/// The column of each field slot of a table, from its schema.
pub fn columns(t: Table, schema: &arrow_schema::Schema) -> Result<[Option<usize>; MAX_FIELDS], Error> {
    let mut cols = [None; MAX_FIELDS];
    for (k, f) in schema.fields().iter().enumerate() {
        if let Some(s) = slot(t, f.name().as_bytes()) {
            if cols[s].is_some() {
                return Err(input_error(format!("tables.{}.{}", t.as_str(), f.name()), "column given twice".into()));
            }
            cols[s] = Some(k);
        }
    }
    for r in tend::input::csv::required(t) {
        let s = slot(t, r.as_bytes()).unwrap_or(0);
        if cols[s].is_none() {
            return Err(input_error(format!("tables.{}.{r}", t.as_str()), format!("is required (a column `{r}` of {})", t.as_str())));
        }
    }
    Ok(cols)
}

/// One batch's columns by slot.
fn prepare(batch: &RecordBatch, cols: &[Option<usize>; MAX_FIELDS]) -> Vec<(usize, Col)> {
    cols.iter().enumerate().filter_map(|(s, c)| c.map(|c| (s, Col::prepare(batch.column(c))))).collect()
}

/// The cells of row `i`, or the slot of the first cell that is not text where text was sent.
fn row<'a>(prepared: &'a [(usize, Col)], i: usize) -> Result<Row<'a>, (usize, Option<String>)> {
    let mut r = Row::default();
    for (s, c) in prepared {
        match c.val(i) {
            Ok(v) => r.vals[*s] = v,
            Err(NotUtf8) => {
                let id = match prepared.iter().find(|(s, _)| *s == 0).map(|(_, c)| c.val(i)) {
                    Some(Ok(Val::Str(id))) => Some(id.into_owned()),
                    _ => None,
                };
                return Err((*s, id));
            }
        }
    }
    Ok(r)
}

/// Read tables (name, batches) into a store; plain dates at `offset` seconds. Tables not given
/// are absent ("not recorded"); a given table with no rows is present and empty.
pub fn load(tables: &[(Table, arrow_schema::SchemaRef, Vec<RecordBatch>)], offset: i32) -> Result<Store, Error> {
    let mut present = [false; 8];
    let mut ordered: Vec<&(Table, arrow_schema::SchemaRef, Vec<RecordBatch>)> = Vec::with_capacity(tables.len());
    for entry in tables {
        let k = entry.0 as usize;
        if present[k] {
            return Err(input_error(format!("tables.{}", entry.0.as_str()), "given twice".into()));
        }
        present[k] = true;
        ordered.push(entry);
    }
    if !present[0] {
        return Err(input_error("tables.customers".into(), "is required (a table of customers)".into()));
    }
    ordered.sort_by_key(|e| e.0 as usize);
    let mut plans = Vec::with_capacity(ordered.len());
    for (t, schema, batches) in &ordered {
        plans.push((*t, batches, columns(*t, schema)?));
    }
    let mut store = Store::default();
    {
        let mut loader = Loader::new(&mut store, offset, Mode::Load);
        for (t, batches, cols) in plans {
            let n: usize = batches.iter().map(RecordBatch::num_rows).sum();
            loader.table_start(t, n);
            let mut index = 0usize;
            for b in batches.iter() {
                if columns(t, &b.schema())? != cols {
                    return Err(input_error(format!("tables.{}", t.as_str()), "its batches do not share one schema".into()));
                }
                let prepared = prepare(b, &cols);
                feed(&mut loader, t, &prepared, b.num_rows(), &mut index);
            }
            loader.table_end(t);
        }
        loader.finish()?;
    }
    store.present = present;
    Ok(store)
}

fn feed(loader: &mut Loader, t: Table, prepared: &[(usize, Col)], n: usize, index: &mut usize) {
    let mut rows: Vec<(At, Row)> = Vec::with_capacity(BATCH.min(n));
    for i in 0..n {
        let at = At { index: *index, line: None };
        *index += 1;
        match row(prepared, i) {
            Ok(r) => rows.push((at, r)),
            Err((s, id)) => {
                loader.rows(t, &rows);
                rows.clear();
                loader.broken(t, at, id, fields(t).get(s).copied(), Reason::NotUtf8);
            }
        }
        if rows.len() == BATCH {
            loader.rows(t, &rows);
            rows.clear();
        }
    }
    loader.rows(t, &rows);
}

// ---- the Spark path: one binary cell per row ----

const ROW_OK: u8 = 0;
const ROW_NOT_UTF8: u8 = 1;
const T_NULL: u8 = 1;
const T_FALSE: u8 = 2;
const T_TRUE: u8 = 3;
const T_NUM: u8 = 4;
const T_STR: u8 = 5;
const T_ARRAY: u8 = 6;
const T_OBJECT: u8 = 7;

fn put_val(out: &mut Vec<u8>, v: &Val) {
    match v {
        Val::Absent | Val::Null => out.push(T_NULL),
        Val::Bool(false) => out.push(T_FALSE),
        Val::Bool(true) => out.push(T_TRUE),
        Val::Num(n) => {
            out.push(T_NUM);
            out.extend_from_slice(&n.to_le_bytes());
        }
        Val::Str(s) => {
            out.push(T_STR);
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        Val::Array(items) => {
            out.push(T_ARRAY);
            out.extend_from_slice(&(items.len() as u32).to_le_bytes());
            for it in items {
                put_val(out, it);
            }
        }
        Val::Object => out.push(T_OBJECT),
    }
}

/// Each row of a table's batch as one binary cell: its contract cells as this module reads
/// them. The schema is checked as [`load`] checks it.
pub fn encode(t: Table, batch: &RecordBatch) -> Result<BinaryArray, Error> {
    let cols = columns(t, &batch.schema())?;
    let prepared = prepare(batch, &cols);
    let mut values: Vec<u8> = Vec::new();
    let mut offsets: Vec<i32> = Vec::with_capacity(batch.num_rows() + 1);
    offsets.push(0);
    for i in 0..batch.num_rows() {
        match row(&prepared, i) {
            Ok(r) => {
                values.push(ROW_OK);
                for (s, v) in r.vals.iter().enumerate() {
                    if v.is_present() {
                        values.push(s as u8);
                        put_val(&mut values, v);
                    }
                }
            }
            Err((s, id)) => {
                values.push(ROW_NOT_UTF8);
                values.push(s as u8);
                if let Some(id) = id {
                    values.push(0);
                    put_val(&mut values, &Val::Str(Cow::Owned(id)));
                }
            }
        }
        if values.len() > i32::MAX as usize {
            return Err(input_error(format!("tables.{}", t.as_str()), "a batch over 2 GiB: use smaller batches".into()));
        }
        offsets.push(values.len() as i32);
    }
    let offsets = arrow_buffer::OffsetBuffer::new(arrow_buffer::ScalarBuffer::from(offsets));
    Ok(BinaryArray::new(offsets, arrow_buffer::Buffer::from_vec(values), None))
}

/// Per row of a batch of `t`, the text of field `field` as the core reads an id (null when
/// the row has none, or its cells are not text where text was sent).
pub fn id_texts(t: Table, batch: &RecordBatch, field: &str) -> Result<Vec<Option<String>>, Error> {
    let mut cols = [None; MAX_FIELDS];
    let Some(s) = slot(t, field.as_bytes()) else { return Ok(vec![None; batch.num_rows()]) };
    cols[s] = batch.schema().index_of(field).ok();
    let prepared = prepare(batch, &cols);
    Ok((0..batch.num_rows()).map(|i| row(&prepared, i).ok().and_then(|r| tend::input::check::id_text(r.get(s)).map(|c| c.into_owned()))).collect())
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let c = *self.b.get(self.i)?;
        self.i += 1;
        Some(c)
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.i..self.i.checked_add(n)?)?;
        self.i += n;
        Some(s)
    }
    fn u32(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }
    fn val(&mut self, depth: u8) -> Option<Val<'a>> {
        Some(match self.byte()? {
            T_NULL => Val::Null,
            T_FALSE => Val::Bool(false),
            T_TRUE => Val::Bool(true),
            T_NUM => Val::Num(f64::from_le_bytes(self.take(8)?.try_into().ok()?)),
            T_STR => {
                let n = self.u32()?;
                Val::Str(Cow::Borrowed(std::str::from_utf8(self.take(n)?).ok()?))
            }
            T_ARRAY if depth == 0 => {
                let n = self.u32()?;
                let mut items = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    items.push(self.val(1)?);
                }
                Val::Array(items)
            }
            T_OBJECT => Val::Object,
            _ => return None,
        })
    }
}

/// What one encoded row is.
enum Decoded<'a> {
    Row(Row<'a>),
    NotUtf8(usize, Option<String>),
}

fn decode(b: &[u8]) -> Option<Decoded<'_>> {
    let mut r = Reader { b, i: 0 };
    match r.byte()? {
        ROW_OK => {
            let mut row = Row::default();
            while r.i < b.len() {
                let s = r.byte()? as usize;
                let v = r.val(0)?;
                *row.vals.get_mut(s)? = match v {
                    Val::Null => Val::Absent,
                    v => v,
                };
            }
            Some(Decoded::Row(row))
        }
        ROW_NOT_UTF8 => {
            let s = r.byte()? as usize;
            let id = match (r.byte(), r.val(0)) {
                (Some(0), Some(Val::Str(id))) => Some(id.into_owned()),
                _ => None,
            };
            Some(Decoded::NotUtf8(s, id))
        }
        _ => None,
    }
}

/// Read encoded rows into a store: `tables[k]` is the table code (its position in
/// [`Table::ALL`]) of row `k` and `rows[k]` its cell, rows in table code, then input order.
/// `present`: the tables given (absent ones are not recorded).
/// `indexes`: each row's index in its table (a bucket of a split tenant: the rows' order
/// values), else the position among the given rows of its table.
pub fn load_encoded(present: [bool; 8], tables: &[i32], rows: &arrow_array::LargeBinaryArray, indexes: Option<&[i64]>, offset: i32) -> Result<Store, Error> {
    if !present[0] {
        return Err(input_error("tables.customers".into(), "is required (a table of customers)".into()));
    }
    if tables.len() != rows.len() {
        return Err(input_error("rows".into(), "the table codes and the rows differ in length".into()));
    }
    let mut store = Store::default();
    {
        let mut loader = Loader::new(&mut store, offset, Mode::Load);
        let mut k = 0usize;
        let mut last = -1i32;
        while k < tables.len() {
            let code = tables[k];
            let t = match usize::try_from(code).ok().and_then(|c| Table::ALL.get(c)) {
                Some(t) if code > last && present[code as usize] => *t,
                _ => return Err(input_error("rows".into(), format!("table code `{code}` out of order or not given"))),
            };
            last = code;
            let end = k + tables[k..].iter().take_while(|c| **c == code).count();
            loader.table_start(t, end - k);
            let mut batch: Vec<(At, Row)> = Vec::with_capacity(BATCH.min(end - k));
            for (index, j) in (k..end).enumerate() {
                let index = indexes.and_then(|x| x.get(j)).map_or(index, |i| (*i).max(0) as usize);
                let at = At { index, line: None };
                let cell = if rows.is_null(j) { None } else { decode(rows.value(j)) };
                match cell {
                    Some(Decoded::Row(r)) => batch.push((at, r)),
                    other => {
                        loader.rows(t, &batch);
                        batch.clear();
                        match other {
                            Some(Decoded::NotUtf8(s, id)) => loader.broken(t, at, id, fields(t).get(s).copied(), Reason::NotUtf8),
                            _ => loader.broken(t, at, None, None, Reason::Unreadable("the row's cell encoding is damaged".into())),
                        }
                    }
                }
                if batch.len() == BATCH {
                    loader.rows(t, &batch);
                    batch.clear();
                }
            }
            loader.rows(t, &batch);
            loader.table_end(t);
            k = end;
        }
        loader.finish()?;
    }
    store.present = present;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_rows_decode_to_the_same_cells() {
        let mut r = Row::default();
        r.vals[0] = Val::Str("o1".into());
        r.vals[3] = Val::Num(-0.5);
        r.vals[4] = Val::Array(vec![Val::Str("a".into()), Val::Null, Val::Bool(true), Val::Object]);
        let mut b = vec![ROW_OK];
        for (s, v) in r.vals.iter().enumerate() {
            if v.is_present() {
                b.push(s as u8);
                put_val(&mut b, v);
            }
        }
        match decode(&b) {
            Some(Decoded::Row(back)) => assert_eq!(back, r),
            _ => panic!("not decoded"),
        }
        for cut in 0..b.len() {
            // A damaged cell never panics.
            let _ = decode(&b[..cut]);
        }
        assert!(decode(&[9]).is_none());
    }
}
