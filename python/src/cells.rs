//! Arrow columns to the core's loosely typed cells ([`Val`]), one cell at a time, borrowing
//! strings from the Arrow buffers.
//!
//! What a cell becomes is what the same value would be in a JSON export, so the core's checks
//! (and their rejection reasons) are the JSON path's:
//!
//! | Arrow | cell |
//! |---|---|
//! | null (any type) | absent |
//! | `utf8`, `large_utf8`, `utf8_view`, dictionary of those | a string (borrowed) |
//! | `binary` kinds | a string when UTF-8, else the row is rejected (`not_utf8`) |
//! | `bool` | a boolean |
//! | integers | a number when a double holds it exactly, else its decimal text (ids stay exact) |
//! | floats | a number (NaN and ±∞ are rejected where a number is required) |
//! | decimals | their decimal text (an amount may be a decimal string) |
//! | `timestamp` with a time zone | the instant (ISO 8601, UTC) |
//! | `timestamp` without one | a local date-time, read in the policy's timezone (like an ISO string without offset) |
//! | `date32`, `date64` | a plain date, read as 00:00 in the policy's timezone |
//! | lists | an array of their items (`snoozes.kinds`) |
//! | unions (dense or sparse) | the cell of the member each row holds: a JSON column of mixed types |
//! | struct, map, time of day, duration, … | an object (rejected where a value is required) |
//!
//! Instants are cut to milliseconds (the core's resolution) towards the past; a timestamp
//! outside 0001–9999 is kept as a text the core rejects as `invalid_date`.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, BinaryArray, BooleanArray, Float64Array, GenericListArray, Int64Array, StringArray, UInt64Array, UnionArray};
use arrow_schema::{DataType, TimeUnit};
use std::borrow::Cow;
use tend::input::row::Val;
use tend::time::{format_date, date_from_days, format_instant, DAY_MS, MAX_INSTANT, MIN_INSTANT};

/// The largest integer every smaller one of which a double holds exactly.
const EXACT: u64 = 1 << 53;

/// A column made ready to read cells from.
pub enum Col {
    /// Every cell absent.
    Null,
    Bool(BooleanArray),
    Int(Int64Array),
    UInt(UInt64Array),
    Float(Float64Array),
    Str(StringArray),
    LargeStr(arrow_array::LargeStringArray),
    View(arrow_array::StringViewArray),
    Bin(BinaryArray),
    /// Timestamps as integers in their unit; `naive`: without a time zone.
    Time { values: Int64Array, unit: TimeUnit, naive: bool },
    /// Days since 1970-01-01.
    Date(arrow_array::Date32Array),
    List { list: GenericListArray<i64>, items: Box<Col> },
    Union { array: UnionArray, members: Vec<(i8, Col)> },
    /// Present cells read as an object.
    Object(ArrayRef),
}

/// A cell that cannot be a value: a binary cell that is not UTF-8.
#[derive(Debug)]
pub struct NotUtf8;

fn cast(a: &ArrayRef, to: &DataType) -> Option<ArrayRef> {
    arrow_cast::cast(a, to).ok()
}

impl Col {
    /// Ready a column of any type.
    pub fn prepare(a: &ArrayRef) -> Col {
        // A cast that fails (a large binary over 2 GiB) leaves the cells as objects: each row
        // is then rejected, never read as absent.
        Col::try_prepare(a).unwrap_or_else(|| Col::Object(a.clone()))
    }

