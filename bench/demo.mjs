// `make bench` (demo part): in headless Chromium, choosing a 100,000-customer export in the demo
// page's file picker until its worklist is rendered (ms), the longest main-thread task meanwhile
// (PerformanceObserver 'longtask', and a 50 ms heartbeat), the tab's memory, the largest message
// the worker sent the page, then a few interactions — among them a customer panel with its
// 26-week history, the drivers view (and the drivers' computation), the customers view's first
// page and a scroll of 10,000 of its rows (longest task), and the This-week view. Prints the figures as JSON and a table,
// writes bench/out/demo.json.
//
//   node bench/demo.mjs [--file bench/big.json] [--runs 1]
//
// Memory: performance.measureUserAgentSpecificMemory() (the page and its workers; the page is
// made cross-origin isolated for it by adding COOP/COEP headers to its responses), the page's JS
// heap (CDP Performance.getMetrics), and the resident and peak resident size of the tab's
// renderer process (/proc/<pid>/status; the worker and its WebAssembly memory live there).
//
// The export is bench/big.json (100,000 customers, 3,640,000 rows, ~450 MB), generated when
// missing with tools/gen-sample.mjs. Needs `make build` (pkg/wasm/) and scripts/www.sh.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, REPO_ROOT } from '../tests/e2e/server.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/e2e/chromium.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const FILE = path.resolve(REPO_ROOT, opt('--file', 'bench/big.json'));
const RUNS = Number(opt('--runs', process.env.BENCH_DEMO_RUNS ?? 1));
const OUT = path.join(REPO_ROOT, 'bench/out');

