#!/usr/bin/env python3
"""A deterministic multi-tenant CRM export as Parquet, for the Spark tests and bench/spark.py.

    python tools/gen-tenants.py --tenants 20 --customers 3000 --out /tmp/tenants [--seed 1]
    python tools/gen-tenants.py --tenants 50 --customers 500000 --rows-per-customer 30 --out bench/tenants

Writes <out>/<table>.parquet for the eight tables of the contract. Every table has `tenantId`
and `row` (the row's position in its tenant's table, the input order that decides which of two rows with
the same id is kept); tenants reuse the same customer ids (`C000001` …), so a result that mixed
tenants would show. Tenant sizes are skewed (a few large, many small). Timestamps are Arrow
timestamps (UTC, ms) except `complaints`, whose dates are ISO 8601 text, as many CRMs export
them; amounts are doubles. A few rows per tenant break the contract on purpose (an unknown
customer, an impossible date, a duplicate id, a score out of range) and some are dated after
`asOf` (future), so rejections and counts are exercised.

Needs numpy and pyarrow only; the same arguments give the same tables.
"""

from __future__ import annotations

import argparse
import pathlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

AS_OF = "2026-11-20T17:00:00+00:00"
AS_OF_MS = 1_795_194_000_000  # 2026-11-20T17:00:00Z
DAY = 86_400_000
WINDOW = 730 * DAY
OWNERS = ["Alice Martin", "Bruno Keller", "Chen Wei", "Dana Ortiz", "Emil Novak"]
SEGMENTS = ["smb", "mid", "enterprise"]


def _ids(prefix: str, n: np.ndarray | int, width: int = 6) -> pa.Array:
    k = pa.array(np.arange(1, n + 1) if isinstance(n, int) else n, pa.int64())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(pc.cast(k, pa.string()), width, "0"), "")


def _pick(rng, values, n, p=None) -> pa.Array:
    idx = rng.choice(len(values), size=n, p=p)
    return pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), pa.array(values)).cast(pa.string())


def _ts(ms: np.ndarray) -> pa.Array:
    return pa.array(ms.astype("int64"), pa.timestamp("ms", tz="UTC"))


def tenant_sizes(tenants: int, customers: int) -> list[int]:
    w = 1.0 / (np.arange(tenants) + 1.0) ** 0.8
    sizes = np.maximum(5, np.floor(w / w.sum() * customers)).astype(int)
    sizes[0] += customers - sizes.sum()
    return [int(s) for s in sizes]


