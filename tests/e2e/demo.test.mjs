// The demo page (www/) in headless Chromium, driven by playwright-core over Debian's
// /usr/bin/chromium, served on 127.0.0.1 by tests/e2e/server.mjs. Needs `make build` (pkg/wasm/)
// and scripts/www.sh (www/vendor/). Screenshots go to test-results/. The page loads the data
// into a Tend engine in its worker and asks it for pages: every message from the worker is
// recorded (its type and JSON size) to check that none carries the whole report.
//
//   node --test tests/e2e/demo.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, REPO_ROOT } from './server.mjs';
import { csvCell, csvLine, tableFromFileName, tableFromHeader } from '../../www/shared.js';
import { registerViewTests } from './views.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = path.join(REPO_ROOT, 'test-results');
const SAMPLE_DIR = path.join(REPO_ROOT, 'www/sample');
const planted = JSON.parse(readFileSync(path.join(SAMPLE_DIR, 'planted.json'), 'utf8'));
const EVIL = '<img src=x onerror="alert(1)"> Evil & Co <b>Ltd</b>';
const T = { timeout: 120_000 };

let server;
let browser;
let tmp;

before(async () => {
  for (const f of ['pkg/wasm/tend.js', 'pkg/wasm/tend_bg.wasm']) {
    assert.ok(existsSync(path.join(REPO_ROOT, f)), `${f} is missing: run \`make build\` first`);
  }
  const chart = 'www/vendor/chart.umd.min.js';
  assert.ok(existsSync(path.join(REPO_ROOT, chart)), `${chart} is missing: run \`bash scripts/www.sh\` (make build does)`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  mkdirSync(RESULTS, { recursive: true });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tend-demo-'));
  server = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// A fresh context (its own temporary profile) with the page's problems recorded: console errors,
// uncaught exceptions, dialogs (alert() must never run), CSP violations and any request that
// would leave 127.0.0.1 (aborted and recorded).
async function openDemo({ viewport = { width: 1360, height: 900 }, wait = true, url = null } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const problems = { console: [], pageerrors: [], dialogs: [], outside: [] };
  const requests = [];
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && /^(https?|wss?):$/.test(url.protocol),
    (route) => {
      problems.outside.push(route.request().url());
      return route.abort();
    },
  );
  context.on('request', (r) => {
    requests.push(r.url());
    const u = new URL(r.url());
    if (/^(https?|wss?|ftp):$/.test(u.protocol) && u.origin !== server.url) problems.outside.push(r.url());
  });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    // Every message a worker sends the page: its type, its keys, its size as JSON, its page.
    window.__fromWorker = [];
    const Base = window.Worker;
    window.Worker = class extends Base {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', ({ data }) => {
          let size = -1;
          try {
            size = JSON.stringify(data).length;
          } catch {}
          const items = Array.isArray(data?.items) ? data.items.length : null;
          window.__fromWorker.push({ type: data?.type, keys: Object.keys(data ?? {}), size, items, blob: data?.blob instanceof Blob ? data.blob.size : null });
        });
      }
    };
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.console.push(m.text());
  });
  page.on('pageerror', (e) => problems.pageerrors.push(String(e)));
  page.on('dialog', (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.goto(url ?? `${server.url}/www/`);
  if (wait) await waitRuns(page, 1);
  const check = async () => {
    const csp = await page.evaluate(() => window.__csp);
    assert.deepEqual(problems.pageerrors, [], 'uncaught exceptions');
    assert.deepEqual(problems.console, [], 'console errors');
    assert.deepEqual(problems.dialogs, [], 'dialogs');
    assert.deepEqual(problems.outside, [], 'requests outside the origin');
    assert.deepEqual(csp, [], 'CSP violations');
  };
  return { page, context, problems, requests, check, close: () => context.close() };
}

async function waitRuns(page, n) {
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) >= n && document.body.dataset.state === 'ready', n, { timeout: 90_000 });
}

