// Hostile calls: what a host or a page may pass to Tend. Each case either answers or throws a
// TendError — never another error, never a trap — and the module keeps working: the caller
// checks that a healthy call after each gives the same report as before. Shared by the Node
// tests (hostile.test.mjs) and the headless-Chromium test (browser.test.mjs), so every case is
// built here, in the realm that runs it.

const AS_OF = '2026-11-20T17:00:00Z';

function deep(n) {
  const root = {};
  let o = root;
  for (let i = 0; i < n; i++) {
    o.a = {};
    o = o.a;
  }
  return root;
}

function deepArray(n) {
  const root = [];
  let a = root;
  for (let i = 0; i < n; i++) {
    const b = [];
    a.push(b);
    a = b;
  }
  return root;
}

function cyclic() {
  const o = { name: 'loop' };
  o.self = o;
  o.list = [o];
  return o;
}

function throwing() {
  return new Proxy(
    {},
    {
      get() {
        throw new Error('the proxy refuses');
      },
      ownKeys() {
        throw new Error('the proxy hides its keys');
      },
      has() {
        throw new Error('the proxy refuses `in`');
      },
    },
  );
}

function revoked() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function getter(obj, key) {
  Object.defineProperty(obj, key, {
    enumerable: true,
    get() {
      throw new Error(`the getter of ${key} throws`);
    },
  });
  return obj;
}

