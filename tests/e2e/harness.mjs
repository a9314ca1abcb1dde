// The harness of the demo page's browser tests (tests/e2e/demo-*.test.mjs): headless Chromium
// driven by playwright-core over Debian's /usr/bin/chromium, the page served on 127.0.0.1 by
// tests/e2e/server.mjs, and the helpers the tests share. Needs `make build` (pkg/wasm/) and
// scripts/www.sh (www/vendor/). Screenshots go to test-results/. Every message the page's worker
// sends is recorded (its type and JSON size) to check that none carries the whole report.
//
// A test file calls `useDemo()` once at its top (it launches the browser and the server before
// its tests and closes them after), then `openDemo()` per test: each file runs in a process of
// its own (node --test), so each has its own browser.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, REPO_ROOT } from './server.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

export { REPO_ROOT };
export const RESULTS = path.join(REPO_ROOT, 'test-results');
export const SAMPLE_DIR = path.join(REPO_ROOT, 'www/sample');
export const planted = JSON.parse(readFileSync(path.join(SAMPLE_DIR, 'planted.json'), 'utf8'));
export const T = { timeout: 120_000 };

let server;
let browser;
/** A temporary folder for the files a test writes and uploads (removed after the file's tests). */
export let tmp;

/** Launch the server and the browser before this file's tests; close them after. */
export function useDemo() {
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
      args: CHROMIUM_ARGS,
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
}

// A fresh context (its own temporary profile) with the page's problems recorded: console errors,
// uncaught exceptions, dialogs (alert() must never run), CSP violations and any request that
// would leave 127.0.0.1 (aborted and recorded).
export async function openDemo({ viewport = { width: 1360, height: 900 }, wait = true, url = null } = {}) {
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

export async function waitRuns(page, n) {
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) >= n && document.body.dataset.state === 'ready', n, { timeout: 90_000 });
}

// The charts and counts the worker computes after a run (health distribution, tier × risk).
export async function waitFacets(page, n) {
  await page.waitForFunction((n) => Number(document.body.dataset.facets ?? 0) >= n, n, { timeout: 90_000 });
}

export const rejectedRows = (page) => page.$$eval('#rejected-body tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));

// Filter the worklist and wait until the table shows the result of exactly these filters.
export async function filter(page, { search = '', owner = '', kind = '', tier = '', band = '', risk = '' } = {}) {
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

export const rowsOf = (page) =>
  page.$$eval('#wl-body tr[data-customer]', (trs) => trs.map((tr) => ({ customer: tr.dataset.customer, kind: tr.dataset.kind, owner: tr.children[2].textContent, text: tr.textContent })));

/**
 * A full-page screenshot with every section drawn. The page's sections skip rendering while out
 * of view (`content-visibility: auto`), and a full-page capture does not bring them into view:
 * for the shot the viewport is as tall as the page (twice: drawn sections take their own height).
 */
export async function fullPageScreenshot(page, file) {
  const viewport = page.viewportSize();
  const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  for (let i = 0; i < 2; i++) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height });
    await frames();
  }
  await page.screenshot({ path: file, fullPage: true });
  await page.setViewportSize(viewport);
  await frames();
}
