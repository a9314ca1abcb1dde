//! The passes of a tenant split into buckets ([`tend::split`]), for `tend.spark`: bucket keys
//! from referrals, a bucket's facts, the tenant's figures and placements, a bucket's engine,
//! and the merge of the buckets' summary parts. Facts cross as Arrow columns; placements as one
//! binary cell each; the tenant's figures and the parts as text with every `f64` as its bits.

use crate::detach::free;
use crate::{ingest, options, read_tables, tend_error, to_py, Analysis};
use arrow_array::builder::{BinaryBuilder, Float64Builder, Int32Builder, Int64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::{PyArray, PyRecordBatch, PyTable};
use std::rc::Rc;
use std::sync::Arc;
use tend::btyd::Summary;
use tend::engine::changes;
use tend::input::records::Table;
use tend::score::value::Tier;
use tend::split::{Facts, Given, Placement, TenantStats};
use tend::time::DAY_MS;
use tend::Engine;

fn bad(what: &str) -> PyErr {
    PyTypeError::new_err(format!("tend.spark: {what}"))
}

fn cast(a: &dyn Array, t: DataType) -> PyResult<ArrayRef> {
    arrow_cast::cast(a, &t).map_err(|e| bad(&e.to_string()))
}

/// The instants facts are taken at: 30 days back, and the state changes'.
fn instants(o: &tend::Options) -> (i64, [i64; 3]) {
    (o.as_of - tend::engine::TREND_DAYS * DAY_MS, changes::instants(o.as_of))
}

/// The linked customers of one tenant's customers batch (`id`, `referredBy`): `(ids, keys)`,
/// the key being the id whose bucket each takes.
#[pyfunction]
pub fn linked(py: Python, batch: PyRecordBatch) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let batch = batch.into_inner();
    let built = free(py, || {
        let ids = ingest::id_texts(Table::Customers, &batch, "id")?;
        let refs = ingest::id_texts(Table::Customers, &batch, "referredBy")?;
        let pairs: Vec<(&str, Option<&str>)> = ids.iter().zip(&refs).filter_map(|(i, r)| i.as_deref().map(|i| (i, r.as_deref()))).collect();
        let (mut a, mut b) = (StringBuilder::new(), StringBuilder::new());
        for (id, key) in tend::split::buckets::linked(&pairs) {
            a.append_value(id);
            b.append_value(key);
        }
        Ok((a.finish(), b.finish()))
    });
    let (a, b) = built.map_err(|e| tend_error(py, e))?;
    let out = |x: arrow_array::StringArray| -> PyResult<Py<PyAny>> { Ok(PyArray::from_array_ref(Arc::new(x)).to_pyarrow(py)?.unbind()) };
    Ok((out(a)?, out(b)?))
}

/// A bucket's store: its tables (`[(name, arrow stream)]`, each table's rows in input order)
/// with each row's index in its tenant's table (call it with the GIL released).
fn store_of(tables: &[(Table, arrow_schema::SchemaRef, Vec<RecordBatch>)], indexes: &[PyArray], offset: i32) -> PyResult<Result<tend::input::store::Store, tend::Error>> {
    let mut ix = Vec::with_capacity(indexes.len());
    for a in indexes {
        let a = cast(a.array(), DataType::Int64)?;
        ix.push(a.as_primitive::<Int64Type>().iter().map(|c| c.unwrap_or(0)).collect::<Vec<i64>>());
    }
    if ix.len() != tables.len() {
        return Err(bad("one index array per table is needed"));
    }
    Ok(ingest::load(tables, Some(&ix), offset))
}

const FACT_COLUMNS: [&str; 14] = ["id", "origin", "now", "then", "at0", "at1", "at2", "r", "f", "m", "x", "tx", "t", "mv"];

