// The engine of the built package (`Tend.load()` in pkg/core.js): every answer equals the
// report of a fresh `analyze()` of the same records — on the sample, on generated exports, on
// CSV, after updates, at another instant — filters and sorts equal the report's items filtered
// and sorted here in JavaScript, and errors are `TendError`s. Run `make build` first.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ROOT, SAMPLE, AS_OF, smallExport } from './helpers.mjs';

const { Tend, analyze, TendError, isTendError } = await import('../../pkg/index.js');

const TABLES = ['customers', 'orders', 'contacts', 'complaints', 'promises', 'feedback', 'deliveries', 'snoozes'];
const NEGLECT = ['unreturned_contact', 'broken_promise', 'complaint_no_response', 'complaint_overdue', 'complaint_no_update', 'no_outreach', 'no_feedback', 'delivery_failure'];
const SEVERITY = ['low', 'medium', 'high', 'critical'];
const TIER = ['A', 'B', 'C'];
const BAND = ['green', 'amber', 'red'];
const STAGE = ['awareness', 'exploration', 'expansion', 'commitment', 'dissolution'];
const RISK = ['low', 'medium', 'high', 'critical'];
const WORKLIST_SORTS = ['priority', 'overdue', 'uplift', 'severity', 'customer', 'kind', 'owner'];
const CUSTOMER_SORTS = ['priority', 'id', 'name', 'owner', 'tier', 'stage', 'health', 'band', 'trend', 'risk', 'riskScore', 'openFlags', 'actions', 'revenue12m'];

// ───────────────────────────── data ─────────────────────────────

const sampleEnv = JSON.parse(readFileSync(SAMPLE, 'utf8'));
const sampleOpts = { asOf: sampleEnv.asOf, policy: sampleEnv.policy };

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tend-engine-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A random export from tools/gen-sample.mjs (an envelope with asOf and policy). */
function generated(seed, customers = 400) {
  const out = path.join(tmp, `gen-${seed}.json`);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'tools/gen-sample.mjs'), '--seed', String(seed), '--customers', String(customers), '--out', out, '--no-csv'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(readFileSync(out, 'utf8'));
}

// [name, the source, options for both Tend.load() and analyze()]
const DATASETS = [
  ['the sample', () => sampleEnv, undefined],
  ['generated export, seed 3', () => generated(3), undefined],
  ['generated export, seed 11', () => generated(11), undefined],
  [
    'generated export, seed 5, another timezone, six workdays, holidays, another asOf',
    () => generated(5),
    { asOf: '2026-11-21T03:00:00-05:00', policy: { timezone: '-05:00', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], holidays: ['2026-11-11', '2026-11-19'], returnContactWithin: 2 } },
  ],
];

/** Every page of a query, `limit` at a time. */
function pages(fetch, limit, query = {}) {
  const items = [];
  let total = null;
  for (let offset = 0; ; offset += limit) {
    const page = fetch({ ...query, offset, limit });
    if (total === null) total = page.total;
    assert.equal(page.total, total, 'the total is the same on every page');
    assert.ok(page.items.length <= limit, 'a page holds at most `limit` items');
    items.push(...page.items);
    if (page.items.length < limit) break;
  }
  assert.equal(items.length, total, 'the pages hold `total` items');
  return items;
}

const all = (fetch, query = {}) => fetch({ ...query, offset: 0, limit: 10000 }).items;

/** Two lists are equal; on failure, says where they first differ (not both whole lists). */
function sameList(actual, expected, what) {
  assert.ok(Array.isArray(actual), `${what}: not an array`);
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (!isDeepStrictEqual(actual[i], expected[i])) {
      const show = (x) => (x === undefined ? '(none)' : JSON.stringify(x));
      assert.fail(`${what}: ${actual.length} items, expected ${expected.length}; the first difference is at ${i}:\n  got      ${show(actual[i])}\n  expected ${show(expected[i])}`);
    }
  }
}

/** A set of ids is empty; on failure, names a few. */
function noIds(ids, what) {
  if (ids.length) assert.fail(`${what}: ${ids.length} customers, e.g. ${ids.slice(0, 8).join(', ')}`);
}

// ───────────────────────────── the report filtered and sorted in JavaScript ─────────────────────────────

const oneOf = (f, v) => (Array.isArray(f) ? f.includes(v) : f === v);
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function parseSort(sort, natural) {
  if (!sort) return null;
  const [field, dir] = sort.split(':');
  return { field, desc: dir === undefined ? natural.includes(field) : dir === 'desc', explicit: dir !== undefined };
}

/** Stable sort (Array.prototype.sort is stable) by `key`, descending if `desc`. */
function sortBy(items, key, desc) {
  return [...items].sort((a, b) => (desc ? cmp(key(b), key(a)) : cmp(key(a), key(b))));
}

function customerFilter(c, q) {
  const needle = q.search?.toLowerCase();
  return (
    (q.tier === undefined || oneOf(q.tier, c.value.tier)) &&
    (q.band === undefined || oneOf(q.band, c.health.band)) &&
    (q.risk === undefined || oneOf(q.risk, c.risk.level)) &&
    (needle === undefined || c.id.toLowerCase().includes(needle) || (c.name ?? '').toLowerCase().includes(needle))
  );
}

const byOwner = (owner, q) => q.owner === undefined || (owner ?? '') === q.owner;

function expectedWorklist(report, q) {
  const byId = new Map(report.customers.map((c) => [c.id, c]));
  const items = report.worklist.filter((w) => byOwner(w.owner, q) && (q.kind === undefined || oneOf(q.kind, w.kind)) && customerFilter(byId.get(w.customerId), q));
  const s = parseSort(q.sort, ['priority', 'overdue', 'uplift', 'severity']);
  if (!s || (s.field === 'priority' && s.desc)) return items;
  const key = {
    priority: (w) => w.priority,
    overdue: (w) => w.overdue ?? -1,
    uplift: (w) => w.uplift,
    severity: (w) => SEVERITY.indexOf(w.severity),
    customer: (w) => (w.customerName ?? '').toLowerCase(),
    kind: (w) => w.kind,
    owner: (w) => w.owner ?? '',
  }[s.field];
  return sortBy(items, key, s.desc);
}

/** A customers-list row from the customer's report. */
function rowOf(c) {
  return {
    id: c.id,
    name: c.name,
    owner: c.owner,
    tier: c.value.tier,
    stage: c.stage,
    health: c.health.score,
    band: c.health.band,
    trend: c.health.trend,
    risk: c.risk.level,
    riskScore: c.risk.score,
    openFlags: c.neglect.filter((f) => !f.snoozed).length,
    actions: c.actions.length,
    revenue12m: c.value.revenue12m,
    priority: c.priority,
    lapseAt: c.buying.lapseAt,
  };
}

function expectedCustomers(report, q) {
  const rows = report.customers.filter((c) => byOwner(c.owner, q) && (q.stage === undefined || oneOf(q.stage, c.stage)) && customerFilter(c, q)).map(rowOf);
  const s = parseSort(q.sort ?? 'priority', ['priority', 'risk', 'riskScore', 'openFlags', 'actions', 'revenue12m']);
  const key = {
    priority: (r) => r.priority,
    id: (r) => r.id,
    name: (r) => (r.name ?? '').toLowerCase(),
    owner: (r) => r.owner ?? '',
    tier: (r) => TIER.indexOf(r.tier),
    stage: (r) => STAGE.indexOf(r.stage),
    health: (r) => r.health,
    band: (r) => BAND.indexOf(r.band),
    trend: (r) => r.trend ?? 0,
    risk: (r) => r.riskScore,
    riskScore: (r) => r.riskScore,
    openFlags: (r) => r.openFlags,
    actions: (r) => r.actions,
    revenue12m: (r) => r.revenue12m,
  }[s.field];
  // The report's customers are in id order: ties stay in id order.
  return sortBy(rows, key, s.desc);
}

