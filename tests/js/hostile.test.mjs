// Nothing a host passes kills, hangs or poisons Tend (issue 11): the table of hostile calls in
// hostile-cases.mjs, each answered or refused with a TendError and followed by a healthy call
// giving the same report as before; and what the bad rows among them become.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../pkg/index.js';
import { AS_OF, smallExport } from './helpers.mjs';
import { runHostile } from './hostile-cases.mjs';

const { analyze, Tend } = api;

test('every hostile call answers or throws a TendError, and the next healthy call is unchanged', () => {
  const results = runHostile(api, smallExport);
  assert.ok(results.length >= 35, `${results.length} cases`);
  for (const r of results) {
    assert.match(r.outcome, /^(answered|TendError [a-z_]+)$/, `${r.name}: ${r.outcome}`);
    assert.equal(r.healthy, true, `${r.name}: the healthy call after it differs`);
  }
  // Refused as a whole only where the call itself is wrong, not one of its rows.
  const by = Object.fromEntries(results.map((r) => [r.name, r.outcome]));
  for (const name of [
    'a cyclic unknown field on a row',
    'a 10,000-deep unknown field on a row',
    'a cyclic unknown key at the top',
    'a 10,000-deep known field',
    'a BigInt amount that fits',
    'a BigInt amount too large for a number',
    'a row whose getter throws',
    'a row that is a throwing Proxy',
    'a row that is a revoked Proxy',
    'a frozen export',
    'engine: hostile upserts',
    'a 100 MB customer name',
  ]) {
    assert.equal(by[name], 'answered', name);
  }
  for (const [name, code] of [
    ['cyclic policy', 'TendError invalid_option'],
    ['options that are a throwing Proxy', 'TendError invalid_option'],
    ['a table whose getter throws', 'TendError invalid_input'],
    ['data that is a throwing Proxy', 'TendError invalid_input'],
    ['a 100 MB string as the data', 'TendError invalid_input'],
    ['a table that is a string', 'TendError invalid_input'],
  ]) {
    assert.equal(by[name], code, name);
  }
});

const withOrder = (order) => {
  const d = smallExport();
  d.orders = [{ ...d.orders[0], ...order }, ...d.orders.slice(1)];
  return d;
};

function getter(obj, key, message = 'boom') {
  Object.defineProperty(obj, key, {
    enumerable: true,
    get() {
      throw new Error(message);
    },
  });
  return obj;
}

test('a BigInt amount that fits is read exactly; one that does not is one rejected row', () => {
  const opts = { asOf: AS_OF };
  assert.deepEqual(analyze(withOrder({ amount: 120n }), opts), analyze(withOrder({ amount: 120 }), opts));
  const r = analyze(withOrder({ amount: 2n ** 80n }), opts);
  const bad = r.input.rejected.filter((x) => x.code === 'unreadable');
  assert.deepEqual(bad.map((x) => [x.table, x.index, x.id, x.field]), [['orders', 0, 'o1', 'amount']]);
  assert.match(bad[0].reason, /BigInt 1208925819614629174706176n/);
  assert.deepEqual(r.input.orders, { received: 3, used: 0, rejected: 2, future: 1 });
  // A BigInt id is its decimal text.
  const big = analyze(withOrder({ id: 2n ** 70n, amount: 9 }), opts);
  assert.equal(big.input.orders.used, 1);
  assert.ok(!big.input.rejected.some((x) => x.code === 'unreadable'));
});

test('a row whose getter throws, or a Proxy row, is rejected with its table, index, id and field; the rest is scored', () => {
  const d = smallExport();
  d.contacts = [d.contacts[0], getter({ ...d.contacts[1] }, 'channel', 'no channel today'), new Proxy({}, { get() { throw new Error('nope'); } }), d.contacts[2]];
  const r = analyze(d, { asOf: AS_OF });
  const bad = r.input.rejected.filter((x) => x.code === 'unreadable');
  assert.deepEqual(bad.map((x) => [x.table, x.index, x.id, x.field]), [['contacts', 1, 'k2', 'channel'], ['contacts', 2, null, 'id']]);
  assert.match(bad[0].reason, /reading `channel` threw: no channel today/);
  assert.deepEqual(r.input.contacts, { received: 4, used: 2, rejected: 2, future: 0 });
  const c = r.input.contacts;
  assert.equal(c.received, c.used + c.rejected + c.future);
});

test('unknown fields are ignored whatever they hold: the report equals the one without them', () => {
  const opts = { asOf: AS_OF };
  const loop = { a: 1 };
  loop.loop = loop;
  const d = smallExport();
  d.orders = d.orders.map((o) => getter({ ...o, meta: loop, fn() {}, [Symbol('s')]: 1 }, 'secret'));
  d.junk = loop;
  assert.deepEqual(analyze(d, opts), analyze(smallExport(), opts));
});

test('an update with hostile rows rejects each of them and applies the rest', () => {
  const t = Tend.load(smallExport(), { asOf: AS_OF });
  try {
    const u = t.update({
      upsert: {
        contacts: [
          getter({ id: 'h1', customerId: 'c1', at: '2026-11-20T09:00:00Z', direction: 'outbound', channel: 'call' }, 'status'),
          { id: 'h2', customerId: 'c1', at: '2026-11-20T10:00:00Z', direction: 'outbound', channel: 'call', meta: getter({}, 'x') },
        ],
        orders: [{ id: 'h3', customerId: 'c1', at: '2026-11-19', amount: 2n ** 60n }],
      },
    });
    assert.deepEqual(u.rejected.map((x) => [x.table, x.index, x.id, x.field, x.code, x.update]).sort(), [
      ['contacts', 0, 'h1', 'status', 'unreadable', 1],
      ['orders', 0, 'h3', 'amount', 'unreadable', 1],
    ]);
    assert.deepEqual(u.changed, ['c1']);
    assert.equal(t.records('c1').contacts.filter((k) => k.id === 'h2').length, 1);
    const s = t.summary().input.contacts;
    assert.equal(s.received, s.used + s.rejected + s.future);
  } finally {
    t.free();
  }
});
