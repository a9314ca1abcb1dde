// The JavaScript API of the built package (pkg/index.js): inputs it accepts, the report it
// returns, TendError. Run `make build` first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AS_OF, PKG, SAMPLE, smallExport, assertPlainJson, node } from './helpers.mjs';

const tend = await import('../../pkg/index.js');
const { analyze, analyzeTimed, version, TendError, isTendError } = tend;

function flags(report, id) {
  return report.customers.find((c) => c.id === id).neglect;
}

test('exports the documented API', () => {
  for (const name of ['Tend', 'analyze', 'analyzeTimed', 'version', 'init', 'initSync', 'isReady', 'TendError', 'isTendError']) {
    assert.equal(typeof tend[name], 'function', name);
  }
  assert.equal(tend.isReady(), true, 'importing the package initialises it');
  assert.equal(tend.fitBuyingModel, undefined, 'the buying-model API is tend-crm/models');
  const pkg = JSON.parse(readFileSync(`${PKG}/package.json`, 'utf8'));
  assert.equal(version(), pkg.version);
});

test('tend-crm/models is its own module, loaded on import', async () => {
  const models = await import('tend-crm/models');
  for (const name of ['fitBuyingModel', 'scoreBuying', 'init', 'initSync', 'isReady', 'TendError', 'isTendError']) {
    assert.equal(typeof models[name], 'function', name);
  }
  assert.equal(models.isReady(), true);
  assert.equal(models.TendError, tend.TendError, 'one TendError for both modules');
  const core = await import('tend-crm/models-core');
  assert.equal(core.fitBuyingModel, models.fitBuyingModel);
});

test('the package also resolves by its name (node_modules/tend-crm → pkg), and tend-crm/core', async () => {
  const byName = await import('tend-crm');
  assert.equal(byName.analyze, analyze);
  assert.equal(byName.Tend, tend.Tend);
  const core = await import('tend-crm/core');
  assert.equal(core.Tend, tend.Tend, 'tend-crm and tend-crm/core share one module');
  const pkg = JSON.parse(readFileSync(`${PKG}/package.json`, 'utf8'));
  assert.equal(pkg.name, 'tend-crm');
  assert.deepEqual(Object.keys(pkg.bin), ['tend-crm']);
});

test('analyzes an export object', () => {
  const r = analyze(smallExport(), { asOf: AS_OF });
  assert.equal(r.asOf, '2026-11-26T09:30:00+00:00');
  assert.deepEqual(r.customers.map((c) => c.id).sort(), ['2', 'c1', 'c3']);
  const f = flags(r, 'c1').find((x) => x.kind === 'unreturned_contact');
  assert.equal(f.message, 'Return the missed call of Thu 19 Nov — 4 business days overdue');
  assert.deepEqual(f.evidence, { table: 'contacts', id: 'k1' });
  assert.equal(f.owner, 'Alice');
  assert.equal(f.snoozed, false);
  assert.equal(f.snooze, null);
  const snoozed = flags(r, 'c3').find((x) => x.kind === 'unreturned_contact');
  assert.equal(snoozed.snoozed, true, 'a snooze silences but does not hide');
  assert.equal(snoozed.snooze.reason, 'champion on holiday');
  const promise = flags(r, '2').find((x) => x.kind === 'broken_promise');
  assert.equal(promise.owner, 'Carla', "a promise's flag belongs to its own owner");
});

test('reports what happened to every row', () => {
  const r = analyze(smallExport(), { asOf: AS_OF });
  assert.deepEqual(r.input.orders, { received: 3, used: 1, rejected: 1, future: 1 });
  for (const t of ['customers', 'orders', 'contacts', 'complaints', 'promises', 'feedback', 'deliveries', 'snoozes']) {
    const c = r.input[t];
    assert.equal(c.received, c.used + c.rejected + c.future, t);
  }
  assert.equal(r.input.rejected.length, 1);
  const [rej] = r.input.rejected;
  assert.equal(rej.table, 'orders');
  assert.equal(rej.index, 1);
  assert.equal(rej.id, 'o2');
  assert.equal(rej.field, 'customerId');
  assert.match(rej.reason, /`nobody`/);
});

test('the report is plain JSON data', () => {
  const r = analyze(smallExport(), { asOf: AS_OF });
  assertPlainJson(r);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));
  const big = analyze(sample.data ?? sample, { asOf: sample.asOf ?? AS_OF, policy: sample.policy });
  assertPlainJson(big);
  assert.deepEqual(JSON.parse(JSON.stringify(big)), big);
});

test('accepts JSON text as a string, Uint8Array or ArrayBuffer', () => {
  const expected = analyze(smallExport(), { asOf: AS_OF });
  const text = JSON.stringify(smallExport());
  assert.deepEqual(analyze(text, { asOf: AS_OF }), expected);
  const bytes = new TextEncoder().encode(text);
  assert.deepEqual(analyze(bytes, { asOf: AS_OF }), expected);
  assert.deepEqual(analyze(bytes.buffer, { asOf: AS_OF }), expected);
  assert.deepEqual(analyze(Buffer.from(text), { asOf: AS_OF }), expected);
});

