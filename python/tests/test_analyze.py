"""tend.analyze: Arrow types read as the JSON path reads values, rejections, errors, sources."""

from __future__ import annotations

import datetime as dt
import decimal

import pyarrow as pa
import pytest

import tend

AS_OF = "2026-11-26T09:30:00Z"


def small(**over):
    t = {
        "customers": pa.table({"id": ["c1", "c2"], "name": ["Acme", "Birch & Co"], "owner": ["Alice", "Bruno"]}),
        "contacts": pa.table({
            "id": ["k0", "k1"], "customerId": ["c1", "c1"],
            "at": ["2026-11-02T10:00:00Z", "2026-11-19T09:30:00Z"],
            "direction": ["outbound", "inbound"], "channel": ["email", "call"], "status": [None, "missed"],
        }),
        "orders": pa.table({"id": ["o1"], "customerId": ["c1"], "at": ["2026-10-02"], "amount": [1200.0]}),
        "feedback": pa.table({"id": ["f1"], "customerId": ["c2"], "at": ["2026-11-10"], "kind": ["nps"], "score": [4.0]}),
    }
    t.update(over)
    return t


def test_the_readme_example():
    r = tend.analyze(small(), AS_OF, policy={"holidays": ["2026-12-25"]})
    assert [f"{w['customerId']} {w['kind']}" for w in r.worklist.to_pylist()] == ["c1 unreturned_contact", "c2 recover_detractor"]
    assert r.flags.column("message").to_pylist() == ["Return the missed call of Thu 19 Nov — 4 business days overdue"]
    assert r.customers.column("id").to_pylist() == ["c1", "c2"]
    assert r.customers.schema == tend.SCHEMAS["customers"]
    for name, t in r.tables().items():
        assert t.schema == tend.SCHEMAS[name], name
    assert r.summary["customers"] == 2 and r.summary["asOf"] == "2026-11-26T09:30:00+00:00"
    assert r.report()["customers"][0]["neglect"][0]["kind"] == "unreturned_contact"


def same(a, b):
    ra, rb = a.report(), b.report()
    assert ra == rb


def test_arrow_types_read_as_their_json_values():
    text = tend.analyze(small(), AS_OF)
    ts = pa.array([dt.datetime(2026, 11, 2, 10, tzinfo=dt.timezone.utc), dt.datetime(2026, 11, 19, 9, 30, tzinfo=dt.timezone.utc)], pa.timestamp("ns", tz="Europe/Paris"))
    typed = small(
        customers=pa.table({
            "id": pa.array(["c1", "c2"]).dictionary_encode(),
            "name": pa.array(["Acme", "Birch & Co"], pa.large_string()),
            "owner": pa.array(["Alice", "Bruno"], pa.string_view()),
        }),
        contacts=small()["contacts"].set_column(2, "at", ts),
        orders=pa.table({"id": ["o1"], "customerId": ["c1"], "at": pa.array([dt.date(2026, 10, 2)], pa.date32()),
                         "amount": pa.array([decimal.Decimal("1200.00")], pa.decimal128(10, 2))}),
        feedback=pa.table({"id": ["f1"], "customerId": ["c2"], "at": pa.array([dt.date(2026, 11, 10)], pa.date64()),
                           "kind": ["nps"], "score": pa.array([4], pa.int8())}),
    )
    same(tend.analyze(typed, AS_OF), text)


def test_integer_ids_are_their_decimal_text():
    big = 9_007_199_254_740_993  # not a double
    a = tend.analyze({"customers": pa.table({"id": pa.array([7, big], pa.int64())}),
                      "orders": pa.table({"id": [1], "customerId": pa.array([big], pa.uint64()), "at": ["2026-10-01"], "amount": [5]})}, AS_OF)
    b = tend.analyze({"customers": pa.table({"id": ["7", str(big)]}),
                      "orders": pa.table({"id": ["1"], "customerId": [str(big)], "at": ["2026-10-01"], "amount": [5.0]})}, AS_OF)
    same(a, b)
    assert a.customers.column("id").to_pylist() == ["7", str(big)]
    assert a.customers.column("orders").to_pylist() == [0, 1]