/// The facts of one bucket's customers (its customers' and orders' tables, with each row's
/// index in its tenant's table), as an Arrow batch.
#[pyfunction]
pub fn facts(py: Python, tables: Vec<(String, Bound<PyAny>)>, indexes: Vec<PyArray>, options_json: &str) -> PyResult<Py<PyAny>> {
    let o = options(py, options_json)?;
    let given = read_tables(&tables)?;
    let batch = free(py, || -> PyResult<Result<RecordBatch, tend::Error>> {
        let store = match store_of(&given, &indexes, o.policy.offset_secs)? {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        facts_batch(&store, &o).map(Ok)
    })?
    .map_err(|e| tend_error(py, e))?;
    PyRecordBatch::new(batch).into_pyarrow(py).map(Bound::unbind)
}

/// The facts of a store's customers as a batch of [`FACT_COLUMNS`].
fn facts_batch(store: &tend::input::store::Store, o: &tend::Options) -> PyResult<RecordBatch> {
    let (then, at) = instants(o);
    let fs = tend::split::facts(store, o, then, &at);
    let mut id = StringBuilder::new();
    let mut origin = Int64Builder::new();
    let mut x = Int64Builder::new();
    let mut f64s: Vec<Float64Builder> = (0..11).map(|_| Float64Builder::new()).collect();
    for f in &fs {
        id.append_value(&f.id);
        origin.append_value(i64::from(f.origin));
        let r = |k: usize| f.revenue_at.get(k).copied();
        let rfm = f.rfm;
        let s = f.summary.as_ref();
        let vals = [Some(f.revenue_now), Some(f.revenue_then), r(0), r(1), r(2), rfm.map(|k| k.0), rfm.map(|k| k.1), rfm.map(|k| k.2), s.map(|s| s.recency), s.map(|s| s.t), s.and_then(|s| s.monetary_value)];
        for (b, v) in f64s.iter_mut().zip(vals) {
            b.append_option(v);
        }
        x.append_option(s.map(|s| i64::from(s.frequency)));
    }
    let fin: Vec<ArrayRef> = f64s.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef).collect();
    let mut cols: Vec<ArrayRef> = vec![Arc::new(id.finish()), Arc::new(origin.finish())];
    cols.extend_from_slice(&fin[..8]);
    cols.push(Arc::new(x.finish()));
    cols.extend_from_slice(&fin[8..]);
    let fields: Vec<Field> = FACT_COLUMNS.iter().enumerate().map(|(k, n)| Field::new(*n, match k { 0 => DataType::Utf8, 1 | 10 => DataType::Int64, _ => DataType::Float64 }, true)).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).map_err(|e| bad(&e.to_string()))
}

fn read_facts(batch: &RecordBatch) -> PyResult<Vec<Facts>> {
    let col = |n: &str| batch.column_by_name(n).ok_or_else(|| bad(&format!("facts without `{n}`")));
    let ids = cast(col("id")?, DataType::Utf8)?;
    let ids = ids.as_string::<i32>();
    let origin = cast(col("origin")?, DataType::Int64)?;
    let origin = origin.as_primitive::<Int64Type>();
    let x = cast(col("x")?, DataType::Int64)?;
    let x = x.as_primitive::<Int64Type>();
    let mut fl = Vec::new();
    for n in &FACT_COLUMNS[2..10] {
        fl.push(cast(col(n)?, DataType::Float64)?);
    }
    for n in &FACT_COLUMNS[11..] {
        fl.push(cast(col(n)?, DataType::Float64)?);
    }
    let get = |k: usize, i: usize| {
        let a = fl[k].as_primitive::<Float64Type>();
        (!a.is_null(i)).then(|| a.value(i))
    };
    Ok((0..batch.num_rows())
        .map(|i| {
            let id = ids.value(i).to_owned();
            let rfm = match (get(5, i), get(6, i), get(7, i)) {
                (Some(r), Some(f), Some(m)) => Some((r, f, m)),
                _ => None,
            };
            let summary = (!x.is_null(i)).then(|| Summary {
                id: id.clone(),
                frequency: x.value(i).max(0) as u32,
                recency: get(8, i).unwrap_or(0.0),
                t: get(9, i).unwrap_or(0.0),
                monetary_value: get(10, i),
            });
            Facts {
                origin: origin.value(i).clamp(0, i64::from(u32::MAX)) as u32,
                revenue_now: get(0, i).unwrap_or(0.0),
                revenue_then: get(1, i).unwrap_or(0.0),
                revenue_at: (2..5).map(|k| get(k, i).unwrap_or(0.0)).collect(),
                rfm,
                summary,
                id,
            }
        })
        .collect())
}

fn tier_byte(t: Tier) -> u8 {
    t as u8
}

fn tier_of(b: u8) -> Tier {
    match b {
        0 => Tier::A,
        1 => Tier::B,
        _ => Tier::C,
    }
}

fn put_place(out: &mut Vec<u8>, p: &Placement) {
    for (t, above) in [p.now, p.then] {
        out.push(tier_byte(t));
        match above {
            Some(a) => {
                out.push(1);
                out.extend_from_slice(&a.to_bits().to_le_bytes());
            }
            None => out.push(0),
        }
    }
    match p.rfm {
        Some((r, f, m)) => out.extend_from_slice(&[1, r, f, m]),
        None => out.push(0),
    }
    out.extend_from_slice(p.id.as_bytes());
}

fn get_place(b: &[u8]) -> Option<Placement> {
    let mut i = 0;
    let mut side = || -> Option<(Tier, Option<f64>)> {
        let t = tier_of(*b.get(i)?);
        let has = *b.get(i + 1)? == 1;
        i += 2;
        let above = if has {
            let v = f64::from_bits(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?));
            i += 8;
            Some(v)
        } else {
            None
        };
        Some((t, above))
    };
    let now = side()?;
    let then = side()?;
    let rfm = if *b.get(i)? == 1 {
        let v = (*b.get(i + 1)?, *b.get(i + 2)?, *b.get(i + 3)?);
        i += 4;
        Some(v)
    } else {
        i += 1;
        None
    };
    Some(Placement { id: std::str::from_utf8(b.get(i..)?).ok()?.to_owned(), now, then, rfm })
}

