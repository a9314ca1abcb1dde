"""The passes of ``tend.spark.score`` with ``buckets``: each tenant split into buckets of
customers, scored exactly as one process scores the tenant (the core's ``split`` module).

1. Every table's rows travel in the frame of ``tend._slots``, with the id their bucket goes by
   (``id`` of a customer, ``customerId`` elsewhere, read as the core reads ids, in Spark SQL).
2. Customers linked by referrals share a bucket: per tenant, the linked customers' keys (the
   smallest id of their referral tree), joined to the rows; a row's bucket is a hash of its key.
3. Per bucket, the facts of its customers (from their customers' and orders' rows).
4. Per tenant, over all facts: the tenant's figures (tiers and shares, RFM scores, the tiers
   of the state changes' instants, the BG/NBD + Gamma-Gamma fit) and each customer's placement,
   sent to the customer's bucket; the figures to every bucket.
5. Per bucket, its engine: its customers' tables, the worklist with its sort keys, its summary
   part. The tenant's summary and owners' cards are the parts merged; worklist ranks and the
   listed rejected rows are windows over the tenant.

Row indexes: a bucket sees only its rows, so a rejected row's ``index`` is its ``order_col``
value — the same as ``tend.analyze`` when ``order_col`` numbers each tenant's rows of a table
from 0, as an export job writes them.
"""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.ipc as ipc

from . import SCHEMAS, _slots, _tend

_CODES = _slots.CODES
_PLACE, _STATS = 100, 101
_FACT_TYPES = [("id", pa.string()), ("origin", pa.int64())] + [(c, pa.float64()) for c in ("now", "then", "at0", "at1", "at2", "r", "f", "m")] \
    + [("x", pa.int64())] + [(c, pa.float64()) for c in ("tx", "t", "mv")]
_CHUNK = 8192


def _T():
    from pyspark.sql import types as T
    return T


def _linker(tenant_col: str):
    def link(table: pa.Table) -> pa.Table:
        key = table.column(tenant_col).slice(0, 1)
        batch = pa.RecordBatch.from_arrays([table.column("id").combine_chunks(), table.column("referredBy").combine_chunks()], names=["id", "referredBy"])
        ids, keys = _tend.linked(batch)
        return pa.table({"_tend_lt": key.take(pa.array([0] * len(ids), pa.int32())), "_tend_id": ids, "_tend_key": keys})

    return link


def _indexed(table: pa.Table, plan, names=None):
    """A bucket's tables and each row's index in its tenant's table (its ``order_col``)."""
    parts = _slots.slices(table, plan, names)
    return [(name, tab) for name, tab, _ in parts], [idx for _, _, idx in parts]


def _facter(tenant_col: str, plan, present: list, options: str):
    def facts(table: pa.Table) -> pa.Table:
        key = table.select([tenant_col, "_tend_b"]).slice(0, 1)
        tables, indexes = _indexed(table, plan, present)
        del table
        f = pa.Table.from_batches([_tend.facts(tables, indexes, options)])
        n = f.num_rows
        idx = pa.array([0] * n, pa.int32())
        return f.add_column(0, "_tend_b", key.column(1).take(idx)).add_column(0, tenant_col, key.column(0).take(idx))

    return facts


def _statser(tenant_col: str, buckets: int, options: str):
    def stats(table: pa.Table) -> pa.Table:
        key = table.column(tenant_col).slice(0, 1)
        text, places = _tend.tenant_stats(table, options)
        n = places.num_rows
        b = pa.concat_arrays([places.column(0).cast(pa.int32()), pa.array(range(buckets), pa.int32())])
        t = pa.concat_arrays([pa.array([_PLACE] * n, pa.int32()), pa.array([_STATS] * buckets, pa.int32())])
        rows = pa.concat_arrays([places.column(1).cast(pa.binary()), pa.array([text.encode()] * buckets, pa.binary())])
        m = n + buckets
        return pa.table({tenant_col: key.take(pa.array([0] * m, pa.int32())), "_tend_b": b, "_tend_t": t, "_tend_o": pa.array([0] * m, pa.int64()), "_tend_x": rows})

    return stats


def blobs(tab: pa.Table, name: str, kinds: list, parts: list, data: list) -> None:
    """Append a result table as Arrow IPC chunks of 8,192 rows (at least one, for its schema)."""
    for k, off in enumerate(range(0, max(tab.num_rows, 1), _CHUNK)):
        sink = io.BytesIO()
        with ipc.new_stream(sink, tab.schema) as w:
            w.write_table(tab.slice(off, _CHUNK))
        kinds.append(name)
        parts.append(k)
        data.append(sink.getvalue())


def _no_stats(options: str) -> str:
    empty = {c: pa.array([], t) for c, t in _FACT_TYPES}
    empty["_tend_b"] = pa.array([], pa.int32())
    return _tend.tenant_stats(pa.table(empty), options)[0]