function expectedFlags(report, q = {}) {
  const items = report.customers
    .filter((c) => customerFilter(c, q))
    .flatMap((c) => c.neglect.map((f) => ({ customerId: c.id, customerName: c.name, ...f })))
    .filter((f) => byOwner(f.owner, q) && (q.kind === undefined || oneOf(q.kind, f.kind)));
  return items.sort(
    (a, b) =>
      (a.owner === null) - (b.owner === null) ||
      cmp(a.owner ?? '', b.owner ?? '') ||
      b.overdue - a.overdue ||
      cmp(a.customerId, b.customerId) ||
      NEGLECT.indexOf(a.kind) - NEGLECT.indexOf(b.kind),
  );
}

/** The report as the engine's answers must give it after updates: `input` aside (a fresh
 * analysis of `export()` has no rejected rows), and the models' source and reason (given vs
 * fitted); a spend model that did not converge is reported by the engine but not used. */
function comparable(report) {
  const { input, ...rest } = report;
  const { source, reason, ...models } = report.models;
  if (models.spend && !models.spend.converged) models.spend = null;
  return { ...rest, models };
}

/** Ids of the customers whose report differs between two reports (added and removed ones
 * included). */
function differing(a, b) {
  const before = new Map(a.customers.map((c) => [c.id, JSON.stringify(c)]));
  const after = new Map(b.customers.map((c) => [c.id, JSON.stringify(c)]));
  return [...new Set([...before.keys(), ...after.keys()])].filter((id) => before.get(id) !== after.get(id)).sort();
}

/** Ids of the customers whose row of the customers list or worklist items differ. */
function differingRows(a, b) {
  const key = (r) => new Map(r.customers.map((c) => [c.id, JSON.stringify([rowOf(c), r.worklist.filter((w) => w.customerId === c.id)])]));
  const x = key(a);
  const y = key(b);
  return [...new Set([...x.keys(), ...y.keys()])].filter((id) => x.get(id) !== y.get(id)).sort();
}

// ───────────────────────────── checks shared by every engine ─────────────────────────────

/** The engine's answers agree with `expected`, a report of the same records. */
function checkAnswers(tend, expected) {
  for (const c of expected.customers) assert.deepEqual(tend.customer(c.id), c, `customer(${c.id})`);
  assert.equal(tend.customer('no such customer'), null);

  sameList(pages((q) => tend.worklist(q), 7), expected.worklist, 'the worklist paged by 7 equals report().worklist');

  const rows = pages((q) => tend.customers(q), 7);
  sameList(rows, expectedCustomers(expected, {}), 'the customers list paged by 7, by priority');
  assert.equal(new Set(rows.map((r) => r.id)).size, expected.customers.length, 'every customer once');
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1], rows[i]];
    assert.ok(a.priority > b.priority || (a.priority === b.priority && a.id < b.id), `priority order at ${i}`);
  }

  sameList(pages((q) => tend.flags(q), 7), expectedFlags(expected), 'the flags paged by 7');
}

/** summary() has the report's figures. */
function checkSummary(tend, report, { updates = 0 } = {}) {
  const s = tend.summary();
  assert.equal(s.asOf, report.asOf);
  assert.equal(s.customers, report.customers.length);
  assert.equal(s.actions, report.worklist.length);
  assert.deepEqual(s.portfolio, report.portfolio);
  assert.deepEqual(s.owners, report.owners);
  for (const t of TABLES) {
    assert.deepEqual(s.input[t], report.input[t], `summary().input.${t}`);
    const n = s.input[t];
    assert.equal(n.received, n.used + n.rejected + n.future, `${t}: received = used + rejected + future`);
  }
  assert.equal(s.input.rejected, report.input.rejected.length);
  assert.equal(s.input.warnings, report.input.warnings.length);
  const { fittedAt, updatesSinceFit, ...models } = s.models;
  assert.deepEqual(models, report.models);
  assert.equal(s.updates, updates);
  return { fittedAt, updatesSinceFit };
}

// ───────────────────────────── loads equal analyze() ─────────────────────────────

for (const [name, load, options] of DATASETS) {
  describe(name, () => {
    let env;
    let tend;
    let report;
    before(() => {
      env = load();
      tend = Tend.load(env, options);
      report = analyze(env, options);
      if (options) assert.equal(report.asOf, '2026-11-21T03:00:00-05:00');
    });
    after(() => tend.free());

    test('report() equals analyze(); customer(id) equals its entry of both', () => {
      assert.deepEqual(tend.report(), report);
      assert.ok(report.customers.length >= 300);
      checkAnswers(tend, report);
    });

    test("summary() has the report's portfolio, owners, input counts and models", () => {
      const { fittedAt, updatesSinceFit } = checkSummary(tend, report);
      assert.equal(report.models.source, 'fitted');
      assert.equal(fittedAt, report.asOf, 'fitted at asOf');
      assert.equal(updatesSinceFit, 0);
    });

    test('customers() rows agree with the report: health, band, risk, priority, tier, stage, openFlags', () => {
      const rows = new Map(all((q) => tend.customers(q)).map((r) => [r.id, r]));
      assert.equal(rows.size, report.customers.length);
      for (const c of report.customers) assert.deepEqual(rows.get(c.id), rowOf(c), `row ${c.id}`);
    });

    test("worklist items carry their customer's tier, health, band and risk", () => {
      const byId = new Map(report.customers.map((c) => [c.id, c]));
      const items = all((q) => tend.worklist(q));
      assert.ok(items.length > 0);
      for (const w of items) {
        const c = byId.get(w.customerId);
        assert.deepEqual([w.tier, w.health, w.band, w.risk, w.priority], [c.value.tier, c.health.score, c.health.band, c.risk.level, c.priority], w.customerId);
      }
    });

    test('flags() lists every neglect flag, snoozed ones included, by owner then most overdue', () => {
      const flags = all((q) => tend.flags(q));
      assert.equal(flags.length, report.customers.reduce((n, c) => n + c.neglect.length, 0));
      assert.ok(flags.some((f) => f.snoozed), 'snoozed flags are listed');
      sameList(flags, expectedFlags(report), 'flags()');
      const owners = flags.map((f) => f.owner);
      const named = [...new Set(owners.filter((o) => o !== null))];
      assert.deepEqual(named, [...named].sort(cmp), 'named owners alphabetically');
      if (owners.includes(null)) assert.equal(owners.indexOf(null), owners.length - owners.filter((o) => o === null).length, 'unassigned last');
    });
  });
}

// ───────────────────────────── filters and sorts ─────────────────────────────

