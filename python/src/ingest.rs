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
//! On Spark (`tend.spark`) a task reads its tenant's (or bucket's) slice of each table the same
//! way, so a row scored on a cluster is read exactly as it is read in one process; a bucket's
//! rows come with their indexes in the tenant's tables.

use crate::cells::{Col, NotUtf8};
use arrow_array::RecordBatch;
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
/// are absent ("not recorded"); a given table with no rows is present and empty. `indexes`
/// (one per table, when given): each row's index in its table — a bucket of a split tenant
/// holds some of its tenant's rows — else a row's index is its position among the given rows.
pub fn load(tables: &[(Table, arrow_schema::SchemaRef, Vec<RecordBatch>)], indexes: Option<&[Vec<i64>]>, offset: i32) -> Result<Store, Error> {
    let mut present = [false; 8];
    let mut ordered = Vec::with_capacity(tables.len());
    for (k, (t, schema, batches)) in tables.iter().enumerate() {
        if present[*t as usize] {
            return Err(input_error(format!("tables.{}", t.as_str()), "given twice".into()));
        }
        present[*t as usize] = true;
        let at = match indexes {
            None => None,
            Some(ix) => match ix.get(k) {
                Some(x) if x.len() == batches.iter().map(RecordBatch::num_rows).sum::<usize>() => Some(x.as_slice()),
                _ => return Err(input_error(format!("tables.{}", t.as_str()), "its rows and their indexes differ in length".into())),
            },
        };
        ordered.push((*t, schema, batches, at));
    }
    if !present[0] {
        return Err(input_error("tables.customers".into(), "is required (a table of customers)".into()));
    }
    ordered.sort_by_key(|e| e.0 as usize);
    let mut plans = Vec::with_capacity(ordered.len());
    for (t, schema, batches, at) in ordered {
        plans.push((t, batches, columns(t, schema)?, at));
    }
    let mut store = Store::default();
    {
        let mut loader = Loader::new(&mut store, offset, Mode::Load);
        for (t, batches, cols, at) in plans {
            let n: usize = batches.iter().map(RecordBatch::num_rows).sum();
            loader.table_start(t, n);
            let mut index = 0usize;
            for b in batches.iter() {
                if columns(t, &b.schema())? != cols {
                    return Err(input_error(format!("tables.{}", t.as_str()), "its batches do not share one schema".into()));
                }
                let prepared = prepare(b, &cols);
                feed(&mut loader, t, &prepared, b.num_rows(), &mut index, at);
            }
            loader.table_end(t);
        }
        loader.finish()?;
    }
    store.present = present;
    Ok(store)
}

/// Hand a batch's rows to the loader; `index` counts the table's rows so far, and `at` gives
/// each row's index in its table instead, when given.
fn feed(loader: &mut Loader, t: Table, prepared: &[(usize, Col)], n: usize, index: &mut usize, at: Option<&[i64]>) {
    let mut rows: Vec<(At, Row)> = Vec::with_capacity(BATCH.min(n));
    for i in 0..n {
        let k = at.and_then(|x| x.get(*index)).map_or(*index, |v| (*v).max(0) as usize);
        let at = At { index: k, line: None };
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

/// Per row of a batch of `t`, the text of field `field` as the core reads an id (null when
/// the row has none, or its cells are not text where text was sent).
pub fn id_texts(t: Table, batch: &RecordBatch, field: &str) -> Result<Vec<Option<String>>, Error> {
    let mut cols = [None; MAX_FIELDS];
    let Some(s) = slot(t, field.as_bytes()) else { return Ok(vec![None; batch.num_rows()]) };
    cols[s] = batch.schema().index_of(field).ok();
    let prepared = prepare(batch, &cols);
    Ok((0..batch.num_rows()).map(|i| row(&prepared, i).ok().and_then(|r| tend::input::check::id_text(r.get(s)).map(|c| c.into_owned()))).collect())
}
