#!/usr/bin/env python3
"""Tend on Spark against one process: rows/s and customers/s per core.

    make bench-spark                              # 500,000 customers, ~15M rows, 50 tenants
    BENCH_CUSTOMERS=50000 BENCH_ENGINES=sail .venv/bin/python bench/spark.py

The input (tools/gen-tenants.py, Parquet in bench/tenants/) is made when missing. Measured, each
from the Parquet files to every result computed:

- one process: pyarrow reads the Parquet files, then `tend.analyze` scores each tenant in turn
  (one core);
- PySpark `local[2]` and Sail (in-process Spark Connect server): `tend.spark.score`, then every
  output DataFrame counted (the scoring runs once: its results are persisted on PySpark, and go
  through a Parquet checkpoint on Sail, which does not cache).

Per-core throughput = rows (or customers) / wall time / cores used; the ratio to the single
process is the engine's overhead (goal: ≥ 0.5). Each engine runs right after a single-process
run of its own, its ratio against that one (the machine's speed drifts). Writes
bench/out/spark.json.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import pathlib
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parents[1]
import tend  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "500000"))
TENANTS = int(os.environ.get("BENCH_TENANTS", "50"))
#: Engines, each optionally with buckets per tenant (`sail:4`: Sail, every tenant in 4 buckets);
#: classic `local` runs first (once a Spark Connect session exists, a classic one cannot start).
ENGINES = os.environ.get("BENCH_ENGINES", "local,local:4,sail,sail:4").split(",")
DATA = pathlib.Path(os.environ.get("BENCH_DATA", ROOT / "bench" / "tenants" / f"{TENANTS}x{CUSTOMERS}"))
AS_OF = "2026-11-20T17:00:00+00:00"
POLICY = {"holidays": ["2026-11-11"]}
CORES = os.cpu_count() or 1
#: Shuffle partitions (tasks of the scoring pass): several per core, so that tenants of
#: different sizes spread over the cores; not many more (every Python task costs PySpark ~0.15 s).
SHUFFLE = os.environ.get("BENCH_SHUFFLE", "16")


def gen():
    if (DATA / "snoozes.parquet").exists():
        return
    spec = importlib.util.spec_from_file_location("gen_tenants", ROOT / "tools" / "gen-tenants.py")
    g = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(g)
    t0 = time.time()
    g.write(g.generate(TENANTS, CUSTOMERS, seed=5), DATA)
    print(f"bench: generated {DATA} in {time.time() - t0:.0f} s", flush=True)


def single():
    t0 = time.time()
    tables = {t: pq.read_table(DATA / f"{t}.parquet") for t in tend.TABLES}
    read = time.time() - t0
    # The generator writes tenants one after another: each tenant is a slice of every table.
    bounds = {}
    for t, tab in tables.items():
        ten = np.asarray(tab.column("tenantId").to_numpy(zero_copy_only=False))
        change = np.flatnonzero(ten[1:] != ten[:-1]) + 1
        starts = np.concatenate([[0], change])
        ends = np.concatenate([change, [len(ten)]])
        bounds[t] = {ten[s]: (s, e) for s, e in zip(starts, ends)} if len(ten) else {}
    t1 = time.time()
    for tenant in bounds["customers"]:
        mine = {}
        for t, tab in tables.items():
            s, e = bounds[t].get(tenant, (0, 0))
            mine[t] = tab.slice(s, e - s)
        tend.analyze(mine, AS_OF, policy=POLICY)
    score = time.time() - t1
    rows = sum(t.num_rows for t in tables.values())
    return {"engine": "tend.analyze, one process", "cores": 1, "seconds": read + score, "read": read, "rows": rows,
            "customers": tables["customers"].num_rows}


def spark_run(spec):
    engine, _, b = spec.partition(":")
    buckets = int(b or 1)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession
    import tend.spark

    server = None
    if engine == "sail":
        from pysail.spark import SparkConnectServer

        server = SparkConnectServer()
        server.start()
        _, port = server.listening_address
        spark = SparkSession.builder.remote(f"sc://localhost:{port}").getOrCreate()
        cores = CORES
    else:
        spark = (SparkSession.builder.master("local[2]").appName("tend-bench")
                 .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                 .config("spark.driver.memory", "8g").config("spark.sql.shuffle.partitions", SHUFFLE)
                 .config("spark.sql.execution.arrow.maxRecordsPerBatch", "20000").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        cores = 2
    spark.conf.set("spark.sql.shuffle.partitions", SHUFFLE)
    t0 = time.time()
    tables = {t: spark.read.parquet(str(DATA / f"{t}.parquet")) for t in tend.TABLES}
    # Sail 0.7 does not cache: the scored results go through a Parquet checkpoint (once).
    checkpoint = str(ROOT / "bench" / "out" / f"spark-{engine}-checkpoint") if engine == "sail" else None
    scores = tend.spark.score(tables, AS_OF, policy=POLICY, order_col="row", checkpoint=checkpoint)
    n = scores.raw.count() if scores.merged is None else scores.raw.count() + scores.merged.count()
    scored = time.time() - t0
    counts = {name: df.count() for name, df in scores.tables().items()}
    seconds = time.time() - t0
    rows = sum(pq.ParquetFile(DATA / f"{t}.parquet").metadata.num_rows for t in tend.TABLES)
    spark.stop()
    if server is not None:
        server.stop()
    name = "PySpark local[2]" if engine == "local" else f"Sail ({cores} cores)"
    if buckets > 1:
        name += f", {buckets} buckets per tenant"
    return {"engine": name, "buckets": buckets, "cores": cores, "seconds": seconds,
            "scored": scored, "rows": rows, "customers": counts["customers"], "chunks": n}


def main():
    gen()
    # The machine's speed drifts by a third within the hour: each engine runs right after a
    # single-process run of its own, and its ratio is against that run.
    results = []
    for e in ENGINES:
        one = single()
        print(f"bench: one process {one['seconds']:.1f} s", flush=True)
        run = spark_run(e)
        print(f"bench: {e} {run['seconds']:.1f} s", flush=True)
        run["base"] = one["seconds"]
        results += [one, run]
    print(f"\n{TENANTS} tenants, {results[0]['customers']:,} customers, {results[0]['rows']:,} rows ({dt.date.today()}, {CORES} cores)\n")
    print("| engine | cores | wall s | rows/s per core | customers/s per core | per core vs one process |")
    print("|---|---:|---:|---:|---:|---:|")
    base = None
    for r in results:
        if r["cores"] == 1 and "base" not in r:
            base = r["rows"] / r["seconds"]
        rps = r["rows"] / r["seconds"] / r["cores"]
        cps = r["customers"] / r["seconds"] / r["cores"]
        r.update(rows_per_core_s=rps, customers_per_core_s=cps, ratio=rps / base)
        print(f"| {r['engine']} | {r['cores']} | {r['seconds']:.1f} | {rps:,.0f} | {cps:,.0f} | {rps / base:.2f}× |")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "spark.json").write_text(json.dumps({"date": str(dt.date.today()), "tenants": TENANTS, "results": results}, indent=1))


if __name__ == "__main__":
    main()