describe('filters and sorts equal the report filtered and sorted in JavaScript', () => {
  let tend;
  let report;
  let owners;
  let search;
  before(() => {
    tend = Tend.load(sampleEnv);
    report = tend.report();
    owners = [...new Set(report.customers.map((c) => c.owner))];
    // A piece of a name, in another case, to search for.
    const named = report.customers.find((c) => c.name && c.name.length > 8);
    search = named.name.slice(2, 6).toUpperCase();
  });
  after(() => tend.free());

  const filters = () => [
    {},
    ...owners.map((o) => ({ owner: o ?? '' })),
    { owner: '' },
    { owner: 'Nobody By This Name' },
    ...TIER.map((tier) => ({ tier })),
    { tier: ['A', 'C'] },
    ...BAND.map((band) => ({ band })),
    { band: ['amber', 'red'] },
    ...RISK.map((risk) => ({ risk })),
    { risk: ['high', 'critical'] },
    { search },
    { search: search.toLowerCase() },
    { search: 'c01' },
    { search: 'no such text' },
    { owner: owners.find((o) => o) ?? '', tier: ['A', 'B'], risk: ['medium', 'high', 'critical'] },
  ];

  test('the filters select something and not everything', () => {
    assert.ok(owners.includes(null), 'the sample has a customer without an owner');
    assert.ok(expectedCustomers(report, { search }).length > 0, `searching \`${search}\` finds a customer`);
    assert.ok(expectedCustomers(report, { search }).length < report.customers.length);
    assert.ok(expectedCustomers(report, { owner: '' }).length > 0);
  });

  test('worklist filters: owner (incl. \'\'), kind, tier, band, risk, search', () => {
    const kinds = [...new Set(report.worklist.map((w) => w.kind))];
    assert.ok(kinds.length >= 3);
    for (const q of [...filters(), ...kinds.map((kind) => ({ kind })), { kind: kinds.slice(0, 2) }, { kind: kinds[0], band: 'green' }]) {
      const page = tend.worklist({ ...q, limit: 10000 });
      const want = expectedWorklist(report, q);
      assert.equal(page.total, want.length, JSON.stringify(q));
      sameList(page.items, want, JSON.stringify(q));
    }
  });

  test('customers filters: owner (incl. \'\'), tier, band, risk, stage, search', () => {
    for (const q of [...filters(), ...STAGE.map((stage) => ({ stage })), { stage: ['commitment', 'dissolution'], tier: 'A' }]) {
      const page = tend.customers({ ...q, limit: 10000 });
      const want = expectedCustomers(report, q);
      assert.equal(page.total, want.length, JSON.stringify(q));
      sameList(page.items, want, JSON.stringify(q));
    }
  });

  test('flags filters: owner (incl. \'\'), kind, tier, band, risk, search', () => {
    for (const q of [...filters(), ...NEGLECT.map((kind) => ({ kind })), { kind: ['no_outreach', 'broken_promise'] }]) {
      const page = tend.flags({ ...q, limit: 10000 });
      const want = expectedFlags(report, q);
      assert.equal(page.total, want.length, JSON.stringify(q));
      sameList(page.items, want, JSON.stringify(q));
    }
  });

  for (const field of WORKLIST_SORTS) {
    test(`worklist sort \`${field}\`, \`${field}:asc\`, \`${field}:desc\``, () => {
      for (const sort of [field, `${field}:asc`, `${field}:desc`]) {
        for (const q of [{ sort }, { sort, tier: ['A', 'B'] }]) {
          sameList(tend.worklist({ ...q, limit: 10000 }).items, expectedWorklist(report, q), JSON.stringify(q));
        }
        sameList(pages((p) => tend.worklist(p), 7, { sort }), expectedWorklist(report, { sort }), `${sort} paged by 7`);
      }
      const asc = tend.worklist({ sort: `${field}:asc`, limit: 10000 }).items;
      const desc = tend.worklist({ sort: `${field}:desc`, limit: 10000 }).items;
      assert.notDeepEqual(asc, desc, `${field}: the two directions differ`);
    });
  }

  for (const field of CUSTOMER_SORTS) {
    test(`customers sort \`${field}\`, \`${field}:asc\`, \`${field}:desc\``, () => {
      for (const sort of [field, `${field}:asc`, `${field}:desc`]) {
        for (const q of [{ sort }, { sort, band: 'green' }]) {
          sameList(tend.customers({ ...q, limit: 10000 }).items, expectedCustomers(report, q), JSON.stringify(q));
        }
        sameList(pages((p) => tend.customers(p), 7, { sort }), expectedCustomers(report, { sort }), `${sort} paged by 7`);
      }
      const asc = tend.customers({ sort: `${field}:asc`, limit: 10000 }).items.map((r) => r.id);
      const desc = tend.customers({ sort: `${field}:desc`, limit: 10000 }).items.map((r) => r.id);
      assert.notDeepEqual(asc, desc, `${field}: the two directions differ`);
    });
  }

  test('offset and limit: defaults, 0, past the end, the maximum', () => {
    assert.equal(tend.worklist().items.length, Math.min(50, report.worklist.length), 'default limit 50');
    assert.deepEqual(tend.worklist({}).items, report.worklist.slice(0, 50));
    assert.deepEqual(tend.customers({ limit: 0 }), { total: report.customers.length, items: [] });
    assert.deepEqual(tend.worklist({ offset: 100000 }), { total: report.worklist.length, items: [] });
    assert.deepEqual(tend.worklist({ offset: 3, limit: 5 }).items, report.worklist.slice(3, 8));
    assert.equal(tend.customers({ limit: 10000 }).items.length, report.customers.length);
    // The same query twice (cached positions) and interleaved with others.
    const q = { sort: 'health:asc', band: ['green', 'amber'] };
    const a = tend.customers({ ...q, offset: 10, limit: 10 });
    tend.customers({ sort: 'name' });
    tend.worklist({ sort: 'owner' });
    assert.deepEqual(tend.customers({ ...q, offset: 10, limit: 10 }), a);
  });
});

// ───────────────────────────── CSV ─────────────────────────────

function sampleCsv() {
  const dir = path.join(path.dirname(SAMPLE), 'csv');
  const csv = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.csv')) csv[f.slice(0, -4)] = readFileSync(path.join(dir, f));
  return csv;
}