def test_naive_timestamps_are_wall_clock_times_in_the_policys_timezone():
    policy = {"timezone": "+02:00"}
    naive = pa.array([dt.datetime(2026, 11, 19, 9, 30)], pa.timestamp("us"))
    contacts = lambda at: pa.table({"id": ["k1"], "customerId": ["c1"], "at": at, "direction": ["inbound"], "channel": ["email"]})
    a = tend.analyze({"customers": pa.table({"id": ["c1"]}), "contacts": contacts(naive)}, AS_OF, policy=policy)
    b = tend.analyze({"customers": pa.table({"id": ["c1"]}), "contacts": contacts(["2026-11-19T09:30:00+02:00"])}, AS_OF, policy=policy)
    same(a, b)
    assert a.flags.column("since").to_pylist() == ["2026-11-19T09:30:00+02:00"]


def test_bad_cells_are_rejected_rows_naming_table_index_and_field():
    orders = pa.table({
        "id": ["o1", "o2", "o3", "o1", "o5", "o6"],
        "customerId": ["c1", "c1", "nobody", "c1", "c1", "c1"],
        "at": ["2026-10-01", "2026-13-45", "2026-10-01", "2026-10-02", "2027-01-01", "2026-10-03"],
        "amount": pa.array([b"10", b"20", b"30", b"40", b"50", b"\xff"], pa.binary()),
    })
    r = tend.analyze(small(orders=orders), AS_OF)
    rows = {(x["index"], x["field"], x["code"]) for x in r.rejected.to_pylist()}
    assert rows == {(1, "at", "invalid_date"), (2, "customerId", "unknown_customer"), (3, "id", "duplicate_id"), (5, "amount", "invalid_text")}
    assert all(x["table"] == "orders" for x in r.rejected.to_pylist())
    c = r.summary["input"]["orders"]
    assert c == {"received": 6, "used": 1, "rejected": 4, "future": 1}
    assert c["received"] == c["used"] + c["rejected"] + c["future"]
    bad = [x for x in r.rejected.to_pylist() if x["index"] == 5][0]
    assert bad["id"] == "o6" and "UTF-8" in bad["reason"]


def test_values_of_the_wrong_type_are_rejected_as_in_json():
    struct = pa.array([{"x": 1}], pa.struct([("x", pa.int64())]))
    r = tend.analyze(small(orders=pa.table({"id": ["o1"], "customerId": ["c1"], "at": ["2026-10-01"], "amount": struct})), AS_OF)
    assert r.rejected.to_pylist()[0]["reason"] == "expected a finite number, got an object"
    nan = tend.analyze(small(orders=pa.table({"id": ["o1"], "customerId": ["c1"], "at": ["2026-10-01"], "amount": [float("nan")]})), AS_OF)
    assert nan.rejected.to_pylist()[0]["code"] == "invalid_number"
    far = pa.array([253_402_300_800_000], pa.timestamp("ms", tz="UTC"))  # year 10000
    r = tend.analyze(small(orders=pa.table({"id": ["o1"], "customerId": ["c1"], "at": far, "amount": [1.0]})), AS_OF)
    assert r.rejected.to_pylist()[0]["code"] == "invalid_date"


def test_snooze_kinds_as_lists_or_csv_text():
    snoozes = lambda kinds: pa.table({"customerId": ["c1"], "until": ["2026-12-24"], "reason": ["holiday"], "kinds": kinds})
    a = tend.analyze(small(snoozes=snoozes(pa.array([["unreturned_contact"]]))), AS_OF)
    assert a.flags.column("snoozed").to_pylist() == [True]
    assert a.flags.column("snoozeReason").to_pylist() == ["holiday"]
    bad = tend.analyze(small(snoozes=snoozes(pa.array([["nope"]]))), AS_OF)
    assert bad.rejected.to_pylist()[0]["field"] == "kinds"


def test_a_table_in_several_batches_counts_its_rows_across_them():
    t = pa.table({"id": ["o1", "o2", "o1"], "customerId": ["c1", "c1", "c1"], "at": ["2026-10-01"] * 3, "amount": [1.0, 2.0, 3.0]})
    chunked = pa.Table.from_batches(t.to_batches(max_chunksize=1))
    assert chunked.column(0).num_chunks == 3
    r = tend.analyze(small(orders=chunked), AS_OF)
    assert [(x["index"], x["code"]) for x in r.rejected.to_pylist()] == [(2, "duplicate_id")]


