// `make bench`: analyze() time in Node on the sample and on a big generated export, split into
// crossing into wasm, core work and crossing back, plus the .wasm size. Writes bench/out/bench.json
// and prints a markdown table.
//
//   node bench/analyze.mjs [--runs N] [--only sample|big]
//
// What the columns mean (one analyze() call = JSON text in, JSON text out):
//   crossing in:   stringify  JSON.stringify of the export object (and the options), in JS
//                  copy in    the UTF-8 copy of that text into wasm memory
//   core:          parse      serde_json → rows; analyze: validation and scoring; serialise: the
//                  report to JSON text (each timed inside wasm with performance.now())
//   crossing back: copy out   the report text out of wasm memory
//                  JSON.parse of the report, in JS
// The two copies are the wasm call's time minus the core's; they are split between in and out in
// proportion to TextEncoder / TextDecoder timings of texts of the same sizes.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'bench/out');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', process.env.BENCH_RUNS ?? 5));
const ONLY = opt('--only', null);

const { analyzeTimed, version } = await import(path.join(ROOT, 'pkg/index.js'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x) => Math.round(x * 10) / 10;
const mb = (n) => `${(n / 1048576).toFixed(1)} MiB`;

function loadEnvelope(file) {
  const t0 = performance.now();
  const text = readFileSync(file, 'utf8');
  const json = JSON.parse(text);
  const loadMs = performance.now() - t0;
  const env = json && typeof json === 'object' && 'data' in json && !('customers' in json) ? json : { data: json };
  return { env, bytes: Buffer.byteLength(text), loadMs };
}

function rowsOf(data) {
  return Object.values(data).reduce((n, t) => n + (Array.isArray(t) ? t.length : 0), 0);
}

function measure(name, file, runs) {
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing`);
  process.stderr.write(`bench: ${name}: loading ${path.relative(ROOT, file)} (${mb(statSync(file).size)})\n`);
  const { env, bytes, loadMs } = loadEnvelope(file);
  const options = { asOf: env.asOf ?? '2026-11-20T17:00:00Z', ...(env.policy ? { policy: env.policy } : {}) };
  const customers = env.data.customers?.length ?? 0;
  const rows = rowsOf(env.data);
  const samples = [];
  let report = null;
  let first = null;
  for (let i = 0; i < runs + 1; i++) {
    const r = analyzeTimed(env.data, options);
    first ??= r.timings;
    if (i > 0 || runs === 1) samples.push(r.timings); // the first call warms up (unless only one)
    report = r.report;
    process.stderr.write(`bench: ${name}: run ${i + 1}/${runs + 1}: ${JSON.stringify(r.timings, (k, v) => (typeof v === 'number' ? round(v) : v))}\n`);
    if (runs === 1) break;
  }
  // The UTF-8 copies across the boundary, timed on texts of the same sizes.
  const inText = JSON.stringify(env.data);
  const outText = JSON.stringify(report);
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const inBuf = new Uint8Array(inText.length * 3);
  const copies = [];
  for (let i = 0; i < Math.min(3, runs); i++) {
    const t0 = performance.now();
    enc.encodeInto(inText, inBuf);
    const t1 = performance.now();
    const outBytes = enc.encode(outText);
    const t2 = performance.now();
    dec.decode(outBytes);
    copies.push({ in: t1 - t0, out: performance.now() - t2 });
  }
  const estIn = median(copies.map((c) => c.in));
  const estOut = median(copies.map((c) => c.out));
  const med = (f) => median(samples.map(f));
  const coreOf = (s) => s.core.parseJsonMs + s.core.analyzeMs + s.core.serializeMs;
  const copies2 = med((s) => Math.max(0, s.wasmMs - coreOf(s)));
  const share = estIn + estOut > 0 ? estIn / (estIn + estOut) : 0.5;
  return {
    name,
    file: path.relative(ROOT, file),
    inputBytes: bytes,
    reportBytes: Buffer.byteLength(outText),
    customers,
    rows,
    flags: report.customers.reduce((n, c) => n + c.neglect.length, 0),
    runs: samples.length,
    loadMs: round(loadMs),
    firstCallMs: round(first.stringifyMs + first.wasmMs + first.parseMs),
    ms: {
      stringify: round(med((s) => s.stringifyMs)),
      copyIn: round(copies2 * share),
      coreParse: round(med((s) => s.core.parseJsonMs)),
      coreAnalyze: round(med((s) => s.core.analyzeMs)),
      coreSerialize: round(med((s) => s.core.serializeMs)),
      copyOut: round(copies2 * (1 - share)),
      parse: round(med((s) => s.parseMs)),
      wasm: round(med((s) => s.wasmMs)),
      total: round(med((s) => s.stringifyMs + s.wasmMs + s.parseMs)),
    },
  };
}

const results = [];
const failures = [];
const inputs = [
  ['sample', path.join(ROOT, 'www/sample/export.json'), RUNS],
  ['big', path.join(ROOT, 'bench/big.json'), Math.min(RUNS, 3)],
].filter(([n]) => !ONLY || n === ONLY);
for (const [name, file, runs] of inputs) {
  try {
    results.push(measure(name, file, runs));
  } catch (e) {
    failures.push({ name, error: String(e && e.message ? e.message : e) });
    process.stderr.write(`bench: ${name}: failed: ${e && e.stack ? e.stack : e}\n`);
  }
}

const sizeFile = path.join(OUT, 'size.json');
const size = existsSync(sizeFile) ? JSON.parse(readFileSync(sizeFile, 'utf8')) : null;
const out = {
  date: new Date().toISOString(),
  tend: version(),
  node: process.version,
  cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
  size,
  results,
  failures,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
};
mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, 'bench.json'), JSON.stringify(out, null, 2) + '\n');

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const lines = [];
lines.push(`Tend ${out.tend} — ${out.date.slice(0, 10)}, Node ${out.node}, ${out.cpu}`);
lines.push('');
if (size) {
  lines.push('| file | raw | gzip | brotli |');
  lines.push('|---|---:|---:|---:|');
  lines.push(`| tend_bg.wasm | ${kib(size.wasm.raw)} | ${kib(size.wasm.gzip)} | ${kib(size.wasm.brotli)} |`);
  lines.push(`| tend.js (glue) | ${kib(size.glue.raw)} | ${kib(size.glue.gzip)} | ${kib(size.glue.brotli)} |`);
  lines.push('');
}
lines.push('| input | customers | rows | JSON in | stringify | copy in | core: parse | core: analyze | core: serialise | copy out | JSON.parse | total ms | first call ms |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const m = r.ms;
  lines.push(
    `| ${r.name} | ${r.customers.toLocaleString('en')} | ${r.rows.toLocaleString('en')} | ${mb(r.inputBytes)} | ${m.stringify} | ${m.copyIn} | ${m.coreParse} | ${m.coreAnalyze} | ${m.coreSerialize} | ${m.copyOut} | ${m.parse} | ${m.total} | ${r.firstCallMs} |`,
  );
}
for (const f of failures) lines.push(`| ${f.name} | failed: ${f.error.replace(/\|/g, '\\|')} |${' |'.repeat(11)}`);
lines.push('');
lines.push(`Milliseconds, median of the runs after the first call (the first call is shown apart: it also grows the wasm memory); peak RSS ${mb(out.peakRssBytes)}.`);
console.log(lines.join('\n'));
process.exitCode = failures.length ? 1 : 0;
