// The demo page's views (customers, This week, Drivers), the customer panel's history and
// insights, the URL state and axe-core on every view; the drivers view over an uploaded export
// with a planted driver (planted.mjs). The browser, the server and `openDemo` are harness.mjs's.
// axe-core comes from node_modules, injected by URL (same origin, so the page's CSP stays
// enforced).
//
//   node --test tests/e2e/demo-views.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { useDemo, openDemo, waitRuns, tmp, RESULTS, SAMPLE_DIR } from './harness.mjs';
import { plantedDrivers, PLANTED, NULL_EVENT } from './planted.mjs';

const T = { timeout: 180_000 };
const AXE = '/node_modules/axe-core/axe.min.js';
const VIEWS = ['worklist', 'customers', 'week', 'drivers', 'charts', 'reps', 'quality', 'policy'];

// Serious and critical axe violations on the page as it is (`context`: a selector, or the page).
async function axe(page, context = null) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ url: AXE });
  const res = await page.evaluate(async (context) => {
    const r = await window.axe.run(context ? document.querySelector(context) : document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }, context);
  return res;
}

const waitRoute = (page) => page.waitForFunction(() => document.body.dataset.route === 'ready' && document.body.dataset.state === 'ready', null, { timeout: 90_000 });

useDemo();

const engine = async () => {
  const { Tend } = await import('../../pkg/index.js');
  return Tend.load(readFileSync(path.join(SAMPLE_DIR, 'export.json')));
};

