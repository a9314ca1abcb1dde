//! The engine's answers as flat Arrow tables: `customers` (one row per customer, in id order),
//! `flags` (one row per neglect flag), `worklist` (one row per action, ranked), `owners` (one row
//! per owner's card) and `rejected` (the listed rejected rows).
//!
//! Every value is read from the report as the core serialises it — the JSON the WebAssembly
//! `analyze()` returns — so a column holds exactly the number or text the browser shows; a
//! column names its path in the report (`pAlive` is `buying.pAlive`). Columns are `utf8`,
//! `float64`, `int64` or `bool` only (what Spark maps one to one); instants are ISO 8601 text at
//! the policy's offset, as in the report.

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde_json::Value;
use std::sync::Arc;
use tend::input::records::NeglectKind;
use tend::Engine;

/// A column's type.
#[derive(Clone, Copy)]
pub enum Ty {
    Str,
    F64,
    I64,
    Bool,
}

/// A column: its name, type and how its value is read from one item (a customer's report, a
/// flag with its customer, a worklist item, an owner's card, a rejected row).
pub struct Spec {
    pub name: &'static str,
    pub ty: Ty,
    pub get: Getter,
}

/// How a value is read.
pub enum Getter {
    /// A path into the item (numbers index arrays).
    Path(&'static [&'static str]),
    /// The length of an array in the item (`filter`: count only items where this boolean
    /// field is false).
    Count(&'static [&'static str], Option<&'static str>),
    /// A value in the item's context (the customer of a flag; the position of a worklist item).
    Context(usize),
    /// The count of one neglect kind in an owner's `openFlags` (0 when absent), or their sum.
    Kind(Option<&'static str>),
}

fn at<'v>(mut v: &'v Value, path: &[&str]) -> &'v Value {
    for p in path {
        v = match v {
            Value::Object(m) => m.get(*p).unwrap_or(&Value::Null),
            Value::Array(a) => p.parse::<usize>().ok().and_then(|k| a.get(k)).unwrap_or(&Value::Null),
            _ => &Value::Null,
        };
    }
    v
}

macro_rules! col {
    ($name:literal, $ty:ident, [$($p:literal),*]) => {
        Spec { name: $name, ty: Ty::$ty, get: Getter::Path(&[$($p),*]) }
    };
}

/// One row per customer.
pub fn customer_specs() -> Vec<Spec> {
    vec![
        col!("id", Str, ["id"]),
        col!("name", Str, ["name"]),
        col!("owner", Str, ["owner"]),
        col!("segment", Str, ["segment"]),
        col!("referredBy", Str, ["referredBy"]),
        col!("tier", Str, ["value", "tier"]),
        col!("stage", Str, ["stage"]),
        col!("health", F64, ["health", "score"]),
        col!("band", Str, ["health", "band"]),
        col!("trend", F64, ["health", "trend"]),
        col!("risk", Str, ["risk", "level"]),
        col!("riskScore", F64, ["risk", "score"]),
        col!("topReason", Str, ["risk", "reasons", "0", "code"]),
        col!("priority", F64, ["priority"]),
        col!("revenue12m", F64, ["value", "revenue12m"]),
        col!("revenuePrev12m", F64, ["value", "revenuePrev12m"]),
        col!("clv", F64, ["value", "clv"]),
        col!("rfmR", I64, ["value", "rfm", "r"]),
        col!("rfmF", I64, ["value", "rfm", "f"]),
        col!("rfmM", I64, ["value", "rfm", "m"]),
        col!("rfmSegment", Str, ["value", "rfm", "segment"]),
        col!("lastOrderAt", Str, ["value", "lastOrderAt"]),
        col!("buyingStatus", Str, ["buying", "status"]),
        col!("orders", I64, ["buying", "orders"]),
        col!("daysSinceLastOrder", F64, ["buying", "daysSinceLastOrder"]),
        col!("medianGapDays", F64, ["buying", "medianGapDays"]),
        col!("nextOrderExpected", Str, ["buying", "nextOrderExpected"]),
        col!("overdueDays", F64, ["buying", "overdueDays"]),
        col!("pAlive", F64, ["buying", "pAlive"]),
        col!("expectedPurchases", F64, ["buying", "expectedPurchases"]),
        col!("lapseAt", Str, ["buying", "lapseAt"]),
        col!("lapsedSince", Str, ["buying", "lapsedSince"]),
        col!("satisfactionIndex", F64, ["satisfaction", "index"]),
        col!("zone", Str, ["satisfaction", "zone"]),
        col!("zoneKind", Str, ["satisfaction", "zoneKind"]),
        col!("npsLatest", F64, ["satisfaction", "nps", "latest"]),
        col!("csatLatest", F64, ["satisfaction", "csat", "latest"]),
        col!("cesLatest", F64, ["satisfaction", "ces", "latest"]),
        col!("lastFeedbackAt", Str, ["satisfaction", "lastFeedbackAt"]),
        col!("openComplaints", I64, ["satisfaction", "complaints", "open"]),
        col!("healthSatisfaction", F64, ["health", "components", "satisfaction", "score"]),
        col!("healthBuying", F64, ["health", "components", "buying", "score"]),
        col!("healthAttention", F64, ["health", "components", "attention", "score"]),
        col!("healthService", F64, ["health", "components", "service", "score"]),
        Spec { name: "openFlags", ty: Ty::I64, get: Getter::Count(&["neglect"], Some("snoozed")) },
        Spec { name: "flags", ty: Ty::I64, get: Getter::Count(&["neglect"], None) },
        Spec { name: "actions", ty: Ty::I64, get: Getter::Count(&["actions"], None) },
        col!("topAction", Str, ["actions", "0", "kind"]),
        Spec { name: "exposure", ty: Ty::I64, get: Getter::Count(&["exposure"], None) },
    ]
}