describe('CSV', () => {
  test("the sample's CSV files give the JSON sample's report (rejected rows aside, which name line and column)", () => {
    const csv = sampleCsv();
    assert.deepEqual(Object.keys(csv).sort(), [...TABLES].sort());
    const opts = { policy: { holidays: ['2026-11-11'] }, asOf: '2026-11-20T17:00:00+00:00' };
    assert.deepEqual(opts, sampleOpts, "the envelope's asOf and policy");
    const tend = Tend.load({ csv }, opts);
    try {
      const fromCsv = tend.report();
      const fromJson = analyze(sampleEnv);
      const strip = (r) => r.input.rejected.map(({ line, column, ...x }) => x);
      assert.deepEqual({ ...fromCsv, input: { ...fromCsv.input, rejected: strip(fromCsv) } }, { ...fromJson, input: { ...fromJson.input, rejected: strip(fromJson) } });
      assert.ok(fromCsv.input.rejected.length > 0);
      for (const r of fromCsv.input.rejected) {
        // The line of the file where the row starts (the sample has multi-line comments).
        const lines = new TextDecoder().decode(csv[r.table]).split(/\r?\n/);
        assert.ok(r.line >= r.index + 2, `${r.table}#${r.index} line`);
        assert.ok(lines[r.line - 1].startsWith(`${r.id},`), `${r.table}#${r.index}: line ${r.line} is \`${lines[r.line - 1]}\``);
        assert.ok(Number.isInteger(r.column) && r.column >= 1, `${r.table}#${r.index} column`);
        assert.equal(r.update, null);
      }
      assert.ok(fromCsv.input.rejected.some((r) => r.line > r.index + 2), 'a row after a multi-line cell');
      for (const r of fromJson.input.rejected) assert.deepEqual([r.line, r.column, r.update], [null, null, null], 'JSON rows have no line');
      assert.deepEqual(tend.rejected({ limit: 100 }).items, fromCsv.input.rejected);
      // Column numbers name the offending field's column in its file's header.
      for (const r of fromCsv.input.rejected) {
        const header = new TextDecoder().decode(csv[r.table]).split(/\r?\n/)[0].split(',');
        assert.equal(header[r.column - 1], r.field, `${r.table}#${r.index}: column ${r.column} is ${r.field}`);
      }
      checkAnswers(tend, fromCsv);
      // analyze() takes the same source.
      assert.deepEqual(analyze({ csv }, opts), fromCsv);
    } finally {
      tend.free();
    }
  });

  // The same small export as JSON and as CSV: quoted fields with commas, quotes and a newline,
  // CRLF and LF, a BOM, columns in another order, an unknown column, empty cells absent,
  // `|`-separated snooze kinds.
  const json = {
    customers: [
      { id: 'c,1', name: 'Acme, "Best"\nLtd', owner: 'Alice', createdAt: '2025-01-10' },
      { id: 'c2', owner: 'Bob', segment: 'smb', referredBy: 'c,1' },
      { id: 'c3', name: 'Gamma' },
    ],
    orders: [
      { id: 'o1', customerId: 'c,1', at: '2026-10-01', amount: 120.5 },
      { id: 'o2', customerId: 'c2', at: '2026-09-01T10:00:00+02:00', amount: 40 },
      { id: 'o3', customerId: 'c2', at: '2026-09-03', amount: -5, kind: 'refund' },
    ],
    contacts: [{ id: 'k1', customerId: 'c,1', at: '2026-11-19T09:30:00Z', direction: 'inbound', channel: 'call', status: 'missed' }],
    snoozes: [{ customerId: 'c3', until: '2026-12-24', reason: 'on holiday, back in January', kinds: ['no_outreach', 'no_feedback'] }],
  };
  const csv = {
    customers: '\uFEFFname,id,owner,country,createdAt,segment,referredBy\r\n"Acme, ""Best""\nLtd","c,1",Alice,FR,2025-01-10,,\r\n,c2,Bob,UK,,smb,"c,1"\r\nGamma,c3,,,,,\r\n',
    orders: 'id,customerId,at,amount,kind\r\no1,"c,1",2026-10-01,120.5,\r\no2,c2,2026-09-01T10:00:00+02:00,40,""\r\no3,c2,2026-09-03,-5,refund\r\n',
    contacts: 'id,customerId,at,direction,channel,status,owner\nk1,"c,1",2026-11-19T09:30:00Z,inbound,call,missed,\n',
    snoozes: 'customerId,until,reason,kinds\nc3,2026-12-24,"on holiday, back in January",no_outreach|no_feedback',
  };
  const opts = { asOf: AS_OF };

  test('quoted fields, CRLF, BOM, column order, unknown columns, empty cells: the same report as the JSON', () => {
    const want = analyze(json, opts);
    assert.equal(want.input.rejected.length, 0);
    const got = analyze({ csv }, opts);
    assert.deepEqual(got, want);
    assert.equal(got.customers.find((c) => c.id === 'c,1').name, 'Acme, "Best"\nLtd');
    const c2 = got.customers.find((c) => c.id === 'c2');
    assert.equal(c2.name, null, 'an empty cell is absent');
    assert.equal(c2.referredBy, 'c,1');
    assert.deepEqual(got.input.snoozes, { received: 1, used: 1, rejected: 0, future: 0 });
    const t = Tend.load({ csv }, opts);
    assert.deepEqual(t.export().snoozes, [{ id: null, customerId: 'c3', until: '2026-12-24T00:00:00+00:00', reason: 'on holiday, back in January', kinds: ['no_outreach', 'no_feedback'] }]);
    assert.deepEqual(t.export().orders.map((o) => o.kind), ['sale', 'sale', 'refund'], 'an empty kind is absent: a sale');
    t.free();
    // Bytes, an ArrayBuffer and text give the same.
    const enc = (s) => new TextEncoder().encode(s);
    assert.deepEqual(analyze({ csv: { customers: enc(csv.customers), orders: enc(csv.orders).buffer, contacts: Buffer.from(csv.contacts), snoozes: csv.snoozes } }, opts), want);
    // An absent table is not recorded; null and undefined count as absent.
    assert.deepEqual(analyze({ csv: { ...csv, orders: null, feedback: undefined } }, opts), analyze({ ...json, orders: undefined }, opts));
  });

  test('a bad cell rejects its row, naming its line and column (multi-line cells counted)', () => {
    const t = Tend.load(
      {
        csv: {
          customers: 'id,name,createdAt\r\nc1,"two\r\nlines",2025-01-01\r\nc2,Beta,2025-13-01\r\nc3,Gamma,\r\n',
          orders: 'id,customerId,at,amount\no1,c1,2026-01-01,12\no2,c1,2026-01-02,abc\no3,nobody,2026-01-03,5\no4,c2,2026-01-04,5\n',
          feedback: 'id,customerId,at,kind,score\nf1,c1,2026-01-01,nps,11\nf2,c1,2026-01-01,nps\n',
        },
      },
      opts,
    );
    try {
      const pick = (r) => [r.table, r.index, r.id, r.field, r.code, r.line, r.column];
      assert.deepEqual(t.rejected().items.map(pick), [
        ['customers', 1, 'c2', 'createdAt', 'invalid_date', 4, 3],
        ['orders', 1, 'o2', 'amount', 'invalid_number', 3, 4],
        ['orders', 2, 'o3', 'customerId', 'unknown_customer', 4, 2],
        ['orders', 3, 'o4', 'customerId', 'unknown_customer', 5, 2],
        ['feedback', 0, 'f1', 'score', 'out_of_range', 2, 5],
        ['feedback', 1, 'f2', null, 'invalid_row', 3, null],
      ]);
      const s = t.summary().input;
      assert.deepEqual(s.orders, { received: 4, used: 1, rejected: 3, future: 0 });
      assert.deepEqual(t.export().customers.map((c) => [c.id, c.name]), [['c1', 'two\r\nlines'], ['c3', 'Gamma']]);
      assert.match(t.rejected().items[4].reason, /`11`/);
    } finally {
      t.free();
    }
  });

  test('a missing required column, an empty file, a missing customers file: TendError invalid_input at csv.<table>', () => {
    const cases = [
      [{ customers: 'name\nAcme\n' }, 'csv.customers', /`id`/],
      [{ customers: 'id\nc1\n', orders: 'id,customerId,at\no1,c1,2026-01-01\n' }, 'csv.orders', /`amount`/],
      [{ customers: 'id\nc1\n', contacts: 'id,customerId,at,channel\n' }, 'csv.contacts', /`direction`/],
      [{ customers: '' }, 'csv.customers', /empty/],
      [{ customers: 'id,id\na,b\n' }, 'csv.customers', /twice/],
      [{ orders: 'id,customerId,at,amount\n' }, 'csv.customers', /required/],
    ];
    for (const [files, where, message] of cases) {
      const e = throwsTend(() => Tend.load({ csv: files }, opts), 'invalid_input', where);
      assert.match(e.message, message);
      throwsTend(() => analyze({ csv: files }, opts), 'invalid_input', where);
    }
  });

  test('CSV source errors name the same paths as the core (csv, csv.<table>)', () => {
    throwsTend(() => Tend.load({ csv: 'customers.csv' }, opts), 'invalid_input', 'csv');
    throwsTend(() => Tend.load({ csv: null }, opts), 'invalid_input', 'csv');
    throwsTend(() => Tend.load({ csv: { customers: 'id\n1\n', invoices: 'id\n' } }, opts), 'invalid_input', 'csv.invoices');
    throwsTend(() => Tend.load({ csv: { customers: 42 } }, opts), 'invalid_input', 'csv.customers');
  });
});

// ───────────────────────────── updates ─────────────────────────────