test('accepts Date objects in the data, asOf and holidays', () => {
  const data = smallExport();
  const withDates = structuredClone(data);
  withDates.contacts[0].at = new Date('2026-11-19T09:30:00Z');
  withDates.orders[0].at = new Date('2026-10-01T00:00:00Z');
  withDates.promises[0].dueAt = new Date('2026-11-10T00:00:00Z');
  const a = analyze(data, { asOf: AS_OF, policy: { holidays: ['2026-11-24'] } });
  const b = analyze(withDates, { asOf: new Date(AS_OF), policy: { holidays: [new Date('2026-11-24T00:00:00Z')] } });
  assert.deepEqual(b, a);
  assert.deepEqual(b.policy.holidays, ['2026-11-24']);
  // The holiday moves the deadline arithmetic: 3 business days overdue instead of 4.
  assert.equal(flags(b, 'c1').find((x) => x.kind === 'unreturned_contact').overdue, 3);
});

test('asOf defaults to now', () => {
  const before = Date.now();
  const r = analyze(smallExport());
  const asOf = Date.parse(r.asOf);
  assert.ok(asOf >= before - 1000 && asOf <= Date.now() + 1000, r.asOf);
  assert.equal(r.input.orders.future, Date.now() < Date.parse('2027-01-01') ? 1 : 0);
  assert.ok(analyze(smallExport(), {}).customers.length === 3);
  assert.ok(analyze(smallExport(), null).customers.length === 3);
});

test('the policy is applied and echoed', () => {
  const r = analyze(smallExport(), { asOf: AS_OF, policy: { returnContactWithin: 3, timezone: '+02:00' } });
  assert.equal(r.policy.returnContactWithin, 3);
  assert.equal(r.policy.timezone, '+02:00');
  assert.equal(r.asOf, '2026-11-26T11:30:00+02:00');
  assert.equal(flags(r, 'c1').find((x) => x.kind === 'unreturned_contact').overdue, 2);
});

function throwsTend(fn, code, path) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'expected a throw');
  assert.ok(err instanceof TendError, `expected a TendError, got ${err?.constructor?.name}: ${err?.message}`);
  assert.ok(err instanceof Error);
  assert.ok(isTendError(err));
  assert.equal(err.name, 'TendError');
  assert.equal(err.code, code);
  assert.equal(err.path, path);
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0);
  assert.match(String(err), /^TendError: /);
  assert.ok(typeof err.stack === 'string');
  return err;
}

test('TendError: data that is not an export', () => {
  throwsTend(() => analyze(42, { asOf: AS_OF }), 'invalid_input', 'data');
  throwsTend(() => analyze(null, { asOf: AS_OF }), 'invalid_input', 'data');
  throwsTend(() => analyze(undefined, { asOf: AS_OF }), 'invalid_input', 'data');
  throwsTend(() => analyze([{ id: 1 }], { asOf: AS_OF }), 'invalid_input', 'data');
  throwsTend(() => analyze('not json', { asOf: AS_OF }), 'invalid_input', 'data');
  throwsTend(() => analyze('[1]', { asOf: AS_OF }), 'invalid_input', 'data');
  throwsTend(() => analyze({ orders: [] }, { asOf: AS_OF }), 'invalid_input', 'data.customers');
  throwsTend(() => analyze({ customers: {} }, { asOf: AS_OF }), 'invalid_input', 'data.customers');
  throwsTend(() => analyze({ customers: [], orders: 'x' }, { asOf: AS_OF }), 'invalid_input', 'data.orders');
  // A key the core does not read is not read by the wrapper either, whatever it holds.
  const cyclic = { customers: [] };
  cyclic.self = cyclic;
  assert.deepEqual(analyze(cyclic, { asOf: AS_OF }).customers, []);
});

test('TendError: invalid options and policy', () => {
  throwsTend(() => analyze(smallExport(), { asOf: 'yesterday' }), 'invalid_option', 'options.asOf');
  throwsTend(() => analyze(smallExport(), { asOf: new Date('nope') }), 'invalid_option', 'options.asOf');
  throwsTend(() => analyze(smallExport(), { asOf: 1 }), 'invalid_option', 'options.asOf');
  throwsTend(() => analyze(smallExport(), 'tomorrow'), 'invalid_option', 'options');
  throwsTend(() => analyze(smallExport(), { asOf: AS_OF, asof: AS_OF }), 'invalid_option', 'options.asof');
  throwsTend(() => analyze(smallExport(), { asOf: AS_OF, policy: { timezone: 'Europe/Paris' } }), 'invalid_policy', 'options.policy.timezone');
  throwsTend(() => analyze(smallExport(), { asOf: AS_OF, policy: { returnContactWithn: 2 } }), 'invalid_policy', 'options.policy.returnContactWithn');
  throwsTend(() => analyze(smallExport(), { asOf: AS_OF, policy: { holidays: ['25/12/2026'] } }), 'invalid_policy', 'options.policy.holidays[0]');
});

