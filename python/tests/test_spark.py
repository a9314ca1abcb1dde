"""tend.spark.score on PySpark local[2] or on Sail (TEND_SPARK=local|sail): every tenant's
tables equal tend.analyze of that tenant's rows, at 1, 4 and 16 partitions, from Parquet."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import tend
import tend.spark
from helpers import ROOT

ENGINE = os.environ.get("TEND_SPARK", "local")
AS_OF = "2026-11-20T17:00:00+00:00"
POLICY = {"holidays": ["2026-11-11"]}
TENANTS = int(os.environ.get("TEND_SPARK_TENANTS", "20"))
CUSTOMERS = int(os.environ.get("TEND_SPARK_CUSTOMERS", "3000"))


def _gen():
    spec = importlib.util.spec_from_file_location("gen_tenants", ROOT / "tools" / "gen-tenants.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    out = tmp_path_factory.mktemp("tenants")
    g = _gen()
    g.write(g.generate(TENANTS, CUSTOMERS, seed=3), out)
    return out


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    t0 = time.time()
    server = None
    if ENGINE == "sail":
        from pysail.spark import SparkConnectServer

        server = SparkConnectServer()
        server.start()
        _, port = server.listening_address
        s = SparkSession.builder.remote(f"sc://localhost:{port}").getOrCreate()
    else:
        s = (SparkSession.builder.master("local[2]").appName("tend-test")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "4").config("spark.driver.memory", "2g").getOrCreate())
        s.sparkContext.setLogLevel("ERROR")
    print(f"\n{ENGINE}: session in {time.time() - t0:.1f} s")
    yield s
    s.stop()
    if server is not None:
        server.stop()


@pytest.fixture(scope="module")
def expected(parquet):
    """tend.analyze of each tenant's rows, in their input order."""
    tables = {t: pq.read_table(parquet / f"{t}.parquet") for t in tend.TABLES}
    out = {}
    for tenant in sorted(set(tables["customers"].column("tenantId").to_pylist())):
        mine = {t: v.filter(pc.equal(v["tenantId"], tenant)).sort_by("row") for t, v in tables.items()}
        out[tenant] = tend.analyze(mine, AS_OF, policy=POLICY)
    return out


def _key(v):
    return tuple((x is None, "" if x is None else str(x)) for x in v)


def _rows(table: pa.Table, by):
    rows = table.to_pylist()
    return sorted(rows, key=lambda r: _key([r[c] for c in by]) if by else _key(list(r.values())))


SORT = {"customers": ["id"], "worklist": ["rank"], "owners": ["owner"], "rejected": ["table", "index"], "flags": None}


def compare(scores, expected):
    got = {name: df.toArrow() for name, df in scores.tables().items()}
    tenants = set(got["summary"].column("tenantId").to_pylist())
    assert tenants == set(expected)
    for name in ("customers", "flags", "worklist", "owners", "rejected"):
        table = got[name]
        assert table.schema.names == ["tenantId"] + tend.SCHEMAS[name].names, name
        for tenant, r in expected.items():
            mine = table.filter(pc.equal(table["tenantId"], tenant)).drop_columns(["tenantId"])
            want = getattr(r, name)
            assert mine.num_rows == want.num_rows, (tenant, name)
            assert _rows(mine, SORT[name]) == _rows(want, SORT[name]), (tenant, name)
    for row in got["summary"].to_pylist():
        r = expected[row["tenantId"]]
        assert json.loads(row["summary"]) == r.summary
        assert row["customers"] == r.customers.num_rows and row["asOf"] == r.summary["asOf"]


def read(spark, parquet, partitions):
    return {t: spark.read.parquet(str(parquet / f"{t}.parquet")).repartition(partitions) for t in tend.TABLES}


@pytest.mark.parametrize("partitions", [1, 4, 16])
def test_every_tenant_equals_tend_analyze(spark, parquet, expected, partitions):
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    t0 = time.time()
    scores = tend.spark.score(read(spark, parquet, partitions), AS_OF, policy=POLICY, order_col="row")
    compare(scores, expected)
    scores.unpersist()
    print(f"{ENGINE}, {partitions} partitions: scored and compared in {time.time() - t0:.1f} s")


@pytest.mark.parametrize("buckets", [4, 16])
def test_tenants_split_into_buckets_equal_tend_analyze(spark, parquet, expected, buckets):
    """Every tenant split into buckets of customers: the same tables and summary as one process."""
    spark.conf.set("spark.sql.shuffle.partitions", "4")
    t0 = time.time()
    scores = tend.spark.score(read(spark, parquet, 4), AS_OF, policy=POLICY, order_col="row", buckets=buckets)
    compare(scores, expected)
    scores.unpersist()
    print(f"{ENGINE}, {buckets} buckets: scored and compared in {time.time() - t0:.1f} s")