/// One row per neglect flag (context 0: the customer's id, 1: its name).
pub fn flag_specs() -> Vec<Spec> {
    vec![
        Spec { name: "customerId", ty: Ty::Str, get: Getter::Context(0) },
        Spec { name: "customerName", ty: Ty::Str, get: Getter::Context(1) },
        col!("kind", Str, ["kind"]),
        col!("severity", Str, ["severity"]),
        col!("since", Str, ["since"]),
        col!("due", Str, ["due"]),
        col!("overdue", F64, ["overdue"]),
        col!("evidenceTable", Str, ["evidence", "table"]),
        col!("evidenceId", Str, ["evidence", "id"]),
        col!("count", I64, ["count"]),
        col!("owner", Str, ["owner"]),
        col!("snoozed", Bool, ["snoozed"]),
        col!("snoozedUntil", Str, ["snooze", "until"]),
        col!("snoozeReason", Str, ["snooze", "reason"]),
        col!("message", Str, ["message"]),
    ]
}

/// One row per worklist item, ranked (context 0: the rank, from 1).
pub fn worklist_specs() -> Vec<Spec> {
    vec![
        Spec { name: "rank", ty: Ty::I64, get: Getter::Context(0) },
        col!("customerId", Str, ["customerId"]),
        col!("customerName", Str, ["customerName"]),
        col!("owner", Str, ["owner"]),
        col!("kind", Str, ["kind"]),
        col!("message", Str, ["message"]),
        col!("evidenceTable", Str, ["evidence", "table"]),
        col!("evidenceId", Str, ["evidence", "id"]),
        col!("uplift", F64, ["uplift"]),
        col!("priority", F64, ["priority"]),
        col!("severity", Str, ["severity"]),
        col!("overdue", F64, ["overdue"]),
        col!("tier", Str, ["tier"]),
        col!("health", F64, ["health"]),
        col!("band", Str, ["band"]),
        col!("risk", Str, ["risk"]),
    ]
}

/// One row per owner's card, with one column per neglect kind (open flags of that kind).
pub fn owner_specs() -> Vec<Spec> {
    let mut v = vec![
        col!("owner", Str, ["owner"]),
        col!("customers", I64, ["customers"]),
        Spec { name: "openFlags", ty: Ty::I64, get: Getter::Kind(None) },
        col!("snoozedFlags", I64, ["snoozedFlags"]),
        col!("overdueDays", F64, ["overdueDays"]),
        col!("brokenPromiseRate", F64, ["brokenPromiseRate"]),
        col!("promisesDue", I64, ["promisesDue"]),
        col!("medianComplaintResolutionDays", F64, ["medianComplaintResolutionDays"]),
        col!("highRiskShare", F64, ["highRiskShare"]),
    ];
    for k in NeglectKind::ALL {
        v.push(Spec { name: k.as_str(), ty: Ty::I64, get: Getter::Kind(Some(k.as_str())) });
    }
    v
}

