// `make bench` (demo part): in headless Chromium, the time from choosing a 100,000-customer
// export in the demo page's file picker to its rendered worklist, and the longest main-thread
// task meanwhile (PerformanceObserver 'longtask'). Prints one line, writes bench/out/demo.json.
//
//   node bench/demo.mjs [--file bench/big.json] [--runs 1]
//
// The export is bench/big.json (100,000 customers, 3,000,000 rows, ~370 MB), generated when
// missing with tools/gen-sample.mjs. Needs `make build` (pkg/wasm/) and scripts/www.sh.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, REPO_ROOT } from '../tests/e2e/server.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const FILE = path.resolve(REPO_ROOT, opt('--file', 'bench/big.json'));
const RUNS = Number(opt('--runs', process.env.BENCH_DEMO_RUNS ?? 1));
const OUT = path.join(REPO_ROOT, 'bench/out');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

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
  console.error('bench/demo: generating bench/big.json (100,000 customers, 3,000,000 rows)…');
  execFileSync(process.execPath, ['tools/gen-sample.mjs', '--customers', '100000', '--rows', '3000000', '--out', 'bench/big.json', '--no-csv'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}
const bytes = statSync(FILE).size;

const server = await startServer();
const profile = mkdtempSync(path.join(os.tmpdir(), 'tend-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1360, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
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
  });
  await page.goto(`${server.url}/www/`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.body.dataset.runs === '1', null, { timeout: 120_000 });

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
      const measure = performance.getEntriesByName('tend:choose-to-worklist').at(-1);
      const from = chosen?.startTime ?? 0;
      const to = rendered?.startTime ?? performance.now();
      const tasks = window.__longtasks.filter((t) => t.start + t.duration >= from && t.start <= to);
      const beats = window.__beats.filter((b) => b.at >= from && b.at <= to + 100);
      return {
        error: document.getElementById('error-box').hidden ? null : document.getElementById('error-message').textContent,
        chooseToWorklistMs: measure?.duration ?? null,
        longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
        longTasks: tasks.length,
        longTaskTotalMs: tasks.reduce((s, t) => s + t.duration, 0),
        maxHeartbeatGapMs: beats.reduce((m, b) => Math.max(m, b.gap), 0),
        worker: rendered?.detail ?? null,
        rows: document.getElementById('wl-body').children.length,
        count: document.getElementById('wl-count').textContent,
      };
    });
    if (out.error) throw new Error(`the page reported: ${out.error}`);
    // Then, on the 100,000-customer report: a filter, a sort, the first customer panel (which
    // parses the input rows in the worker) and a second one.
    const timed = async (action, done) => {
      const t = await page.evaluate(() => performance.now());
      await action();
      await page.waitForFunction(done, null, { timeout: 300_000, polling: 20 });
      return page.evaluate((t) => {
        const tasks = window.__longtasks.filter((x) => x.start + x.duration >= t);
        return { ms: Math.round(performance.now() - t), longestTaskMs: tasks.reduce((m, x) => Math.max(m, x.duration), 0) };
      }, t);
    };
    const idle = () => document.getElementById('wl-table').dataset.busy === '0';
    const interactions = {
      filterKind: await timed(() => page.selectOption('#f-kind', 'no_outreach'), idle),
      sortUplift: await timed(() => page.click('#wl-table th[data-sort=uplift] button'), idle),
      search: await timed(() => page.fill('#f-search', 'C0099'), () => document.getElementById('wl-table').dataset.busy === '0' && /C0099/i.test(document.getElementById('wl-customers').textContent)),
      firstCustomer: await timed(() => page.click('#wl-customers button.chip'), () => !!document.querySelector('#cust-body .cust-section h3') && document.querySelectorAll('#cust-body li.tl').length > 0),
    };
    await page.click('#cust-close');
    await page.fill('#f-search', '');
    await page.selectOption('#f-kind', '');
    await page.waitForFunction(idle);
    interactions.secondCustomer = await timed(() => page.click('#wl-body tr:nth-child(3) button.link'), () => document.querySelectorAll('#cust-body li.tl').length > 0);
    await page.click('#cust-close');
    results.push({ wallMs, ...out, interactions });
  }
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}

const r1 = (x) => (x === null ? null : Math.round(x * 10) / 10);
const best = results.reduce((a, b) => (b.chooseToWorklistMs < a.chooseToWorklistMs ? b : a));
const w = best.worker ?? {};
const report = {
  date: new Date().toISOString(),
  file: path.relative(REPO_ROOT, FILE),
  bytes,
  customers: w.customers ?? null,
  worklistItems: w.worklist ?? null,
  runs: results.length,
  chooseToWorklistMs: r1(best.chooseToWorklistMs),
  longestMainThreadTaskMs: r1(Math.max(...results.map((r) => r.longestTaskMs))),
  longTasks: best.longTasks,
  longTaskTotalMs: r1(best.longTaskTotalMs),
  maxHeartbeatGapMs: r1(Math.max(...results.map((r) => r.maxHeartbeatGapMs))),
  worker: {
    readMs: r1(w.readMs),
    wasmMs: r1(w.wasmMs),
    core: w.core ? { parseJsonMs: r1(w.core.parseJsonMs), analyzeMs: r1(w.core.analyzeMs), serializeMs: r1(w.core.serializeMs) } : null,
    parseReportMs: r1(w.parseReportMs),
    summariseMs: r1(w.summariseMs),
  },
  interactions: best.interactions,
  results,
};
mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, 'demo.json'), JSON.stringify(report, null, 2) + '\n');
console.log(
  `demo: ${report.file} (${(bytes / 1048576).toFixed(0)} MiB, ${report.customers?.toLocaleString('en-US')} customers, ${report.worklistItems?.toLocaleString('en-US')} actions): ` +
    `chosen → worklist rendered ${(report.chooseToWorklistMs / 1000).toFixed(1)} s ` +
    `(read ${(w.readMs / 1000).toFixed(1)} s, wasm ${(w.wasmMs / 1000).toFixed(1)} s, report parse ${(w.parseReportMs / 1000).toFixed(1)} s, worklist index ${(w.summariseMs / 1000).toFixed(1)} s); ` +
    `longest main-thread task ${report.longestMainThreadTaskMs} ms (${report.longTasks} long tasks), max heartbeat gap ${report.maxHeartbeatGapMs} ms; ` +
    `then: filter ${best.interactions.filterKind.ms} ms, sort ${best.interactions.sortUplift.ms} ms, search ${best.interactions.search.ms} ms, ` +
    `first customer panel ${best.interactions.firstCustomer.ms} ms (indexes the input rows), next ${best.interactions.secondCustomer.ms} ms → bench/out/demo.json`,
);