test('customers view: a customer without actions is found by name and opens its panel; history, attribution, insights', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    await page.click('nav a[data-view=customers]');
    await page.fill('#cl-search', 'Seeland Garden');
    await page.waitForFunction(() => document.getElementById('cl-count').textContent === '1 customer' && document.getElementById('cl-table').dataset.busy === '0');
    const rows = await page.$$eval('#cl-body tr[data-customer]', (trs) => trs.map((tr) => tr.dataset.customer));
    assert.deepEqual(rows, ['C0026']);
    assert.equal(await page.textContent('#cl-body tr[data-customer=C0026] td[data-label=Actions]'), '0');
    // The list is virtual and whole: filters by owner, tier and lapse window; sorted by a column;
    // the keyboard reaches every row.
    const e0 = await engine();
    const busy = () => page.waitForFunction(() => document.getElementById('cl-table').dataset.busy === '0');
    const count = (q) => e0.customers({ ...q, limit: 0 }).total;
    await page.fill('#cl-search', '');
    await page.selectOption('#cl-owner', 'Alice Martin');
    await page.selectOption('#cl-tier', 'B');
    await page.waitForFunction((n) => document.getElementById('cl-count').textContent === `${n} customers`, count({ owner: 'Alice Martin', tier: 'B' }));
    await page.fill('#cl-lapse', '300');
    await page.waitForFunction((n) => document.getElementById('cl-count').textContent.startsWith(`${n} customer`), count({ owner: 'Alice Martin', tier: 'B', lapseWithin: 300 }));
    assert.equal(new URL(page.url()).searchParams.get('clapse'), '300');
    await page.click('#cl-filters button[type=reset]');
    await page.waitForFunction(() => document.getElementById('cl-count').textContent === '300 customers');
    await page.click('#cl-table th[data-sort=name] button');
    await page.waitForFunction(() => document.querySelector('#cl-table th[data-sort=name]').getAttribute('aria-sort') === 'ascending');
    await busy();
    const byName = e0.customers({ sort: 'name:asc', limit: 300 }).items.map((c) => c.id);
    assert.deepEqual(await page.$$eval('#cl-body tr.vrow[data-customer]', (trs) => trs.slice(0, 5).map((tr) => tr.dataset.customer)), byName.slice(0, 5));
    assert.ok((await page.$$('#cl-body tr.vrow')).length < 60, 'only the rows in view are in the DOM');
    await page.focus('#cl-body tr.vrow button.link');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('End');
    await page.waitForFunction((id) => document.activeElement?.closest('tr')?.dataset.customer === id, byName.at(-1));
    await page.keyboard.press('Home');
    await page.waitForFunction((id) => document.activeElement?.closest('tr')?.dataset.customer === id, byName[0]);
    e0.free();
    await page.fill('#cl-search', 'Seeland Garden');
    await page.waitForFunction(() => document.getElementById('cl-count').textContent === '1 customer' && document.getElementById('cl-table').dataset.busy === '0');
    await page.screenshot({ path: path.join(RESULTS, 'demo-view-customers.png') });
    await page.click('#cl-body tr[data-customer=C0026] button.link');
    await page.waitForSelector('#cust-history svg');
    assert.equal(await page.textContent('#cust-title'), 'Seeland Garden Supply');
    // The predicted lapse and the rhythm's next order; the RFM segment explained beside the status.
    assert.match(await page.textContent('#cust-body .tile-s.lapse'), /predicted to lapse around 2027-|lapsed since/);
    assert.match(await page.textContent('#cust-body .tile-s.lapse'), /next order due \d{4}-\d\d-\d\d/);
    assert.match(await page.textContent('#cust-body .label-note'), /ranks this customer.*against the portfolio.*its own usual rhythm/);
    assert.ok(new URL(page.url()).searchParams.get('customer') === 'C0026');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('customer').open);

    // A planted broken promise (C0218) shows in its history's attribution, on focus and in the list.
    const e = await engine();
    const h = e.history('C0218', { weeks: 26 });
    const promise = h.changes.find((c) => c.causes.some((x) => /promise/i.test(x.message)));
    assert.ok(promise, 'the sample has a promise in C0218 history');
    await page.fill('#cl-search', 'C0218');
    await page.waitForFunction(() => document.getElementById('cl-count').textContent === '1 customer' && document.querySelector('#cl-body tr[data-customer=C0218]'));
    await page.focus('#cl-body tr[data-customer=C0218] button.link');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#cust-history svg');
    assert.equal(await page.$$eval('#cust-history circle.hist-pt', (c) => c.length), h.points.length);
    await page.focus(`#cust-history .hist-hit[data-change="${promise.to}"]`);
    const tip = await page.textContent('#cust-history .hist-tip');
    assert.match(tip, /attention: .*promise/i, tip);
    const listed = await page.textContent(`#cust-body ol.changes > li[data-change="${promise.to}"]`);
    assert.ok(promise.causes.every((c) => listed.includes(c.message)), listed);
    // The data table of the chart has a row per week.
    assert.equal(await page.$$eval('#cust-body details table tbody tr', (trs) => trs.length), h.points.length);
    // The drivers that hit it (when the engine offers them), drawn a frame after the chart.
    await page.waitForSelector('#cust-drivers');
    assert.match(await page.textContent('#cust-body'), /Drivers that hit this customer/);
    let hits = null;
    try {
      hits = e.driversOf('C0218');
    } catch {} // a package without driversOf yet: the panel says so
    const shown = await page.$$eval('#cust-drivers tbody tr', (trs) => trs.map((tr) => `${tr.dataset.event}/${tr.dataset.survey}`));
    if (hits) assert.deepEqual(shown, hits.map((x) => `${x.event}/${x.survey}`));
    else assert.match(await page.textContent('#cust-drivers'), /Not available/);
    await page.screenshot({ path: path.join(RESULTS, 'demo-customer-history.png') });
    // The panel keeps the focus: Tab from the last control comes back to the first.
    const cycle = await page.evaluate(() => {
      const dlg = document.getElementById('customer');
      const all = [...dlg.querySelectorAll('button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')].filter((n) => !n.disabled && n.getClientRects().length);
      all.at(-1).focus();
      return all.length;
    });
    assert.ok(cycle > 2);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'cust-close');
    await page.keyboard.press('Shift+Tab');
    assert.ok(await page.evaluate(() => document.getElementById('customer').contains(document.activeElement)));
    assert.deepEqual(await axe(page, '#customer'), [], 'axe on the open panel');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('customer').open);
    assert.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.customer), 'C0218');
    e.free();
    await d.check();
  } finally {
    await d.close();
  }
});

