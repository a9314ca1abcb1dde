// The harness of the extension's browser tests (tests/e2e/extension-*.test.mjs): headless
// Chromium with the unpacked Manifest V3 extension (extension/dist, built by
// scripts/extension.sh) against pages served on 127.0.0.1 by tests/e2e/server.mjs, and the
// helpers the tests share.
//
// Expected values are computed in Node, with the package itself (pkg/index.js, `tend` here) from
// the same records the pages hold: nothing about the sample is hard-coded. Each test uses a fresh
// profile (`launch()`); every request must stay on 127.0.0.1 / localhost / the extension.
// Screenshots go to test-results/ (extension-crm.png, extension-popup.png, extension-generic.png,
// extension-options.png). The service worker keeps one engine per page; its counters
// (globalThis.tendStats), live engines (globalThis.tendEngines) and bound
// (globalThis.tendConfig) are read and set through Playwright's worker.evaluate.
//
// A test file calls `useExtension()` once at its top (it starts the server and loads the package
// before its tests and closes the server after), then `launch()` per test: each file runs in a
// process of its own (node --test).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, REPO_ROOT } from './server.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

export { REPO_ROOT };
const DIST = path.join(REPO_ROOT, 'extension/dist');
export const RESULTS = path.join(REPO_ROOT, 'test-results');
export const TIMEOUT = 20_000;

/** The static server of the test pages (`server.url`, `server.port`), set before the tests. */
export let server;
/** The package (pkg/index.js), loaded before the tests. */
export let tend;

/** Start the server and load the package before this file's tests; close the server after. */
export function useExtension() {
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
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

const LOCAL_SITES = ['http://127.0.0.1/*', 'http://localhost/*'];

// `local`: the local pages enabled in the test profile (chrome.storage.sync `localSites`, as the
// options page's checkboxes set it), both by default: Tend reads no local page until then.
export async function launch({ local = LOCAL_SITES } = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'tend-ext-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [`--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`, ...CHROMIUM_ARGS],
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

export const openFlags = (c) => c.neglect.filter((f) => !f.snoozed).length;

/** The generic page's envelope, read from the served file. */
export async function genericEnvelope() {
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
export async function settled(page, rowSelector, idAttr, check = () => true) {
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

export function assertMatches(rows, report) {
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

export const stats = (sw) => sw.evaluate(() => structuredClone(globalThis.tendStats));
export const engines = (sw) => sw.evaluate(() => globalThis.tendEngines.list());

/** The id of the tab `page` is in, as the worker knows it from that page's engine. */
export async function tabOf(ext, page) {
  const live = await engines(ext.sw);
  const e = live.find((x) => x.url === page.url());
  assert.ok(e, `the worker holds an engine for ${page.url()}: ${JSON.stringify(live)}`);
  return e.tab;
}

// The tooltip's text once its details (asked for when it opens) are shown.
export async function tooltipOf(page, row) {
  const badge = page.locator(row).locator('tend-badge .b');
  await badge.hover();
  const tip = page.locator(row).locator('tend-badge .tip[data-detail="ready"]');
  await tip.waitFor({ state: 'visible', timeout: TIMEOUT });
  return tip.textContent();
}

// Polls `read()` until `check` passes; the last value.
export async function until(read, check, what) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const GENERIC_ROW = '[data-tend-customer]';
