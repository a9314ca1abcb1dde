"""The frame every table travels in on Spark (``tend.spark``, ``tend._buckets``).

The tables' contract columns are laid on shared slots: the k-th column of a Spark type in its
table goes to the slot ``(type, k)``, so the eight tables travel as one DataFrame of a few
columns (13 slots for the generated set's 48 fields) in their own Spark types, with no Python pass
over the rows before the shuffle. Each row also carries its table's code (``_tend_t``, its
position in ``tend.TABLES``) and its input order (``_tend_o``). A task takes its slice of each
table back out of the frame (``slices``) and the core reads it as ``tend.analyze`` reads that
table: the same cell rules and rejections.
"""

from __future__ import annotations

from typing import Any, Mapping

import pyarrow as pa

from . import FIELDS, TABLES, _error

CODES = {t: k for k, t in enumerate(TABLES)}

#: ``{table: [(field, slot)]}``: each given table's contract columns and their slots.
Plan = dict


def layout(given: Mapping[str, Any]) -> tuple[Plan, dict[str, Any]]:
    """Each table's fields on slots (``{table: [(field, slot)]}``) and each slot's Spark type."""
    plan, types = {}, {}
    for name, df in given.items():
        seen: dict[str, int] = {}
        mine = []
        schema = df.schema
        for c in FIELDS[name]:
            if c not in schema.names:
                continue
            dt = schema[c].dataType
            ty = dt.simpleString()
            k = seen.get(ty, 0)
            seen[ty] = k + 1
            mine.append((c, (ty, k)))
            types[(ty, k)] = dt
        plan[name] = mine
    names = {key: f"_tend_{i}" for i, key in enumerate(sorted(types))}
    return ({t: [(c, names[key]) for c, key in cols] for t, cols in plan.items()},
            {names[key]: dt for key, dt in types.items()})


def _key(name: str, df, field: str):
    """The id a row's bucket goes by, as the core reads ids — a non-empty text, or a whole
    number as its decimal text — in Spark SQL, for the column types where Spark's text of a
    value is the core's; other types are refused on the driver."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    dt = df.schema[field].dataType
    col = F.col(field)
    if isinstance(dt, T.StringType):
        return F.when(col != F.lit(""), col)
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)) or (isinstance(dt, T.DecimalType) and dt.scale == 0):
        return col.cast("string")
    raise _error("invalid_input", f"tables.{name}.{field}",
                 f"invalid input at `tables.{name}.{field}`: splitting tenants into buckets needs ids as text or whole numbers, got {dt.simpleString()}")


def frame(given: Mapping[str, Any], plan: Plan, types: dict[str, Any], tenant_col: str, tenant_type, order_col: str | None, keys: bool = False):
    """Every table's rows in one DataFrame: the tenant, ``_tend_t``, ``_tend_o`` (``order_col``,
    or the order Spark reads the rows in), with ``keys`` the bucket id ``_tend_k`` (``id`` of a
    customer, ``customerId`` elsewhere), then the slots."""
    from pyspark.sql import functions as F

    slots = sorted(types)
    parts = []
    for name, df in given.items():
        mine = {slot: c for c, slot in plan[name]}
        order = F.col(order_col).cast("long") if order_col else F.monotonically_increasing_id()
        head = [F.col(tenant_col).cast(tenant_type).alias(tenant_col), F.lit(CODES[name]).cast("int").alias("_tend_t"), order.alias("_tend_o")]
        if keys:
            head.append(_key(name, df, "id" if name == "customers" else "customerId").alias("_tend_k"))
        cells = [(F.col(mine[slot]) if slot in mine else F.lit(None).cast(types[slot])).alias(slot) for slot in slots]
        parts.append(df.select(*head, *cells))
    rows = parts[0]
    for p in parts[1:]:
        rows = rows.union(p)
    return rows


def grouped(rows, *keys):
    """The frame grouped by ``keys`` (the tenant, and the bucket), partitioned by them first: the
    same plan on PySpark (the grouping then needs no second shuffle), while on Sail, which runs a
    grouped map as an aggregate, a group's rows are gathered in its partition at once rather than
    collected per input partition and merged (at 500,000 customers the scoring with a checkpoint
    took 73.0 s against 86.9 s, fresh processes)."""
    return rows.repartition(*keys).groupBy(*keys)


def slices(table: pa.Table, plan: Plan, names=None) -> list[tuple[str, pa.Table, pa.Array]]:
    """A task's slice of each table (of ``names``, else all in the plan) out of its rows of the
    frame, in input order with the contract's column names, and each row's ``_tend_o``."""
    import pyarrow.compute as pc

    order = pc.sort_indices(table, [("_tend_t", "ascending"), ("_tend_o", "ascending")])
    count = {c["values"]: c["counts"] for c in pc.value_counts(table.column("_tend_t")).to_pylist()}
    out, start = [], 0
    for code, name in enumerate(TABLES):
        n = count.get(code, 0)
        rows = order.slice(start, n)
        start += n
        if name not in plan or (names is not None and name not in names):
            continue
        cols = plan[name]
        tab = table.select([slot for _, slot in cols]).take(rows).rename_columns([c for c, _ in cols])
        out.append((name, tab, table.column("_tend_o").take(rows).combine_chunks()))
    return out