function throwsTend(fn, code, where) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected a TendError ${code} at ${where}`);
  assert.ok(err instanceof TendError, `expected a TendError, got ${err?.constructor?.name}: ${err?.message}`);
  assert.ok(isTendError(err));
  assert.equal(err.code, code, err.message);
  assert.equal(err.path, where, err.message);
  assert.match(err.message, /^[a-z]/);
  return err;
}

/** A sequence of updates touching every table, on the sample. */
function updates(report) {
  const ids = report.customers.map((c) => c.id);
  const records = (t) => t.export();
  return [
    {
      what: 'a new customer with rows in every table',
      changes: {
        upsert: {
          customers: [{ id: 'NEW-1', name: 'Newcomer Trading', owner: 'Zoe Update', createdAt: '2025-02-01', segment: 'smb', referredBy: ids[0] }],
          orders: [
            { id: 'NEW-O1', customerId: 'NEW-1', at: '2025-06-01', amount: 1200 },
            { id: 'NEW-O2', customerId: 'NEW-1', at: '2026-02-01', amount: 3400 },
            { id: 'NEW-O3', customerId: 'NEW-1', at: '2026-07-15T10:00:00+02:00', amount: 2800 },
            { id: 'NEW-O4', customerId: 'NEW-1', at: '2026-08-01', amount: -300, kind: 'refund' },
          ],
          contacts: [
            { id: 'NEW-K1', customerId: 'NEW-1', at: '2026-11-17T09:00:00Z', direction: 'inbound', channel: 'call', status: 'missed' },
            { id: 'NEW-K2', customerId: 'NEW-1', at: '2026-06-01T09:00:00Z', direction: 'outbound', channel: 'email', owner: 'Zoe Update' },
          ],
          complaints: [{ id: 'NEW-Q1', customerId: 'NEW-1', openedAt: '2026-11-02', severity: 'high', category: 'billing' }],
          promises: [{ id: 'NEW-P1', customerId: 'NEW-1', madeAt: '2026-11-02', dueAt: '2026-11-10', owner: 'Carla Update', text: 'Send the credit note' }],
          feedback: [{ id: 'NEW-F1', customerId: 'NEW-1', at: '2026-11-03', kind: 'nps', score: 3, comment: 'billing mess' }],
          deliveries: [{ id: 'NEW-D1', customerId: 'NEW-1', promisedAt: '2026-11-05', problem: 'damaged', deliveredAt: '2026-11-06' }],
          snoozes: [{ id: 'NEW-S1', customerId: 'NEW-1', until: '2026-12-15', reason: 'waiting for the audit', kinds: ['complaint_no_update'] }],
        },
      },
      changed: (c) => c.includes('NEW-1'),
      rejected: [],
    },
    {
      what: 'rows replaced, a customer renamed and moved to another owner',
      changes: (t) => {
        const r = records(t);
        const order = r.orders.find((o) => o.customerId === ids[5]);
        const contact = r.contacts.find((k) => k.customerId === ids[6]);
        const complaint = r.complaints.find((q) => q.resolvedAt === null) ?? r.complaints[0];
        const promise = r.promises.find((p) => p.customerId === ids[8]) ?? r.promises[0];
        const feedback = r.feedback.find((f) => f.customerId === ids[9]) ?? r.feedback[0];
        const delivery = r.deliveries.find((d) => d.customerId === ids[10]) ?? r.deliveries[0];
        const snooze = r.snoozes.find((s) => s.id !== null) ?? null;
        const customer = r.customers.find((c) => c.id === ids[3]);
        return {
          upsert: {
            customers: [{ ...customer, name: 'Renamed & Co', owner: 'Zoe Update' }],
            orders: [{ ...order, amount: order.amount * 10 }],
            contacts: [{ ...contact, direction: 'inbound', channel: 'call', status: 'missed', at: '2026-11-18T08:00:00Z' }],
            complaints: [{ ...complaint, resolvedAt: '2026-11-19T10:00:00Z', firstResponseAt: complaint.firstResponseAt ?? complaint.openedAt }],
            promises: [{ ...promise, dueAt: '2026-11-12', keptAt: null }],
            feedback: [{ ...feedback, kind: 'nps', score: 0, at: '2026-11-19' }],
            deliveries: [{ ...delivery, promisedAt: '2026-11-16', deliveredAt: null, problem: null }],
            snoozes: snooze ? [{ ...snooze, until: '2027-01-31' }] : [],
          },
        };
      },
      changed: (c, u) => [ids[3], ids[5], ids[6]].every((id) => c.includes(id)) && u.upsert.orders.every((o) => c.includes(o.customerId)),
      rejected: [],
    },
    {
      what: 'removals on every table, an unknown id, a rejected row',
      changes: (t) => {
        const r = records(t);
        // A row of customer `k` (else of any customer but the one removed and the new one).
        const of = (table, k) => {
          const rows = r[table].filter((x) => x.customerId !== ids[1] && x.customerId !== 'NEW-1');
          const row = rows.find((x) => x.customerId === ids[k]) ?? rows[0];
          assert.ok(row, `the sample has ${table}`);
          return row.id;
        };
        return {
          remove: {
            customers: [ids[1], 'NO-SUCH-CUSTOMER'],
            orders: [of('orders', 12), 'NO-SUCH-ORDER'],
            contacts: [of('contacts', 13)],
            complaints: [of('complaints', 15)],
            promises: [of('promises', 16)],
            feedback: [of('feedback', 17)],
            deliveries: [of('deliveries', 14)],
            snoozes: ['NEW-S1'],
          },
          upsert: {
            orders: [
              { id: 'NEW-O5', customerId: 'NEW-1', at: 'yesterday', amount: 10 },
              { id: 'NEW-O6', customerId: ids[1], at: '2026-11-01', amount: 10 },
              { id: 'NEW-O7', customerId: 'NEW-1', at: '2026-11-12', amount: 999 },
            ],
            feedback: [{ id: 'NEW-F2', customerId: 'NEW-1', at: '2026-11-12', kind: 'csat', score: 9 }],
          },
        };
      },
      changed: (c) => c.includes(ids[1]) && c.includes('NEW-1') && c.includes(ids[12]) && c.includes(ids[13]),
      rejected: [
        ['customers', 1, 'NO-SUCH-CUSTOMER', 'id', 'not_found'],
        ['orders', 1, 'NO-SUCH-ORDER', 'id', 'not_found'],
        ['orders', 0, 'NEW-O5', 'at', 'invalid_date'],
        ['orders', 1, 'NEW-O6', 'customerId', 'unknown_customer'],
        ['feedback', 0, 'NEW-F2', 'score', 'out_of_range'],
      ],
    },
    {
      what: 'a removed customer added again, rows for it, a future row',
      changes: (t) => ({
        upsert: {
          customers: [{ id: ids[1], name: 'Back Again', owner: null }],
          orders: [
            { id: 'BACK-O1', customerId: ids[1], at: '2026-10-01', amount: 50 },
            { id: 'BACK-O2', customerId: ids[1], at: '2027-03-01', amount: 70 },
          ],
          snoozes: [{ customerId: ids[1], until: '2026-12-01', reason: 'new contract being signed' }],
        },
        remove: { contacts: [t.export().contacts.find((k) => k.customerId === 'NEW-1').id] },
      }),
      changed: (c) => c.includes(ids[1]) && c.includes('NEW-1'),
      rejected: [],
    },
    {
      what: 'the new customer removed',
      changes: { remove: { customers: ['NEW-1'] } },
      changed: (c) => c.includes('NEW-1') && c.includes(ids[0]),
      rejected: [],
    },
  ];
}

describe('updates', () => {
  test('after each update the answers equal a fresh analyze() of export() with models()', () => {
    const tend = Tend.load(sampleEnv);
    try {
      let previous = tend.report();
      const loadRejected = previous.input.rejected;
      const allRejected = [...loadRejected];
      updates(previous).forEach((step, i) => {
        const n = i + 1;
        const changes = typeof step.changes === 'function' ? step.changes(tend) : step.changes;
        const result = tend.update(changes);
        assert.deepEqual(Object.keys(result).sort(), ['changed', 'rejected', 'rejectedOmitted'], step.what);
        assert.deepEqual(result.changed, [...result.changed].sort(), `${step.what}: changed is sorted`);
        assert.equal(new Set(result.changed).size, result.changed.length, `${step.what}: changed has no duplicates`);
        assert.ok(step.changed(result.changed, changes), `${step.what}: changed ${JSON.stringify(result.changed)}`);
        assert.deepEqual(result.rejected.map((r) => [r.table, r.index, r.id, r.field, r.code]), step.rejected, `${step.what}: rejected`);
        for (const r of result.rejected) assert.deepEqual([r.update, r.line, r.column], [n, null, null], `${step.what}: update number`);
        allRejected.push(...result.rejected);

        const mine = tend.report();
        const fresh = analyze(tend.export(), { ...sampleOpts, models: tend.models() });
        assert.deepEqual(comparable(mine), comparable(fresh), `${step.what}: report() equals a fresh analysis`);
        assert.equal(fresh.input.rejected.length, 0, 'export() holds accepted rows only');
        assert.deepEqual(mine.input.rejected, allRejected, `${step.what}: the report lists the load's and every update's rejected rows`);
        assert.deepEqual(pages((q) => tend.rejected(q), 4), allRejected, `${step.what}: rejected() pages`);
        const rows = differingRows(previous, mine);
        for (const id of rows) assert.ok(result.changed.includes(id), `${step.what}: ${id}'s row or worklist items changed, so it is in \`changed\``);
        checkAnswers(tend, fresh);
        const { updatesSinceFit, fittedAt } = checkSummary(tend, mine, { updates: n });
        assert.equal(updatesSinceFit, n);
        assert.equal(fittedAt, mine.asOf);
        previous = mine;
      });
      assert.equal(tend.customer('NEW-1'), null, 'the removed customer is gone');
      assert.equal(tend.records('NEW-1'), null);
      assert.equal(tend.summary().customers, sampleEnv.data.customers.length);
    } finally {
      tend.free();
    }
  });

  test("update().changed names every customer whose list row, worklist items or flags changed; the others' reports differ only in figures relative to the portfolio", () => {
    const tend = Tend.load(sampleEnv);
    // A customer's share of revenue, the share of those above it and its RFM quintiles move
    // with every other customer's orders: they are the only part of a report that may change
    // without the customer being named.
    const own = (c) => ({ ...c, value: { ...c.value, revenueShare: null, shareAbove: null, rfm: c.value.rfm && { ...c.value.rfm, r: null, f: null, m: null, segment: null } } });
    try {
      let previous = tend.report();
      let named = 0;
      for (const step of updates(previous)) {
        const changes = typeof step.changes === 'function' ? step.changes(tend) : step.changes;
        const { changed } = tend.update(changes);
        named += changed.length;
        const now = tend.report();
        const missing = differingRows(previous, now).filter((id) => !changed.includes(id));
        noIds(missing, `${step.what}: customers whose row or worklist items changed but are not in \`changed\``);
        const flagsMoved = now.customers.filter((c) => {
          const p = previous.customers.find((x) => x.id === c.id);
          return p && JSON.stringify(p.neglect) !== JSON.stringify(c.neglect) && !changed.includes(c.id);
        });
        noIds(flagsMoved.map((c) => c.id), `${step.what}: customers whose flags changed but are not in \`changed\``);
        const others = differing(previous, now).filter((id) => !changed.includes(id));
        for (const id of others) {
          const [p, c] = [previous.customers.find((x) => x.id === id), now.customers.find((x) => x.id === id)];
          assert.deepEqual(own(c), own(p), `${step.what}: ${id} changed beyond its portfolio-relative figures`);
        }
        previous = now;
      }
      assert.ok(named > 0, 'the updates named someone');
    } finally {
      tend.free();
    }
  });

  test('records(id) is the customer\'s rows of export(); a replaced row is replaced, a removed one gone', () => {
    const tend = Tend.load(sampleEnv);
    try {
      const id = sampleEnv.data.customers[2].id;
      const mine = tend.records(id);
      const exported = tend.export();
      const time = { orders: 'at', contacts: 'at', complaints: 'openedAt', promises: 'madeAt', feedback: 'at', deliveries: 'promisedAt', snoozes: 'until' };
      for (const c of sampleEnv.data.customers) {
        const rows = tend.records(c.id);
        for (const [t, k] of Object.entries(time)) {
          const at = (rows[t] ?? []).map((r) => Date.parse(r[k]));
          assert.ok(at.every((x, i) => i === 0 || at[i - 1] <= x), `records(${c.id}).${t} oldest first`);
        }
      }
      assert.deepEqual(mine.customers, exported.customers.filter((c) => c.id === id));
      for (const t of TABLES.slice(1)) {
        const want = exported[t].filter((r) => r.customerId === id);
        assert.deepEqual([...(mine[t] ?? [])].sort((a, b) => cmp(a.id ?? '', b.id ?? '')), want.sort((a, b) => cmp(a.id ?? '', b.id ?? '')), `records(${id}).${t}`);
      }
      const order = mine.orders[0];
      tend.update({ upsert: { orders: [{ ...order, amount: 1234.5 }] } });
      const after = tend.records(id).orders;
      assert.equal(after.length, mine.orders.length, 'a row with a known id replaces it');
      assert.equal(after.find((o) => o.id === order.id).amount, 1234.5);
      tend.update({ remove: { orders: [order.id] } });
      assert.equal(tend.records(id).orders.length, mine.orders.length - 1);
      assert.ok(!tend.export().orders.some((o) => o.id === order.id));
    } finally {
      tend.free();
    }
  });

  test('received = used + rejected + future per table after updates; rejected() lists each update\'s rows with its number', () => {
    const tend = Tend.load(smallExport(), { asOf: AS_OF });
    try {
      const load = tend.rejected().items;
      assert.equal(load.length, 1);
      const a = tend.update({ upsert: { orders: [{ id: 'x1', customerId: 'c1', at: 'nope', amount: 1 }, { id: 'x2', customerId: 'c1', at: '2027-06-01', amount: 1 }] } });
      const b = tend.update({ remove: { contacts: ['k404'], snoozes: ['no-id'] }, upsert: { feedback: [{ id: 'f9', customerId: 'c3', at: '2026-11-01', kind: 'ces', score: 0 }] } });
      const c = tend.update({});
      assert.deepEqual(c, { changed: [], rejected: [], rejectedOmitted: 0 }, 'an empty update changes nothing');
      assert.deepEqual(a.rejected.map((r) => [r.table, r.code, r.update]), [['orders', 'invalid_date', 1]]);
      assert.deepEqual(b.rejected.map((r) => [r.table, r.id, r.code, r.update]), [['contacts', 'k404', 'not_found', 2], ['snoozes', 'no-id', 'not_found', 2], ['feedback', 'f9', 'out_of_range', 2]]);
      assert.deepEqual(tend.rejected().items, [...load, ...a.rejected, ...b.rejected]);
      assert.deepEqual(tend.rejected({ offset: 1, limit: 2 }).items, [...a.rejected, ...b.rejected].slice(0, 2));
      assert.equal(tend.rejected({ limit: 1 }).total, 5);
      const s = tend.summary();
      assert.equal(s.updates, 2, 'an empty update is not counted');
      assert.equal(s.models.updatesSinceFit, 2);
      assert.equal(s.input.rejected, 5);
      for (const t of TABLES) {
        const n = s.input[t];
        assert.equal(n.received, n.used + n.rejected + n.future, t);
      }
      assert.deepEqual(s.input.orders, { received: 5, used: 1, rejected: 2, future: 2 });
    } finally {
      tend.free();
    }
  });

  test('an update that cannot be read throws TendError and changes nothing', () => {
    const tend = Tend.load(smallExport(), { asOf: AS_OF });
    try {
      const before = tend.report();
      const cases = [
        [5, 'update'],
        ['{', 'update'],
        [[], 'update'],
        [{ upsert: 5 }, 'update.upsert'],
        [{ remove: [] }, 'update.remove'],
        [{ upsert: { invoices: [] } }, 'update.upsert.invoices'],
        [{ remove: { invoices: ['x'] } }, 'update.remove.invoices'],
        [{ remove: { orders: 'o1' } }, 'update.remove.orders'],
        [{ upsert: { orders: [{ id: 'ok', customerId: 'c1', at: '2026-11-01', amount: 5 }] }, bogus: 1 }, 'update.bogus'],
      ];
      for (const [changes, where] of cases) throwsTend(() => tend.update(changes), 'invalid_input', where);
      const cyclic = {};
      cyclic.self = cyclic;
      throwsTend(() => tend.update(cyclic), 'invalid_input', 'update.self');
      assert.deepEqual(tend.report(), before);
      assert.equal(tend.summary().updates, 0);
    } finally {
      tend.free();
    }
  });
});