    fn try_prepare(a: &ArrayRef) -> Option<Col> {
        use DataType as D;
        Some(match a.data_type() {
            D::Null => Col::Null,
            D::Boolean => Col::Bool(a.as_boolean().clone()),
            D::Int8 | D::Int16 | D::Int32 | D::UInt8 | D::UInt16 | D::UInt32 => Col::Int(cast(a, &D::Int64)?.as_primitive::<Int64Type>().clone()),
            D::Int64 => Col::Int(a.as_primitive::<Int64Type>().clone()),
            D::UInt64 => Col::UInt(a.as_primitive::<UInt64Type>().clone()),
            D::Float16 | D::Float32 => Col::Float(cast(a, &D::Float64)?.as_primitive::<Float64Type>().clone()),
            D::Float64 => Col::Float(a.as_primitive::<Float64Type>().clone()),
            D::Utf8 => Col::Str(a.as_string::<i32>().clone()),
            D::LargeUtf8 => Col::LargeStr(a.as_string::<i64>().clone()),
            D::Utf8View => Col::View(a.as_string_view().clone()),
            D::Binary => Col::Bin(a.as_binary::<i32>().clone()),
            D::LargeBinary | D::BinaryView | D::FixedSizeBinary(_) => Col::Bin(cast(a, &D::Binary)?.as_binary::<i32>().clone()),
            D::Decimal32(..) | D::Decimal64(..) | D::Decimal128(..) | D::Decimal256(..) => Col::Str(cast(a, &D::Utf8)?.as_string::<i32>().clone()),
            D::Dictionary(_, v) => Col::prepare(&cast(a, v)?),
            D::Timestamp(unit, tz) => Col::Time { values: cast(a, &D::Int64)?.as_primitive::<Int64Type>().clone(), unit: *unit, naive: tz.is_none() },
            D::Date32 => Col::Date(a.as_primitive::<Date32Type>().clone()),
            D::Date64 => Col::Date(cast(a, &D::Date32)?.as_primitive::<Date32Type>().clone()),
            D::List(f) | D::ListView(f) | D::FixedSizeList(f, _) | D::LargeListView(f) => {
                let large = D::LargeList(f.clone());
                Col::prepare(&cast(a, &large)?)
            }
            D::LargeList(_) => {
                let list = a.as_list::<i64>().clone();
                let items = Box::new(Col::prepare(list.values()));
                Col::List { list, items }
            }
            D::Union(fields, _) => {
                let array = a.as_any().downcast_ref::<UnionArray>().cloned();
                match array {
                    Some(array) => {
                        let members = fields.iter().map(|(id, _)| (id, Col::prepare(array.child(id)))).collect();
                        Col::Union { array, members }
                    }
                    None => Col::Object(a.clone()),
                }
            }
            _ => Col::Object(a.clone()),
        })
    }

    /// The cell of row `i`.
    pub fn val(&self, i: usize) -> Result<Val<'_>, NotUtf8> {
        let v = match self {
            Col::Null => Val::Absent,
            Col::Bool(a) => opt(a.is_null(i), || Val::Bool(a.value(i))),
            Col::Int(a) => opt(a.is_null(i), || int(a.value(i))),
            Col::UInt(a) => opt(a.is_null(i), || {
                let v = a.value(i);
                if v <= EXACT { Val::Num(v as f64) } else { Val::Str(Cow::Owned(v.to_string())) }
            }),
            Col::Float(a) => opt(a.is_null(i), || Val::Num(a.value(i))),
            Col::Str(a) => opt(a.is_null(i), || Val::Str(Cow::Borrowed(a.value(i)))),
            Col::LargeStr(a) => opt(a.is_null(i), || Val::Str(Cow::Borrowed(a.value(i)))),
            Col::View(a) => opt(a.is_null(i), || Val::Str(Cow::Borrowed(a.value(i)))),
            Col::Bin(a) => {
                if a.is_null(i) {
                    Val::Absent
                } else {
                    Val::Str(Cow::Borrowed(std::str::from_utf8(a.value(i)).map_err(|_| NotUtf8)?))
                }
            }
            Col::Time { values, unit, naive } => opt(values.is_null(i), || instant(values.value(i), *unit, *naive)),
            Col::Date(a) => opt(a.is_null(i), || date(a.value(i))),
            Col::List { list, items } => {
                if list.is_null(i) {
                    Val::Absent
                } else {
                    let offs = list.value_offsets();
                    let (from, to) = (offs[i] as usize, offs[i + 1] as usize);
                    let mut out = Vec::with_capacity(to - from);
                    for k in from..to {
                        out.push(match items.val(k)? {
                            // Inside an array, a null is a null (not an absent field).
                            Val::Absent => Val::Null,
                            // Nested arrays are kept without contents, as the JSON reader does.
                            Val::Array(_) => Val::Array(Vec::new()),
                            x => x,
                        });
                    }
                    Val::Array(out)
                }
            }
            Col::Union { array, members } => {
                let id = array.type_id(i);
                let k = array.value_offset(i);
                match members.iter().find(|(m, _)| *m == id) {
                    Some((_, c)) => c.val(k)?,
                    None => Val::Absent,
                }
            }
            Col::Object(a) => opt(a.is_null(i), || Val::Object),
        };
        Ok(v)
    }
}