def test_a_tenant_without_customers_in_buckets(spark):
    """A tenant whose rows name no valid customer still gets its summary (every row rejected),
    as one process gives it, when tenants are split into buckets."""
    customers = pa.table({"tenantId": ["a", "a", "b"], "row": [0, 1, 0], "id": ["c1", "c2", ""], "name": ["A", "B", "Bad"]})
    orders = pa.table({"tenantId": ["a", "b", "b"], "row": [0, 0, 1], "id": ["o1", "o2", "o3"], "customerId": ["c1", "c9", "c8"],
                       "at": ["2026-10-01T10:00:00Z"] * 3, "amount": [10.0, 20.0, 30.0]})
    tables = {"customers": spark.createDataFrame(customers.to_pandas()), "orders": spark.createDataFrame(orders.to_pandas())}
    scores = tend.spark.score(tables, AS_OF, policy=POLICY, order_col="row", buckets=4)
    got = {r["tenantId"]: json.loads(r["summary"]) for r in scores.summary.toArrow().to_pylist()}
    for tenant in ("a", "b"):
        mine = {"customers": customers.filter(pc.equal(customers["tenantId"], tenant)),
                "orders": orders.filter(pc.equal(orders["tenantId"], tenant))}
        assert got[tenant] == tend.analyze(mine, AS_OF, policy=POLICY).summary, tenant
    assert got["b"]["customers"] == 0 and got["b"]["input"]["orders"]["rejected"] == 2


@pytest.mark.parametrize("ids,buckets", [("text", 1), ("text", 4), ("whole", 4)])
def test_columns_of_other_types_share_slots_by_type(spark, ids, buckets):
    """Tables travel on shared slots, one per (Spark type, k-th column of that type): text
    instants and amounts, integer scores and timestamps side by side, bad cells among them —
    every table of every tenant equals tend.analyze of the same columns, whole and in buckets
    (whose keys are read from text ids and from whole-number ids)."""
    import pandas as pd

    ts = lambda *v: pd.to_datetime(list(v), utc=True)  # noqa: E731
    frames = {
        "customers": pd.DataFrame({"tenantId": ["a", "a", "b", "b"], "row": [0, 1, 0, 1], "id": ["c1", "c2", "c1", "c3"],
                                   "name": ["A", "B", "C", "D"], "owner": ["ann", "bob", "cy", "cy"],
                                   "createdAt": ["2025-01-05T09:00:00Z", "not a date", "2024-03-01", "2025-06-30T23:00:00+02:00"],
                                   "referredBy": [None, "c1", None, "c1"]}),
        "orders": pd.DataFrame({"tenantId": ["a", "a", "a", "b", "b"], "row": [0, 1, 2, 0, 1], "id": ["o1", "o2", "o3", "o1", "o2"],
                                "customerId": ["c1", "c1", "c2", "c1", "c3"],
                                "at": ts("2026-10-01T10:00:00Z", "2026-06-01T10:00:00Z", "2026-11-01T08:00:00Z", "2026-09-09T12:00:00Z", "2027-01-01T00:00:00Z"),
                                "amount": ["10.5", "abc", "7", "1200", "5"]}),
        "contacts": pd.DataFrame({"tenantId": ["a", "b"], "row": [0, 0], "id": ["k1", "k1"], "customerId": ["c2", "c1"],
                                  "at": ["2026-11-10T09:00:00Z", "2026-11-18T15:30:00Z"], "direction": ["inbound", "inbound"],
                                  "channel": ["phone", "email"], "status": ["unanswered", "received"]}),
        "feedback": pd.DataFrame({"tenantId": ["a", "b", "b"], "row": [0, 0, 1], "id": ["f1", "f1", "f2"], "customerId": ["c1", "c1", "c3"],
                                  "at": ts("2026-11-02T10:00:00Z", "2026-10-20T10:00:00Z", "2026-11-12T10:00:00Z"), "kind": ["nps"] * 3,
                                  "score": pd.array([3, 9, 11], dtype="int64")}),
    }
    if ids == "whole":
        for f in frames.values():
            for c in ("id", "referredBy") if f is frames["customers"] else ("customerId",):
                f[c] = f[c].str[1:].astype("Int64")
    tables = {t: spark.createDataFrame(pa.Table.from_pandas(f, preserve_index=False)) for t, f in frames.items()}
    plan, types = tend._slots.layout(tables)
    if buckets > 1:
        # The bucket keys Spark SQL reads are the ids the core links referrals by.
        from pyspark.sql import types as T

        rows = tend._slots.frame(tables, plan, types, "tenantId", T.StringType(), "row", keys=True)
        keys = set(rows.filter("_tend_t = 0").select("_tend_k").toArrow().column(0).to_pylist())
        linked, _ = tend._tend.linked(pa.RecordBatch.from_pandas(frames["customers"][["id", "referredBy"]], preserve_index=False))
        assert linked.to_pylist() and set(linked.to_pylist()) <= keys, (linked, keys)
    assert len(types) < sum(len(cols) for cols in plan.values())
    for cols in plan.values():
        assert len({slot for _, slot in cols}) == len(cols)
    expected = {}
    for tenant in ("a", "b"):
        mine = {t: pa.Table.from_pandas(f[f["tenantId"] == tenant], preserve_index=False) for t, f in frames.items()}
        expected[tenant] = tend.analyze(mine, AS_OF, policy=POLICY)
    assert {r["field"] for r in expected["a"].rejected.to_pylist()} >= {"createdAt", "amount"}
    compare(tend.spark.score(tables, AS_OF, policy=POLICY, order_col="row", buckets=buckets), expected)


