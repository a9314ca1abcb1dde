// The Manifest V3 extension, end to end: headless Chromium with the unpacked extension
// (extension/dist, built by scripts/extension.sh) against pages served on 127.0.0.1.
//
//   node --test tests/e2e/extension.test.mjs
//
// Expected values are computed here, in Node, with the package itself (pkg/index.js) from the
// same records the pages hold: nothing about the sample is hard-coded. Each test uses a fresh
// profile; every request must stay on 127.0.0.1 / localhost / the extension. Screenshots go to
// test-results/ (extension-crm.png, extension-popup.png, extension-generic.png,
// extension-options.png). The service worker keeps one engine per page; its counters
// (globalThis.tendStats), live engines (globalThis.tendEngines) and bound
// (globalThis.tendConfig) are read and set through Playwright's worker.evaluate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, REPO_ROOT } from './server.mjs';
import { crmEnvelope } from '../../extension/tools/pages-data.mjs';

const DIST = path.join(REPO_ROOT, 'extension/dist');
const RESULTS = path.join(REPO_ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 20_000;

let server;
let tend;

before(async () => {
  assert.ok(existsSync(path.join(DIST, 'manifest.json')), 'extension/dist is missing: run scripts/extension.sh (make extension)');
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
  tend = await import(path.join(REPO_ROOT, 'pkg/index.js'));
  server = await startServer({ root: REPO_ROOT });
  await mkdir(RESULTS, { recursive: true });
});

after(async () => {
  await server?.close();
});

// ───────────────────────────── helpers ─────────────────────────────

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

const LOCAL_SITES = ['http://127.0.0.1/*', 'http://localhost/*'];

// `local`: the local pages enabled in the test profile (chrome.storage.sync `localSites`, as the
// options page's checkboxes set it), both by default: Tend reads no local page until then.
async function launch({ local = LOCAL_SITES } = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'tend-ext-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      `--disable-extensions-except=${DIST}`,
      `--load-extension=${DIST}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // No request may leave the machine.
  const offsite = [];
  const allowed = (u) => {
    const url = new URL(u);
    if (['chrome-extension:', 'data:', 'blob:', 'about:'].includes(url.protocol)) return true;
    return LOCAL_HOSTS.has(url.hostname);
  };
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (allowed(u)) return route.continue();
    offsite.push(u);
    return route.abort();
  });
  context.on('request', (r) => {
    if (!allowed(r.url())) offsite.push(r.url());
  });
  const sw = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? (await context.waitForEvent('serviceworker', { timeout: TIMEOUT }));
  const id = new URL(sw.url()).host;
  if (local.length) {
    await sw.evaluate((l) => chrome.storage.sync.set({ localSites: l }), local);
    await until(() => sw.evaluate(() => chrome.scripting.getRegisteredContentScripts()), (r) => r.some((s) => s.id === 'tend-local-sites' && s.matches.length === local.length), 'the local pages\' content scripts registered');
  }
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  return {
    context,
    sw,
    id,
    offsite,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
      assert.deepEqual(offsite, [], 'requests left the machine');
    },
  };
}

/** Whether Tend's content script runs in the tab showing `url` (asked in the extension's
 * isolated world, where the content scripts live). */
async function injected(sw, url) {
  return sw.evaluate(async (u) => {
    const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
    const [r] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: () => globalThis.__tendContent === true });
    return r.result;
  }, url);
}

const openFlags = (c) => c.neglect.filter((f) => !f.snoozed).length;

/** The generic page's envelope, read from the served file. */
async function genericEnvelope() {
  const html = await readFile(path.join(REPO_ROOT, 'www/generic.html'), 'utf8');
  const m = /<script type="application\/json" data-tend-export>([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'www/generic.html has no data-tend-export script');
  return JSON.parse(m[1]);
}

/** Every badge host on the page, per marked row: [{ id, badges: [{ flags, band, risk, shadow }] }]. */
function badgesPerRow(page, rowSelector, idAttr) {
  return page.evaluate(
    ([sel, attr]) =>
      [...document.querySelectorAll(sel)].map((row) => ({
        id: row.getAttribute(attr),
        badges: [...row.querySelectorAll('[data-tend-badge]')].map((h) => ({
          customer: h.getAttribute('data-tend-badge'),
          flags: h.getAttribute('data-tend-flags'),
          band: h.getAttribute('data-tend-band'),
          risk: h.getAttribute('data-tend-risk'),
          shadow: h.shadowRoot !== null,
        })),
      })),
    [rowSelector, idAttr],
  );
}

// Waits until every row holds exactly one live badge (a shadow root) and `check` passes.
async function settled(page, rowSelector, idAttr, check = () => true) {
  const deadline = Date.now() + TIMEOUT;
  let rows;
  for (;;) {
    rows = await badgesPerRow(page, rowSelector, idAttr);
    const ok = rows.length > 0 && rows.every((r) => r.badges.length === 1 && r.badges[0].shadow) && check(rows);
    if (ok) {
      // Still so a moment later: no late duplicate.
      await page.waitForTimeout(300);
      const again = await badgesPerRow(page, rowSelector, idAttr);
      if (JSON.stringify(again) === JSON.stringify(rows)) return rows;
    }
    if (Date.now() > deadline) {
      assert.fail(`badges did not settle: ${JSON.stringify(rows.filter((r) => r.badges.length !== 1).slice(0, 5))} (${rows.length} rows)`);
    }
    await page.waitForTimeout(100);
  }
}

function assertMatches(rows, report) {
  const byId = new Map(report.customers.map((c) => [c.id, c]));
  for (const r of rows) {
    const c = byId.get(r.id);
    assert.ok(c, `row ${r.id} is not in the report`);
    const [b] = r.badges;
    assert.equal(b.customer, r.id);
    assert.equal(b.flags, String(openFlags(c)), `${r.id}: data-tend-flags`);
    assert.equal(b.band, c.health.band, `${r.id}: data-tend-band`);
    assert.equal(b.risk, c.risk.level, `${r.id}: data-tend-risk`);
  }
}

const stats = (sw) => sw.evaluate(() => structuredClone(globalThis.tendStats));
const engines = (sw) => sw.evaluate(() => globalThis.tendEngines.list());

/** The id of the tab `page` is in, as the worker knows it from that page's engine. */
async function tabOf(ext, page) {
  const live = await engines(ext.sw);
  const e = live.find((x) => x.url === page.url());
  assert.ok(e, `the worker holds an engine for ${page.url()}: ${JSON.stringify(live)}`);
  return e.tab;
}

// The tooltip's text once its details (asked for when it opens) are shown.
async function tooltipOf(page, row) {
  const badge = page.locator(row).locator('tend-badge .b');
  await badge.hover();
  const tip = page.locator(row).locator('tend-badge .tip[data-detail="ready"]');
  await tip.waitFor({ state: 'visible', timeout: TIMEOUT });
  return tip.textContent();
}

// ───────────────────────────── tests ─────────────────────────────

test('generic adapter: one badge per marked row, flag counts, healthy rows, re-render, data change', async () => {
  const env = await genericEnvelope();
  const report = tend.analyze(env);
  const ext = await launch();
  try {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    const ROW = '[data-tend-customer]';
    const rows = await settled(page, ROW, 'data-tend-customer');
    assert.equal(rows.length, env.data.customers.length);
    assertMatches(rows, report);

    // Healthy customers carry no flags; the neglected ones do.
    const healthy = report.customers.filter((c) => openFlags(c) === 0);
    assert.ok(healthy.length >= 3, 'the page has healthy customers');
    for (const c of healthy) assert.equal(rows.find((r) => r.id === c.id).badges[0].flags, '0');
    assert.ok(rows.some((r) => Number(r.badges[0].flags) > 0), 'some customers are flagged');
    // A snoozed flag does not count.
    const snoozed = report.customers.find((c) => c.neglect.some((f) => f.snoozed));
    assert.ok(snoozed, 'the page has a snoozed flag');
    assert.equal(rows.find((r) => r.id === snoozed.id).badges[0].flags, String(openFlags(snoozed)));

    // The tooltip: top reasons and the first action, as text.
    const flagged = report.customers.find((c) => openFlags(c) > 0 && c.risk.reasons.length);
    const tip = await tooltipOf(page, `[data-tend-customer="${flagged.id}"]`);
    assert.ok(tip.includes(flagged.risk.reasons[0].text), `tooltip shows the top reason: ${tip}`);
    assert.ok(tip.includes(flagged.actions[0].message), `tooltip shows the first action: ${tip}`);
    await page.mouse.move(0, 0);

    // A name with markup is text, in the page and in the tooltip.
    const markup = report.customers.find((c) => /</.test(c.name ?? ''));
    assert.ok(markup, 'the page has a customer whose name holds markup');
    const markupTip = await tooltipOf(page, `[data-tend-customer="${markup.id}"]`);
    assert.ok(markupTip.includes(markup.name), 'the name is shown literally');
    assert.equal(await page.title(), 'Key accounts · generic Tend adapter test page');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(RESULTS, 'extension-generic.png'), fullPage: true });

    // Re-render: new row elements, the same data: badges come back, nothing is scored again.
    const before = await stats(ext.sw);
    assert.ok(before.loads >= 1);
    await page.evaluate(() => {
      window.__firstRow = document.querySelector('[data-tend-customer]');
    });
    await page.click('#rerender');
    await page.waitForFunction(() => document.querySelector('[data-tend-customer]') !== window.__firstRow);
    const rerendered = await settled(page, ROW, 'data-tend-customer');
    assertMatches(rerendered, report);
    assert.equal((await stats(ext.sw)).loads, before.loads, 'a re-render must not load again');

    // A data change (the missed call returned) is scored once more.
    const target = await page.getAttribute('#callback', 'data-customer');
    await page.click('#callback');
    const changedEnv = JSON.parse(await page.textContent('script[data-tend-export]'));
    const changed = tend.analyze(changedEnv);
    const want = String(openFlags(changed.customers.find((c) => c.id === target)));
    assert.notEqual(want, rows.find((r) => r.id === target).badges[0].flags, 'the change closes a flag');
    const after = await settled(page, ROW, 'data-tend-customer', (rs) => rs.find((r) => r.id === target).badges[0].flags === want);
    assertMatches(after, changed);
    assert.equal((await stats(ext.sw)).loads, before.loads + 1, 'one load per data change');
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('CRM adapter under a strict CSP (no wasm in the page), re-renders, popup, model reuse', async () => {
  const crm = crmEnvelope();
  const report = tend.analyze(crm.data, { asOf: crm.asOf });
  assert.equal(report.models.source, 'fitted', 'the CRM page holds enough customers to fit a model');
  const ext = await launch();
  try {
    const page = await ext.context.newPage();
    const violations = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${server.url}/www/crm.html`);

    // The page forbids WebAssembly: its CSP has no 'wasm-unsafe-eval'.
    const wasm = await page.evaluate(async () => {
      const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
      try {
        await WebAssembly.instantiate(bytes);
        return 'instantiated';
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    });
    assert.match(wasm, /CompileError.*(unsafe-eval|Content Security Policy|wasm-unsafe-eval)/i, wasm);

    const ROW = 'tr[data-customer-id]';
    const rows = await settled(page, ROW, 'data-customer-id');
    assert.equal(rows.length, crm.data.customers.length);
    assertMatches(rows, report);
    const first = await stats(ext.sw);
    assert.equal(first.loads, 1);
    assert.equal(first.last.adapter, 'harbor-crm');
    assert.equal(first.last.models, 'fitted');

    // Sorting rebuilds every row; Refresh clones the rows (badge hosts copied without their
    // shadow roots): still exactly one live badge per row, and no new scoring.
    await page.click('th[data-sort="revenue"]');
    assertMatches(await settled(page, ROW, 'data-customer-id'), report);
    await page.click('#crm-refresh');
    await page.waitForTimeout(200);
    assertMatches(await settled(page, ROW, 'data-customer-id'), report);
    assert.equal((await stats(ext.sw)).loads, 1, 'sorting and refreshing do not load again');

    // The popup lists the customers at high or critical risk with their first action.
    const atRisk = report.customers.filter((c) => c.risk.level === 'high' || c.risk.level === 'critical');
    assert.ok(atRisk.length > 0);
    const tab = await tabOf(ext, page);
    const popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 380, height: 640 });
    await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tab}`);
    await popup.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
    const listed = await popup.$$eval('#list li', (lis) =>
      lis.map((li) => ({ id: li.dataset.customer, risk: li.dataset.risk, action: li.querySelector('.action').textContent, name: li.querySelector('.name').textContent })),
    );
    assert.deepEqual(listed.map((l) => l.id).sort(), atRisk.map((c) => c.id).sort());
    for (const l of listed) {
      const c = atRisk.find((k) => k.id === l.id);
      assert.equal(l.risk, c.risk.level);
      assert.equal(l.action, c.actions[0]?.message ?? 'No open action');
      assert.equal(l.name, c.name ?? c.id);
    }
    await popup.screenshot({ path: path.join(RESULTS, 'extension-popup.png'), fullPage: true });
    await popup.close();
    assert.equal((await stats(ext.sw)).loads, 1, 'the popup is answered from the page\'s engine');

    // The tooltip of the customer most at risk; then a screenshot of the CRM page with its
    // badges and the tooltip of the top row (sorted by open tickets) open.
    const worst = [...atRisk].sort((a, b) => b.risk.score - a.risk.score)[0];
    const worstTip = await tooltipOf(page, `tr[data-customer-id="${worst.id}"]`);
    assert.ok(worstTip.includes(worst.risk.reasons[0].text) && worstTip.includes(worst.actions[0].message), worstTip);
    await page.mouse.move(0, 0);
    await page.click('th[data-sort="tickets"]');
    await settled(page, ROW, 'data-customer-id');
    await page.evaluate(() => window.scrollTo(0, 0));
    const topId = await page.getAttribute(ROW, 'data-customer-id');
    const top = report.customers.find((c) => c.id === topId);
    const topTip = await tooltipOf(page, `tr[data-customer-id="${topId}"]`);
    assert.ok(topTip.includes(top.actions[0].message), topTip);
    await page.screenshot({ path: path.join(RESULTS, 'extension-crm.png') });
    await page.mouse.move(0, 0);

    // Nothing on the page was blocked by its CSP (the badges use adopted style sheets).
    assert.deepEqual(violations, []);

    // The model fitted on the CRM page is stored, and a small page is scored with it.
    const key = `model:${server.url}`;
    const stored = { model: (await ext.sw.evaluate((k) => chrome.storage.local.get(k), key))[key] };
    const fitted = tend.Tend.load(crm.data, { asOf: crm.asOf });
    assert.deepEqual(stored.model?.models, fitted.models(), 'the stored model is the CRM engine\'s models()');
    fitted.free();
    assert.equal(stored.model.origin, server.url, 'stored as the model of the page\'s origin');
    assert.equal(stored.model.customers, report.models.buying.customers);
    const env = await genericEnvelope();
    const small = tend.analyze(env);
    assert.equal(small.models.source, 'none', 'the generic page alone is too small to fit a model');
    const withModel = tend.analyze(env, { models: stored.model.models });
    assert.equal(withModel.models.source, 'options');
    const generic = await ext.context.newPage();
    await generic.goto(`${server.url}/www/generic.html`);
    const grows = await settled(generic, '[data-tend-customer]', 'data-tend-customer');
    assertMatches(grows, withModel);
    const last = (await stats(ext.sw)).last;
    assert.equal(last.adapter, 'generic');
    assert.equal(last.models, 'options');
    // The site's own model: no host named.
    const own = (await engines(ext.sw)).find((e) => e.url === generic.url());
    assert.deepEqual({ own: own.storedFrom.own, host: own.storedFrom.host }, { own: true, host: null });
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('options page: the policy is validated, saved in chrome.storage.sync and applied', async () => {
  const env = await genericEnvelope();
  const ext = await launch();
  try {
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.id}/options.html`);
    await options.waitForSelector('body[data-ready="true"]');

    // An invalid value is refused with the core's message, and nothing is saved.
    await options.fill('input[name="timezone"]', 'Europe/Paris');
    await options.click('#policy button[type="submit"]');
    await options.waitForSelector('#policy-status.error');
    assert.match(await options.textContent('#policy-status'), /Not saved.*timezone/);
    assert.deepEqual(await ext.sw.evaluate(() => chrome.storage.sync.get('policy')), {});

    await options.fill('input[name="timezone"]', '+01:00');
    await options.fill('input[name="returnContactWithin"]', '10');
    await options.fill('textarea[name="holidays"]', '2026-11-19');
    await options.click('#policy button[type="submit"]');
    await options.waitForFunction(() => /Saved/.test(document.getElementById('policy-status').textContent));
    await options.screenshot({ path: path.join(RESULTS, 'extension-options.png'), fullPage: true });
    const saved = (await ext.sw.evaluate(() => chrome.storage.sync.get('policy'))).policy;
    assert.deepEqual(saved, { returnContactWithin: 10, timezone: '+01:00', holidays: ['2026-11-19'] });

    // The page's policy with the user's on top (holidays: both lists).
    const policy = { ...env.policy, returnContactWithin: 10, timezone: '+01:00', holidays: [...env.policy.holidays, '2026-11-19'] };
    const report = tend.analyze(env.data, { asOf: env.asOf, policy });
    const plain = tend.analyze(env);
    const differs = report.customers.filter((c) => openFlags(c) !== openFlags(plain.customers.find((k) => k.id === c.id)));
    assert.ok(differs.length > 0, 'the saved policy changes some flag counts');

    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    assertMatches(await settled(page, '[data-tend-customer]', 'data-tend-customer'), report);

    // Reset: open pages are scored again with the page's own policy.
    await options.bringToFront();
    await options.click('#reset');
    const target = differs[0];
    const want = String(openFlags(plain.customers.find((c) => c.id === target.id)));
    assertMatches(
      await settled(page, '[data-tend-customer]', 'data-tend-customer', (rs) => rs.find((r) => r.id === target.id).badges[0].flags === want),
      plain,
    );
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

