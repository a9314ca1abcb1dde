// The report's keys match the interfaces declared in pkg/index.d.ts, both ways, so the types
// cannot drift from what the Rust core emits (tsc checks the types; this checks them against a
// real report of the sample).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PKG, SAMPLE } from './helpers.mjs';

const { analyze } = await import('../../pkg/index.js');

/** Top-level property names of each `export interface X { … }` (two-space indented). */
function interfaces(dts) {
  const out = {};
  for (const m of dts.matchAll(/^export interface (\w+)(?: extends [^{]+)? \{\n([\s\S]*?)^\}/gm)) {
    out[m[1]] = [...m[2].matchAll(/^ {2}(\w+)\??:/gm)].map((x) => x[1]);
  }
  return out;
}

const decl = interfaces(readFileSync(path.join(PKG, 'index.d.ts'), 'utf8'));
const report = analyze(readFileSync(SAMPLE));

function same(obj, name, where) {
  assert.ok(decl[name], `interface ${name} is declared`);
  assert.deepEqual(Object.keys(obj).sort(), [...decl[name]].sort(), `${where} has the keys of ${name}`);
}

function someWith(list, pred, what) {
  const x = list.find(pred);
  assert.ok(x, `the sample has ${what}`);
  return x;
}

test('the report matches index.d.ts', () => {
  same(report, 'Report', 'report');
  same(report.policy, 'ResolvedPolicy', 'report.policy');
  same(report.input, 'InputReport', 'report.input');
  same(report.input.orders, 'TableCounts', 'report.input.orders');
  same(report.input.rejected[0], 'Rejection', 'report.input.rejected[0]');
  same(report.portfolio, 'Portfolio', 'report.portfolio');
  same(report.portfolio.daily[0], 'DailyPoint', 'report.portfolio.daily[0]');
  same(report.owners[0], 'OwnerCard', 'report.owners[0]');
  same(report.worklist[0], 'WorkItem', 'report.worklist[0]');
  for (const c of report.customers) {
    same(c, 'CustomerReport', `customer ${c.id}`);
    same(c.satisfaction, 'Satisfaction', 'satisfaction');
    same(c.satisfaction.nps, 'Survey', 'satisfaction.nps');
    same(c.satisfaction.complaints, 'ComplaintLoad', 'satisfaction.complaints');
    same(c.value, 'Value', 'value');
    same(c.health, 'Health', 'health');
    same(c.health.components.buying, 'HealthComponent', 'health.components.buying');
    same(c.buying, 'Buying', 'buying');
    same(c.risk, 'Risk', 'risk');
    for (const f of c.neglect) same(f, 'NeglectFlag', `a ${f.kind} flag`);
    for (const a of c.actions) same(a, 'Action', `a ${a.kind} action`);
    for (const r of c.risk.reasons) same(r, 'RiskReason', 'risk reason');
  }
  const withRfm = someWith(report.customers, (c) => c.value.rfm, 'a customer with RFM');
  same(withRfm.value.rfm, 'Rfm', 'value.rfm');
  const flagged = someWith(report.customers.flatMap((c) => c.neglect), (f) => f.evidence, 'a flag with evidence');
  same(flagged.evidence, 'Evidence', 'flag.evidence');
  const snoozed = someWith(report.customers.flatMap((c) => c.neglect), (f) => f.snooze, 'a snoozed flag');
  same(snoozed.snooze, 'SnoozeInfo', 'flag.snooze');
});

test('string-literal unions hold the values the core emits', () => {
  const dts = readFileSync(path.join(PKG, 'index.d.ts'), 'utf8');
  const union = (name) => {
    const m = new RegExp(`^export type ${name} =([\\s\\S]*?);`, 'm').exec(dts);
    assert.ok(m, `type ${name} is declared`);
    const values = [...m[1].matchAll(/'([^']+)'|"([^"]+)"/g)].map((x) => x[1] ?? x[2]);
    const refs = [...m[1].replace(/'[^']*'|"[^"]*"/g, '').matchAll(/\b([A-Z]\w+)\b/g)].map((x) => x[1]);
    return new Set([...values, ...refs.flatMap((r) => [...union(r)])]);
  };
  const check = (name, values) => {
    const allowed = union(name);
    for (const v of values) if (v !== null) assert.ok(allowed.has(v), `${name} allows \`${v}\``);
  };
  const cs = report.customers;
  check('NeglectKind', cs.flatMap((c) => c.neglect.map((f) => f.kind)));
  check('Severity', cs.flatMap((c) => c.neglect.map((f) => f.severity)));
  check('TableName', report.input.rejected.map((r) => r.table));
  check('Zone', cs.map((c) => c.satisfaction.zone));
  check('FeedbackKind', cs.map((c) => c.satisfaction.zoneKind));
  check('Tier', cs.map((c) => c.value.tier));
  check('RfmSegment', cs.map((c) => c.value.rfm?.segment ?? null));
  check('Band', cs.map((c) => c.health.band));
  check('BuyingStatus', cs.map((c) => c.buying.status));
  check('Stage', cs.map((c) => c.stage));
  check('RiskLevel', cs.map((c) => c.risk.level));
  check('ActionKind', [...cs.flatMap((c) => c.actions.map((a) => a.kind)), ...report.worklist.map((w) => w.kind)]);
});
