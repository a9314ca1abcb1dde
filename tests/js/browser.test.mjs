// pkg/index.js as an ES module in headless Chromium (Playwright over Debian's /usr/bin/chromium):
// top-level-await initialisation that fetches wasm/tend_bg.wasm next to it, the same results as
// in Node, TendError, the engine (`Tend`), and `tend-crm/core` with init() in a module worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AS_OF, ROOT, smallExport } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

let server;
let origin;
let browser;
const served = [];

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup.sh (apt-get install chromium)`);
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = path.join(ROOT, path.normalize(decodeURIComponent(url.pathname)));
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>tend</title>');
      return;
    }
    const allowed = file.startsWith(path.join(ROOT, 'pkg')) || file === path.join(ROOT, 'tests/js/hostile-cases.mjs');
    if (!allowed || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    served.push([url.pathname, type]);
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

async function page() {
  const context = await browser.newContext();
  const p = await context.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e));
  await p.goto(`${origin}/`);
  return { p, errors, close: () => context.close() };
}

test('hostile calls in a page: each answers or throws a TendError, the module keeps working', async () => {
  const { p, errors, close } = await page();
  try {
    const results = await p.evaluate(async (data) => {
      const api = await import('/pkg/index.js');
      const { runHostile } = await import('/tests/js/hostile-cases.mjs');
      return runHostile(api, () => structuredClone(data));
    }, smallExport());
    assert.deepEqual(errors, []);
    assert.ok(results.length >= 35, `${results.length} cases`);
    for (const r of results) {
      assert.match(r.outcome, /^(answered|TendError [a-z_]+)$/, `${r.name}: ${r.outcome}`);
      assert.equal(r.healthy, true, `${r.name}: the healthy call after it differs`);
    }
    // The same outcomes as in Node.
    const { runHostile } = await import('./hostile-cases.mjs');
    const node = runHostile(await import('../../pkg/index.js'), smallExport);
    assert.deepEqual(results.map((r) => [r.name, r.outcome]), node.map((r) => [r.name, r.outcome]));
  } finally {
    await close();
  }
});

test('import pkg/index.js in a page: analyze, Dates, TendError', async () => {
  const { p, errors, close } = await page();
  try {
    const out = await p.evaluate(
      async ({ data, asOf }) => {
        const t = await import('/pkg/index.js');
        data.contacts[0].at = new Date(data.contacts[0].at);
        const r = t.analyze(data, { asOf: new Date(asOf) });
        let err = null;
        try {
          t.analyze(data, { asOf: 'yesterday' });
        } catch (e) {
          err = { isTend: e instanceof t.TendError && t.isTendError(e), isError: e instanceof Error, name: e.name, code: e.code, path: e.path };
        }
        const again = t.analyze(JSON.stringify(data), { asOf });
        return { version: t.version(), report: r, err, same: JSON.stringify(again) === JSON.stringify(r) };
      },
      { data: smallExport(), asOf: AS_OF },
    );
    assert.deepEqual(errors, []);
    assert.match(out.version, /^\d+\.\d+\.\d+/);
    assert.equal(out.report.customers.length, 3);
    const flag = out.report.customers.find((c) => c.id === 'c1').neglect.find((f) => f.kind === 'unreturned_contact');
    assert.equal(flag.message, 'Return the missed call of Thu 19 Nov — 4 business days overdue');
    assert.deepEqual(out.err, { isTend: true, isError: true, name: 'TendError', code: 'invalid_option', path: 'options.asOf' });
    assert.ok(out.same);
    // The report equals Node's.
    const node = await import('../../pkg/index.js');
    assert.deepEqual(out.report, node.analyze(smallExport(), { asOf: AS_OF }));
    assert.ok(served.some(([u, type]) => u === '/pkg/wasm/tend_bg.wasm' && type === 'application/wasm'), 'the .wasm was fetched next to index.js');
  } finally {
    await close();
  }
});

test('the engine in a page: Tend.load, pages, update, CSV, free; the same answers as in Node', async () => {
  const { p, errors, close } = await page();
  const update = { upsert: { contacts: [{ id: 'k9', customerId: 'c1', at: '2026-11-25T10:00:00Z', direction: 'outbound', channel: 'call' }] } };
  try {
    const out = await p.evaluate(
      async ({ data, asOf, update }) => {
        const { Tend, TendError } = await import('/pkg/index.js');
        const tend = Tend.load(new TextEncoder().encode(JSON.stringify(data)), { asOf: new Date(asOf) });
        const before = { summary: tend.summary(), worklist: tend.worklist({ limit: 2 }), customers: tend.customers({ sort: 'name' }), flags: tend.flags() };
        const result = tend.update(update);
        const after = { report: tend.report(), export: tend.export() };
        tend.free();
        let freed = null;
        try {
          tend.summary();
        } catch (e) {
          freed = e instanceof TendError ? e.code : String(e);
        }
        const csv = Tend.load({ csv: { customers: new TextEncoder().encode('id,name\r\nc1,"A, B"\r\n') } }, { asOf });
        const csvName = csv.customer('c1').name;
        csv.free();
        return { before, result, after, freed, csvName };
      },
      { data: smallExport(), asOf: AS_OF, update },
    );
    assert.deepEqual(errors, []);
    const { Tend } = await import('../../pkg/index.js');
    const tend = Tend.load(smallExport(), { asOf: AS_OF });
    try {
      assert.deepEqual(out.before, { summary: tend.summary(), worklist: tend.worklist({ limit: 2 }), customers: tend.customers({ sort: 'name' }), flags: tend.flags() });
      assert.deepEqual(out.result, tend.update(update));
      assert.deepEqual(out.after, { report: tend.report(), export: tend.export() });
    } finally {
      tend.free();
    }
    assert.equal(out.before.worklist.items.length, 2);
    assert.deepEqual(out.result.changed, ['c1']);
    assert.equal(out.freed, 'freed');
    assert.equal(out.csvName, 'A, B');
  } finally {
    await close();
  }
});

test('tend-crm/core in a module worker: init() then analyze()', async () => {
  const { p, errors, close } = await page();
  try {
    const out = await p.evaluate(
      async ({ data, asOf }) => {
        const src = `
          import { init, analyze, isReady, Tend } from '${location.origin}/pkg/core.js';
          self.onmessage = async (e) => {
            let before;
            try { analyze(e.data.data, { asOf: e.data.asOf }); before = 'no error'; } catch (err) { before = err.message; }
            await init();
            const r = analyze(e.data.data, { asOf: e.data.asOf });
            const tend = Tend.load(e.data.data, { asOf: e.data.asOf });
            const total = tend.worklist().total;
            tend.free();
            self.postMessage({ before, ready: isReady(), customers: r.customers.length, same: total === r.worklist.length && total > 0 });
          };`;
        const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
        const w = new Worker(url, { type: 'module' });
        const reply = new Promise((resolve, reject) => {
          w.onmessage = (e) => resolve(e.data);
          w.onerror = (e) => reject(new Error(e.message));
        });
        w.postMessage({ data, asOf });
        return await reply;
      },
      { data: smallExport(), asOf: AS_OF },
    );
    assert.deepEqual(errors, []);
    assert.match(out.before, /init\(\)/, 'analyze() before init() says to call init()');
    assert.equal(out.ready, true);
    assert.equal(out.customers, 3);
    assert.equal(out.same, true, 'the engine in the worker gives the report\'s worklist');
  } finally {
    await close();
  }
});