def test_absent_is_not_empty():
    absent = tend.analyze({"customers": small()["customers"]}, AS_OF)
    empty = tend.analyze({"customers": small()["customers"], "orders": pa.table({"id": pa.array([], pa.string()), "customerId": pa.array([], pa.string()), "at": pa.array([], pa.string()), "amount": pa.array([], pa.float64())})}, AS_OF)
    assert set(absent.customers.column("buyingStatus").to_pylist()) == {"not_recorded"}
    assert set(empty.customers.column("buyingStatus").to_pylist()) == {"never"}
    assert "orders" in [n["table"] for n in absent.summary["input"]["notEvaluated"]]
    none = tend.analyze({"customers": small()["customers"], "orders": None}, AS_OF)
    same(none, absent)


def test_other_sources():
    pd = pytest.importorskip("pandas")
    frames = {k: v.to_pandas() for k, v in small().items()}
    rows = {k: v.to_pylist() for k, v in small().items()}
    same(tend.analyze(frames, AS_OF), tend.analyze(small(), AS_OF))
    same(tend.analyze(rows, AS_OF), tend.analyze(small(), AS_OF))
    batches = {k: v.to_batches()[0] for k, v in small().items()}
    same(tend.analyze(batches, AS_OF), tend.analyze(small(), AS_OF))
    assert pd is not None


@pytest.mark.parametrize("call,code,path", [
    (lambda: tend.analyze({"orders": small()["orders"]}, AS_OF), "invalid_input", "tables.customers"),
    (lambda: tend.analyze(small(custmers=pa.table({"id": ["x"]})), AS_OF), "invalid_input", "tables.custmers"),
    (lambda: tend.analyze(small(orders=pa.table({"id": ["o1"], "customerId": ["c1"], "amount": [1.0]})), AS_OF), "invalid_input", "tables.orders.at"),
    (lambda: tend.analyze(small(orders=pa.Table.from_arrays([pa.array(["o1"]), pa.array(["o2"]), pa.array(["c1"]), pa.array(["2026-10-01"]), pa.array([1.0])], names=["id", "id", "customerId", "at", "amount"])), AS_OF), "invalid_input", "tables.orders.id"),
    (lambda: tend.analyze(small(orders=42), AS_OF), "invalid_input", "tables.orders"),
    (lambda: tend.analyze([], AS_OF), "invalid_input", "tables"),
    (lambda: tend.analyze(small(), "next Tuesday"), "invalid_option", "options.asOf"),
    (lambda: tend.analyze(small(), None), "invalid_option", "options.asOf"),
    (lambda: tend.analyze(small(), AS_OF, policy={"workdays": ["mon", "funday"]}), "invalid_policy", "options.policy.workdays[1]"),
    (lambda: tend.analyze(small(), AS_OF, policy={"nope": 1}), "invalid_policy", "options.policy.nope"),
    (lambda: tend.analyze(small(), AS_OF, models={"buying": 3}), "invalid_option", None),
])
def test_impossible_calls_raise_tend_error(call, code, path):
    with pytest.raises(tend.TendError) as e:
        call()
    assert e.value.code == code
    if path is not None:
        assert e.value.path == path
    assert isinstance(e.value, Exception)
    # The module keeps working.
    assert tend.analyze(small(), AS_OF).worklist.num_rows == 2


def test_as_of_as_datetime_or_date():
    a = tend.analyze(small(), dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.timezone.utc))
    same(a, tend.analyze(small(), AS_OF))
    assert tend.analyze(small(), dt.date(2026, 11, 26)).summary["asOf"] == "2026-11-26T00:00:00+00:00"


def test_given_models_round_trip():
    r = tend.analyze(small(), AS_OF)
    assert r.models() is False  # too few repeat buyers to fit
    assert tend.analyze(small(), AS_OF, models=False).summary["models"]["source"] != "fitted"