/// One row per listed rejected row (the first 1,000; every one is counted in the summary).
pub fn rejected_specs() -> Vec<Spec> {
    vec![
        col!("table", Str, ["table"]),
        col!("index", I64, ["index"]),
        col!("id", Str, ["id"]),
        col!("field", Str, ["field"]),
        col!("code", Str, ["code"]),
        col!("reason", Str, ["reason"]),
    ]
}

/// The tables, in the order [`tables`] gives them.
pub const NAMES: [&str; 5] = ["customers", "flags", "worklist", "owners", "rejected"];

fn specs(name: &str) -> Vec<Spec> {
    match name {
        "customers" => customer_specs(),
        "flags" => flag_specs(),
        "worklist" => worklist_specs(),
        "owners" => owner_specs(),
        _ => rejected_specs(),
    }
}

/// The schema of a table.
pub fn schema(name: &str) -> SchemaRef {
    let fields: Vec<Field> = specs(name)
        .iter()
        .map(|s| {
            let t = match s.ty {
                Ty::Str => DataType::Utf8,
                Ty::F64 => DataType::Float64,
                Ty::I64 => DataType::Int64,
                Ty::Bool => DataType::Boolean,
            };
            Field::new(s.name, t, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

enum Builder {
    Str(StringBuilder),
    F64(Float64Builder),
    I64(Int64Builder),
    Bool(BooleanBuilder),
}

/// Rows of one table being built.
pub struct Rows {
    specs: Vec<Spec>,
    cols: Vec<Builder>,
    schema: SchemaRef,
}

impl Rows {
    fn new(name: &str) -> Rows {
        let specs = specs(name);
        let cols = specs
            .iter()
            .map(|s| match s.ty {
                Ty::Str => Builder::Str(StringBuilder::new()),
                Ty::F64 => Builder::F64(Float64Builder::new()),
                Ty::I64 => Builder::I64(Int64Builder::new()),
                Ty::Bool => Builder::Bool(BooleanBuilder::new()),
            })
            .collect();
        Rows { specs, cols, schema: schema(name) }
    }

    fn push(&mut self, item: &Value, context: &[&Value]) {
        for (s, b) in self.specs.iter().zip(self.cols.iter_mut()) {
            let owned;
            let v: &Value = match &s.get {
                Getter::Path(p) => at(item, p),
                Getter::Context(k) => context.get(*k).copied().unwrap_or(&Value::Null),
                Getter::Count(p, filter) => {
                    let n = match at(item, p) {
                        Value::Array(a) => a.iter().filter(|x| filter.is_none_or(|f| !at(x, &[f]).as_bool().unwrap_or(false))).count(),
                        _ => 0,
                    };
                    owned = Value::from(n);
                    &owned
                }
                Getter::Kind(k) => {
                    let m = at(item, &["openFlags"]);
                    let n: u64 = match (k, m) {
                        (Some(k), m) => at(m, &[k]).as_u64().unwrap_or(0),
                        (None, Value::Object(m)) => m.values().filter_map(Value::as_u64).sum(),
                        _ => 0,
                    };
                    owned = Value::from(n);
                    &owned
                }
            };
            match b {
                Builder::Str(b) => match v {
                    Value::Null => b.append_null(),
                    Value::String(s) => b.append_value(s),
                    other => b.append_value(other.to_string()),
                },
                Builder::F64(b) => b.append_option(v.as_f64()),
                Builder::I64(b) => b.append_option(v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))),
                Builder::Bool(b) => b.append_option(v.as_bool()),
            }
        }
    }

    fn finish(mut self) -> RecordBatch {
        let arrays: Vec<ArrayRef> = self
            .cols
            .iter_mut()
            .map(|b| -> ArrayRef {
                match b {
                    Builder::Str(b) => Arc::new(b.finish()),
                    Builder::F64(b) => Arc::new(b.finish()),
                    Builder::I64(b) => Arc::new(b.finish()),
                    Builder::Bool(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        // The arrays follow the schema by construction.
        RecordBatch::try_new(self.schema.clone(), arrays).unwrap_or_else(|_| RecordBatch::new_empty(self.schema.clone()))
    }
}

/// Worklist items asked of the engine at once.
const PAGE: usize = 10_000;

/// Every table of an engine: customers in id order (one customer's report at a time, so the
/// whole report is never held), flags in the same order, the worklist in rank order, the
/// owners' cards and the listed rejected rows. `summary`: the engine's summary as JSON.
pub fn tables(engine: &Engine, summary: &Value) -> Vec<(&'static str, RecordBatch)> {
    let (customers, flags) = customers_and_flags(engine);
    let worklist = worklist_rows(engine, |_, _| {}).finish();
    vec![("customers", customers), ("flags", flags), ("worklist", worklist), ("owners", owners(summary)), ("rejected", rejected(engine))]
}

/// The customers, in id order (one customer's report at a time), and their flags.
fn customers_and_flags(engine: &Engine) -> (RecordBatch, RecordBatch) {
    let store = engine.store();
    let mut ids: Vec<&str> =
        (0..store.slots()).filter(|c| engine.entry(*c).is_some()).map(|c| store.data.customer_id(c)).collect();
    ids.sort_unstable();
    let (mut customers, mut flags) = (Rows::new("customers"), Rows::new("flags"));
    for id in ids {
        let Some(report) = engine.customer(id) else { continue };
        let v = serde_json::to_value(&report).unwrap_or(Value::Null);
        customers.push(&v, &[]);
        if let Value::Array(list) = at(&v, &["neglect"]) {
            let (cid, name) = (at(&v, &["id"]), at(&v, &["name"]));
            for f in list {
                flags.push(f, &[cid, name]);
            }
        }
    }
    (customers.finish(), flags.finish())
}

/// The worklist in rank order; `each(customer id, item)` sees every item.
fn worklist_rows(engine: &Engine, mut each: impl FnMut(&str, usize)) -> Rows {
    let mut worklist = Rows::new("worklist");
    let mut offset = 0usize;
    loop {
        let q = serde_json::json!({ "offset": offset, "limit": PAGE });
        let Ok(q) = tend::engine::query::Query::from_json(&q, "query") else { break };
        let Ok(page) = engine.worklist(&q) else { break };
        for (k, item) in page.items.iter().enumerate() {
            let v = serde_json::to_value(item).unwrap_or(Value::Null);
            let rank = Value::from(offset + k + 1);
            worklist.push(&v, &[&rank]);
            each(&item.customer_id, offset + k);
        }
        offset += page.items.len();
        if page.items.is_empty() || offset >= page.total {
            break;
        }
    }
    worklist
}

/// The owners' cards of a summary (JSON).
pub fn owners(summary: &Value) -> RecordBatch {
    let mut owners = Rows::new("owners");
    if let Value::Array(cards) = at(summary, &["owners"]) {
        for c in cards {
            owners.push(c, &[]);
        }
    }
    owners.finish()
}

fn rejected(engine: &Engine) -> RecordBatch {
    let mut rejected = Rows::new("rejected");
    for r in &engine.input_report(true).rejected {
        let v = serde_json::to_value(r).unwrap_or(Value::Null);
        rejected.push(&v, &[]);
    }
    rejected.finish()
}

/// A bucket's tables: customers, flags and rejected as [`tables`] gives them, and the worklist
/// with `_key` and `_pos` (the rank across buckets is by `_key`, then `customerId`, then
/// `_pos`; `rank` is the bucket's own).
pub fn bucket_tables(engine: &Engine) -> Vec<(&'static str, RecordBatch)> {
    let (customers, flags) = customers_and_flags(engine);
    let (mut keys, mut pos) = (Int64Builder::new(), Int64Builder::new());
    let mut last: Option<String> = None;
    let mut k = 0i64;
    let wl = worklist_rows(engine, |id, _| {
        if last.as_deref() != Some(id) {
            last = Some(id.to_owned());
            k = 0;
        }
        // The key's unsigned order as a signed one.
        keys.append_value(engine.worklist_key(id).map_or(i64::MAX, |x| (x ^ (1 << 63)) as i64));
        pos.append_value(k);
        k += 1;
    })
    .finish();
    let mut fields: Vec<Field> = wl.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
    fields.push(Field::new("_key", DataType::Int64, true));
    fields.push(Field::new("_pos", DataType::Int64, true));
    let mut cols: Vec<ArrayRef> = wl.columns().to_vec();
    cols.push(Arc::new(keys.finish()));
    cols.push(Arc::new(pos.finish()));
    let wl = RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap_or(wl);
    vec![("customers", customers), ("flags", flags), ("worklist", wl), ("rejected", rejected(engine))]
}
