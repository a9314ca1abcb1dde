// Buying models in WebAssembly under Node: fit and scoring time of BG/NBD (and Pareto/NBD on the
// smaller sets) on CDNOW and on 100,000 and 1,000,000 customers simulated exactly from BG/NBD.
// Writes bench/out/models.json and prints a markdown table. (`cargo bench --bench native` has
// the native figures.)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { fitBuyingModel, scoreBuying } = await import('../pkg/models.js');

// A small seeded generator (splitmix64 on BigInt would be slow; mulberry32 is enough here).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(u) {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

// Marsaglia–Tsang gamma(shape, 1).
function gamma(u, k) {
  if (k < 1) return gamma(u, k + 1) * Math.pow(u(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x, v;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (w < 1 - 0.0331 * x ** 4 || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** BG/NBD customers: purchases at rate λ ~ Gamma(r, α), dropping out after each with p ~ Beta(a, b). */
function simulate(n, { r, alpha, a, b }, seed) {
  const u = rng(seed);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const T = 27 + (12 * (i % 13)) / 12;
    const lambda = gamma(u, r) / alpha;
    const ga = gamma(u, a);
    const p = ga / (ga + gamma(u, b));
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - u()) / lambda;
      if (t > T) break;
      x += 1;
      tx = t;
      if (u() < p) break;
    }
    out[i] = { id: i, frequency: x, recency: Math.round(tx * 100) / 100, T };
  }
  return out;
}

function cdnow() {
  return readFileSync(path.join(ROOT, 'tests/data/cdnow_summary_with_monetary_value.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [id, f, r, T, m] = l.split(',');
      return { id, frequency: +f, recency: +r, T: +T, monetaryValue: +m };
    });
}

function time(f, runs) {
  const ms = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = f();
    ms.push(performance.now() - t);
  }
  ms.sort((x, y) => x - y);
  return { ms: ms[Math.floor(ms.length / 2)], out };
}

const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const sets = [
  ['CDNOW (2,357)', cdnow(), 5],
  ['simulated 100,000', simulate(100_000, truth, 1), 3],
  ['simulated 1,000,000', simulate(1_000_000, truth, 2), 1],
];
const results = [];
for (const [name, rows, runs] of sets) {
  const fit = time(() => fitBuyingModel({ summaries: rows }, { model: 'bgnbd' }), runs);
  const score = time(() => scoreBuying(fit.out, rows, { horizon: 13 }), runs);
  const row = { name, customers: rows.length, bgnbdFitMs: +fit.ms.toFixed(1), scoreMs: +score.ms.toFixed(1), params: fit.out.params, logLikelihood: fit.out.logLikelihood };
  if (rows.length <= 100_000) row.paretoFitMs = +time(() => fitBuyingModel({ summaries: rows }, { model: 'paretonbd' }), runs).ms.toFixed(1);
  results.push(row);
}
mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
const doc = { date: new Date().toISOString(), node: process.version, cpu: `${os.cpus()[0]?.model} × ${os.cpus().length}`, results };
writeFileSync(path.join(ROOT, 'bench/out/models.json'), JSON.stringify(doc, null, 2));
console.log('| data | customers | BG/NBD fit (wasm) | scoring P(alive) + E[Y(13)] | Pareto/NBD fit |');
console.log('|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.name} | ${r.customers} | ${r.bgnbdFitMs} ms | ${r.scoreMs} ms | ${r.paretoFitMs ?? '—'}${r.paretoFitMs ? ' ms' : ''} |`);
}
