//! `tend._tend`: the Python boundary of Tend — conversion only, no scoring (the core does all
//! of it, the same code the WebAssembly module runs).
//!
//! Arrow crosses through the Arrow PyCapsule interface with [pyo3-arrow]: any object with
//! `__arrow_c_stream__` (pyarrow, pandas ≥ 2.2, polars, DuckDB relations, nanoarrow) is read in
//! place, without copies, JSON or a pyarrow dependency on the Rust side, and tables go back the
//! same way (`pyarrow.table()` takes the capsule). arrow-rs's own `pyarrow` feature was the
//! alternative: it goes through pyarrow's `_export_to_c` / `_import_from_c`, so it only takes
//! pyarrow objects, and it pins an older PyO3 (0.29) than pyo3-arrow 0.20 (0.30).
//!
//! [pyo3-arrow]: https://docs.rs/pyo3-arrow

mod cells;
mod detach;
mod math;
mod ingest;
mod split;
mod tables;

use arrow_array::RecordBatch;
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::{PyRecordBatchReader, PySchema, PyTable};
use serde_json::Value;
use std::rc::Rc;
use tend::input::records::Table;
use detach::free;
use tend::{Engine, Options};

pyo3::create_exception!(tend, TendError, PyException, "A call that cannot be done at all: `code` and `path` say why and where.");

fn tend_error(py: Python, e: tend::Error) -> PyErr {
    let err = TendError::new_err(e.to_string());
    let v = err.value(py);
    let _ = v.setattr("code", e.code());
    let _ = v.setattr("path", e.path().to_owned());
    err
}

fn table(name: &str) -> PyResult<Table> {
    Table::parse(name).ok_or_else(|| PyTypeError::new_err(format!("unknown table `{name}`")))
}

fn options(py: Python, json: &str) -> PyResult<Options> {
    let v: Value = serde_json::from_str(json).map_err(|e| PyTypeError::new_err(format!("options are not JSON: {e}")))?;
    Options::resolve(&v, None, None, None).map_err(|e| tend_error(py, e))
}

/// JSON data as Python objects (dicts, lists, str, int, float, bool, None).
fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (_, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(to_py(py, x)?)?;
            }
            l.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// An analysis: the engine over one portfolio, answering tables, the summary and the whole
/// report.
#[pyclass(unsendable, module = "tend._tend")]
struct Analysis {
    engine: Engine,
}

#[pymethods]
impl Analysis {
    /// The tables `customers`, `flags`, `worklist`, `owners`, `rejected` (pyarrow) and the
    /// summary (a dict), as `(tables, summary)`.
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyAny>)> {
        let (summary, tabs) = free(py, || {
            let summary = serde_json::to_value(self.engine.summary()).unwrap_or(Value::Null);
            let tabs = tables::tables(&self.engine, &summary);
            (summary, tabs)
        });
        let out = PyDict::new(py);
        for (name, batch) in tabs {
            let schema = batch.schema();
            out.set_item(name, PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)?)?;
        }
        Ok((out, to_py(py, &summary)?))
    }

    /// A bucket's tables (`tend.spark` with buckets): customers, flags, the worklist with its
    /// cross-bucket sort keys `_key` and `_pos`, rejected.
    fn bucket_tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (name, batch) in free(py, || tables::bucket_tables(&self.engine)) {
            let schema = batch.schema();
            out.set_item(name, PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)?)?;
        }
        Ok(out)
    }

    /// This engine's summary part, as text (merged by `merge_parts`).
    fn part(&self, py: Python) -> String {
        free(py, || serde_json::to_string(&self.engine.part()).unwrap_or_default())
    }

    /// The whole report, as `analyze()` in JavaScript gives it.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &free(py, || serde_json::to_value(self.engine.report()).unwrap_or(Value::Null)))
    }

    /// The summary alone.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &free(py, || serde_json::to_value(self.engine.summary()).unwrap_or(Value::Null)))
    }

    /// The buying models in use, as `models=` takes them (`False` when none is used).
    fn models<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // As the WebAssembly engine's `models()` gives them.
        let g = self.engine.given_models();
        let v = match g.buying {
            None => Value::Bool(false),
            Some(b) => serde_json::json!({ "buying": b, "spend": g.spend, "timeUnit": "week" }),
        };
        to_py(py, &v)
    }
}

fn read_stream(obj: &Bound<PyAny>) -> PyResult<(arrow_schema::SchemaRef, Vec<RecordBatch>)> {
    let reader: PyRecordBatchReader = obj.extract()?;
    let reader = reader.into_reader()?;
    let schema = reader.schema();
    let mut batches = Vec::new();
    for b in reader {
        batches.push(b.map_err(|e| PyTypeError::new_err(e.to_string()))?);
    }
    Ok((schema, batches))
}

/// Tables `[(name, arrow stream)]` read (their streams consumed), with their contract names.
fn read_tables(tables: &[(String, Bound<PyAny>)]) -> PyResult<Vec<(Table, arrow_schema::SchemaRef, Vec<RecordBatch>)>> {
    let mut given = Vec::with_capacity(tables.len());
    for (name, obj) in tables {
        let (schema, batches) = read_stream(obj)?;
        given.push((table(name)?, schema, batches));
    }
    Ok(given)
}

/// Analyse tables `[(name, arrow stream)]` with options as JSON `{asOf, policy?, models?}`.
#[pyfunction]
fn analyze(py: Python, tables: Vec<(String, Bound<PyAny>)>, options_json: &str) -> PyResult<Analysis> {
    let opts = options(py, options_json)?;
    let given = read_tables(&tables)?;
    let engine = free(py, || {
        let store = ingest::load(&given, None, opts.policy.offset_secs)?;
        Ok(Engine::build(Rc::new(store), opts))
    });
    drop(given);
    Ok(Analysis { engine: engine.map_err(|e| tend_error(py, e))? })
}

/// The schemas of the output tables (pyarrow), by name.
#[pyfunction]
fn schemas(py: Python) -> PyResult<Bound<PyDict>> {
    let d = PyDict::new(py);
    for name in tables::NAMES {
        d.set_item(name, PySchema::new(tables::schema(name)).into_pyarrow(py)?)?;
    }
    Ok(d)
}

/// The contract: each table's fields and its required fields.
#[pyfunction]
fn contract(py: Python) -> PyResult<Bound<PyDict>> {
    let d = PyDict::new(py);
    for t in Table::ALL {
        let f: Vec<&str> = tend::input::row::fields(*t).to_vec();
        let r: Vec<&str> = tend::input::csv::required(*t).to_vec();
        d.set_item(t.as_str(), (f, r))?;
    }
    Ok(d)
}

#[pymodule]
fn _tend(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Analysis>()?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(schemas, m)?)?;
    m.add_function(wrap_pyfunction!(split::linked, m)?)?;
    m.add_function(wrap_pyfunction!(split::facts, m)?)?;
    m.add_function(wrap_pyfunction!(split::tenant_stats, m)?)?;
    m.add_function(wrap_pyfunction!(split::analyze_bucket, m)?)?;
    m.add_function(wrap_pyfunction!(split::merge_parts, m)?)?;
    m.add_function(wrap_pyfunction!(contract, m)?)?;
    m.add("TendError", m.py().get_type::<TendError>())?;
    Ok(())
}