// The charts and counts the worker computes after a run (health distribution, tier × risk).
async function waitFacets(page, n) {
  await page.waitForFunction((n) => Number(document.body.dataset.facets ?? 0) >= n, n, { timeout: 90_000 });
}

const rejectedRows = (page) => page.$$eval('#rejected-body tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));

// Filter the worklist and wait until the table shows the result of exactly these filters.
async function filter(page, { search = '', owner = '', kind = '', tier = '', band = '', risk = '' } = {}) {
  await page.selectOption('#f-owner', owner);
  await page.selectOption('#f-kind', kind);
  await page.selectOption('#f-tier', tier);
  await page.selectOption('#f-band', band);
  await page.selectOption('#f-risk', risk);
  await page.fill('#f-search', search);
  await page.dispatchEvent('#filters', 'submit');
  // The table answers asynchronously (the worker filters): wait for the last query's rows.
  await page.waitForFunction(() => document.getElementById('wl-table').dataset.busy === '0');
}

const rowsOf = (page) =>
  page.$$eval('#wl-body tr[data-customer]', (trs) => trs.map((tr) => ({ customer: tr.dataset.customer, kind: tr.dataset.kind, owner: tr.children[2].textContent, text: tr.textContent })));

test('csv cells: RFC 4180 quoting and CSV-injection neutralised; CSV tables recognised', () => {
  assert.equal(csvCell('plain'), '"plain"');
  assert.equal(csvCell('say "hi", ok\r\nnext'), '"say ""hi"", ok\r\nnext"');
  for (const bad of ['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
    assert.equal(csvCell(bad)[1], "'", bad);
  }
  assert.equal(csvCell(12.5), '12.5');
  assert.equal(csvCell(-3), '-3');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(Number.NaN), '');
  assert.equal(csvLine(['a', 1, null]), '"a",1,\r\n');
  assert.equal(tableFromFileName('orders.csv'), 'orders');
  assert.equal(tableFromFileName('CRM-Deliveries-2026.CSV'), 'deliveries');
  assert.equal(tableFromFileName('export.csv'), null);
  assert.equal(tableFromHeader(['id', 'customerId', 'openedAt', 'severity']), 'complaints');
  assert.equal(tableFromHeader(['customerId', 'until', 'reason', 'kinds']), 'snoozes');
  assert.equal(tableFromHeader(['foo']), null);
});

test('the sample is analysed at once: key figures, planted cases in the worklist, charts, reps, rejected rows', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    assert.equal(await page.textContent('#fig-customers'), '300');
    assert.match(await page.textContent('#fig-risk'), /^\d+$/);
    assert.match(await page.textContent('#fig-flags'), /^\d+$/);
    assert.match(await page.textContent('#fig-nps-sub'), /vs 30 days earlier/);
    assert.match(await page.textContent('#fig-csat'), /%$/);
    assert.match(await page.textContent('#source-line'), /as of 2026-11-20 17:00/);
    assert.match(await page.textContent('#wl-count'), /^\d+ actions$/);
    await page.screenshot({ path: path.join(RESULTS, 'demo-dashboard.png') });
    await page.screenshot({ path: path.join(RESULTS, 'demo-dashboard-full.png'), fullPage: true });
    // The planted neglect cases are found through the customer search and the kind filter (the
    // worklist ranks by expected loss, so most sit below the first page).
    const cases = planted.planted.filter((p) => !p.mustNotFlag && !p.snoozed);
    assert.ok(cases.length >= 10);
    for (const p of cases) {
      await filter(page, { search: p.customerId, kind: p.kind });
      const rows = await rowsOf(page);
      assert.ok(
        rows.some((r) => r.customer === p.customerId && r.kind === p.kind),
        `${p.customerId} ${p.kind} is not in the worklist: ${JSON.stringify(rows)}`,
      );
      if (p.evidence) assert.ok(rows.some((r) => r.text.includes(p.evidence.id)), `evidence ${p.evidence.id} shown`);
    }
    // Owner filter: the broken promise of C0218 belongs to the promise's owner, Alice Martin.
    await filter(page, { owner: 'Alice Martin', kind: 'broken_promise' });
    let rows = await rowsOf(page);
    assert.ok(rows.some((r) => r.customer === 'C0218'));
    assert.ok(rows.every((r) => r.owner === 'Alice Martin' && r.kind === 'broken_promise'));
    // Tier and band filters narrow; sorting by a column works.
    await filter(page, { tier: 'A', band: 'green' });
    rows = await rowsOf(page);
    assert.ok(rows.length > 0);
    for (const r of rows) assert.match(r.text, /green/);
    await filter(page, {});
    await page.click('#wl-table th[data-sort=uplift] button');
    await page.waitForFunction(() => document.querySelector('#wl-table th[data-sort=uplift]').getAttribute('aria-sort') === 'descending');
    const uplifts = await page.$$eval('#wl-body tr[data-customer]', (trs) => trs.map((tr) => Number(tr.children[7].textContent.replace(/[^\d.−-]/g, '').replace('−', '-')) || 0));
    assert.deepEqual(uplifts, [...uplifts].sort((a, b) => b - a));
    await page.click('#wl-table th[data-sort=rank] button');
    await page.waitForFunction(() => document.querySelector('#wl-table th[data-sort=rank]').getAttribute('aria-sort') === 'ascending');
    // Paging.
    await page.selectOption('#pg-size', '25');
    await page.click('#pg-next');
    await page.waitForFunction(() => document.querySelector('#wl-body tr td.rank')?.textContent === '26');
    await page.click('#pg-first');
    await page.waitForFunction(() => document.querySelector('#wl-body tr td.rank')?.textContent === '1');
    // Charts drawn (Chart.js canvases), reps, rejected rows with their reasons.
    await waitFacets(page, 1);
    for (const id of ['chart-daily', 'chart-health', 'chart-tier']) {
      const size = await page.$eval(`#${id}`, (c) => [c.width, c.height]);
      assert.ok(size[0] > 100 && size[1] > 100, `${id} drawn`);
    }
    assert.ok((await page.$$('#tbl-daily tbody tr')).length === 90);
    const health = await page.$$eval('#tbl-health tbody tr', (trs) => trs.map((tr) => Number(tr.lastElementChild.textContent.replace(/\D/g, ''))));
    assert.equal(health.length, 10);
    assert.equal(health.reduce((a, b) => a + b, 0), 300, 'every customer in one health bin');
    const tiers = await page.$$eval('#tbl-tier tbody tr', (trs) => trs.map((tr) => [...tr.children].slice(1).reduce((s, td) => s + Number(td.textContent.replace(/\D/g, '')), 0)));
    assert.equal(tiers.reduce((a, b) => a + b, 0), 300, 'every customer in one tier × risk cell');
    assert.match(await page.textContent('#f-kind option[value=win_back]'), /^Win back \(\d+\)$/);
    const reps = await page.$$eval('#reps-body tr', (trs) => trs.map((tr) => tr.textContent));
    assert.ok(reps.some((t) => t.includes('Alice Martin')));
    const rejected = await rejectedRows(page);
    assert.equal(rejected.length, planted.rejected.length);
    for (const r of planted.rejected) {
      assert.ok(
        rejected.some((x) => x[1] === `${r.table}[${r.index}]` && x[2] === r.id && x[3] === r.field && x[4].length > 5),
        `rejected ${r.table}[${r.index}] ${r.field}`,
      );
    }
    assert.match(await page.textContent('#notice'), /6 rows were rejected/);
    await d.check();
  } finally {
    await d.close();
  }
});