test('TendError messages are lowercase and quote the value', () => {
  const e = throwsTend(() => analyze(smallExport(), { asOf: 'yesterday' }), 'invalid_option', 'options.asOf');
  assert.match(e.message, /yesterday/);
  assert.match(e.message, /^[a-z]/);
  assert.doesNotMatch(e.message, /\.$/);
});

test('the module keeps working after an error', () => {
  for (let i = 0; i < 3; i++) {
    assert.throws(() => analyze('{', { asOf: AS_OF }), TendError);
    assert.throws(() => analyze(smallExport(), { asOf: AS_OF, policy: { bands: { green: 10, amber: 50 } } }), TendError);
    assert.equal(analyze(smallExport(), { asOf: AS_OF }).customers.length, 3);
  }
});

test('bad rows never throw', () => {
  const r = analyze(
    {
      customers: [{ id: '' }, { id: null }, { id: {} }, 7, null, 'x', { id: 'ok', name: 5 }],
      orders: [{ id: 'o', customerId: 'ok', at: '2026-02-30', amount: 'NaN' }, { id: 'o', customerId: 'ok', at: '2026-02-03', amount: -1 }],
      feedback: [{ id: 'f', customerId: 'ok', at: '2026-02-03', kind: 'nps', score: 11 }],
    },
    { asOf: AS_OF },
  );
  assertPlainJson(r);
  assert.equal(r.input.customers.rejected + r.input.customers.used, 7);
  assert.ok(r.input.rejected.every((x) => typeof x.reason === 'string' && x.reason.length > 0));
});

test('analyzeTimed splits the time', () => {
  const { report, timings } = analyzeTimed(smallExport(), { asOf: AS_OF });
  assert.deepEqual(report, analyze(smallExport(), { asOf: AS_OF }));
  for (const k of ['stringifyMs', 'wasmMs', 'parseMs']) {
    assert.equal(typeof timings[k], 'number', k);
    assert.ok(timings[k] >= 0, k);
  }
});

test('TendError is a proper Error subclass', () => {
  const e = new TendError('invalid input at `data`: x', 'invalid_input', 'data');
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'TendError');
  assert.ok(isTendError(e));
  assert.ok(!isTendError(new Error('x')));
  assert.ok(!isTendError({ name: 'TendError', code: 'invalid_input', path: 'data' }));
});

test('tend-crm/core needs init() and says so', () => {
  const script = `
    const core = await import(${JSON.stringify(`${PKG}/core.js`)});
    let msg = '';
    try { core.analyze({ customers: [] }, { asOf: '2026-01-01' }); } catch (e) { msg = e.message; }
    if (!/init\\(\\)/.test(msg)) throw new Error('unexpected: ' + msg);
    msg = '';
    try { core.Tend.load({ customers: [] }, { asOf: '2026-01-01' }); } catch (e) { msg = e.message; }
    if (!/init\\(\\)/.test(msg)) throw new Error('Tend.load: unexpected: ' + msg);
    if (core.isReady()) throw new Error('ready before init');
    await core.init();
    await core.init();
    const r = core.analyze({ customers: [{ id: 1 }] }, { asOf: '2026-01-01' });
    const t = core.Tend.load({ customers: [{ id: 1 }, { id: 2 }] }, { asOf: '2026-01-01' });
    console.log(r.customers.length, t.summary().customers);
    t.free();
  `;
  const r = node(['--input-type=module', '-e', script]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '1 2');
});

test('tend-crm/core initSync with bytes', () => {
  const script = `
    import { readFileSync } from 'node:fs';
    const core = await import(${JSON.stringify(`${PKG}/core.js`)});
    core.initSync(readFileSync(${JSON.stringify(`${PKG}/wasm/tend_bg.wasm`)}));
    console.log(core.version());
  `;
  const r = node(['--input-type=module', '-e', script]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+/);
});

test('the same report whatever the host timezone', () => {
  const script = `
    const { analyze } = await import(${JSON.stringify(`${PKG}/index.js`)});
    const { smallExport } = await import(${JSON.stringify(new URL('./helpers.mjs', import.meta.url).href)});
    const d = smallExport();
    d.contacts[0].at = new Date('2026-11-19T09:30:00Z');
    console.log(JSON.stringify(analyze(d, { asOf: new Date('2026-11-26T09:30:00Z'), policy: { timezone: '+05:00' } })));
  `;
  const outs = ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles'].map((TZ) => {
    const r = node(['--input-type=module', '-e', script], { env: { ...process.env, TZ } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  });
  assert.equal(outs[1], outs[0]);
  assert.equal(outs[2], outs[0]);
});
