"""Shared by the tests: exports (JSON) as Arrow tables, the WebAssembly report of an export."""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import shutil
import subprocess

import pyarrow as pa

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "www" / "sample" / "export.json"
PKG_WASM = ROOT / "pkg" / "wasm" / "tend_bg.wasm"
HERE = pathlib.Path(__file__).resolve().parent


def _kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "num"
    if isinstance(v, str):
        return "str"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "obj"
    raise TypeError(type(v))


_TYPES = {"bool": pa.bool_(), "num": pa.float64(), "str": pa.string(), "list": pa.list_(pa.string()), "obj": pa.struct([])}


def _plain(kind, values):
    if kind == "num":
        return pa.array([None if v is None else float(v) for v in values], pa.float64())
    if kind == "list":
        return pa.array([None if v is None else [x if isinstance(x, str) else json.dumps(x) for x in v] for v in values], _TYPES["list"])
    if kind == "obj":
        return pa.array([None if v is None else {} for v in values], pa.struct([]))
    return pa.array(values, _TYPES[kind])


def column(values):
    """A JSON column as Arrow: one type when its values share one (JSON numbers are doubles, as
    in JavaScript), else a dense union of the types it holds — every value crosses as it is."""
    kinds = sorted({_kind(v) for v in values if v is not None})
    if not kinds:
        return pa.nulls(len(values), pa.string())
    if len(kinds) == 1:
        return _plain(kinds[0], values)
    codes, offsets, members = [], [], {k: [] for k in kinds}
    for v in values:
        k = kinds[0] if v is None else _kind(v)
        codes.append(kinds.index(k))
        offsets.append(len(members[k]))
        members[k].append(v)
    children = [_plain(k, members[k]) for k in kinds]
    return pa.UnionArray.from_dense(pa.array(codes, pa.int8()), pa.array(offsets, pa.int32()), children, kinds)


def to_arrow(data, timestamps=False):
    """An export's tables (lists of row objects) as pyarrow Tables with every key as a column.
    `timestamps`: date fields whose every value parses become Arrow timestamps (UTC)."""
    out = {}
    for name, rows in data.items():
        keys = []
        for r in rows:
            for k in r:
                if k not in keys:
                    keys.append(k)
        cols = {}
        for k in keys:
            values = [r.get(k) for r in rows]
            cols[k] = column(values)
            if timestamps and k in DATE_FIELDS.get(name, ()):
                ts = _timestamps(values)
                if ts is not None:
                    cols[k] = ts
        if not rows:
            # Recorded, none: the contract's columns, empty.
            import tend
            cols = {f: pa.array([], pa.string()) for f in tend.FIELDS[name]}
        out[name] = pa.table(cols)
    return out


DATE_FIELDS = {
    "customers": ["createdAt"], "orders": ["at"], "contacts": ["at"],
    "complaints": ["openedAt", "firstResponseAt", "resolvedAt"], "promises": ["madeAt", "dueAt", "keptAt"],
    "feedback": ["at"], "deliveries": ["promisedAt", "deliveredAt"], "snoozes": ["until"],
}


def _timestamps(values):
    out = []
    for v in values:
        if v is None:
            out.append(None)
            continue
        if not isinstance(v, str) or len(v) <= 10 and "T" not in v:
            return None  # plain dates stay text (read in the policy's timezone)
        try:
            t = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            return None
        if t.tzinfo is None:
            return None
        out.append(t)
    return pa.array(out, pa.timestamp("ms", tz="UTC"))


def node():
    return shutil.which("node") or "node"


def wasm_report(export_path, options):
    """The report of the npm package's analyze() (WebAssembly, under Node)."""
    r = subprocess.run([node(), str(HERE / "wasm_report.mjs"), str(export_path), json.dumps(options)],
                       capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(r.stdout)


def generate(path, seed, customers):
    """A generated export (tools/gen-sample.mjs: planted situations, bad rows, future rows)."""
    subprocess.run([node(), "tools/gen-sample.mjs", "--seed", str(seed), "--customers", str(customers),
                    "--out", str(path), "--no-csv", "--planted", str(path) + ".planted.json"],
                   check=True, cwd=ROOT, capture_output=True)
    return path