test('a customer panel shows its evidence: flag, due, overdue, actions with uplift, timeline', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    await filter(page, { search: 'C0135', kind: 'unreturned_contact' });
    // Keyboard: focus the customer's button and press Enter.
    await page.focus('#wl-body tr[data-customer=C0135] button.link');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#cust-body .timeline');
    const flag = await page.$eval('#cust-body tr[data-kind=unreturned_contact]', (tr) => [...tr.children].map((td) => td.textContent));
    assert.equal(flag[5], 'contacts CON-12215');
    assert.equal(flag[3], '2026-11-20 09:30', 'due');
    assert.match(flag[4], /^0\.\d+ business days$/, 'overdue');
    assert.equal(flag[7], 'open');
    const ev = await page.$eval('#cust-body li.tl[data-id="CON-12215"]', (li) => ({ cls: li.className, text: li.textContent }));
    assert.match(ev.cls, /is-evidence/);
    assert.match(ev.text, /evidence: Unreturned contact/);
    assert.match(ev.text, /inbound call \(missed\)/);
    // The outbound meeting after asOf is shown but marked as not counted.
    assert.ok((await page.$$('#cust-body li.tl.is-future')).length >= 1);
    const actions = await page.$$eval('#cust-body tr[data-kind]', (trs) => trs.map((tr) => tr.textContent));
    assert.ok(actions.some((t) => /\+\d+(\.\d)? health/.test(t)), 'an action with its uplift');
    const comps = await page.$$eval('#cust-body .facts', (l) => l.length);
    assert.equal(comps, 4, 'four health components with facts');
    const tables = await page.$$eval('#cust-body li.tl', (lis) => [...new Set(lis.map((li) => li.dataset.table))]);
    for (const t of ['orders', 'contacts']) assert.ok(tables.includes(t), `timeline has ${t}`);
    await page.screenshot({ path: path.join(RESULTS, 'demo-customer.png') });
    // Escape closes and gives the focus back.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('customer').open);
    assert.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.customer), 'C0135');

    // A snoozed flag is shown as such. C0192 has no open action: it opens from the search.
    await filter(page, { search: 'C0192' });
    assert.equal((await rowsOf(page)).length, 0);
    await page.click('#wl-customers button[data-customer=C0192]');
    await page.waitForSelector('#cust-body tr[data-kind=broken_promise]');
    const snoozed = await page.$eval('#cust-body tr[data-kind=broken_promise]', (tr) => tr.textContent);
    assert.match(snoozed, /snoozed until 2026-12-01/);
    assert.match(snoozed, /promises PRM-00430/);
    await page.click('#cust-close');
    await d.check();
  } finally {
    await d.close();
  }
});

