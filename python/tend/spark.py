"""Score every tenant of a multi-tenant CRM on Spark (PySpark, or Sail over Spark Connect) with
the same Rust core as ``tend.analyze`` — each tenant exactly as one process scores it.

    from pyspark.sql import SparkSession
    import tend.spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    tables = {t: spark.read.parquet(f"export/{t}.parquet") for t in tend.TABLES}
    scores = tend.spark.score(tables, as_of="2026-11-20T17:00:00Z", order_col="row")
    scores.worklist.filter("rank <= 20").orderBy("tenantId", "rank").show()

How it runs: the tables' contract columns are laid on shared slots (the k-th column of a type
in its table on slot ``(type, k)``) so that every table's rows travel in one frame of a few
columns, in their own Spark types — no Python pass over the rows before the shuffle. The rows
are brought together by tenant (one shuffle, ``repartition(tenant)``) and each tenant is scored in one task by the core
(``groupBy(tenant).applyInArrow``), which reads each table's slice of the frame as
``tend.analyze`` reads that table. The task's results — the five
tables and the summary, as Arrow IPC — are kept (``persist``, or a Parquet ``checkpoint``) and
each output DataFrame decodes its own (``mapInArrow``). With ``buckets=n`` each tenant is split
into ``n`` buckets of customers instead (``tend._buckets``): the tenant's figures are computed
from every bucket's facts first and given to each bucket's task, and the summary parts merged.

What is exact: everything. A tenant's tiers, RFM quintiles, referral exposure, owners' cards,
daily series and its BG/NBD + Gamma-Gamma fit are computed over that tenant's rows only, by the
same code, in the same input order — the numbers equal ``tend.analyze`` of the tenant's tables
(and the browser's), whatever the partitioning and the number of buckets. What a tenant's size
costs: without buckets, its rows and its scoring live in one Python worker, as long as one
process takes to score it; with buckets, a bucket's rows live in one worker, and the tenant's
facts (about 150 bytes per customer) in the one task that computes its figures.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

import pyarrow as pa
import pyarrow.ipc as ipc

from . import FIELDS, REQUIRED, SCHEMAS, TABLES, _buckets, _error, _options, _slots, _tend

__all__ = ["score", "Scores", "spark_schema"]

_OUTPUTS = ("customers", "flags", "worklist", "owners", "rejected")
#: Rejected rows listed per tenant (as the core lists them; every one is counted).
_LISTED = 1000


def spark_schema(schema: pa.Schema, prefix: list = ()):  # -> StructType
    """A result table's Spark schema (utf8 → string, float64 → double, int64 → long, bool → boolean)."""
    from pyspark.sql import types as T

    kinds = {pa.string(): T.StringType(), pa.float64(): T.DoubleType(), pa.int64(): T.LongType(), pa.bool_(): T.BooleanType()}
    return T.StructType(list(prefix) + [T.StructField(f.name, kinds[f.type], True) for f in schema])


def _check(tables: Mapping[str, Any], tenant_col: str, order_col: str | None) -> dict[str, Any]:
    if not isinstance(tables, Mapping):
        raise _error("invalid_input", "tables", "invalid input at `tables`: expected a mapping of table names to DataFrames")
    given = {}
    for name, df in tables.items():
        if name not in FIELDS:
            raise _error("invalid_input", f"tables.{name}", f"invalid input at `tables.{name}`: unknown table `{name}`, expected one of {', '.join(TABLES)}")
        if df is None:
            continue
        cols = list(df.columns)
        for c in [tenant_col] + ([order_col] if order_col else []) + list(REQUIRED[name]):
            if c not in cols:
                raise _error("invalid_input", f"tables.{name}.{c}", f"invalid input at `tables.{name}.{c}`: is required (a column `{c}` of {name})")
        for c in set(cols):
            if cols.count(c) > 1 and (c in FIELDS[name] or c in (tenant_col, order_col)):
                raise _error("invalid_input", f"tables.{name}.{c}", f"invalid input at `tables.{name}.{c}`: column given twice")
        given[name] = df
    if "customers" not in given:
        raise _error("invalid_input", "tables.customers", "invalid input at `tables.customers`: is required (a table of customers)")
    return given