// ───────────────────────────── at, refit, models ─────────────────────────────

describe('at(), refit(), models()', () => {
  test('at(asOf) equals analyze() at that instant, and leaves the engine as it was', () => {
    const tend = Tend.load(sampleEnv);
    try {
      const now = tend.report();
      for (const asOf of ['2026-10-20T17:00:00+00:00', new Date('2026-06-01T08:00:00Z'), '2026-11-20']) {
        const then = tend.at(asOf);
        try {
          const want = analyze(sampleEnv, { ...sampleOpts, asOf });
          assert.deepEqual(then.report(), want, String(asOf));
          checkAnswers(then, want);
          checkSummary(then, want);
        } finally {
          then.free();
        }
      }
      assert.deepEqual(tend.report(), now);
    } finally {
      tend.free();
    }
  });

  test('at() after updates equals analyze() of export() at that instant; the two engines stay apart', () => {
    const tend = Tend.load(sampleEnv);
    try {
      const [first, second] = updates(tend.report());
      tend.update(first.changes);
      const then = tend.at('2026-11-01T12:00:00Z');
      try {
        const want = analyze(tend.export(), { ...sampleOpts, asOf: '2026-11-01T12:00:00Z' });
        assert.deepEqual(comparable(then.report()), comparable(want));
        const thenBefore = then.report();
        tend.update(second.changes(tend));
        assert.deepEqual(then.report(), thenBefore, "an update of the parent does not reach the engine at() gave");
        then.update({ remove: { customers: ['NEW-1'] } });
        assert.ok(tend.customer('NEW-1'), "nor the other way round");
        assert.equal(then.customer('NEW-1'), null);
      } finally {
        then.free();
      }
      assert.ok(tend.report().customers.length > 0, 'the parent works after the child is freed');
    } finally {
      tend.free();
    }
  });

  test('given models: used as given, kept by at(), reported with source options; models: false', () => {
    const base = Tend.load(sampleEnv);
    const models = base.models();
    base.free();
    assert.ok(models && models.buying && models.timeUnit === 'week');
    const tend = Tend.load(sampleEnv, { models });
    try {
      assert.deepEqual(tend.report(), analyze(sampleEnv, { models }));
      const s = tend.summary().models;
      assert.equal(s.source, 'options');
      assert.equal(s.fittedAt, null);
      assert.deepEqual(tend.models(), models);
      const then = tend.at('2026-09-01T00:00:00Z');
      assert.deepEqual(then.report(), analyze(sampleEnv, { models, asOf: '2026-09-01T00:00:00Z' }));
      assert.deepEqual(then.models(), models, 'at() keeps the given model');
      then.free();
    } finally {
      tend.free();
    }
    const none = Tend.load(sampleEnv, { models: false });
    try {
      assert.equal(none.models(), false);
      const r = none.report();
      assert.deepEqual(r, analyze(sampleEnv, { models: false }));
      assert.equal(r.models.buying, null);
      assert.ok(r.customers.every((c) => c.buying.pAlive === null && c.value.clv === null));
      const then = none.at('2026-09-01');
      assert.deepEqual(then.models(), false);
      then.free();
    } finally {
      none.free();
    }
  });

  test('models() given back as options.models is used exactly (every digit of every parameter)', () => {
    const given = { buying: { model: 'bgnbd', params: { r: 0.5, alpha: 2, a: 0.5, b: 11.829643277166321 } }, spend: null, timeUnit: 'week' };
    const one = Tend.load({ customers: [{ id: 'c1' }] }, { asOf: AS_OF, models: given });
    try {
      assert.equal(one.models().buying.params.b, 11.829643277166321, 'a parameter read back from options.models');
      assert.equal(one.report().models.buying.params.b, 11.829643277166321);
    } finally {
      one.free();
    }
    const env = generated(3);
    const fitted = Tend.load(env);
    const models = fitted.models();
    try {
      assert.ok(models && models.spend && models.spend.converged, 'seed 3 has a converged spend model');
      const again = Tend.load(env, { models });
      try {
        assert.deepEqual(again.models(), models);
        assert.deepEqual(comparable(again.report()), comparable(fitted.report()), 'the same answers as with the fitted models');
      } finally {
        again.free();
      }
    } finally {
      fitted.free();
    }
  });

  test('refit() fits on the current records: updatesSinceFit 0 again, answers of a fresh fit', () => {
    const tend = Tend.load(sampleEnv);
    try {
      const [first, second] = updates(tend.report());
      tend.update(first.changes);
      tend.update(second.changes(tend));
      assert.equal(tend.summary().models.updatesSinceFit, 2);
      const rejected = tend.rejected({ limit: 1000 }).items;
      tend.refit();
      const s = tend.summary();
      assert.equal(s.models.updatesSinceFit, 0);
      assert.equal(s.models.fittedAt, s.asOf);
      assert.equal(s.models.source, 'fitted');
      assert.equal(s.updates, 2, 'refit() is not an update');
      assert.deepEqual(tend.rejected({ limit: 1000 }).items, rejected, 'the rejected rows stay');
      const fresh = analyze(tend.export(), sampleOpts);
      assert.deepEqual(comparable(tend.report()), comparable(fresh));
      checkAnswers(tend, fresh);
      tend.update({ remove: { customers: ['NEW-1'] } });
      assert.equal(tend.summary().models.updatesSinceFit, 1);
    } finally {
      tend.free();
    }
  });

  test('refit() of an engine given models fits its own', () => {
    const base = Tend.load(sampleEnv, { models: false });
    const tend = Tend.load(sampleEnv, { models: false });
    try {
      tend.refit();
      assert.notEqual(tend.models(), false);
      assert.deepEqual(tend.report(), analyze(sampleEnv), 'as a load without options.models');
      assert.equal(base.models(), false, 'the other engine keeps its own');
    } finally {
      tend.free();
      base.free();
    }
  });
});