test('the markup-named customer stays text and nothing runs', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    await filter(page, { search: 'Evil' });
    const btn = await page.$('#wl-body tr[data-customer=C0217] button.link');
    assert.equal(await btn.textContent(), EVIL);
    await btn.click();
    await page.waitForSelector('#cust-body .timeline');
    assert.equal(await page.textContent('#cust-title'), EVIL);
    const tl = await page.$eval('#cust-body li.tl[data-table=customers]', (li) => li.textContent);
    assert.ok(tl.includes(EVIL));
    assert.equal(await page.evaluate(() => document.querySelectorAll('img, b').length), 0, 'no element made from the name');
    await page.waitForTimeout(300);
    await d.check(); // no dialog: alert(1) never ran
  } finally {
    await d.close();
  }
});

test('a CSV set uploads and is analysed; rejected rows name file, line, column and field; the policy panel re-runs', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    const dir = path.join(SAMPLE_DIR, 'csv');
    const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => path.join(dir, f));
    assert.equal(files.length, 8);
    await page.setInputFiles('#file-input', files);
    await waitRuns(page, 2);
    assert.match(await page.textContent('#source-line'), /8 CSV files/);
    assert.equal(await page.textContent('#fig-customers'), '300');
    const input = await page.$$eval('#input-body tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.children[0].textContent, [...tr.children].slice(1).map((td) => td.textContent)])));
    assert.deepEqual(input.orders.slice(0, 2), ['orders.csv', '7,031']);
    assert.equal(input.orders[3], '3', 'orders rejected');
    assert.equal(input.feedback[1], '1,115', 'multi-line comments are one row each');
    const rejected = await rejectedRows(page);
    // ORD-05381's amount `abc` is on line 5382 of orders.csv (the header is line 1), column 4.
    const amountAt = readFileSync(path.join(dir, 'orders.csv'), 'utf8').split('\n')[0].split(',').indexOf('amount') + 1;
    assert.ok(rejected.some((r) => r[0] === 'orders.csv' && r[1] === `line 5382, column ${amountAt}` && r[2] === 'ORD-05381' && r[3] === 'amount' && /abc/.test(r[4])), JSON.stringify(rejected));
    // FBK-00877 (score 11): its line accounts for the multi-line comments above it.
    const fb = rejected.find((r) => r[2] === 'FBK-00877');
    const fbText = readFileSync(path.join(dir, 'feedback.csv'), 'utf8').split('\n');
    const fbLine = fbText.findIndex((l) => l.startsWith('FBK-00877,')) + 1;
    const scoreAt = fbText[0].split(',').indexOf('score') + 1;
    assert.deepEqual(fb.slice(0, 2), ['feedback.csv', `line ${fbLine}, column ${scoreAt}`]);
    // The CSV set at the sample's asOf gives the sample's planted flags.
    await page.fill('#p-asOf', '2026-11-20T17:00:00+00:00');
    await page.click('#policy-form button[type=submit]');
    await waitRuns(page, 3);
    assert.match(await page.textContent('#source-line'), /as of 2026-11-20 17:00/);
    await filter(page, { search: 'C0135', kind: 'unreturned_contact' });
    assert.equal((await rowsOf(page)).length, 1);
    // Policy: with 10 business days to return a contact, the missed call of the 19th is not yet due.
    await page.fill('#p-returnContactWithin', '10');
    await page.click('#policy-form button[type=submit]');
    await waitRuns(page, 4);
    await filter(page, { search: 'C0135', kind: '' });
    assert.ok(!(await rowsOf(page)).some((r) => r.kind === 'unreturned_contact'));
    assert.equal(await page.inputValue('#p-returnContactWithin'), '10');
    // The timeline of a CSV customer comes from the parsed CSV rows.
    await page.click('#wl-body tr[data-customer=C0135] button.link');
    await page.waitForSelector('#cust-body li.tl[data-id="CON-12215"]');
    await page.click('#cust-close');
    // An invalid policy value names its path; the page keeps the last results.
    await page.fill('#p-w-satisfaction', '-1');
    await page.click('#policy-form button[type=submit]');
    await page.waitForSelector('#error-box:not([hidden])');
    assert.match(await page.textContent('#error-message'), /options\.policy\.weights\.satisfaction/);
    assert.equal(await page.getAttribute('#p-w-satisfaction', 'aria-invalid'), 'true');
    assert.equal(await page.textContent('#fig-customers'), '300');
    await page.click('#policy-defaults');
    await waitRuns(page, 5);
    assert.equal(await page.inputValue('#p-w-satisfaction'), '0.35');
    await d.check();
  } finally {
    await d.close();
  }
});