def _scorer(tenant_col: str, plan: dict[str, list[tuple[str, str]]], options: str):
    def score(table: pa.Table) -> pa.Table:
        key = table.column(tenant_col).slice(0, 1)
        tables = [(name, tab) for name, tab, _ in _slots.slices(table, plan)]
        del table
        a = _tend.analyze(tables, options)
        del tables
        tabs, summary = a.tables()
        kinds, parts, data = [], [], []
        for name in _OUTPUTS:
            _buckets.blobs(tabs[name], name, kinds, parts, data)
        kinds.append("summary")
        parts.append(0)
        data.append(json.dumps(summary).encode())
        n = len(kinds)
        return pa.table({
            tenant_col: key.take(pa.array([0] * n)),
            "_tend_kind": pa.array(kinds, pa.string()),
            "_tend_part": pa.array(parts, pa.int64()),
            "_tend_data": pa.array(data, pa.binary()),
        })

    return score


def _decoder(name: str, tenant_col: str):
    def decode(batches):
        for b in batches:
            tenants = b.column(tenant_col)
            for i, blob in enumerate(b.column("_tend_data").to_pylist()):
                tab = ipc.open_stream(blob).read_all()
                if tab.num_rows == 0:
                    continue
                key = tenants.take(pa.array([i] * tab.num_rows))
                for rb in tab.add_column(0, tenant_col, key).to_batches():
                    yield rb

    return decode


_SUMMARY_COLUMNS = [("asOf", pa.string()), ("customers", pa.int64()), ("actions", pa.int64()), ("rejected", pa.int64()), ("summary", pa.string())]


def _summary_decoder(tenant_col: str):
    def decode(batches):
        for b in batches:
            out = {c: [] for c, _ in _SUMMARY_COLUMNS}
            for blob in b.column("_tend_data").to_pylist():
                s = json.loads(blob)
                out["asOf"].append(s.get("asOf"))
                out["customers"].append(s.get("customers"))
                out["actions"].append(s.get("actions"))
                out["rejected"].append(s.get("input", {}).get("rejected"))
                out["summary"].append(blob.decode())
            arrays = [b.column(tenant_col)] + [pa.array(out[c], t) for c, t in _SUMMARY_COLUMNS]
            yield pa.RecordBatch.from_arrays(arrays, names=[tenant_col] + [c for c, _ in _SUMMARY_COLUMNS])

    return decode


class Scores:
    """The results of ``score``: Spark DataFrames, each with the tenant column first.

    ``customers``, ``flags``, ``worklist`` (``rank`` from 1 within each tenant), ``owners``,
    ``rejected``: the tables of ``tend.Result`` with the tenant column; ``summary``: one row per
    tenant (``asOf``, ``customers``, ``actions``, ``rejected`` and the whole summary as JSON
    text). Rows come in no particular order: sort by the tenant and ``rank`` (or ``id``).
    ``raw`` is the scored, persisted intermediate; ``unpersist()`` releases it.
    """

    def __init__(self, raw, tenant_field, merged=None, tasks=None):
        self.raw = raw
        from pyspark.sql import functions as F
        from pyspark.sql import types as T
        from pyspark.sql.window import Window

        name = tenant_field.name
        # Split tenants: the owners' cards and the summary come from the merged parts.
        whole = raw if merged is None else merged
        def blobs_of(src, kind):
            # One task per core where given (see ``_tasks``).
            df = src.filter(F.col("_tend_kind") == F.lit(kind)).select(name, "_tend_data")
            return df if tasks is None else df.coalesce(tasks)

        for t in _OUTPUTS:
            df = blobs_of(whole if t == "owners" else raw, t)
            schema = SCHEMAS[t]
            if merged is not None and t == "worklist":
                schema = _buckets.worklist_schema()
            out = df.mapInArrow(_decoder(t, name), spark_schema(schema, [tenant_field]))
            if merged is not None and t == "worklist":
                w = Window.partitionBy(name).orderBy("_key", "customerId", "_pos")
                cols = [F.row_number().over(w).cast("long").alias("rank") if f.name == "rank" else F.col(f.name) for f in SCHEMAS[t]]
                out = out.select(name, *cols)
            if merged is not None and t == "rejected":
                code = F.create_map(*[x for k, tt in enumerate(TABLES) for x in (F.lit(tt), F.lit(k))])
                w = Window.partitionBy(name).orderBy(code[F.col("table")], F.col("index"))
                out = out.withColumn("_n", F.row_number().over(w)).filter(F.col("_n") <= _LISTED).drop("_n")
            setattr(self, t, out)
        kinds = {pa.string(): T.StringType(), pa.int64(): T.LongType()}
        schema = T.StructType([tenant_field] + [T.StructField(c, kinds[t], True) for c, t in _SUMMARY_COLUMNS])
        self.summary = blobs_of(whole, "summary").mapInArrow(_summary_decoder(name), schema)
        self.merged = merged

    def tables(self) -> dict:
        """The five tables and the summary, by name."""
        return {t: getattr(self, t) for t in _OUTPUTS + ("summary",)}

    def unpersist(self) -> None:
        self.raw.unpersist()
        if self.merged is not None:
            self.merged.unpersist()


