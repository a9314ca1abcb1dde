// The demo page's uploads: a CSV set analysed with its rejected rows (file, line, column, field)
// and the policy panel's re-runs; malformed files named in the message while the page stays
// usable; CSV parsed by the engine (no CSV library in the page). The browser, the server and
// the helpers are harness.mjs's.
//
//   node --test tests/e2e/demo-files.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { useDemo, openDemo, waitRuns, filter, rowsOf, rejectedRows, tmp, REPO_ROOT, SAMPLE_DIR, T } from './harness.mjs';

useDemo();

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