test('malformed files: the message names the file (and line and column where it can), and the page stays usable', T, async () => {
  const d = await openDemo();
  const { page } = d;
  const lastError = (re) => page.waitForFunction((re) => new RegExp(re).test(document.getElementById('error-message').textContent), re.source);
  try {
    // 1. Broken JSON, dropped on the page.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['{"customers": [\n  {"id": "c1"},\n]}'], 'broken.json', { type: 'application/json' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector('#error-box:not([hidden])');
    assert.match(await page.textContent('#error-title'), /broken\.json/);
    assert.match(await page.textContent('#error-message'), /broken\.json: .*not valid JSON.*line 3 column 1/);
    assert.equal(await page.textContent('#fig-customers'), '300', 'the previous results stay');

    // 2. A CSV with a missing column: the engine names the file's table and the column.
    const customers = path.join(tmp, 'customers2.csv');
    writeFileSync(customers, 'id,name\nc1,Acme\n');
    writeFileSync(path.join(tmp, 'orders.csv'), 'id,customerId,at\nO1,c1,2026-01-01\n');
    await page.setInputFiles('#file-input', [customers, path.join(tmp, 'orders.csv')]);
    await lastError(/orders\.csv: .*the header \(line 1\) has no `amount` column/);
    assert.match(await page.textContent('#error-title'), /orders\.csv could not be analysed/);

    // 3. A file of another kind.
    writeFileSync(path.join(tmp, 'notes.xlsx'), 'x');
    await page.setInputFiles('#file-input', [path.join(tmp, 'notes.xlsx')]);
    await lastError(/notes\.xlsx/);

    // 4. A CSV file whose table cannot be told: the user chooses it, and its header is checked.
    writeFileSync(path.join(tmp, 'list.csv'), 'code,label\n1,x\n');
    await page.setInputFiles('#file-input', [customers, path.join(tmp, 'list.csv')]);
    await page.waitForSelector('#csv-map:not([hidden])');
    assert.equal(await page.inputValue('#csv-table-0'), 'customers');
    assert.equal(await page.inputValue('#csv-table-1'), '');
    await page.selectOption('#csv-table-1', 'snoozes');
    await page.click('#csv-map button[type=submit]');
    await lastError(/list\.csv: .*the header \(line 1\) has no `customerId`/);
    assert.equal(await page.textContent('#fig-customers'), '300', 'the previous results stay');

    // 5. A row with more cells than the header: rejected with its line, the rest analysed.
    const extra = path.join(tmp, 'customers.csv');
    writeFileSync(extra, 'id,name,owner\nc1,Acme,Alice\nc2,"Bolt, Inc",Bob,extra\n');
    await page.setInputFiles('#file-input', [extra]);
    await waitRuns(page, 2);
    assert.equal(await page.isHidden('#error-box'), true);
    assert.equal(await page.textContent('#fig-customers'), '1');
    const [rejected] = await rejectedRows(page);
    assert.deepEqual(rejected.slice(0, 2), ['customers.csv', 'line 3']);
    assert.match(rejected[4], /4 cells where the header has 3/);

    // The page still works: filters answer, the sample loads again.
    await filter(page, { search: 'c1' });
    assert.ok((await rowsOf(page)).every((r) => r.customer === 'c1'));
    await page.click('#load-sample');
    await waitRuns(page, 3);
    assert.equal(await page.textContent('#fig-customers'), '300');
    await d.check();
  } finally {
    await d.close();
  }
});