def score(tables: Mapping[str, Any], as_of: Any, policy: Mapping[str, Any] | None = None, tenant_col: str = "tenantId",
          models: Any = None, order_col: str | None = None, persist: bool = True, checkpoint: str | None = None,
          buckets: int = 1) -> Scores:
    """Score every tenant of Spark DataFrames (every table has the tenant column) at ``as_of``.

    ``tables``, ``as_of``, ``policy`` and ``models`` are as in ``tend.analyze`` (the policy and
    the models apply to every tenant). ``order_col``: an integer column giving each table's input
    order (which of two rows with the same id is kept, and the ``index`` of a rejected row);
    without one, rows are in the order Spark reads them (``monotonically_increasing_id``), which
    is the file order for a plain Parquet read but not after a shuffle. Returns ``Scores``.

    The scored results are persisted (``persist``), so reading several outputs scores once
    where the engine caches (PySpark does; Sail 0.7 recomputes). ``checkpoint``: a directory
    where the scored results are written (Parquet) at once and read back, which scores once on
    any engine.

    ``buckets``: split every tenant into this many buckets of customers (for tenants too large
    for one task; see ``tend._buckets``): the same numbers, in more, smaller tasks. Needs
    ``order_col``, which then gives each rejected row's ``index``: number each tenant's rows of
    a table from 0 (as an export job writes them) to get ``tend.analyze``'s indexes.

    Checked on the driver before any job: the table names, the tenant, order and required
    columns, the options, ``buckets`` (``TendError`` as from ``tend.analyze``).
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    given = _check(tables, tenant_col, order_col)
    options = _options(as_of, policy, models)
    # The options are checked here, not in a task: a dry run on no rows.
    _tend.analyze([("customers", pa.table({"id": pa.array([], pa.string())}))], options)
    if not isinstance(buckets, int) or isinstance(buckets, bool) or not 1 <= buckets <= 4096:
        raise _error("invalid_option", "buckets", f"invalid option at `buckets`: expected a whole number from 1 to 4096, got `{buckets!r}`")
    if buckets > 1 and order_col is None:
        raise _error("invalid_option", "buckets", "invalid option at `buckets`: splitting tenants needs `order_col` (each row's index in its tenant's table)")
    tenant_field = given["customers"].schema[tenant_col]
    tenant_field = T.StructField(tenant_col, tenant_field.dataType, True)
    if buckets > 1:
        raw, out_schema = _buckets.scored(given, tenant_field, tenant_col, order_col, options, buckets)
        raw = _keep(raw, given, checkpoint, persist, "raw")
        merged = _keep(_buckets.merged(raw, tenant_col, options, out_schema), given, checkpoint, persist, "merged")
        return Scores(raw, tenant_field, merged, _tasks(given))
    plan, types = _slots.layout(given)
    rows = _slots.frame(given, plan, types, tenant_col, tenant_field.dataType, order_col)
    out_schema = T.StructType([tenant_field, T.StructField("_tend_kind", T.StringType(), True),
                               T.StructField("_tend_part", T.LongType(), True), T.StructField("_tend_data", T.BinaryType(), True)])
    raw = _slots.grouped(rows, tenant_col).applyInArrow(_scorer(tenant_col, plan, options), out_schema)
    return Scores(_keep(raw, given, checkpoint, persist, None), tenant_field, None, _tasks(given))


def _tasks(given) -> int | None:
    """Tasks to decode an output in: as many as the cores (PySpark's ``defaultParallelism``).

    The scored results are as many partitions as the scoring pass had tasks, and every Python
    task costs PySpark a fixed ~0.1–0.2 s of a core whatever its rows (measured: 64 tasks of
    a few rows took 5–8 s on 2 cores), so each output is decoded in one task per core instead.
    Spark Connect sessions (Sail runs its UDFs in threads, at no such cost) keep the partitions.
    """
    try:
        return max(1, int(given["customers"].sparkSession.sparkContext.defaultParallelism))
    except Exception:  # a Spark Connect session has no SparkContext
        return None


def _keep(df, given, checkpoint, persist, sub):
    """Keep scored results: written to the checkpoint directory and read back, or persisted."""
    if checkpoint is not None:
        spark = given["customers"].sparkSession
        path = checkpoint if sub is None else f"{checkpoint.rstrip('/')}/{sub}"
        df.write.mode("overwrite").parquet(path)
        return spark.read.parquet(path)
    return df.persist() if persist else df