/// The tenant's figures from all its buckets' facts (a table with the columns of [`facts`] and
/// `_tend_b`, each customer's bucket): `(stats text, placements)`, the placements a batch of
/// `_tend_b` and `_tend_row` (one binary cell per customer).
#[pyfunction]
pub fn tenant_stats(py: Python, facts: PyTable, options_json: &str) -> PyResult<(String, Py<PyAny>)> {
    let o = options(py, options_json)?;
    let (batches, _) = facts.into_inner();
    let (text, batch) = free(py, || stats_of(&batches, &o))?;
    Ok((text, PyRecordBatch::new(batch).into_pyarrow(py)?.unbind()))
}

/// The tenant's figures (text) and the placements batch, from its facts' batches.
fn stats_of(batches: &[RecordBatch], o: &tend::Options) -> PyResult<(String, RecordBatch)> {
    let mut all = Vec::new();
    let mut bucket: tend::hash::IdMap<String, i32> = Default::default();
    for b in batches {
        let fs = read_facts(b)?;
        let bk = cast(b.column_by_name("_tend_b").ok_or_else(|| bad("facts without `_tend_b`"))?, DataType::Int32)?;
        let bk = bk.as_primitive::<Int32Type>();
        for (i, f) in fs.iter().enumerate() {
            bucket.insert(f.id.clone(), bk.value(i));
        }
        all.extend(fs);
    }
    let (_, at) = instants(o);
    let (stats, places) = TenantStats::compute(all, o, &at);
    let mut bs = Int32Builder::new();
    let mut cells = BinaryBuilder::new();
    let mut buf = Vec::new();
    for p in &places {
        buf.clear();
        put_place(&mut buf, p);
        bs.append_value(bucket.get(&p.id).copied().unwrap_or(0));
        cells.append_value(&buf);
    }
    let schema = Schema::new(vec![Field::new("_tend_b", DataType::Int32, true), Field::new("_tend_row", DataType::Binary, true)]);
    let batch = RecordBatch::try_new(Arc::new(schema), vec![Arc::new(bs.finish()), Arc::new(cells.finish())]).map_err(|e| bad(&e.to_string()))?;
    Ok((stats.to_text(), batch))
}

/// A bucket's engine: its tables (with each row's index in its tenant's table), the tenant's
/// figures and the placements of its customers.
#[pyfunction]
pub fn analyze_bucket(py: Python, tables: Vec<(String, Bound<PyAny>)>, indexes: Vec<PyArray>, options_json: &str, stats: &str, places: PyArray) -> PyResult<Analysis> {
    let o = options(py, options_json)?;
    let given = read_tables(&tables)?;
    let engine = free(py, || -> PyResult<Result<Engine, tend::Error>> {
        let store = match store_of(&given, &indexes, o.policy.offset_secs)? {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        let stats = match TenantStats::from_text(stats) {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        let cells = cast(places.array(), DataType::LargeBinary)?;
        let cells = cells.as_binary::<i64>();
        let places: Vec<Placement> = (0..cells.len()).filter(|i| !cells.is_null(*i)).filter_map(|i| get_place(cells.value(i))).collect();
        let given = Given::new(stats, places);
        Ok(Ok(Engine::build_given(Rc::new(store), o, &given)))
    })?;
    Ok(Analysis { engine: engine.map_err(|e| tend_error(py, e))? })
}

/// The summary of a tenant's buckets from their parts (text), and the owners' table.
#[pyfunction]
pub fn merge_parts<'py>(py: Python<'py>, parts: Vec<String>, options_json: &str, stats: &str) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let o = options(py, options_json)?;
    let stats = TenantStats::from_text(stats).map_err(|e| tend_error(py, e))?;
    let (v, owners) = free(py, || -> PyResult<_> {
        let mut ps = Vec::with_capacity(parts.len());
        for p in &parts {
            ps.push(serde_json::from_str::<tend::engine::split::Part>(p).map_err(|e| bad(&format!("not a part: {e}")))?);
        }
        let given = Given::new(stats, Vec::new());
        let summary = tend::engine::split::merge(&ps, &o, &given).ok_or_else(|| bad("no parts to merge"))?;
        let v = serde_json::to_value(&summary).unwrap_or(serde_json::Value::Null);
        let owners = crate::tables::owners(&v);
        Ok((v, owners))
    })?;
    let schema = owners.schema();
    let d = PyDict::new(py);
    d.set_item("owners", PyTable::try_new(vec![owners], schema)?.into_pyarrow(py)?)?;
    Ok((to_py(py, &v)?, d.into_any()))
}