test('a CSV upload is parsed by the engine: a bad cell is rejected with its file, line and column', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    // A quoted name over two lines: the rows after it are one line further down the file.
    writeFileSync(path.join(tmp, 'customers.csv'), 'id,name,createdAt\nc1,"Acme\nHoldings",2024-01-01\nc2,Bolt,2024-99-01\n');
    writeFileSync(path.join(tmp, 'orders.csv'), 'id,customerId,at,amount\nO1,c1,2026-01-01,12.50\nO2,c1,2026-13-45,10\nO3,c9,2026-01-02,5\nO4,c1,2026-01-03,abc\n');
    await page.setInputFiles('#file-input', [path.join(tmp, 'customers.csv'), path.join(tmp, 'orders.csv')]);
    await waitRuns(page, 2);
    assert.equal(await page.isHidden('#error-box'), true);
    const rejected = (await rejectedRows(page)).map((r) => r.slice(0, 4).join(' | '));
    assert.deepEqual(rejected, [
      'customers.csv | line 4, column 3 | c2 | createdAt',
      'orders.csv | line 3, column 3 | O2 | at',
      'orders.csv | line 4, column 2 | O3 | customerId',
      'orders.csv | line 5, column 4 | O4 | amount',
    ]);
    assert.match(await page.textContent('#notice'), /4 rows were rejected.*customers\.csv, line 4, column 3 \(c2\), field createdAt/);
    const input = await page.$$eval('#input-body tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.children[0].textContent, [...tr.children].slice(1).map((td) => td.textContent)])));
    assert.deepEqual(input.orders, ['orders.csv', '4', '1', '3', '0']);
    // The multi-line name is one cell of one row.
    await page.click('#wl-body tr[data-customer=c1] button.link, #cl-body tr[data-customer=c1] button.link');
    await page.waitForSelector('#cust-body .timeline');
    assert.equal(await page.textContent('#cust-title'), 'Acme\nHoldings');
    const buying = async () => page.$$eval('#cust-body .tile', (ts) => ts.map((t) => [...t.children].map((c) => c.textContent)).find((t) => t[0] === 'Buying'));
    assert.equal((await buying())[1], 'lapsed', 'one order, in January');
    await page.click('#cust-close');
    // Without an orders file, buying is not recorded (not "never").
    await page.setInputFiles('#file-input', [path.join(tmp, 'customers.csv')]);
    await waitRuns(page, 3);
    await page.click('#wl-body tr[data-customer=c1] button.link, #cl-body tr[data-customer=c1] button.link');
    await page.waitForSelector('#cust-body .timeline');
    assert.deepEqual(await buying(), ['Buying', 'not recorded', 'no orders in the export']);
    await page.click('#cust-close');
    // No CSV library is loaded (by the page or its workers): the worker passes the bytes to the engine.
    assert.ok(d.requests.some((r) => r.endsWith('/pkg/wasm/tend_bg.wasm')), 'the worker requests are seen');
    assert.ok(!d.requests.some((r) => /papaparse|vendor\/(?!chart)/i.test(r)), d.requests.join(' '));
    assert.ok(!existsSync(path.join(REPO_ROOT, 'www/vendor/papaparse.min.js')));
    await d.check();
  } finally {
    await d.close();
  }
});