def _scorer(tenant_col: str, plan, options: str):
    def score(table: pa.Table) -> pa.Table:
        import pyarrow.compute as pc

        key = table.select([tenant_col]).slice(0, 1)
        bucket = table.column("_tend_b")[0].as_py()
        t = table.column("_tend_t")
        given = table.filter(pc.equal(t, _STATS)).column("_tend_x")
        # A tenant without any valid customer has no facts, so no figures were sent: its own.
        stats = given[0].as_py().decode() if len(given) else _no_stats(options)
        places = table.filter(pc.equal(t, _PLACE)).column("_tend_x").combine_chunks()
        tables, indexes = _indexed(table.filter(pc.less(t, _PLACE)), plan)
        del table
        a = _tend.analyze_bucket(tables, indexes, options, stats, places)
        del tables, indexes
        kinds, parts, data = [], [], []
        for name, tab in a.bucket_tables().items():
            blobs(tab, name, kinds, parts, data)
        kinds.append("part")
        parts.append(bucket)
        data.append(a.part().encode())
        # Every bucket carries the figures: the merge needs them once, whichever buckets exist.
        kinds.append("stats")
        parts.append(bucket)
        data.append(stats.encode())
        n = len(kinds)
        return pa.table({tenant_col: key.column(0).take(pa.array([0] * n, pa.int32())), "_tend_kind": pa.array(kinds, pa.string()),
                         "_tend_part": pa.array(parts, pa.int64()), "_tend_data": pa.array(data, pa.binary())})

    return score


def _merger(tenant_col: str, options: str):
    def merge(table: pa.Table) -> pa.Table:
        key = table.select([tenant_col]).slice(0, 1)
        kinds = table.column("_tend_kind").to_pylist()
        data = table.column("_tend_data").to_pylist()
        parts = [d.decode() for k, d in zip(kinds, data) if k == "part"]
        stats = next(d.decode() for k, d in zip(kinds, data) if k == "stats")
        summary, tabs = _tend.merge_parts(parts, options, stats)
        kinds, nums, out = [], [], []
        blobs(tabs["owners"], "owners", kinds, nums, out)
        kinds.append("summary")
        nums.append(0)
        out.append(json.dumps(summary).encode())
        n = len(kinds)
        return pa.table({tenant_col: key.column(0).take(pa.array([0] * n, pa.int32())), "_tend_kind": pa.array(kinds, pa.string()),
                         "_tend_part": pa.array(nums, pa.int64()), "_tend_data": pa.array(out, pa.binary())})

    return merge


def scored(given: dict, tenant_field, tenant_col: str, order_col: str, options: str, buckets: int):
    """The scored buckets of every tenant (``raw``) and the merged parts (``merged``)."""
    from pyspark.sql import functions as F

    T = _T()
    plan, types = _slots.layout(given)
    slots = sorted(types)
    rows = _slots.frame(given, plan, types, tenant_col, tenant_field.dataType, order_col, keys=True)
    cust = given["customers"]
    key = F.col("_tend_k")
    if "referredBy" in cust.columns:
        link_schema = T.StructType([T.StructField("_tend_lt", tenant_field.dataType, True), T.StructField("_tend_id", T.StringType(), True),
                                    T.StructField("_tend_key", T.StringType(), True)])
        links = cust.select(F.col(tenant_col).cast(tenant_field.dataType).alias(tenant_col), "id", "referredBy") \
            .groupBy(tenant_col).applyInArrow(_linker(tenant_col), link_schema)
        rows = rows.join(F.broadcast(links), (rows[tenant_col] == links["_tend_lt"]) & (rows["_tend_k"] == links["_tend_id"]), "left")
        key = F.coalesce(F.col("_tend_key"), F.col("_tend_k"))
    rows = rows.select(tenant_col, F.pmod(F.xxhash64(key), F.lit(buckets)).cast("int").alias("_tend_b"), "_tend_t", "_tend_o", *slots,
                       F.lit(None).cast("binary").alias("_tend_x"))
    fact_schema = T.StructType([tenant_field, T.StructField("_tend_b", T.IntegerType(), True)]
                               + [T.StructField(c, {pa.string(): T.StringType(), pa.int64(): T.LongType(), pa.float64(): T.DoubleType()}[t], True) for c, t in _FACT_TYPES])
    p1 = ["customers"] + (["orders"] if "orders" in given else [])
    facts = _slots.grouped(rows.filter(F.col("_tend_t").isin([_CODES[t] for t in p1])), tenant_col, "_tend_b").applyInArrow(_facter(tenant_col, plan, p1, options), fact_schema)
    stats_schema = T.StructType([tenant_field, T.StructField("_tend_b", T.IntegerType(), True), T.StructField("_tend_t", T.IntegerType(), True),
                                 T.StructField("_tend_o", T.LongType(), True), T.StructField("_tend_x", T.BinaryType(), True)])
    stats = facts.groupBy(tenant_col).applyInArrow(_statser(tenant_col, buckets, options), stats_schema)
    stats = stats.select(tenant_col, "_tend_b", "_tend_t", "_tend_o", *[F.lit(None).cast(types[s]).alias(s) for s in slots], "_tend_x")
    out_schema = T.StructType([tenant_field, T.StructField("_tend_kind", T.StringType(), True),
                               T.StructField("_tend_part", T.LongType(), True), T.StructField("_tend_data", T.BinaryType(), True)])
    raw = _slots.grouped(rows.union(stats), tenant_col, "_tend_b").applyInArrow(_scorer(tenant_col, plan, options), out_schema)
    return raw, out_schema


def merged(raw, tenant_col: str, options: str, out_schema):
    """The tenant's owners' cards and summary, from its buckets' parts."""
    from pyspark.sql import functions as F

    return raw.filter(F.col("_tend_kind").isin(["part", "stats"])).groupBy(tenant_col).applyInArrow(_merger(tenant_col, options), out_schema)


def worklist_schema():
    """The schema of a bucket's worklist blobs: the worklist's and its sort keys."""
    return pa.schema(list(SCHEMAS["worklist"]) + [pa.field("_key", pa.int64()), pa.field("_pos", pa.int64())])