function deepFreeze(o) {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const HUGE = 100 * 1024 * 1024;

// `f(engine)` on an engine loaded from `make()`, freed after.
function withEngine(Tend, make, opts, f) {
  const t = Tend.load(make(), opts);
  try {
    return f(t);
  } finally {
    t.free();
  }
}

/**
 * The cases: `[name, run]`, `run(api, make)` where `make()` gives a fresh small export (an
 * object with every table) and `api` is the package (`Tend`, `analyze`). A case returns what it
 * got (checked by `expect` when given: `[name, run, expect]`).
 */
export function hostileCases() {
  const opts = { asOf: AS_OF };
  const withRow = (make, table, f) => {
    const d = make();
    d[table] = [...d[table]];
    f(d[table]);
    return d;
  };
  return [
    // Options and policy.
    ['cyclic options', ({ analyze }, make) => analyze(make(), { ...opts, extra: cyclic() })],
    ['cyclic policy', ({ analyze }, make) => {
      const p = { timezone: '+00:00' };
      p.p = p;
      return analyze(make(), { ...opts, policy: p });
    }],
    ['10,000-deep policy', ({ analyze }, make) => analyze(make(), { ...opts, policy: deep(10000) })],
    ['10,000-deep holidays', ({ analyze }, make) => analyze(make(), { ...opts, policy: { holidays: deepArray(10000) } })],
    ['BigInt in the policy', ({ analyze }, make) => analyze(make(), { ...opts, policy: { slaDays: { contact: 2n } } })],
    ['options that are a throwing Proxy', ({ analyze }, make) => analyze(make(), throwing())],
    ['options that are a revoked Proxy', ({ analyze }, make) => analyze(make(), revoked())],
    ['an asOf getter that throws', ({ analyze }, make) => analyze(make(), getter({}, 'asOf'))],
    ['a policy getter that throws', ({ analyze }, make) => analyze(make(), getter({ asOf: AS_OF }, 'policy'))],
    ['holidays as a string', ({ analyze }, make) => analyze(make(), { ...opts, policy: { holidays: '2026-11-11' } })],
    ['holidays as a typed array', ({ analyze }, make) => analyze(make(), { ...opts, policy: { holidays: new Uint8Array(4) } })],
    ['a 100 MB asOf', ({ analyze }, make) => analyze(make(), { asOf: 'x'.repeat(HUGE) })],
    ['a 100 MB timezone', ({ analyze }, make) => analyze(make(), { ...opts, policy: { timezone: '9'.repeat(HUGE) } })],
    // The data.
    ['a cyclic unknown field on a row', ({ analyze }, make) => analyze(withRow(make, 'orders', (rows) => (rows[0] = { ...rows[0], meta: cyclic() })), opts)],
    ['a 10,000-deep unknown field on a row', ({ analyze }, make) => analyze(withRow(make, 'orders', (rows) => (rows[0] = { ...rows[0], meta: deep(10000) })), opts)],
    ['a cyclic unknown key at the top', ({ analyze }, make) => analyze({ ...make(), junk: cyclic() }, opts)],
    ['a 10,000-deep known field', ({ analyze }, make) => analyze(withRow(make, 'orders', (rows) => (rows[0] = { ...rows[0], amount: deep(10000) })), opts)],
    ['functions and symbols in fields', ({ analyze }, make) => analyze(withRow(make, 'contacts', (rows) => (rows[0] = { ...rows[0], status: () => 1, [Symbol('s')]: 1, owner: Symbol('o') })), opts)],
    ['a BigInt amount that fits', ({ analyze }, make) => analyze(withRow(make, 'orders', (rows) => (rows[0] = { ...rows[0], amount: 120n })), opts)],
    ['a BigInt amount too large for a number', ({ analyze }, make) => analyze(withRow(make, 'orders', (rows) => (rows[0] = { ...rows[0], amount: 2n ** 80n })), opts)],
    ['a BigInt id', ({ analyze }, make) => analyze(withRow(make, 'orders', (rows) => (rows[0] = { ...rows[0], id: 2n ** 70n })), opts)],
    ['a row whose getter throws', ({ analyze }, make) => analyze(withRow(make, 'orders', (rows) => (rows[0] = getter({ ...rows[0] }, 'amount'))), opts)],
    ['a row that is a throwing Proxy', ({ analyze }, make) => analyze(withRow(make, 'contacts', (rows) => (rows[0] = throwing())), opts)],
    ['a row that is a revoked Proxy', ({ analyze }, make) => analyze(withRow(make, 'contacts', (rows) => (rows[0] = revoked())), opts)],
    ['a table whose getter throws', ({ analyze }, make) => analyze(getter(make(), 'orders'), opts)],
    ['data that is a throwing Proxy', ({ analyze }) => analyze(throwing(), opts)],
    ['data that is a revoked Proxy', ({ analyze }) => analyze(revoked(), opts)],
    ['a frozen export', ({ analyze }, make) => analyze(deepFreeze(make()), opts)],
    ['a table that is a string', ({ analyze }, make) => analyze({ ...make(), orders: 'o1,o2' }, opts)],
    ['a table that is a typed array', ({ analyze }, make) => analyze({ ...make(), orders: new Float64Array(8) }, opts)],
    ['snooze kinds as a string', ({ analyze }, make) => analyze(withRow(make, 'snoozes', (rows) => rows.push({ id: 'sz', customerId: make().customers[0].id, until: '2026-12-31', reason: 'x', kinds: 'no_outreach' })), opts)],
    ['a 100 MB string as the data', ({ analyze }) => analyze('x'.repeat(HUGE), opts)],
    ['a 100 MB customer name', ({ analyze }, make) => analyze(withRow(make, 'customers', (rows) => (rows[0] = { ...rows[0], name: 'n'.repeat(HUGE) })), opts)],
    // The engine.
    ['engine: hostile upserts', ({ Tend }, make) =>
      withEngine(Tend, make, opts, (t) => {
        const c = make().customers[0].id;
        return t.update({
          upsert: {
            contacts: [getter({ id: 'h1', customerId: c, at: AS_OF, direction: 'inbound', channel: 'call' }, 'status'), throwing(), revoked(), { id: 'h2', customerId: c, at: AS_OF, direction: 'inbound', channel: 'call', meta: cyclic() }],
            orders: [{ id: 'h3', customerId: c, at: AS_OF, amount: 2n ** 90n }, { id: 2n ** 64n, customerId: c, at: AS_OF, amount: 5n }],
          },
          remove: { orders: [throwing(), 2n ** 65n, cyclic()] },
        });
      }),
    ],
    ['engine: a cyclic update', ({ Tend }, make) => withEngine(Tend, make, opts, (t) => t.update(cyclic()))],
    ['engine: an update that is a Proxy', ({ Tend }, make) => withEngine(Tend, make, opts, (t) => t.update(throwing()))],
    ['engine: hostile queries', ({ Tend }, make) =>
      withEngine(Tend, make, opts, (t) => {
        const out = [];
        for (const q of [cyclic(), throwing(), revoked(), getter({}, 'limit'), { limit: 2n }, { search: 's'.repeat(HUGE) }, { sort: deep(10000) }, { owner: ['a'] }]) {
          for (const f of [() => t.worklist(q), () => t.customers(q), () => t.rejected(q), () => t.changes(q)]) {
            try {
              out.push(f().total);
            } catch (e) {
              if (e?.name !== 'TendError') throw e;
              out.push(e.code);
            }
          }
        }
        for (const w of [cyclic(), throwing(), revoked(), { weeks: 2n }, { weeks: 1e12 }, { weeks: -1 }, { weeks: 2.5 }, { weeks: NaN }, { weeks: '26' }, 7]) {
          try {
            out.push(t.history(make().customers[0].id, w)?.points.length ?? null);
          } catch (e) {
            if (e?.name !== 'TendError') throw e;
            out.push(e.code);
          }
        }
        for (const id of [cyclic(), throwing(), 2n ** 70n, 's'.repeat(HUGE), null]) {
          try {
            out.push(t.history(id) === null);
          } catch (e) {
            if (e?.name !== 'TendError') throw e;
            out.push(e.code);
          }
          try {
            out.push(t.driversOf(id) === null);
          } catch (e) {
            if (e?.name !== 'TendError') throw e;
            out.push(e.code);
          }
          try {
            out.push(t.customer(id) === null);
          } catch (e) {
            if (e?.name !== 'TendError') throw e;
            out.push(e.code);
          }
        }
        return out;
      }),
    ],
    ['engine: at() with hostile instants', ({ Tend }, make) =>
      withEngine(Tend, make, opts, (t) => {
        for (const a of [cyclic(), throwing(), 2n, 'x'.repeat(HUGE), '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00']) {
          try {
            t.at(a).free();
          } catch (e) {
            if (e?.name !== 'TendError') throw e;
          }
        }
      }),
    ],
  ];
}

/**
 * Run every case: `{ name, outcome }` per case, `outcome` being `answered`, `TendError <code>`
 * or (a failure) `threw <name>: <message>`; then a healthy call whose report must equal
 * `baseline` (compared as JSON text), reported as `healthy: true/false`.
 */
export function runHostile(api, make) {
  const opts = { asOf: AS_OF };
  const baseline = JSON.stringify(api.analyze(make(), opts));
  const results = [];
  for (const [name, run] of hostileCases()) {
    let outcome;
    try {
      run(api, make);
      outcome = 'answered';
    } catch (e) {
      outcome = e?.name === 'TendError' && typeof e.code === 'string' ? `TendError ${e.code}` : `threw ${e?.name}: ${String(e?.message).slice(0, 200)}`;
    }
    let healthy;
    try {
      healthy = JSON.stringify(api.analyze(make(), opts)) === baseline;
    } catch {
      healthy = false;
    }
    results.push({ name, outcome, healthy });
  }
  return results;
}