test('drivers view and This week: the engine’s drivers with intervals and costs; the changes by value, 7 and 30 days', T, async () => {
  const e = await engine();
  const drivers = e.drivers();
  const week = e.changes({ days: 7 });
  const month = e.changes({ days: 30 });
  e.free();
  const d = await openDemo();
  const { page } = d;
  try {
    await page.click('nav a[data-view=drivers]');
    await page.waitForFunction(() => Number(document.body.dataset.drivers ?? 0) >= 1);
    assert.equal(new URL(page.url()).searchParams.get('view'), 'drivers');
    assert.ok(await page.isHidden('#worklist'), 'one view at a time');
    const top = drivers.drivers[0];
    const g = await page.$eval(`#drivers-charts figure[data-survey=${top.survey}] g[data-event="${top.event}"]`, (g) => ({ cls: g.getAttribute('class'), text: g.textContent }));
    assert.equal(g.cls.includes('sig'), top.significant);
    assert.ok(g.text.includes(String(top.cost)), g.text);
    const ns = drivers.drivers.filter((x) => !x.significant).length;
    assert.equal(await page.$$eval('#drivers-charts g.drv.ns', (gs) => gs.length), ns);
    assert.equal(await page.$$eval('#drivers-table tbody tr', (trs) => trs.length), drivers.drivers.length);
    assert.match(await page.textContent('#drivers'), /associations in observational data, not experiments/);
    assert.match(await page.textContent('#drivers-count'), new RegExp(`at least ${drivers.minPairs} answer pairs`));
    await page.screenshot({ path: path.join(RESULTS, 'demo-view-drivers.png'), fullPage: true });

    await page.click('nav a[data-view=week]');
    await page.waitForFunction((n) => document.querySelectorAll('#wk-body tr[data-customer]').length === n, Math.min(25, week.total));
    assert.deepEqual(await page.$$eval('#wk-body tr[data-customer]', (trs) => trs.map((tr) => tr.dataset.customer)), week.items.slice(0, 25).map((c) => c.id));
    await page.click('#wk-days button[data-days="30"]');
    await page.waitForFunction((n) => document.querySelectorAll('#wk-body tr[data-customer]').length === n && /last 30 days/.test(document.getElementById('wk-count').textContent), Math.min(25, month.total));
    const ids = await page.$$eval('#wk-body tr[data-customer]', (trs) => trs.map((tr) => tr.dataset.customer));
    assert.deepEqual(ids, month.items.slice(0, 25).map((c) => c.id), 'ranked by value');
    assert.equal(new URL(page.url()).searchParams.get('days'), '30');
    await page.screenshot({ path: path.join(RESULTS, 'demo-view-week.png'), fullPage: true });
    await page.click(`#wk-body tr[data-customer=${ids[0]}] button.link`);
    await page.waitForSelector('#cust-history svg');
    assert.equal(new URL(page.url()).searchParams.get('customer'), ids[0]);
    await page.keyboard.press('Escape');
    await d.check();
  } finally {
    await d.close();
  }
});

test('the URL restores a screen: back button and a bookmark', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    await page.click('nav a[data-view=customers]');
    await page.selectOption('#cl-band', 'amber');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('cband') === 'amber');
    await page.waitForFunction(() => document.getElementById('cl-table').dataset.busy === '0');
    await page.click('#cl-body tr[data-customer] button.link');
    await page.waitForSelector('#cust-history svg');
    const url = page.url();
    const id = new URL(url).searchParams.get('customer');
    assert.ok(id);
    // Back: the panel closes, the filtered customers view stays.
    await page.goBack();
    await page.waitForFunction(() => !document.getElementById('customer').open);
    assert.equal(await page.inputValue('#cl-band'), 'amber');
    assert.equal(await page.evaluate(() => document.body.dataset.view), 'customers');
    // Back again: the filter goes; forward twice: the panel comes back.
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('cl-band').value === '');
    await page.goForward();
    await page.goForward();
    await page.waitForFunction((id) => document.getElementById('customer').open && new URL(location.href).searchParams.get('customer') === id, id);
    await page.waitForSelector('#cust-history svg');
    // A bookmark: the same screen in a fresh page.
    const b = await openDemo({ wait: false, url });
    try {
      await waitRoute(b.page);
      await b.page.waitForSelector('#cust-history svg');
      assert.equal(await b.page.evaluate(() => document.body.dataset.view), 'customers');
      assert.equal(await b.page.inputValue('#cl-band'), 'amber');
      const rows = await b.page.$$eval('#cl-body tr[data-customer] td[data-label=Health] .band', (s) => s.map((x) => x.textContent));
      assert.ok(rows.length && rows.every((x) => x === 'amber'), rows.join());
      assert.equal(await b.page.evaluate(() => new URL(location.href).searchParams.get('customer')), id);
      await b.check();
    } finally {
      await b.close();
    }
    await d.check();
  } finally {
    await d.close();
  }
});

