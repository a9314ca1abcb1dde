// The demo page's worklist and customer panel over the bundled sample: key figures, the planted
// cases, filters, sorting, paging, charts; the panel's evidence; a markup-named customer; cancel
// and the CSV export; the worker's messages (pages, never the whole report). The browser, the
// server and the helpers are harness.mjs's.
//
//   node --test tests/e2e/demo-worklist.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csvCell, csvLine, tableFromFileName, tableFromHeader } from '../../www/shared.js';
import { useDemo, openDemo, waitRuns, waitFacets, filter, rowsOf, rejectedRows, fullPageScreenshot, planted, tmp, RESULTS, SAMPLE_DIR, T } from './harness.mjs';

const EVIL = '<img src=x onerror="alert(1)"> Evil & Co <b>Ltd</b>';

useDemo();

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
    await fullPageScreenshot(page, path.join(RESULTS, 'demo-dashboard-full.png'));
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