test('cancel stops the worker and keeps the previous results; the worklist exports as CSV', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    await page.evaluate(() => {
      document.getElementById('load-sample').click();
      document.getElementById('cancel').click();
    });
    await page.waitForFunction(() => /cancelled/.test(document.getElementById('notice').textContent));
    assert.equal(await page.isHidden('#run-status'), true);
    assert.equal(await page.getAttribute('body', 'data-runs'), '1');
    await filter(page, { kind: 'delivery_failure' });
    assert.ok((await rowsOf(page)).length >= 2, 'the kept worker still answers');
    // A new run after the cancel works.
    await page.click('#load-sample');
    await waitRuns(page, 2);

    await filter(page, { search: 'Evil' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const file = path.join(tmp, 'export.csv');
    await download.saveAs(file);
    const csv = readFileSync(file, 'utf8');
    const lines = csv.split('\r\n');
    assert.match(lines[0], /^"rank","customerId","customerName","owner","kind",/);
    assert.ok(lines[1].includes('"<img src=x onerror=""alert(1)""> Evil & Co <b>Ltd</b>"'), lines[1]);
    assert.equal(lines.at(-1), '', 'CRLF after the last record');
    await filter(page, {});
    const [all] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    await all.saveAs(file);
    const n = readFileSync(file, 'utf8').split('\r\n').length - 2;
    assert.equal(String(n), (await page.textContent('#wl-count')).replace(/\D/g, ''));
    await d.check();
  } finally {
    await d.close();
  }
});