def one_tenant(rng: np.random.Generator, n: int, rows_per_customer: float) -> dict[str, pa.Table]:
    scale = rows_per_customer / 30.0
    cid = _ids("C", n)
    created = AS_OF_MS - rng.integers(30 * DAY, WINDOW + 200 * DAY, n)
    referred = np.where(rng.random(n) < 0.05, rng.integers(1, n + 1, n), 0)
    ref = pc.if_else(pa.array(referred > 0), _ids("C", np.maximum(referred, 1)), pa.nulls(n, pa.string()))
    customers = {
        "id": cid,
        "name": pc.binary_join_element_wise("Company ", cid, ""),
        "owner": _pick(rng, OWNERS, n),
        "createdAt": _ts(created),
        "segment": _pick(rng, SEGMENTS, n, [0.6, 0.3, 0.1]),
        "referredBy": ref,
    }

    def rows(mean: float):
        per = rng.poisson(mean * scale * rng.gamma(2.0, 0.5, n))
        who = np.repeat(np.arange(n), per)
        start = np.maximum(created[who], AS_OF_MS - WINDOW)
        # Before asOf, but about 0.3 % in the week after it (future rows).
        at = start + (rng.random(who.size) * (AS_OF_MS - 60_000 - start)).astype(np.int64)
        at = np.where(rng.random(who.size) < 0.003, AS_OF_MS + rng.integers(60_000, 7 * DAY, who.size), at)
        order = np.lexsort((at, who))
        return who[order], at[order]

    who, at = rows(10.0)
    m = who.size
    orders = {
        "id": _ids("O", m, 8),
        "customerId": pc.take(cid, pa.array(who)),
        "at": _ts(at),
        "amount": pa.array(np.round(rng.gamma(2.0, 150.0, m) * (1 + (who % 7)), 2)),
        "kind": pa.nulls(m, pa.string()),
    }
    who, at = rows(12.0)
    m = who.size
    direction = _pick(rng, ["inbound", "outbound"], m, [0.45, 0.55])
    channel = _pick(rng, ["call", "email", "chat", "meeting", "visit", "letter"], m, [0.4, 0.35, 0.1, 0.08, 0.05, 0.02])
    status = pc.if_else(pc.equal(channel, "call"), _pick(rng, ["answered", "missed", "voicemail"], m, [0.8, 0.12, 0.08]), pa.nulls(m, pa.string()))
    contacts = {"id": _ids("K", m, 8), "customerId": pc.take(cid, pa.array(who)), "at": _ts(at), "direction": direction,
                "channel": channel, "status": status, "owner": pa.nulls(m, pa.string())}
    who, at = rows(0.4)
    m = who.size
    first = at + rng.integers(1, 5 * DAY, m)
    resolved = at + rng.integers(DAY, 30 * DAY, m)
    iso = lambda ms: pc.strftime(_ts(ms), format="%Y-%m-%dT%H:%M:%SZ")
    complaints = {"id": _ids("P", m, 7), "customerId": pc.take(cid, pa.array(who)), "openedAt": iso(at),
                  "severity": _pick(rng, ["low", "medium", "high", "critical"], m, [0.4, 0.35, 0.2, 0.05]),
                  "category": _pick(rng, ["delivery", "documentation", "billing", "product", "service", "other"], m),
                  "firstResponseAt": pc.if_else(pa.array(rng.random(m) < 0.9), iso(first), pa.nulls(m, pa.string())),
                  "resolvedAt": pc.if_else(pa.array(rng.random(m) < 0.8), iso(resolved), pa.nulls(m, pa.string()))}
    who, at = rows(0.5)
    m = who.size
    due = at + rng.integers(DAY, 20 * DAY, m)
    kept = at + rng.integers(DAY, 25 * DAY, m)
    promises = {"id": _ids("R", m, 7), "customerId": pc.take(cid, pa.array(who)), "madeAt": _ts(at), "dueAt": _ts(due),
                "keptAt": pc.if_else(pa.array(rng.random(m) < 0.85), _ts(kept), pa.nulls(m, pa.timestamp("ms", tz="UTC"))),
                "owner": _pick(rng, OWNERS, m), "text": _pick(rng, ["Send the quote", "Call back", "Fix the invoice"], m)}
    who, at = rows(2.0)
    m = who.size
    kind = rng.choice(3, m, p=[0.5, 0.3, 0.2])
    lo, hi = np.array([0, 1, 1])[kind], np.array([10, 5, 7])[kind]
    feedback = {"id": _ids("F", m, 7), "customerId": pc.take(cid, pa.array(who)), "at": _ts(at),
                "kind": pa.DictionaryArray.from_arrays(pa.array(kind, pa.int32()), pa.array(["nps", "csat", "ces"])).cast(pa.string()),
                "score": pa.array(rng.integers(lo, hi + 1).astype(np.int64)), "comment": pa.nulls(m, pa.string())}
    who, at = rows(5.0)
    m = who.size
    late = rng.random(m)
    delivered = at + np.where(late < 0.9, -rng.integers(0, DAY, m), rng.integers(DAY, 6 * DAY, m))
    deliveries = {"id": _ids("D", m, 8), "customerId": pc.take(cid, pa.array(who)), "promisedAt": _ts(at),
                  "deliveredAt": pc.if_else(pa.array((late < 0.98) & (delivered < AS_OF_MS)), _ts(delivered), pa.nulls(m, pa.timestamp("ms", tz="UTC"))),
                  "problem": pc.if_else(pa.array(late > 0.97), _pick(rng, ["late", "damaged", "wrong_item", "documentation", "missing"], m), pa.nulls(m, pa.string()))}
    k = max(1, n // 200)
    snoozed = rng.choice(n, k, replace=False)
    snoozes = {"id": _ids("S", k, 5), "customerId": pc.take(cid, pa.array(snoozed)), "until": _ts(np.full(k, AS_OF_MS + 14 * DAY)),
               "reason": _pick(rng, ["champion on holiday", "budget freeze"], k), "kinds": pa.array([None] * k, pa.list_(pa.string()))}
    out = {t: pa.table(c) for t, c in [("customers", customers), ("orders", orders), ("contacts", contacts), ("complaints", complaints),
                                        ("promises", promises), ("feedback", feedback), ("deliveries", deliveries), ("snoozes", snoozes)]}
    return _break(rng, out)


def _break(rng, t: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """A few rows that break the contract: an unknown customer, a duplicate id, an impossible
    date (text), a score out of range."""
    o = t["orders"]
    if o.num_rows > 2:
        bad = o.slice(0, 2).to_pylist()
        bad[0]["customerId"] = "C999999"
        bad[0]["id"] = "O-UNKNOWN"
        o = pa.concat_tables([o, pa.Table.from_pylist(bad, o.schema)])
    c = t["complaints"]
    if c.num_rows:
        row = c.slice(0, 1).to_pylist()[0]
        row["id"] = "P-BADDATE"
        row["openedAt"] = "2026-13-45"
        c = pa.concat_tables([c, pa.Table.from_pylist([row], c.schema)])
    f = t["feedback"]
    if f.num_rows:
        row = f.slice(0, 1).to_pylist()[0]
        row["id"] = "F-RANGE"
        row["kind"], row["score"] = "csat", 9
        f = pa.concat_tables([f, pa.Table.from_pylist([row], f.schema)])
    t.update(orders=o, complaints=c, feedback=f)
    return t


def generate(tenants: int = 20, customers: int = 3000, seed: int = 1, rows_per_customer: float = 30.0) -> dict[str, pa.Table]:
    """Every tenant's tables, concatenated, with `tenantId` and `row` (from 0 in each tenant's table) first."""
    rng = np.random.default_rng(seed)
    parts: dict[str, list[pa.Table]] = {}
    for k, n in enumerate(tenant_sizes(tenants, customers)):
        name = f"tenant-{k + 1:03d}"
        for t, tab in one_tenant(rng, n, rows_per_customer).items():
            # `row`: the row's index in its tenant's table, as an export job numbers them.
            tab = tab.add_column(0, "row", pa.array(np.arange(tab.num_rows, dtype=np.int64)))
            tab = tab.add_column(0, "tenantId", pa.array([name] * tab.num_rows, pa.string()))
            parts.setdefault(t, []).append(tab)
    return {t: pa.concat_tables(tabs) for t, tabs in parts.items()}


def write(tables: dict[str, pa.Table], out: pathlib.Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for t, tab in tables.items():
        pq.write_table(tab, out / f"{t}.parquet", row_group_size=1 << 20)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tenants", type=int, default=20)
    ap.add_argument("--customers", type=int, default=3000)
    ap.add_argument("--rows-per-customer", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=pathlib.Path, required=True)
    a = ap.parse_args()
    tables = generate(a.tenants, a.customers, a.seed, a.rows_per_customer)
    write(tables, a.out)
    rows = sum(t.num_rows for t in tables.values())
    print(f"gen-tenants: {a.tenants} tenants, {tables['customers'].num_rows} customers, {rows} rows -> {a.out}")


if __name__ == "__main__":
    main()
