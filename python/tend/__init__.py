"""Tend: find the customers you are about to lose — for Python, Arrow and Spark.

The same Rust core as the npm package ``tend-crm`` (the browser's numbers, to the last digit),
fed Arrow tables through the Arrow PyCapsule interface::

    import pyarrow as pa, tend
    r = tend.analyze({
        "customers": pa.table({"id": ["c1"], "name": ["Acme"], "owner": ["Alice"]}),
        "contacts": pa.table({"id": ["k1"], "customerId": ["c1"], "at": ["2026-11-19T09:30:00Z"],
                              "direction": ["inbound"], "channel": ["call"], "status": ["missed"]}),
    }, as_of="2026-11-26T09:30:00Z")
    r.flags.column("message")[0].as_py()
    # 'Return the missed call of Thu 19 Nov — 4 business days overdue'

``tend.spark.score`` scores every tenant of a multi-tenant set of Spark DataFrames.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
from typing import Any, Mapping

import pyarrow as _pa

from . import _tend
from ._tend import TendError

__all__ = ["analyze", "Result", "TendError", "TABLES", "FIELDS", "REQUIRED", "SCHEMAS"]

_CONTRACT = _tend.contract()
#: The tables of the contract, in its order.
TABLES: tuple[str, ...] = ("customers", "orders", "contacts", "complaints", "promises", "feedback", "deliveries", "snoozes")
#: Each table's fields (columns), as the contract names them.
FIELDS: dict[str, tuple[str, ...]] = {t: tuple(_CONTRACT[t][0]) for t in TABLES}
#: The columns a table must have (as a CSV header must).
REQUIRED: dict[str, tuple[str, ...]] = {t: tuple(_CONTRACT[t][1]) for t in TABLES}
#: The schemas of the result tables.
SCHEMAS: dict[str, _pa.Schema] = dict(_tend.schemas())


def _error(code: str, path: str, message: str) -> TendError:
    e = TendError(f"{message}")
    e.code = code
    e.path = path
    return e


def _instant(as_of: Any, path: str = "as_of") -> str:
    if isinstance(as_of, _dt.datetime):
        # Naive: a wall-clock time, read in the policy's timezone (like ISO text without offset).
        return as_of.isoformat()
    if isinstance(as_of, _dt.date):
        return as_of.isoformat()
    if isinstance(as_of, str):
        return as_of
    raise _error("invalid_option", "options.asOf", f"invalid option at `options.asOf`: expected an ISO 8601 string, a datetime or a date, got `{type(as_of).__name__}`")


def _options(as_of: Any, policy: Any, models: Any) -> str:
    if as_of is None:
        raise _error("invalid_option", "options.asOf", "invalid option at `options.asOf`: is required (an ISO 8601 instant)")
    o: dict[str, Any] = {"asOf": _instant(as_of)}
    if policy is not None:
        o["policy"] = policy
    if models is not None:
        o["models"] = models
    try:
        return _json.dumps(o, default=_json_default, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise _error("invalid_option", "options", f"invalid option at `options`: {e}") from None


def _json_default(v: Any) -> Any:
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()
    raise TypeError(f"`{type(v).__name__}` is not JSON data")


def _arrow(name: str, obj: Any) -> Any:
    """Anything with ``__arrow_c_stream__`` as is; a record batch, a pandas frame (older pandas)
    or a list of row dicts through pyarrow."""
    if hasattr(obj, "__arrow_c_stream__"):
        return obj
    if isinstance(obj, _pa.RecordBatch):
        return _pa.Table.from_batches([obj])
    if isinstance(obj, (list, tuple)):
        try:
            return _pa.Table.from_pylist(list(obj))
        except (_pa.ArrowInvalid, _pa.ArrowTypeError, TypeError) as e:
            raise _error("invalid_input", f"tables.{name}", f"invalid input at `tables.{name}`: rows pyarrow cannot type ({e}); pass a pyarrow.Table (a union column holds mixed types)") from None
    if type(obj).__module__.startswith("pandas"):
        return _pa.Table.from_pandas(obj, preserve_index=False)
    raise _error("invalid_input", f"tables.{name}", f"invalid input at `tables.{name}`: expected an Arrow table (an object with `__arrow_c_stream__`), got `{type(obj).__name__}`")


def _tables(tables: Mapping[str, Any]) -> list[tuple[str, Any]]:
    if not isinstance(tables, Mapping):
        raise _error("invalid_input", "tables", f"invalid input at `tables`: expected a mapping of table names to Arrow tables, got `{type(tables).__name__}`")
    out = []
    for name, obj in tables.items():
        if name not in FIELDS:
            raise _error("invalid_input", f"tables.{name}", f"invalid input at `tables.{name}`: unknown table `{name}`, expected one of {', '.join(TABLES)}")
        if obj is None:
            continue  # not recorded
        out.append((name, _arrow(name, obj)))
    return out


class Result:
    """What ``analyze`` returns: pyarrow Tables and the summary.

    - ``customers``: one row per customer, in id order (id, name, owner, tier, stage, health,
      band, trend, risk, riskScore, priority, revenue12m, clv, pAlive, lapseAt, …);
    - ``flags``: one row per neglect flag (customerId, kind, severity, since, due, overdue,
      evidence, owner, snoozed, message);
    - ``worklist``: every open action, ranked (``rank`` from 1) by priority;
    - ``owners``: each owner's card, with one column per neglect kind;
    - ``rejected``: the rejected rows listed by the report (the first 1,000; all are counted in
      ``summary["input"]["rejectedByCode"]``);
    - ``summary``: a dict — input counts per table (received = used + rejected + future), the
      portfolio figures, the models, the owners' cards, distributions.

    ``report()`` gives the whole report as ``analyze()`` in JavaScript does, and ``models()``
    the buying models as ``models=`` takes them back.
    """

    __slots__ = ("customers", "flags", "worklist", "owners", "rejected", "summary", "_analysis")

    def __init__(self, analysis: Any):
        tables, summary = analysis.tables()
        self._analysis = analysis
        self.customers: _pa.Table = tables["customers"]
        self.flags: _pa.Table = tables["flags"]
        self.worklist: _pa.Table = tables["worklist"]
        self.owners: _pa.Table = tables["owners"]
        self.rejected: _pa.Table = tables["rejected"]
        self.summary: dict = summary

    def report(self) -> dict:
        """The whole report (every customer in words), identical to the JavaScript ``analyze()``."""
        return self._analysis.report()

    def models(self) -> Any:
        """The buying models in use, as ``models=`` takes them (``False`` when none is used)."""
        return self._analysis.models()

    def tables(self) -> dict[str, _pa.Table]:
        """The five tables by name."""
        return {n: getattr(self, n) for n in ("customers", "flags", "worklist", "owners", "rejected")}

    def __repr__(self) -> str:
        return f"<tend.Result asOf={self.summary.get('asOf')} customers={self.customers.num_rows} flags={self.flags.num_rows} worklist={self.worklist.num_rows}>"


def analyze(tables: Mapping[str, Any], as_of: Any, policy: Mapping[str, Any] | None = None, models: Any = None) -> Result:
    """Analyse a CRM export given as Arrow tables, at the instant ``as_of``.

    ``tables`` maps table names (customers, orders, contacts, complaints, promises, feedback,
    deliveries, snoozes) to a ``pyarrow.Table`` or anything with ``__arrow_c_stream__`` (pandas,
    polars, DuckDB), with the contract's column names; other columns are ignored. A table not in
    the mapping (or ``None``) is not recorded; an empty one is recorded, with no rows.
    Timestamps are Arrow timestamps (with a time zone: that instant; without: a wall-clock time in
    the policy's timezone), dates, or ISO 8601 text. ``as_of`` is ISO 8601 text, a ``datetime``
    or a ``date``; ``policy`` and ``models`` are as in the JavaScript options.

    A bad row is rejected (``Result.rejected``) and the rest analysed; a call that cannot be done
    at all raises ``TendError`` with ``code`` and ``path``.
    """
    options = _options(as_of, policy, models)
    given = _tables(tables)
    return Result(_tend.analyze(given, options))


def __getattr__(name: str) -> Any:
    if name == "spark":  # pyspark is optional: imported when asked for
        from . import spark

        return spark
    raise AttributeError(f"module 'tend' has no attribute {name!r}")