// Polls `read()` until `check` passes; the last value.
async function until(read, check, what) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const firstAction = (c) => c.actions[0]?.message ?? 'Nothing: no open action.';
const GENERIC_ROW = '[data-tend-customer]';

// The contact that returns the missed call of `id` (what the page's "Log the call-back" adds).
function callBack(env, id) {
  const at = new Date(Date.parse(env.asOf) - 3600e3).toISOString();
  return { id: `CON-CB-${id}`, customerId: id, at, direction: 'outbound', channel: 'call', status: 'answered' };
}

test('an engine per page: two tabs of the same page get their own answers', async () => {
  const env = await genericEnvelope();
  const report = tend.analyze(env);
  const ext = await launch();
  try {
    const a = await ext.context.newPage();
    const b = await ext.context.newPage();
    await a.goto(`${server.url}/www/generic.html`);
    await b.goto(`${server.url}/www/generic.html`);
    assertMatches(await settled(a, GENERIC_ROW, 'data-tend-customer'), report);
    assertMatches(await settled(b, GENERIC_ROW, 'data-tend-customer'), report);
    let live = await engines(ext.sw);
    assert.equal(live.length, 2, JSON.stringify(live));
    assert.notEqual(live[0].tab, live[1].tab, 'one engine per tab');
    assert.notEqual(live[0].token, live[1].token);
    assert.equal((await stats(ext.sw)).loads, 2);

    // The data changes in tab B only: B's engine is replaced, A's answers stay as they were.
    const target = await b.getAttribute('#callback', 'data-customer');
    await b.click('#callback');
    const changed = tend.analyze(JSON.parse(await b.textContent('script[data-tend-export]')));
    const before = report.customers.find((c) => c.id === target);
    const after = changed.customers.find((c) => c.id === target);
    assert.notEqual(openFlags(after), openFlags(before), 'the change closes a flag');
    const brows = await settled(b, GENERIC_ROW, 'data-tend-customer', (rs) => rs.find((r) => r.id === target).badges[0].flags === String(openFlags(after)));
    assertMatches(brows, changed);
    const s = await stats(ext.sw);
    assert.equal(s.loads, 3);
    assert.equal(s.freedBy.replaced, 1, 'B\'s old engine was freed');
    live = await engines(ext.sw);
    assert.equal(live.length, 2);

    assertMatches(await settled(a, GENERIC_ROW, 'data-tend-customer'), report);
    const tipA = await tooltipOf(a, `[data-tend-customer="${target}"]`);
    assert.ok(tipA.includes(firstAction(before)), `A's tooltip is A's: ${tipA}`);
    await a.mouse.move(0, 0);
    const tipB = await tooltipOf(b, `[data-tend-customer="${target}"]`);
    assert.ok(tipB.includes(firstAction(after)), `B's tooltip is B's: ${tipB}`);
    assert.ok(tipB.includes(`${openFlags(after)} open flag`), tipB);
    await b.mouse.move(0, 0);

    // Each tab's popup lists its own page's customers at risk.
    const tabA = await tabOf(ext, a);
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tabA}`);
    await popup.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
    const listed = await popup.$$eval('#list li', (lis) => lis.map((li) => li.dataset.customer));
    const atRisk = report.customers.filter((c) => c.risk.level === 'high' || c.risk.level === 'critical');
    assert.deepEqual(listed.sort(), atRisk.map((c) => c.id).sort());
    assert.match(await popup.textContent('#status'), new RegExp(`^${report.customers.length} customers scored`));
    assert.equal((await stats(ext.sw)).loads, 3, 'tooltips and the popup are answered from the engines');
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('an update message changes badges without a reload; updates are replayed when the engine is gone', async () => {
  const env = await genericEnvelope();
  const report = tend.analyze(env);
  const ext = await launch();
  try {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    assertMatches(await settled(page, GENERIC_ROW, 'data-tend-customer'), report);
    const before = await stats(ext.sw);
    assert.equal(before.loads, 1);

    // The page rewrites its export and posts the same change (in the same task).
    const target = await page.getAttribute('#callback', 'data-customer');
    const contact = callBack(env, target);
    await page.evaluate((row) => {
      const script = document.querySelector('script[data-tend-export]');
      const e = JSON.parse(script.textContent);
      e.data.contacts.push(row);
      script.textContent = JSON.stringify(e);
      window.postMessage({ type: 'tend:update', upsert: { contacts: [row] } }, '*');
    }, contact);
    const changedEnv = JSON.parse(await page.textContent('script[data-tend-export]'));
    const changed = tend.analyze(changedEnv);
    const want = String(openFlags(changed.customers.find((c) => c.id === target)));
    assert.notEqual(want, String(openFlags(report.customers.find((c) => c.id === target))));
    assertMatches(await settled(page, GENERIC_ROW, 'data-tend-customer', (rs) => rs.find((r) => r.id === target).badges[0].flags === want), changed);
    let s = await stats(ext.sw);
    assert.equal(s.updates, before.updates + 1, 'applied as an update');
    assert.equal(s.loads, before.loads, 'no second full load');
    await page.waitForTimeout(300); // the debounced pass after the export's rewrite
    assert.equal((await stats(ext.sw)).loads, before.loads, 'the rewritten export is not loaded again');

    // A removal the export does not reflect: the customer's badge goes grey.
    const gone = changed.customers.find((c) => c.id !== target && openFlags(c) > 0).id;
    const engine = tend.Tend.load(changedEnv);
    engine.update({ remove: { customers: [gone] } });
    const removed = engine.report();
    engine.free();
    await page.evaluate((id) => window.postMessage({ type: 'tend:update', remove: { customers: [id] } }, '*'), gone);
    const isGone = (rs) => rs.find((r) => r.id === gone).badges[0].band === 'none';
    let rows = await settled(page, GENERIC_ROW, 'data-tend-customer', isGone);
    assert.equal(rows.find((r) => r.id === gone).badges[0].risk, 'none');
    assertMatches(rows.filter((r) => r.id !== gone), removed);
    // Malformed update messages are ignored.
    await page.evaluate(() => window.postMessage({ type: 'tend:update', upsert: [1, 2] }, '*'));
    s = await stats(ext.sw);
    assert.equal(s.updates, before.updates + 2);
    assert.equal(s.loads, before.loads);
    assert.equal((await engines(ext.sw))[0].updates, 2);

    // The worker loses the engine (as when Chrome stops an idle worker): the next request loads
    // the export again and replays the removal the export does not hold.
    await ext.sw.evaluate(() => globalThis.tendEngines.clear());
    assert.equal((await engines(ext.sw)).length, 0);
    const other = removed.customers.find((c) => c.id !== target && c.actions.length);
    const tip = await tooltipOf(page, `[data-tend-customer="${other.id}"]`);
    assert.ok(tip.includes(firstAction(other)), tip);
    await page.mouse.move(0, 0);
    s = await stats(ext.sw);
    assert.equal(s.loads, before.loads + 1);
    assert.equal(s.last.replayed, 1, 'the removal was replayed');
    await page.click('#rerender');
    rows = await settled(page, GENERIC_ROW, 'data-tend-customer', isGone);
    assertMatches(rows.filter((r) => r.id !== gone), removed);

    // Chrome stops the worker (as it does an idle one, here through the DevTools protocol from
    // an extension page): every engine and counter goes; the next tooltip starts it again, and
    // the page is loaded with the removal replayed.
    const extPage = await ext.context.newPage();
    await extPage.goto(`chrome-extension://${ext.id}/options.html`);
    const cdp = await ext.context.newCDPSession(extPage);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await extPage.close();
    await page.bringToFront();
    await page.waitForTimeout(500);
    const third = removed.customers.find((c) => c.id !== target && c.id !== other.id && c.actions.length);
    const tip3 = await tooltipOf(page, `[data-tend-customer="${third.id}"]`);
    assert.ok(tip3.includes(firstAction(third)), tip3);
    await page.mouse.move(0, 0);
    const sw = ext.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${ext.id}/`));
    s = await stats(sw);
    assert.equal(s.loads, 1, `a new worker, which loaded the page once: ${JSON.stringify(s)}`);
    assert.equal(s.last.replayed, 1);
    assert.deepEqual(await engines(sw).then((l) => l.map((e) => e.updates)), [1]);
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('engines are freed on navigation and tab close, and at most maxEngines live', async () => {
  const env = await genericEnvelope();
  const report = tend.analyze(env);
  const crm = crmEnvelope();
  const ext = await launch();
  try {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    await settled(page, GENERIC_ROW, 'data-tend-customer');
    const tab = await tabOf(ext, page);

    // Another page in the same tab: the first page's engine is freed, the new one is the tab's only.
    await page.goto(`${server.url}/www/crm.html`);
    await settled(page, 'tr[data-customer-id]', 'data-customer-id');
    let live = await until(() => engines(ext.sw), (l) => l.length === 1, 'one engine after navigating');
    assert.equal(live[0].tab, tab);
    assert.equal(live[0].url, page.url());
    assert.equal(live[0].customers, crm.data.customers.length);
    let s = await stats(ext.sw);
    assert.equal(s.freed, 1);
    assert.equal(s.engines, 1);

    // Back to the first page (from the back/forward cache or loaded anew): it is answered again.
    await page.goBack();
    await settled(page, GENERIC_ROW, 'data-tend-customer');
    const flagged = report.customers.find((c) => c.actions.length);
    assert.ok((await tooltipOf(page, `[data-tend-customer="${flagged.id}"]`)).includes(firstAction(flagged)));
    await page.mouse.move(0, 0);
    await until(() => engines(ext.sw), (l) => l.length === 1 && l[0].url === page.url(), 'the first page\'s engine only');

    // A page without records: nothing lives for the tab.
    await page.goto('about:blank');
    await until(() => engines(ext.sw), (l) => l.length === 0, 'no engine after leaving the page');

    // At most maxEngines: the least recently used is freed, and answers again when asked.
    await ext.sw.evaluate(() => {
      globalThis.tendConfig.maxEngines = 2;
    });
    const pages = [];
    const tabs = [];
    for (let i = 0; i < 3; i++) {
      const p = await ext.context.newPage();
      await p.goto(`${server.url}/www/generic.html`);
      assertMatches(await settled(p, GENERIC_ROW, 'data-tend-customer'), report);
      pages.push(p);
      // The same page in every tab: the new tab is the one the worker did not know.
      live = await engines(ext.sw);
      const fresh = live.filter((e) => !tabs.includes(e.tab));
      assert.equal(fresh.length, 1, JSON.stringify(live));
      tabs.push(fresh[0].tab);
    }
    s = await until(() => stats(ext.sw), (x) => x.engines === 2, 'two engines live');
    assert.equal(s.freedBy.evicted, 1);
    live = await engines(ext.sw);
    assert.deepEqual(live.map((e) => e.tab).sort(), tabs.slice(1).sort(), 'the first of the three was evicted');
    const loads = s.loads;
    await pages[0].bringToFront();
    const tip = await tooltipOf(pages[0], `[data-tend-customer="${flagged.id}"]`);
    assert.ok(tip.includes(firstAction(flagged)), tip);
    s = await stats(ext.sw);
    assert.equal(s.loads, loads + 1, 'the evicted page loaded again');
    assert.equal(s.freedBy.evicted, 2);
    assert.equal(s.engines, 2);

    // Closing a tab frees its engine.
    await pages[0].close();
    await until(() => stats(ext.sw), (x) => x.engines === 1, 'one engine after closing a tab');
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

// The popup of `page`'s tab: its status and model lines.
async function popupOf(ext, page) {
  const tab = await tabOf(ext, page);
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.id}/popup.html?tab=${tab}`);
  await popup.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
  const out = { status: await popup.textContent('#status'), model: await popup.textContent('#model'), page: await popup.textContent('#page') };
  await popup.close();
  return out;
}