fn opt<'a>(null: bool, f: impl FnOnce() -> Val<'a>) -> Val<'a> {
    if null {
        Val::Absent
    } else {
        f()
    }
}

fn int<'a>(v: i64) -> Val<'a> {
    if v.unsigned_abs() <= EXACT {
        Val::Num(v as f64)
    } else {
        Val::Str(Cow::Owned(v.to_string()))
    }
}

/// A timestamp in its unit as an instant (milliseconds, towards the past), if it is one.
pub fn to_ms(v: i64, unit: TimeUnit) -> Option<i64> {
    let ms = match unit {
        TimeUnit::Second => v.checked_mul(1000)?,
        TimeUnit::Millisecond => v,
        TimeUnit::Microsecond => v.div_euclid(1000),
        TimeUnit::Nanosecond => v.div_euclid(1_000_000),
    };
    (MIN_INSTANT..=MAX_INSTANT).contains(&ms).then_some(ms)
}

fn unit_name(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Second => "s",
        TimeUnit::Millisecond => "ms",
        TimeUnit::Microsecond => "us",
        TimeUnit::Nanosecond => "ns",
    }
}

fn instant<'a>(v: i64, unit: TimeUnit, naive: bool) -> Val<'a> {
    let Some(ms) = to_ms(v, unit) else {
        // Not an instant Tend reads: a text the core rejects with the value in its message.
        return Val::Str(Cow::Owned(format!("timestamp[{}] {v}", unit_name(unit))));
    };
    let mut s = format_instant(ms, 0);
    if naive {
        // A wall-clock time without offset: the policy's timezone applies, as for ISO text
        // without one.
        s.truncate(s.len() - "+00:00".len());
    } else {
        s.truncate(s.len() - "+00:00".len());
        s.push('Z');
    }
    Val::Str(Cow::Owned(s))
}

fn date<'a>(days: i32) -> Val<'a> {
    let d = i64::from(days);
    if !(MIN_INSTANT..=MAX_INSTANT).contains(&(d * DAY_MS)) {
        return Val::Str(Cow::Owned(format!("date32 {days}")));
    }
    Val::Str(Cow::Owned(format_date(date_from_days(d))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn timestamps_read_as_iso_text() {
        assert_eq!(instant(1_795_176_000_123, TimeUnit::Millisecond, false), Val::Str("2026-11-20T12:00:00.123Z".into()));
        assert_eq!(instant(1_795_176_000_123_999, TimeUnit::Microsecond, true), Val::Str("2026-11-20T12:00:00.123".into()));
        assert_eq!(instant(-1, TimeUnit::Nanosecond, false), Val::Str("1969-12-31T23:59:59.999Z".into()));
        assert_eq!(instant(i64::MAX, TimeUnit::Millisecond, false), Val::Str(format!("timestamp[ms] {}", i64::MAX).into()));
        assert_eq!(date(0), Val::Str("1970-01-01".into()));
    }

    #[test]
    fn integers_stay_exact() {
        assert_eq!(int(12), Val::Num(12.0));
        assert_eq!(int(9_007_199_254_740_993), Val::Str("9007199254740993".into()));
        let a: ArrayRef = Arc::new(arrow_array::Int32Array::from(vec![Some(1), None]));
        let c = Col::prepare(&a);
        assert_eq!(c.val(0).unwrap(), Val::Num(1.0));
        assert_eq!(c.val(1).unwrap(), Val::Absent);
    }
}