test('the worker sends pages and one customer, never the whole report', T, async () => {
  const { analyze } = await import('../../pkg/index.js');
  const reportSize = JSON.stringify(analyze(readFileSync(path.join(SAMPLE_DIR, 'export.json')))).length;
  const d = await openDemo();
  const { page } = d;
  try {
    await waitFacets(page, 1);
    await page.click('#pg-next');
    await page.waitForFunction(() => document.querySelector('#wl-body tr td.rank')?.textContent === '51');
    await page.click('#wl-table th[data-sort=overdue] button');
    await page.waitForFunction(() => document.querySelector('#wl-table th[data-sort=overdue]').getAttribute('aria-sort') === 'descending');
    // The customers list is virtual: End goes to its last row, its page asked of the worker.
    await page.focus('#cl-body tr.vrow button.link');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.activeElement?.closest('tr')?.getAttribute('aria-rowindex') === '301');
    await page.click('#cl-body tr[data-customer] button.link');
    await page.waitForSelector('#cust-body .timeline');
    await page.click('#cust-close');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    await download.saveAs(path.join(tmp, 'all.csv'));
    const messages = await page.evaluate(() => window.__fromWorker);
    const replies = messages.filter((m) => m.type !== 'progress');
    assert.ok(replies.length >= 8, JSON.stringify(replies));
    // The page holds the rows on screen: pages of at most the page size, one customer, one summary.
    const largest = Math.max(...replies.map((m) => m.size));
    assert.ok(largest > 0 && largest < reportSize / 10, `largest message ${largest} chars, the report ${reportSize}`);
    for (const m of replies.filter((m) => m.items !== null)) assert.ok(m.items <= 50, JSON.stringify(m));
    const loads = replies.filter((m) => m.keys.includes('summary'));
    assert.equal(loads.length, 1);
    assert.ok(!replies.some((m) => m.keys.includes('report') || m.keys.includes('worklist')), 'no report, no whole worklist');
    // The export comes as one Blob, written by the worker page by page.
    const exported = replies.find((m) => m.blob !== null);
    assert.ok(exported?.blob > 10_000, JSON.stringify(exported));
    assert.ok((await page.$$('#wl-body tr')).length <= 50);
    await d.check();
  } finally {
    await d.close();
  }
});

test('phone width (375 px): no horizontal overflow, worklist and customer panel usable', T, async () => {
  const d = await openDemo({ viewport: { width: 375, height: 812 } });
  const { page } = d;
  try {
    const overflow = () => page.evaluate(() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]);
    let [doc, body, w] = await overflow();
    assert.ok(doc <= w && body <= w, `page ${doc}/${body} px wide in a ${w} px viewport`);
    // Every visible element fits (a table may scroll inside its own wrapper).
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.table-wrap, dialog, .sections') && e.getClientRects().length)
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => `${e.tagName}#${e.id}.${e.className}`)
        .slice(0, 5),
    );
    assert.deepEqual(wide, []);
    await page.screenshot({ path: path.join(RESULTS, 'demo-phone.png') });
    await filter(page, { search: 'C0217' });
    await page.click('#wl-body tr[data-customer=C0217] button.link');
    await page.waitForSelector('#cust-body .timeline');
    [doc, body, w] = await overflow();
    assert.ok(doc <= w && body <= w, `with the customer panel: ${doc}/${body} px in ${w} px`);
    await page.screenshot({ path: path.join(RESULTS, 'demo-phone-customer.png') });
    await d.check();
  } finally {
    await d.close();
  }
});

test('the page declares its CSP and loads nothing from elsewhere; controls are labelled and reachable by keyboard', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.tagName === 'BUTTON' && e.textContent.trim())))
        .map((e) => e.id || e.outerHTML.slice(0, 60)),
    );
    assert.deepEqual(unlabelled, []);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'file-input');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'load-sample');
    const csp = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(csp, /worker-src 'self'/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval'(?!)/);
    const html = readFileSync(path.join(REPO_ROOT, 'www/index.html'), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline style');
    assert.doesNotMatch(html, /https?:\/\//, 'no absolute URL');
    const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.ok(resources.length > 0);
    for (const r of resources) assert.ok(r.startsWith(`${new URL(page.url()).origin}/`), r);
    await d.check();
  } finally {
    await d.close();
  }
});

registerViewTests({ openDemo, results: RESULTS, sampleDir: SAMPLE_DIR });