def test_the_worklist_per_tenant_from_parquet(spark, parquet, expected):
    """The README's example: Parquet in, the top of each tenant's worklist out."""
    from pyspark.sql import functions as F

    tables = {t: spark.read.parquet(str(parquet / f"{t}.parquet")) for t in tend.TABLES}
    scores = tend.spark.score(tables, AS_OF, policy=POLICY, order_col="row")
    top = scores.worklist.filter(F.col("rank") <= 3).orderBy("tenantId", "rank").toArrow()
    for tenant, r in expected.items():
        mine = top.filter(pc.equal(top["tenantId"], tenant))
        assert mine.column("customerId").to_pylist() == r.worklist.column("customerId").to_pylist()[:3]
        assert mine.column("priority").to_pylist() == r.worklist.column("priority").to_pylist()[:3]


def test_absent_tables_and_the_default_order(spark, parquet):
    """Without order_col the rows keep the order Spark reads them in; without `feedback` its
    rules are not evaluated, for every tenant."""
    tables = {t: spark.read.parquet(str(parquet / f"{t}.parquet")) for t in ("customers", "orders", "contacts")}
    scores = tend.spark.score(tables, AS_OF, policy=POLICY)
    rows = scores.summary.toArrow().to_pylist()
    assert len(rows) == TENANTS
    for row in rows:
        s = json.loads(row["summary"])
        assert "feedback" in [n["table"] for n in s["input"]["notEvaluated"]]
        c = s["input"]["orders"]
        assert c["received"] == c["used"] + c["rejected"] + c["future"]


def test_impossible_calls_fail_on_the_driver(spark, parquet):
    tables = {t: spark.read.parquet(str(parquet / f"{t}.parquet")) for t in ("customers", "orders")}
    cases = [
        (lambda: tend.spark.score(tables, AS_OF, tenant_col="tenant"), "invalid_input", "tables.customers.tenant"),
        (lambda: tend.spark.score({"orders": tables["orders"]}, AS_OF), "invalid_input", "tables.customers"),
        (lambda: tend.spark.score(tables, "someday"), "invalid_option", "options.asOf"),
        (lambda: tend.spark.score(tables, AS_OF, policy={"timezone": "Mars"}), "invalid_policy", "options.policy.timezone"),
        (lambda: tend.spark.score({**tables, "orders": tables["orders"].drop("at")}, AS_OF), "invalid_input", "tables.orders.at"),
        (lambda: tend.spark.score(tables, AS_OF, buckets=4), "invalid_option", "buckets"),
        (lambda: tend.spark.score(tables, AS_OF, order_col="row", buckets=0), "invalid_option", "buckets"),
        # A bucket goes by its customer's id as the core reads it: Spark SQL reads text and whole numbers so.
        (lambda: tend.spark.score({**tables, "orders": tables["orders"].withColumn("customerId", tables["orders"]["row"].cast("double"))},
                                  AS_OF, order_col="row", buckets=4), "invalid_input", "tables.orders.customerId"),
    ]
    for call, code, path in cases:
        with pytest.raises(tend.TendError) as e:
            call()
        assert (e.value.code, e.value.path) == (code, path)
