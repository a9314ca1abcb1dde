"""tend.analyze against the WebAssembly analyze() of the npm package (pkg/, built by
scripts/build.sh), on the bundled sample and on generated exports: the whole report deep-equal,
and every column of the flat tables equal to the value at its path in the browser's report."""

from __future__ import annotations

import json

import pytest

import tend
from helpers import PKG_WASM, SAMPLE, generate, to_arrow, wasm_report

pytestmark = pytest.mark.skipif(not PKG_WASM.exists(), reason="pkg/wasm is not built: run scripts/build.sh")

# Each column of the flat tables and where the browser's report holds it.
CUSTOMER_PATHS = {
    "id": "id", "name": "name", "owner": "owner", "segment": "segment", "referredBy": "referredBy",
    "tier": "value.tier", "stage": "stage", "health": "health.score", "band": "health.band",
    "trend": "health.trend", "risk": "risk.level", "riskScore": "risk.score", "topReason": "risk.reasons.0.code",
    "priority": "priority", "revenue12m": "value.revenue12m", "revenuePrev12m": "value.revenuePrev12m",
    "clv": "value.clv", "rfmR": "value.rfm.r", "rfmF": "value.rfm.f", "rfmM": "value.rfm.m",
    "rfmSegment": "value.rfm.segment", "lastOrderAt": "value.lastOrderAt", "buyingStatus": "buying.status",
    "orders": "buying.orders", "daysSinceLastOrder": "buying.daysSinceLastOrder",
    "medianGapDays": "buying.medianGapDays", "nextOrderExpected": "buying.nextOrderExpected",
    "overdueDays": "buying.overdueDays", "pAlive": "buying.pAlive", "expectedPurchases": "buying.expectedPurchases",
    "lapseAt": "buying.lapseAt", "lapsedSince": "buying.lapsedSince", "satisfactionIndex": "satisfaction.index",
    "zone": "satisfaction.zone", "zoneKind": "satisfaction.zoneKind", "npsLatest": "satisfaction.nps.latest",
    "csatLatest": "satisfaction.csat.latest", "cesLatest": "satisfaction.ces.latest",
    "lastFeedbackAt": "satisfaction.lastFeedbackAt", "openComplaints": "satisfaction.complaints.open",
    "healthSatisfaction": "health.components.satisfaction.score", "healthBuying": "health.components.buying.score",
    "healthAttention": "health.components.attention.score", "healthService": "health.components.service.score",
    "topAction": "actions.0.kind",
}
FLAG_PATHS = {
    "kind": "kind", "severity": "severity", "since": "since", "due": "due", "overdue": "overdue",
    "evidenceTable": "evidence.table", "evidenceId": "evidence.id", "count": "count", "owner": "owner",
    "snoozed": "snoozed", "snoozedUntil": "snooze.until", "snoozeReason": "snooze.reason", "message": "message",
}
WORK_PATHS = {k: k for k in ["customerId", "customerName", "owner", "kind", "message", "uplift", "priority",
                              "severity", "overdue", "tier", "health", "band", "risk"]}
WORK_PATHS.update({"evidenceTable": "evidence.table", "evidenceId": "evidence.id"})
OWNER_PATHS = {k: k for k in ["owner", "customers", "snoozedFlags", "overdueDays", "brokenPromiseRate",
                               "promisesDue", "medianComplaintResolutionDays", "highRiskShare"]}
REJECTED_PATHS = {k: k for k in ["table", "index", "id", "field", "code", "reason"]}


def at(v, path):
    for p in path.split("."):
        if isinstance(v, list):
            v = v[int(p)] if int(p) < len(v) else None
        elif isinstance(v, dict):
            v = v.get(p)
        else:
            return None
    return v


def first_difference(a, b, path="report"):
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only on one side"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for k, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{k}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def same_column(table, name, expected):
    got = table.column(name).to_pylist()
    assert len(got) == len(expected), f"{name}: {len(got)} rows != {len(expected)}"
    for k, (g, e) in enumerate(zip(got, expected)):
        assert g == e and type(g) is type(e) or (g == e and isinstance(e, (int, float)) and not isinstance(e, bool)), \
            f"{name}[{k}]: {g!r} != {e!r}"