for (const f of ['pkg/wasm/tend_bg.wasm', 'www/vendor/chart.umd.min.js']) {
  if (!existsSync(path.join(REPO_ROOT, f))) {
    console.error(`bench/demo: ${f} is missing: run \`make build\``);
    process.exit(1);
  }
}
if (!existsSync(FILE)) {
  if (path.relative(REPO_ROOT, FILE) !== path.join('bench', 'big.json')) {
    console.error(`bench/demo: ${FILE} does not exist`);
    process.exit(1);
  }
  console.error('bench/demo: generating bench/big.json (100,000 customers, 3,640,000 rows)…');
  execFileSync(process.execPath, ['tools/gen-sample.mjs', '--customers', '100000', '--rows', '3640000', '--out', 'bench/big.json', '--no-csv'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}
const bytes = statSync(FILE).size;

// The resident and peak resident size (bytes) of the browser's renderer processes, largest first.
async function renderers(browser) {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    return processInfo
      .filter((p) => p.type === 'renderer')
      .map((p) => {
        try {
          const status = readFileSync(`/proc/${p.id}/status`, 'utf8');
          const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
          return { pid: p.id, rss: kb('VmRSS'), peak: kb('VmHWM') };
        } catch {
          return { pid: p.id, rss: null, peak: null };
        }
      })
      .sort((a, b) => (b.rss ?? 0) - (a.rss ?? 0));
  } finally {
    await cdp.detach();
  }
}

// What the page and its workers use, as the browser measures it (null where unavailable).
async function memory(page, cdp) {
  const ua = await page.evaluate(async () => {
    if (!self.crossOriginIsolated || typeof performance.measureUserAgentSpecificMemory !== 'function') return null;
    const m = await performance.measureUserAgentSpecificMemory();
    const workers = m.breakdown.filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope')).reduce((s, b) => s + b.bytes, 0);
    return { bytes: m.bytes, workers };
  });
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
  return { userAgentSpecific: ua, pageJsHeapUsed: metric('JSHeapUsedSize'), pageJsHeapTotal: metric('JSHeapTotalSize') };
}

const server = await startServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [...CHROMIUM_ARGS, '--enable-blink-features=ForceEagerMeasureMemory'],
});
const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
// Cross-origin isolation, for measureUserAgentSpecificMemory(): every response of the server
// gets COOP and COEP headers (the page loads nothing from elsewhere).
await context.route(`${server.url}/**`, async (route) => {
  const response = await route.fetch();
  await route.fulfill({ response, headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } });
});
const results = [];
let tabMemory = null;
try {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // A 50 ms heartbeat: its largest delay is how long the page could not respond.
    window.__beats = [];
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      window.__beats.push({ at: now, gap: now - last });
      last = now;
    }, 50);
    // The size (as JSON) of every message a worker sends the page.
    window.__messages = [];
    const Base = window.Worker;
    window.Worker = class extends Base {
      constructor(...a) {
        super(...a);
        this.addEventListener('message', ({ data }) => {
          let size = -1;
          try {
            size = JSON.stringify(data).length;
          } catch {}
          window.__messages.push({ at: performance.now(), type: data?.type, size });
        });
      }
    };
  });
  await page.goto(`${server.url}/www/`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.body.dataset.runs === '1', null, { timeout: 120_000 });
  const isolated = await page.evaluate(() => self.crossOriginIsolated);

  for (let run = 0; run < RUNS; run++) {
    const want = String(2 + run);
    const t0 = Date.now();
    await page.setInputFiles('#file-input', FILE);
    await page.waitForFunction((want) => document.body.dataset.runs === want || document.body.dataset.state === 'error' || !document.getElementById('error-box').hidden, want, {
      timeout: 900_000,
      polling: 250,
    });
    const wallMs = Date.now() - t0;
    const out = await page.evaluate(() => {
      const chosen = performance.getEntriesByName('tend:files-chosen').at(-1);
      const rendered = performance.getEntriesByName('tend:worklist-rendered').at(-1);
      const ready = performance.getEntriesByName('tend:ready').at(-1);
      const measure = performance.getEntriesByName('tend:choose-to-worklist').at(-1);
      const from = chosen?.startTime ?? 0;
      const to = rendered?.startTime ?? performance.now();
      const tasks = window.__longtasks.filter((t) => t.start + t.duration >= from && t.start <= to);
      const beats = window.__beats.filter((b) => b.at >= from && b.at <= to + 100);
      const messages = window.__messages.filter((m) => m.at >= from && m.type !== 'progress');
      return {
        error: document.getElementById('error-box').hidden ? null : document.getElementById('error-message').textContent,
        chooseToWorklistMs: measure?.duration ?? null,
        renderedAt: to,
        longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
        longTasks: tasks.length,
        maxHeartbeatGapMs: beats.reduce((m, b) => Math.max(m, b.gap), 0),
        largestMessage: messages.reduce((m, x) => Math.max(m, x.size), 0),
        worker: ready?.detail ?? null,
        readyMs: ready && chosen ? ready.startTime - chosen.startTime : null,
        rows: document.getElementById('wl-body').children.length,
        count: document.getElementById('wl-count').textContent,
      };
    });
    if (out.error) throw new Error(`the page reported: ${out.error}`);
    // After the worklist: the rest of the page, then the charts' counts (facets).
    const facetsAt = Date.now();
    await page.waitForFunction((want) => document.body.dataset.facets === want, want, { timeout: 300_000, polling: 50 });
    const facetsMs = Date.now() - facetsAt;
    const mem = await memory(page, cdp);
    // Then, on the 100,000-customer engine: a filter, a sort, a search, customer panels, a page.
    // An interaction's time until `done` holds, and the longest task from its start until two
    // frames and 100 ms later (the frame that draws the result, and the long-task entries, which
    // are reported after their task).
    const timed = async (action, done) => {
      const t = await page.evaluate(() => performance.now());
      await action();
      await page.waitForFunction(done, null, { timeout: 300_000, polling: 20 });
      const ms = Math.round((await page.evaluate(() => performance.now())) - t);
      return page.evaluate(async ({ t, ms }) => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100))));
        const tasks = window.__longtasks.filter((x) => x.start + x.duration >= t);
        return { ms, longestTaskMs: tasks.reduce((m, x) => Math.max(m, x.duration), 0) };
      }, { t, ms });
    };
    const idle = () => document.getElementById('wl-table').dataset.busy === '0';
    const interactions = {
      filterKind: await timed(() => page.selectOption('#f-kind', 'no_outreach'), idle),
      sortUplift: await timed(() => page.click('#wl-table th[data-sort=uplift] button'), idle),
      search: await timed(() => page.fill('#f-search', 'C0099'), () => document.getElementById('wl-table').dataset.busy === '0' && /C0099/i.test(document.getElementById('wl-customers').textContent)),
      firstCustomer: await timed(() => page.click('#wl-customers button.chip'), () => document.querySelectorAll('#cust-body li.tl').length > 0),
    };
    await page.click('#cust-close');
    await page.fill('#f-search', '');
    await page.selectOption('#f-kind', '');
    await page.waitForFunction(idle);
    interactions.secondCustomer = await timed(() => page.click('#wl-body tr:nth-child(3) button.link'), () => document.querySelectorAll('#cust-body li.tl').length > 0);
    await page.click('#cust-close');
    interactions.nextPage = await timed(() => page.click('#pg-next'), idle);
    // The customers list is below the worklist on the overview: scrolled to first (and drawn), so
    // that the re-sort is measured, not the scroll.
    await page.locator('#cl-table').scrollIntoViewIfNeeded();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));
    interactions.customersByHealth = await timed(() => page.click('#cl-table th[data-sort=health] button'), () => document.getElementById('cl-table').dataset.busy === '0');
    // The views of the insights: a customer panel with its 26-week history, the drivers, This week.
    await page.click('#cust-close').catch(() => {});
    interactions.customerWithHistory = await timed(() => page.click('#wl-body tr:nth-child(5) button.link'), () => !!document.querySelector('#cust-history svg circle'));
    await page.keyboard.press('Escape');
    interactions.driversView = await timed(() => page.click('nav a[data-view=drivers]'), () => Number(document.body.dataset.drivers ?? 0) >= Number(document.body.dataset.runs));
    interactions.driversView.computeMs = await page.evaluate(() => Math.round(performance.getEntriesByName('tend:drivers').at(-1)?.duration ?? NaN));
    // The customers view: its first page, then 10,000 rows scrolled (100 rows a frame), pages
    // asked of the worker as they come into view; the longest main-thread task meanwhile.
    interactions.customersView = await timed(() => page.click('nav a[data-view=customers]').then(() => page.click('#cl-table th[data-sort=name] button')), () => document.getElementById('cl-table').dataset.busy === '0' && !!document.querySelector('#cl-body tr.vrow[data-customer]'));
    interactions.scroll10000Rows = await timed(
      () =>
        page.evaluate(async () => {
          const box = document.getElementById('cl-scroll');
          const row = document.querySelector('#cl-body tr.vrow').offsetHeight;
          for (let i = 1; i <= 100; i++) {
            box.scrollTop = i * 100 * row;
            await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          }
        }),
      () => document.getElementById('cl-table').dataset.busy === '0' && !document.querySelector('#cl-body td.loading'),
    );
    interactions.weekView = await timed(() => page.click('nav a[data-view=week]'), () => document.getElementById('wk-table').dataset.busy === '0' && /last 7 days/.test(document.getElementById('wk-count').textContent));
    interactions.week30Days = await timed(() => page.click('#wk-days button[data-days="30"]'), () => document.getElementById('wk-table').dataset.busy === '0' && /last 30 days/.test(document.getElementById('wk-count').textContent));
    await page.click('#wk-body tr[data-customer] button.link').catch(() => {});
    await page.keyboard.press('Escape');
    await page.click('#wk-days button[data-days="7"]');
    await page.click('nav a[data-view=""]');
    const longestAfter = await page.evaluate((from) => window.__longtasks.filter((t) => t.start > from).reduce((m, t) => Math.max(m, t.duration), 0), out.renderedAt);
    results.push({ wallMs, ...out, facetsMs, longestTaskAfterMs: longestAfter, memory: mem, interactions });
  }
  tabMemory = { isolated, renderers: await renderers(browser) };
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
}

