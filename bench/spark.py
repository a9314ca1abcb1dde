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

- each engine scoring nothing (`floor_run`): what the engine itself costs on the same path,
  and so the best ratio any scorer on it can reach.

Per-core throughput = rows (or customers) / wall time / cores used; the ratio to the single
process is the engine's overhead (goal: ≥ 0.5). Each engine runs in a process of its own (a
fresh JVM or Sail server, as a nightly job has) right after a single-process run, its ratio
against that one (the machine's speed drifts). CPU is the whole process tree's. Writes
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
#: Engines, each optionally with buckets per tenant (`sail:4`: Sail, every tenant in 4 buckets),
#: or `:floor` for what the engine costs scoring nothing (`floor_run`).
ENGINES = os.environ.get("BENCH_ENGINES", "local,local:floor,local:4,sail,sail:floor,sail:4").split(",")
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


def tree_cpu() -> float:
    """CPU seconds (user + system, with reaped children) of this process and every process under
    it: the JVM and its Python workers, or Sail's in-process server (Linux /proc)."""
    hz = os.sysconf("SC_CLK_TCK")
    procs = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            stat = open(f"/proc/{p}/stat").read()
        except OSError:
            continue
        f = stat[stat.rfind(")") + 2:].split()
        procs[int(p)] = (int(f[1]), sum(int(x) for x in f[11:15]) / hz)
    kids = {}
    for p, (parent, _) in procs.items():
        kids.setdefault(parent, []).append(p)
    total, todo = 0.0, [os.getpid()]
    while todo:
        p = todo.pop()
        total += procs.get(p, (0, 0.0))[1]
        todo += kids.get(p, [])
    return total


def session(engine):
    """A fresh Spark session of the engine, its cores and a stop function."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    if engine == "sail":
        from pysail.spark import SparkConnectServer

        server = SparkConnectServer()
        server.start()
        _, port = server.listening_address
        spark = SparkSession.builder.remote(f"sc://localhost:{port}").getOrCreate()
        spark.conf.set("spark.sql.shuffle.partitions", SHUFFLE)
        return spark, CORES, lambda: (spark.stop(), server.stop())
    spark = (SparkSession.builder.master("local[2]").appName("tend-bench")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "8g").config("spark.sql.shuffle.partitions", SHUFFLE)
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", "20000").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark, 2, spark.stop


def spark_run(spec):
    engine, _, b = spec.partition(":")
    buckets = int(b or 1)
    import tend.spark

    spark, cores, stop = session(engine)
    t0, c0 = time.time(), tree_cpu()
    tables = {t: spark.read.parquet(str(DATA / f"{t}.parquet")) for t in tend.TABLES}
    # Sail 0.7 does not cache: the scored results go through a Parquet checkpoint (once).
    checkpoint = str(ROOT / "bench" / "out" / f"spark-{engine}-checkpoint") if engine == "sail" else None
    scores = tend.spark.score(tables, AS_OF, policy=POLICY, order_col="row", checkpoint=checkpoint, buckets=buckets)
    n = scores.raw.count() if scores.merged is None else scores.raw.count() + scores.merged.count()
    scored = time.time() - t0
    counts = {name: df.count() for name, df in scores.tables().items()}
    seconds, cpu = time.time() - t0, tree_cpu() - c0
    rows = sum(pq.ParquetFile(DATA / f"{t}.parquet").metadata.num_rows for t in tend.TABLES)
    stop()
    name = "PySpark local[2]" if engine == "local" else f"Sail ({cores} cores)"
    if buckets > 1:
        name += f", {buckets} buckets per tenant"
    return {"engine": name, "buckets": buckets, "cores": cores, "seconds": seconds, "cpu": cpu,
            "scored": scored, "rows": rows, "customers": counts["customers"], "chunks": n}


def floor_run(engine):
    """What the engine itself costs: the same rows read, laid on the same slots, brought together
    by tenant and handed to a Python function that scores nothing (one row per tenant back), in a
    fresh session. Whatever the scorer does, a run costs at least this CPU plus the scoring's
    own, so ``one / (one + floor)`` bounds the per-core ratio of any scorer on this path."""
    from pyspark.sql import types as T

    from tend import _slots

    spark, cores, stop = session(engine)
    t0, c0 = time.time(), tree_cpu()
    given = {t: spark.read.parquet(str(DATA / f"{t}.parquet")) for t in tend.TABLES}
    plan, types = _slots.layout(given)
    rows = _slots.frame(given, plan, types, "tenantId", T.StringType(), "row")
    schema = T.StructType([T.StructField("tenantId", T.StringType(), True), T.StructField("rows", T.LongType(), True)])

    def nothing(table):
        return pa.table({"tenantId": table.column("tenantId").slice(0, 1), "rows": pa.array([table.num_rows], pa.int64())})

    n = _slots.grouped(rows, "tenantId").applyInArrow(nothing, schema).count()
    seconds, cpu = time.time() - t0, tree_cpu() - c0
    stop()
    return {"engine": ("PySpark local[2]" if engine == "local" else f"Sail ({cores} cores)") + ", scoring nothing",
            "floor": True, "cores": cores, "seconds": seconds, "cpu": cpu, "tenants": n}


def fresh(spec):
    """One engine's run in a process of its own: a nightly job starts a fresh JVM (or Sail
    server), and a second session in the same process would find the JIT already warm."""
    import subprocess

    out = subprocess.run([sys.executable, __file__, "--run", spec], check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    gen()
    # The machine's speed drifts by a third within the hour: each engine runs right after a
    # single-process run of its own, and its ratio is against that run.
    results = []
    for e in ENGINES:
        one = single()
        print(f"bench: one process {one['seconds']:.1f} s", flush=True)
        run = fresh(e)
        print(f"bench: {e} {run['seconds']:.1f} s, {run['cpu']:.1f} s of CPU", flush=True)
        run["base"] = one["seconds"]
        results += [one, run]
    print(f"\n{TENANTS} tenants, {results[0]['customers']:,} customers, {results[0]['rows']:,} rows ({dt.date.today()}, {CORES} cores)\n")
    print("| engine | cores | wall s | CPU s | rows/s per core | customers/s per core | per core vs one process |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    rows, customers = results[0]["rows"], results[0]["customers"]
    for r in results:
        if r.get("floor"):
            # The bound any scorer on this path has: one process's time over it plus the floor.
            r["bound"] = r["base"] / (r["base"] + r["cpu"])
            print(f"| {r['engine']} | {r['cores']} | {r['seconds']:.1f} | {r['cpu']:.1f} | | | at most {r['bound']:.2f}× |")
            continue
        base = rows / r.get("base", r["seconds"])
        rps = rows / r["seconds"] / r["cores"]
        cps = customers / r["seconds"] / r["cores"]
        r.update(rows_per_core_s=rps, customers_per_core_s=cps, ratio=rps / base)
        cpu = f"{r['cpu']:.1f}" if "cpu" in r else ""
        print(f"| {r['engine']} | {r['cores']} | {r['seconds']:.1f} | {cpu} | {rps:,.0f} | {cps:,.0f} | {rps / base:.2f}× |")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "spark.json").write_text(json.dumps({"date": str(dt.date.today()), "tenants": TENANTS, "results": results}, indent=1))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        engine, _, what = sys.argv[2].partition(":")
        print(json.dumps(floor_run(engine) if what == "floor" else spark_run(sys.argv[2])))
    else:
        main()