test('two sites: the first site\'s model is never used on the second unless the user chose it', async () => {
  const crm = crmEnvelope();
  const env = await genericEnvelope();
  const alone = tend.analyze(env);
  assert.equal(alone.models.source, 'none', 'the generic page alone fits no model');
  const first = server.url; // http://127.0.0.1:<port>
  const second = `http://localhost:${server.port}`;
  const ext = await launch();
  try {
    // The first site fits a model, stored as its own.
    const a = await ext.context.newPage();
    await a.goto(`${first}/www/crm.html`);
    await settled(a, 'tr[data-customer-id]', 'data-customer-id');
    const models = () => ext.sw.evaluate(() => chrome.storage.local.get(null)).then((all) => Object.keys(all).filter((k) => k.startsWith('model:')));
    assert.deepEqual(await until(models, (k) => k.length === 1, 'the first site\'s model is stored'), [`model:${first}`]);
    const stored = (await ext.sw.evaluate((k) => chrome.storage.local.get(k), `model:${first}`))[`model:${first}`];

    // The second site: scored without it, and nothing names the first site.
    const b = await ext.context.newPage();
    await b.goto(`${second}/www/generic.html`);
    assertMatches(await settled(b, GENERIC_ROW, 'data-tend-customer'), alone);
    let s = await stats(ext.sw);
    assert.equal(s.last.url, b.url());
    assert.equal(s.last.models, 'none', 'the second site does not use the first site\'s model');
    let eb = (await engines(ext.sw)).find((e) => e.url === b.url());
    assert.equal(eb.origin, second);
    assert.equal(eb.storedFrom, null);
    let pop = await popupOf(ext, b);
    assert.equal(pop.page, new URL(second).host);
    assert.ok(!pop.model.includes('127.0.0.1') && !pop.status.includes('127.0.0.1'), JSON.stringify(pop));
    assert.match(pop.model, /No buying model/);
    const tip = await tooltipOf(b, `[data-tend-customer="${alone.customers[0].id}"]`);
    assert.ok(!tip.includes('127.0.0.1') && tip.includes('no buying model'), tip);
    await b.mouse.move(0, 0);
    assert.deepEqual(await models(), [`model:${first}`], 'the second site stored nothing, the first site\'s model is untouched');

    // The user chooses the first site's model for the second on the options page: the open page
    // is loaded again with it, and the popup names where it comes from.
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.id}/options.html`);
    await options.waitForSelector('body[data-models="1"]');
    await options.fill('#choice-site', second);
    await options.selectOption('#choice-source', first);
    await options.click('#choose-model button[type="submit"]');
    await options.waitForSelector(`#choices li[data-site="${second}"]`);
    assert.deepEqual((await ext.sw.evaluate(() => chrome.storage.sync.get('modelFrom'))).modelFrom, { [second]: first });
    const withModel = tend.analyze(env, { models: stored.models });
    assert.equal(withModel.models.source, 'options');
    await b.bringToFront();
    s = await until(() => stats(ext.sw), (x) => x.last.url === b.url() && x.last.models === 'options', 'the second site loaded with the chosen model');
    assertMatches(await settled(b, GENERIC_ROW, 'data-tend-customer'), withModel);
    eb = (await engines(ext.sw)).find((e) => e.url === b.url());
    assert.deepEqual({ own: eb.storedFrom.own, host: eb.storedFrom.host }, { own: false, host: new URL(first).host });
    pop = await popupOf(ext, b);
    assert.ok(pop.model.includes(`on ${new URL(first).host}, chosen in the options`), pop.model);

    // Back to its own: the choice is removed, the page is loaded without the model.
    await options.bringToFront();
    await options.click(`#choices li[data-site="${second}"] button`);
    await b.bringToFront();
    await until(() => stats(ext.sw), (x) => x.last.url === b.url() && x.last.models === 'none', 'the second site back to no model');
    assertMatches(await settled(b, GENERIC_ROW, 'data-tend-customer'), alone);
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});