test('axe-core: no serious or critical violation on any view; every view reachable by keyboard', T, async () => {
  const d = await openDemo();
  const { page } = d;
  try {
    assert.deepEqual(await axe(page), [], 'axe on the overview');
    for (const view of VIEWS) {
      await page.focus(`nav a[data-view=${view}]`);
      await page.keyboard.press('Enter');
      await page.waitForFunction((v) => document.body.dataset.view === v, view);
      await page.waitForFunction(() => [...document.querySelectorAll('table[data-busy]')].every((t) => t.dataset.busy === '0'));
      assert.deepEqual(await axe(page), [], `axe on ${view}`);
      if (view !== 'drivers') await page.screenshot({ path: path.join(RESULTS, `demo-view-${view}.png`), fullPage: view !== 'policy' });
    }
    // Every enabled control in the page can take the keyboard focus (no tabindex=-1 traps).
    const unreachable = await page.evaluate(() => [...document.querySelectorAll('button, a[href], input, select, textarea, summary')].filter((e) => !e.disabled && e.tabIndex < 0 && !e.closest('[hidden]')).map((e) => e.id || e.outerHTML.slice(0, 60)));
    assert.deepEqual(unreachable, []);
    await d.check();
  } finally {
    await d.close();
  }
});

test('drivers view over an uploaded export: the planted driver is significant with its sign, the one without an effect n.s.', T, async () => {
  const planted = plantedDrivers();
  const find = (drivers, q) => drivers.find((x) => x.event === q.event && x.survey === q.survey);
  // The assertions below tell the planted export from one without the effect: the same
  // customers, events and seed with effect 0 give no significant broken-promise driver.
  const { Tend } = await import('../../pkg/index.js');
  const flat = Tend.load(Buffer.from(JSON.stringify(plantedDrivers({ effect: 0 }))));
  const unplanted = find(flat.drivers().drivers, PLANTED);
  flat.free();
  assert.ok(unplanted && !unplanted.significant, JSON.stringify(unplanted));

  const file = path.join(tmp, 'planted-drivers.json');
  writeFileSync(file, JSON.stringify(planted));
  const d = await openDemo();
  const { page } = d;
  try {
    await page.setInputFiles('#file-input', [file]);
    await waitRuns(page, 2);
    assert.equal(await page.textContent('#fig-customers'), String(planted.data.customers.length));
    const rendered = await page.evaluate(() => Number(document.body.dataset.drivers ?? 0));
    await page.click('nav a[data-view=drivers]');
    await page.waitForFunction((n) => Number(document.body.dataset.drivers ?? 0) > n, rendered);
    // The chart: the planted driver filled (not .ns), first (most costly) in the NPS chart.
    const marks = await page.$$eval('#drivers-charts figure[data-survey=nps] g.drv', (gs) => gs.map((g) => ({ event: g.dataset.event, cls: g.getAttribute('class'), label: g.querySelector('.drv-label').textContent })));
    const mark = marks.find((m) => m.event === PLANTED.event);
    assert.ok(mark, JSON.stringify(marks));
    assert.match(mark.cls, /\bsig\b/);
    assert.doesNotMatch(mark.cls, /\bns\b/);
    assert.doesNotMatch(mark.label, /n\.s\./);
    assert.equal(marks[0].event, PLANTED.event, 'ranked first by cost');
    // The table: a negative effect whose interval excludes 0 and holds the planted −2.5; every
    // broken promise counted (each lies in a span between two answers, one per span).
    const num = (s) => Number(s.replace(/,/g, '').replace('−', '-'));
    const row = async (q) => {
      const tr = await page.$(`#drivers-table tbody tr[data-event="${q.event}"][data-survey=${q.survey}]`);
      return tr && tr.$$eval('th, td', (cs) => cs.map((c) => c.textContent));
    };
    const [, survey, events, pairs, effect, interval, significant, cost] = await row(PLANTED);
    const [low, high] = interval.split(' … ').map(num);
    assert.equal(survey, 'NPS');
    assert.equal(significant, 'yes');
    assert.ok(num(effect) < 0 && low <= -2.5 && -2.5 <= high && high < 0, `${effect} (${interval})`);
    assert.ok(num(cost) < 0, cost);
    assert.equal(num(events), planted.data.promises.length);
    assert.equal(num(pairs), planted.data.promises.length);
    // The damaged deliveries, as frequent and harmless: absent or marked n.s.
    const nullMark = marks.find((m) => m.event === NULL_EVENT.event);
    if (nullMark) {
      assert.match(nullMark.cls, /\bns\b/);
      assert.match(nullMark.label, /\(n\.s\.\)/);
      assert.equal((await row(NULL_EVENT))[6], 'no');
    }
    assert.match(await page.textContent('#drivers-count'), /^2 drivers, 1 significant/);
    await page.screenshot({ path: path.join(RESULTS, 'demo-view-drivers-planted.png'), fullPage: true });
    await d.check();
  } finally {
    await d.close();
  }
});