const r1 = (x) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);
const mb = (x) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x / 1048576));
const best = results.reduce((a, b) => (b.chooseToWorklistMs < a.chooseToWorklistMs ? b : a));
const w = best.worker ?? {};
const tab = tabMemory.renderers[0] ?? {};
const report = {
  date: new Date().toISOString(),
  file: path.relative(REPO_ROOT, FILE),
  bytes,
  customers: w.customers ?? null,
  worklistItems: w.worklist ?? null,
  runs: results.length,
  chooseToWorklistMs: r1(best.chooseToWorklistMs),
  chooseToReadyMs: r1(best.readyMs),
  longestMainThreadTaskMs: r1(Math.max(...results.map((r) => r.longestTaskMs))),
  longTasks: best.longTasks,
  maxHeartbeatGapMs: r1(Math.max(...results.map((r) => r.maxHeartbeatGapMs))),
  longestMainThreadTaskAfterMs: r1(Math.max(...results.map((r) => r.longestTaskAfterMs))),
  largestWorkerMessageChars: Math.max(...results.map((r) => r.largestMessage)),
  worker: { readMs: r1(w.readMs), loadMs: r1(w.loadMs), summaryMs: r1(w.summaryMs), totalMs: r1(w.totalMs) },
  facetsMs: best.facetsMs,
  memoryMiB: {
    crossOriginIsolated: tabMemory.isolated,
    measureUserAgentSpecificMemory: mb(best.memory.userAgentSpecific?.bytes),
    ofWhichWorkers: mb(best.memory.userAgentSpecific?.workers),
    pageJsHeapUsed: mb(best.memory.pageJsHeapUsed),
    rendererRss: mb(tab.rss),
    rendererPeakRss: mb(tab.peak),
  },
  interactions: best.interactions,
  results,
};
mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, 'demo.json'), JSON.stringify(report, null, 2) + '\n');
const { results: _all, ...figures } = report;
console.log(JSON.stringify(figures, null, 2));
const m = report.memoryMiB;
const rows = [
  ['file', `${report.file} (${mb(bytes)} MiB, ${report.customers?.toLocaleString('en-US')} customers, ${report.worklistItems?.toLocaleString('en-US')} actions)`],
  ['chosen → worklist rendered', `${report.chooseToWorklistMs} ms (worker: read ${report.worker.readMs} ms, load ${report.worker.loadMs} ms, summary ${report.worker.summaryMs} ms)`],
  ['longest main-thread task', `${report.longestMainThreadTaskMs} ms until rendered (${report.longTasks} long tasks), ${report.longestMainThreadTaskAfterMs} ms after; heartbeat gap ${report.maxHeartbeatGapMs} ms`],
  ['largest worker message', `${report.largestWorkerMessageChars.toLocaleString('en-US')} chars (JSON)`],
  ['chosen → whole page ready', `${report.chooseToReadyMs} ms (figures, filters, reps, quality, customers, daily chart); charts' counts (facets) ${report.facetsMs} ms later`],
  ['tab memory', `renderer RSS ${m.rendererRss} MiB (peak ${m.rendererPeakRss} MiB); measureUserAgentSpecificMemory ${m.measureUserAgentSpecificMemory ?? 'n/a'} MiB (workers ${m.ofWhichWorkers ?? 'n/a'}); page JS heap ${m.pageJsHeapUsed} MiB`],
  ...Object.entries(report.interactions).map(([k, v]) => [k, `${v.ms} ms (longest task ${r1(v.longestTaskMs)} ms)${v.computeMs !== undefined ? `; drivers computed in ${v.computeMs} ms` : ''}`]),
];
const width = Math.max(...rows.map((r) => r[0].length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
console.log('→ bench/out/demo.json');