// ───────────────────────────── engines side by side, free(), errors ─────────────────────────────

describe('lifecycle', () => {
  test('several engines side by side stay independent', () => {
    const a = Tend.load(sampleEnv);
    const b = Tend.load(smallExport(), { asOf: AS_OF });
    const c = Tend.load(JSON.stringify(sampleEnv));
    try {
      const ra = a.report();
      const rb = b.report();
      assert.deepEqual(c.report(), ra);
      c.update({ remove: { customers: [ra.customers[0].id] } });
      b.update({ upsert: { customers: [{ id: 'c4', name: 'Delta' }] } });
      assert.deepEqual(a.report(), ra, 'updating c leaves a alone');
      assert.equal(c.customer(ra.customers[0].id), null);
      assert.equal(b.summary().customers, rb.customers.length + 1);
      assert.equal(a.summary().customers, ra.customers.length);
      a.free();
      assert.equal(c.summary().customers, ra.customers.length - 1, 'freeing a leaves c working');
      assert.equal(b.customer('c4').name, 'Delta');
      assert.equal(b.customer(2).id, '2', 'a number id is read as its decimal string');
    } finally {
      for (const t of [a, b, c]) t.free();
    }
  });

  test('after free() every method throws TendError code freed', () => {
    const tend = Tend.load(smallExport(), { asOf: AS_OF });
    assert.equal(tend.freed, false);
    tend.free();
    assert.equal(tend.freed, true);
    tend.free();
    assert.equal(tend.freed, true, 'free() twice is fine');
    const calls = {
      summary: () => tend.summary(),
      worklist: () => tend.worklist(),
      customers: () => tend.customers({ limit: 1 }),
      flags: () => tend.flags(),
      customer: () => tend.customer('c1'),
      records: () => tend.records('c1'),
      rejected: () => tend.rejected(),
      warnings: () => tend.warnings(),
      update: () => tend.update({ remove: { customers: ['c1'] } }),
      refit: () => tend.refit(),
      at: () => tend.at(AS_OF),
      report: () => tend.report(),
      export: () => tend.export(),
      models: () => tend.models(),
      drivers: () => tend.drivers(),
      driversOf: () => tend.driversOf('c1'),
      history: () => tend.history('c1'),
      changes: () => tend.changes(),
    };
    const methods = Object.getOwnPropertyNames(Tend.prototype).filter((m) => m !== 'constructor' && m !== 'free' && m !== 'freed');
    assert.deepEqual(methods.sort(), Object.keys(calls).sort(), 'every method is tried');
    for (const [name, call] of Object.entries(calls)) {
      const e = throwsTend(call, 'freed', 'engine');
      assert.match(e.message, /freed/, name);
    }
  });

  test('Tend.load errors are TendErrors with code and path; the module keeps working', () => {
    const ok = smallExport();
    const cases = [
      [() => Tend.load(42), 'invalid_input', 'data'],
      [() => Tend.load(null), 'invalid_input', 'data'],
      [() => Tend.load(undefined), 'invalid_input', 'data'],
      [() => Tend.load([]), 'invalid_input', 'data'],
      [() => Tend.load('not json'), 'invalid_input', 'data'],
      [() => Tend.load(new TextEncoder().encode('[1, 2]')), 'invalid_input', 'data'],
      [() => Tend.load({ orders: [] }), 'invalid_input', 'data.customers'],
      [() => Tend.load({ customers: 'c1' }), 'invalid_input', 'data.customers'],
      [() => Tend.load({ asOf: AS_OF, data: { customers: [] }, policy: { timezone: 'CET' } }), 'invalid_policy', 'data.policy.timezone'],
      [() => Tend.load(ok, 'tomorrow'), 'invalid_option', 'options'],
      [() => Tend.load(ok, [AS_OF]), 'invalid_option', 'options'],
      [() => Tend.load(ok, { asOf: 'yesterday' }), 'invalid_option', 'options.asOf'],
      [() => Tend.load(ok, { asOf: new Date('nope') }), 'invalid_option', 'options.asOf'],
      [() => Tend.load(ok, { asof: AS_OF }), 'invalid_option', 'options.asof'],
      [() => Tend.load(ok, { models: 5 }), 'invalid_option', 'options.models'],
      [() => Tend.load(ok, { models: true }), 'invalid_option', 'options.models'],
      [() => Tend.load(ok, { models: {} }), 'invalid_option', 'options.models.buying'],
      [() => Tend.load(ok, { models: { buying: { model: 'nope', params: {} } } }), 'invalid_option', 'options.models.buying.model'],
      [() => Tend.load(ok, { models: { buying: null, timeUnit: 'day' } }), 'invalid_option', 'options.models.timeUnit'],
      [() => Tend.load(ok, { policy: { timezone: 'Europe/Paris' } }), 'invalid_policy', 'options.policy.timezone'],
      [() => Tend.load(ok, { policy: { holidays: ['25/12/2026'] } }), 'invalid_policy', 'options.policy.holidays[0]'],
      [() => Tend.load(ok, { policy: { holidays: [new Date('nope')] } }), 'invalid_policy', 'options.policy.holidays[0]'],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [call, code, where] of cases) throwsTend(call, code, where);
      const t = Tend.load(ok, { asOf: AS_OF });
      assert.equal(t.summary().customers, 3, 'the module keeps working');
      assert.deepEqual(t.report(), analyze(ok, { asOf: AS_OF }));
      t.free();
    }
    assert.throws(() => new Tend(), TypeError, 'engines come from Tend.load()');
  });

  test('query and at() errors are TendErrors; the engine keeps working', () => {
    const tend = Tend.load(smallExport(), { asOf: AS_OF });
    try {
      const cases = [
        [() => tend.worklist({ limit: 10001 }), 'query.limit'],
        [() => tend.customers({ limit: 10001 }), 'query.limit'],
        [() => tend.flags({ limit: 10001 }), 'query.limit'],
        [() => tend.worklist({ limit: -1 }), 'query.limit'],
        [() => tend.worklist({ offset: 1.5 }), 'query.offset'],
        [() => tend.worklist({ sort: 'stage' }), 'query.sort'],
        [() => tend.customers({ kind: 'win_back' }), 'query.kind'],
        [() => tend.worklist({ sort: 'priority:up' }), 'query.sort'],
        [() => tend.customers({ sort: 'uplift' }), 'query.sort'],
        [() => tend.customers({ sort: 'name:' }), 'query.sort'],
        [() => tend.flags({ sort: 'overdue' }), 'query.sort'],
        [() => tend.worklist({ owners: 'Alice' }), 'query.owners'],
        [() => tend.worklist({ tier: 5 }), 'query.tier'],
        [() => tend.customers([]), 'query'],
        [() => tend.customers('priority'), 'query'],
        [() => tend.rejected({ limit: 10001 }), 'query.limit'],
        [() => tend.rejected({ limit: -1 }), 'query.limit'],
        [() => tend.rejected({ offset: 1.5 }), 'query.offset'],
        [() => tend.rejected({ offset: '2' }), 'query.offset'],
        [() => tend.rejected({ sort: 'id' }), 'query'],
        [() => tend.rejected('all'), 'query'],
        [() => tend.at('yesterday'), 'asOf'],
        [() => tend.at(5), 'asOf'],
        [() => tend.at(new Date('nope')), 'asOf'],
      ];
      for (const [call, where] of cases) throwsTend(call, 'invalid_option', where);
      assert.equal(tend.worklist({ limit: 10000 }).total, tend.report().worklist.length);
      assert.deepEqual(tend.rejected({ offset: 2 ** 32 }), { total: 1, items: [], omitted: 0 }, 'an offset past 2³² is past every row, not back to the start');
      assert.deepEqual(tend.rejected({ offset: 2 ** 32 + 1 }).items, []);
      assert.equal(tend.rejected({ limit: 10000 }).items.length, 1);
      assert.deepEqual(tend.rejected({ offset: undefined, limit: undefined }), tend.rejected());
    } finally {
      tend.free();
    }
  });
});