test('local pages are read only where enabled; settings messages only from extension pages', async () => {
  const env = await genericEnvelope();
  const ext = await launch({ local: [] });
  try {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/www/generic.html`);
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('[data-tend-badge]').count(), 0, 'no badge on a local page that is not enabled');
    assert.equal((await stats(ext.sw)).loads, 0, 'nothing was sent to the worker');
    assert.deepEqual(await ext.sw.evaluate(() => chrome.scripting.getRegisteredContentScripts()), [], 'no content script registered');
    assert.equal(await injected(ext.sw, page.url()), false, 'the content script is not in the page');

    // Enabled from the options page: the open page gets its badges.
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.id}/options.html`);
    await options.waitForSelector('body[data-ready="true"]');
    await options.check('input[data-local="http://127.0.0.1/*"]');
    await options.waitForFunction(() => /Enabled on/.test(document.getElementById('local-status').textContent));
    assert.deepEqual((await ext.sw.evaluate(() => chrome.storage.sync.get('localSites'))).localSites, ['http://127.0.0.1/*']);
    await page.bringToFront();
    assertMatches(await settled(page, GENERIC_ROW, 'data-tend-customer'), tend.analyze(env));
    // localhost stays off.
    const other = await ext.context.newPage();
    await other.goto(`http://localhost:${server.port}/www/generic.html`);
    await other.waitForTimeout(1500);
    assert.equal(await other.locator('[data-tend-badge]').count(), 0, 'localhost is not enabled');
    assert.equal(await injected(ext.sw, page.url()), true, 'the content script was injected into the open 127.0.0.1 page');
    assert.equal(await injected(ext.sw, other.url()), false, 'and not into the localhost page');
    // A content script's world can neither read nor write the settings and models.
    const storage = await ext.sw.evaluate(async (u) => {
      const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
      const [r] = await chrome.scripting.executeScript({
        target: { tabId: tab.id },
        func: async () => {
          const tryIt = async (f) => f().then(() => 'allowed', (e) => `refused: ${e.message}`);
          return {
            readLocal: await tryIt(() => chrome.storage.local.get(null)),
            readSync: await tryIt(() => chrome.storage.sync.get(null)),
            writeSync: await tryIt(() => chrome.storage.sync.set({ localSites: ['http://localhost/*'] })),
          };
        },
      });
      return r.result;
    }, page.url());
    for (const [what, r] of Object.entries(storage)) assert.match(r, /^refused: /, `${what}: ${r}`);
    assert.deepEqual((await ext.sw.evaluate(() => chrome.storage.sync.get('localSites'))).localSites, ['http://127.0.0.1/*'], 'nothing was written');
    // Disabled on the options page: the open page stops (its badges removed).
    await options.bringToFront();
    await options.uncheck('input[data-local="http://127.0.0.1/*"]');
    await options.waitForFunction(() => /not read/.test(document.getElementById('local-status').textContent));
    await page.bringToFront();
    await page.waitForFunction(() => document.querySelectorAll('[data-tend-badge]').length === 0, null, { timeout: TIMEOUT });
    assert.deepEqual(await ext.sw.evaluate(() => chrome.scripting.getRegisteredContentScripts()), [], 'unregistered');

    // The worker checks messages: settings types from a page are refused, page types from the
    // options page too, unknown types and oversized fields are refused with a message.
    const answers = await options.evaluate(async () => {
      const send = (m) => chrome.runtime.sendMessage(m);
      return {
        unknown: await send({ type: 'tend:nope' }),
        pageType: await send({ type: 'tend:load', text: '{}' }),
        badOrigin: await send({ type: 'tend:chooseModel', site: 'javascript:alert(1)', source: null }),
        badLocal: await send({ type: 'tend:setLocalSites', sites: ['https://evil.example/*'] }),
      };
    });
    assert.equal(answers.unknown.ok, false);
    assert.match(answers.unknown.error.message, /unknown message type/);
    assert.equal(answers.pageType.error.code, 'forbidden');
    assert.equal(answers.badOrigin.error.code, 'invalid_input');
    assert.equal(answers.badLocal.error.code, 'invalid_input');
    assert.deepEqual(ext.errors, []);
  } finally {
    await ext.close();
  }
});
