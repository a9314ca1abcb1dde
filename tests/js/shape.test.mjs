// The report's and the engine's keys match the interfaces declared in pkg/index.d.ts, both ways,
// so the types cannot drift from what the Rust core emits (tsc checks the types; this checks
// them against real answers on the sample).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PKG, SAMPLE } from './helpers.mjs';

const { analyze, Tend } = await import('../../pkg/index.js');

/** Top-level property names of each `export interface X<…> extends A, B { … }` (two-space
 * indented), with those of the interfaces it extends. */
export function interfaces(dts) {
  const own = {};
  const parents = {};
  for (const m of dts.matchAll(/^export interface (\w+)(?:<[^>]*>)?(?: extends ([^{]+))? \{\n([\s\S]*?)^\}/gm)) {
    own[m[1]] = [...m[3].matchAll(/^ {2}(\w+)\??:/gm)].map((x) => x[1]);
    parents[m[1]] = m[2] ? m[2].split(',').map((p) => p.trim()) : [];
  }
  const all = (name) => {
    if (!own[name]) return undefined;
    return [...own[name], ...parents[name].flatMap((p) => {
      const keys = all(p);
      assert.ok(keys, `interface ${name} extends ${p}, which is declared`);
      return keys;
    })];
  };
  return Object.fromEntries(Object.keys(own).map((n) => [n, all(n)]));
}

const decl = interfaces(readFileSync(path.join(PKG, 'index.d.ts'), 'utf8'));
const report = analyze(readFileSync(SAMPLE));
const tend = Tend.load(readFileSync(SAMPLE));

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

test("the engine's answers match index.d.ts", () => {
  const s = tend.summary();
  same(s, 'Summary', 'summary()');
  same(s.input, 'InputSummary', 'summary().input');
  same(s.input.orders, 'TableCounts', 'summary().input.orders');
  same(s.models, 'ModelsSummary', 'summary().models');
  same(s.portfolio, 'Portfolio', 'summary().portfolio');
  same(s.owners[0], 'OwnerCard', 'summary().owners[0]');
  const wl = tend.worklist({ limit: 1 });
  same(wl, 'Page', 'worklist()');
  same(wl.items[0], 'WorkItem', 'worklist().items[0]');
  for (const w of tend.worklist({ limit: 10000 }).items) same(w, 'WorkItem', `a ${w.kind} worklist item`);
  const rows = tend.customers({ limit: 10000 });
  same(rows, 'Page', 'customers()');
  for (const c of rows.items) same(c, 'CustomerRow', `customers() row ${c.id}`);
  const flags = tend.flags({ limit: 10000 });
  same(flags, 'Page', 'flags()');
  for (const f of flags.items) same(f, 'FlagItem', `a ${f.kind} flag item`);
  const snoozed = someWith(flags.items, (f) => f.snooze, 'a snoozed flag item');
  same(snoozed.snooze, 'SnoozeInfo', 'flags() snooze');
  same(tend.customer(report.customers[0].id), 'CustomerReport', 'customer(id)');
  const rej = tend.rejected({ limit: 1 });
  same(rej, 'RejectedPage', 'rejected()');
  same(rej.items[0], 'Rejection', 'rejected().items[0]');
  const models = tend.models();
  assert.ok(models, 'the sample has a buying model');
  same(models, 'StoredModels', 'models()');
  same(models.buying, 'StoredFit', 'models().buying');

  const records = tend.records(report.customers[0].id);
  same(records, 'ExportedRecords', 'records(id)');
  const exported = tend.export();
  same(exported, 'ExportedRecords', 'export()');
  const table = { customers: 'ExportedCustomer', orders: 'ExportedOrder', contacts: 'ExportedContact', complaints: 'ExportedComplaint',
    promises: 'ExportedPromise', feedback: 'ExportedFeedback', deliveries: 'ExportedDelivery', snoozes: 'ExportedSnooze' };
  for (const [t, name] of Object.entries(table)) {
    assert.ok(exported[t]?.length > 0, `the sample's export has ${t}`);
    same(exported[t][0], name, `export().${t}[0]`);
  }

  const other = Tend.load(readFileSync(SAMPLE));
  try {
    const u = other.update({
      upsert: { orders: [{ id: 'shape-o1', customerId: report.customers[0].id, at: '2026-11-01', amount: 'x' }] },
      remove: { contacts: ['no-such-contact'] },
    });
    same(u, 'UpdateResult', 'update()');
    assert.equal(u.rejected.length, 2);
    for (const r of u.rejected) same(r, 'Rejection', `an update's rejected ${r.code} row`);
  } finally {
    other.free();
  }
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
  check('RejectionCode', report.input.rejected.map((r) => r.code));
  check('Zone', cs.map((c) => c.satisfaction.zone));
  check('FeedbackKind', cs.map((c) => c.satisfaction.zoneKind));
  check('Tier', cs.map((c) => c.value.tier));
  check('RfmSegment', cs.map((c) => c.value.rfm?.segment ?? null));
  check('Band', cs.map((c) => c.health.band));
  check('BuyingStatus', cs.map((c) => c.buying.status));
  check('Stage', cs.map((c) => c.stage));
  check('RiskLevel', cs.map((c) => c.risk.level));
  check('ActionKind', [...cs.flatMap((c) => c.actions.map((a) => a.kind)), ...report.worklist.map((w) => w.kind)]);
  const rows = tend.customers({ limit: 10000 }).items;
  check('Tier', rows.map((c) => c.tier));
  check('Stage', rows.map((c) => c.stage));
  check('Band', rows.map((c) => c.band));
  check('RiskLevel', rows.map((c) => c.risk));
  const wl = tend.worklist({ limit: 10000 }).items;
  check('Tier', wl.map((w) => w.tier));
  check('Band', wl.map((w) => w.band));
  check('RiskLevel', wl.map((w) => w.risk));
  check('NeglectKind', tend.flags({ limit: 10000 }).items.map((f) => f.kind));
});

test('the interface reader follows extends', () => {
  const d = interfaces('export interface A {\n  a: number;\n}\nexport interface B<T> extends A {\n  b?: T;\n}\n');
  assert.deepEqual(d, { A: ['a'], B: ['b', 'a'] });
});