test('lapseWithin: the customers and worklist of customers whose predicted lapse date is near, as analyze() dates them', () => {
  const r = analyze(sampleEnv.data, sampleOpts);
  const t = Tend.load(sampleEnv.data, sampleOpts);
  try {
    const asOf = Date.parse(r.asOf);
    const within = (c, days) => c.buying.lapseAt !== null && Date.parse(c.buying.lapseAt) - asOf <= days * 86_400_000;
    for (const days of [120, 400]) {
      const want = r.customers.filter((c) => within(c, days)).map((c) => c.id).sort();
      const page = t.customers({ lapseWithin: days, limit: 10000 });
      assert.deepEqual(page.items.map((c) => c.id).sort(), want, `within ${days} days`);
      assert.ok(want.length > 0 && want.length < r.customers.length, `${want.length} of ${r.customers.length}`);
      for (const row of page.items) assert.equal(row.lapseAt, r.customers.find((c) => c.id === row.id).buying.lapseAt);
      const work = t.worklist({ lapseWithin: days, limit: 10000 });
      assert.deepEqual(work.items, r.worklist.filter((w) => want.includes(w.customerId)));
    }
    // Lapsed already: a date in the past, and no lapse date ahead.
    const gone = r.customers.filter((c) => c.buying.lapsedSince !== null);
    assert.ok(gone.length > 0 && gone.every((c) => c.buying.lapseAt === null && Date.parse(c.buying.lapsedSince) <= asOf));
    assert.throws(() => t.customers({ lapseWithin: -3 }), (e) => isTendError(e) && e.path === 'query.lapseWithin');
  } finally {
    t.free();
  }
});