def check(result, wasm):
    py = json.loads(json.dumps(result.report()))
    diff = first_difference(py, wasm)
    assert diff is None, diff
    cs = wasm["customers"]
    assert result.customers.column("id").to_pylist() == [c["id"] for c in cs]
    for name, path in CUSTOMER_PATHS.items():
        same_column(result.customers, name, [at(c, path) for c in cs])
    same_column(result.customers, "openFlags", [sum(not f["snoozed"] for f in c["neglect"]) for c in cs])
    same_column(result.customers, "flags", [len(c["neglect"]) for c in cs])
    same_column(result.customers, "actions", [len(c["actions"]) for c in cs])
    same_column(result.customers, "exposure", [len(c["exposure"]) for c in cs])
    flags = [(c, f) for c in cs for f in c["neglect"]]
    same_column(result.flags, "customerId", [c["id"] for c, _ in flags])
    same_column(result.flags, "customerName", [c["name"] for c, _ in flags])
    for name, path in FLAG_PATHS.items():
        same_column(result.flags, name, [at(f, path) for _, f in flags])
    work = wasm["worklist"]
    same_column(result.worklist, "rank", list(range(1, len(work) + 1)))
    for name, path in WORK_PATHS.items():
        same_column(result.worklist, name, [at(w, path) for w in work])
    owners = wasm["owners"]
    for name, path in OWNER_PATHS.items():
        same_column(result.owners, name, [at(o, path) for o in owners])
    same_column(result.owners, "openFlags", [sum(o["openFlags"].values()) for o in owners])
    for kind in ["unreturned_contact", "broken_promise", "complaint_no_response", "complaint_overdue",
                 "complaint_no_update", "no_outreach", "no_feedback", "delivery_failure"]:
        same_column(result.owners, kind, [o["openFlags"].get(kind, 0) for o in owners])
    rejected = wasm["input"]["rejected"]
    for name, path in REJECTED_PATHS.items():
        same_column(result.rejected, name, [at(r, path) for r in rejected])
    # The summary's input counts are the report's, and every table adds up.
    for t in tend.TABLES:
        c = result.summary["input"][t]
        assert c == {k: wasm["input"][t][k] for k in ("received", "used", "rejected", "future")}
        assert c["received"] == c["used"] + c["rejected"] + c["future"]


def sample():
    env = json.loads(SAMPLE.read_text())
    return env, {"asOf": env["asOf"], "policy": env["policy"]}


def test_the_sample_equals_the_browsers_report():
    env, options = sample()
    wasm = wasm_report(SAMPLE, options)
    r = tend.analyze(to_arrow(env["data"]), env["asOf"], policy=env["policy"])
    assert r.rejected.num_rows > 0 and r.flags.num_rows > 0 and r.worklist.num_rows > 0
    check(r, wasm)


def test_the_sample_with_arrow_timestamps_equals_the_browsers_report():
    env, options = sample()
    wasm = wasm_report(SAMPLE, options)
    tables = to_arrow(env["data"], timestamps=True)
    assert any(str(t.schema.field(f).type).startswith("timestamp") for t in tables.values() for f in t.schema.names)
    check(tend.analyze(tables, env["asOf"], policy=env["policy"]), wasm)


@pytest.mark.parametrize("seed,customers", [(7, 400), (2024, 900)])
def test_generated_exports_equal_the_browsers_report(tmp_path, seed, customers):
    path = generate(tmp_path / "export.json", seed, customers)
    env = json.loads(path.read_text())
    options = {"asOf": env["asOf"], "policy": env["policy"]}
    wasm = wasm_report(path, options)
    for timestamps in (False, True):
        check(tend.analyze(to_arrow(env["data"], timestamps), env["asOf"], policy=env["policy"]), wasm)


def test_a_given_model_scores_as_in_the_browser():
    env, options = sample()
    first = tend.analyze(to_arrow(env["data"]), env["asOf"], policy=env["policy"])
    models = first.models()
    assert models and models["buying"]["model"] == "bgnbd"
    data = {t: rows for t, rows in env["data"].items()}
    data["customers"] = data["customers"][:40]
    ids = {c["id"] for c in data["customers"]}
    for t in data:
        if t != "customers":
            data[t] = [r for r in data[t] if r.get("customerId") in ids]
    import tempfile, pathlib
    with tempfile.TemporaryDirectory() as d:
        p = pathlib.Path(d) / "few.json"
        p.write_text(json.dumps(data))
        wasm = wasm_report(p, {**options, "models": models})
    check(tend.analyze(to_arrow(data), env["asOf"], policy=env["policy"], models=models), wasm)
