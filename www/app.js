// Tend's demo page. The analysis runs in a module Web Worker (worker.js), which holds the report
// and the input; this thread only renders what it asks for: a summary, one page of the worklist,
// one customer. Customer data is rendered with textContent and DOM APIs only, never as HTML.
import {
  TABLE_NAMES,
  TABLES,
  NEGLECT_KINDS,
  KIND_LABELS,
  kindLabel,
  tableFromFileName,
  tableFromHeader,
} from './shared.js';

const $ = (id) => document.getElementById(id);
const SAMPLE = { kind: 'url', url: new URL('sample/export.json', import.meta.url).href, name: 'sample/export.json' };

// ─────────────────────────────── DOM helpers (text only) ───────────────────────────────

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function clear(node) {
  node.replaceChildren();
  return node;
}

// Any value from the input, as text (rows are user data of any type).
function str(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

const nf0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const fmtInt = (n) => (n === null || n === undefined || Number.isNaN(n) ? '—' : nf0.format(n));
const fmt1 = (n) => (n === null || n === undefined || Number.isNaN(n) ? '—' : nf1.format(n));
const fmt2 = (n) => (n === null || n === undefined || Number.isNaN(n) ? '—' : nf2.format(n));
const fmtPct = (x) => (x === null || x === undefined ? '—' : `${nf0.format(x * 100)} %`);
const signed = (n, f = fmt1) => (n > 0 ? `+${f(n)}` : n < 0 ? `−${f(-n)}` : f(0));
// An instant of the report (already in the policy's timezone) as "2026-11-20 09:30".
function fmtInstant(s) {
  if (typeof s !== 'string') return '—';
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(s);
  if (!m) return s;
  return m[2] ? `${m[1]} ${m[2]}` : m[1];
}
const fmtMB = (b) => `${(b / 1048576).toFixed(b < 10485760 ? 1 : 0)} MB`;

// ─────────────────────────────── the analysis worker ───────────────────────────────

class Engine {
  constructor() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.seq = 0;
    this.onprogress = null;
    this.dead = false;
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.failAll(new Error(`The analysis worker stopped: ${e.message || 'it could not start or ran out of memory'}`));
    };
    this.worker.onmessageerror = () => this.failAll(new Error('A message from the analysis worker could not be read'));
  }
  call(type, payload = {}, transfer = []) {
    if (this.dead) return Promise.reject(new Error('The analysis worker has stopped'));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type, id, ...payload }, transfer);
    });
  }
  receive(d) {
    if (d.type === 'progress') {
      this.onprogress?.(d);
      return;
    }
    const p = this.pending.get(d.id);
    if (!p) return;
    this.pending.delete(d.id);
    if (d.type === 'error') p.reject(Object.assign(new Error(d.error.message), { details: d.error }));
    else p.resolve(d);
  }
  failAll(err) {
    this.dead = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
  terminate() {
    this.worker.terminate();
    this.failAll(Object.assign(new Error('cancelled'), { cancelled: true }));
  }
}

let current = null; // the engine whose report is shown
let running = null; // the engine of the run in progress
let spare = null; // a fresh engine, its wasm compiled, for the next run
let lastSource = null;
let summary = null;
let runs = 0;

function freshEngine() {
  if (spare) {
    const e = spare;
    spare = null;
    return e;
  }
  return new Engine();
}

function setState(s) {
  document.body.dataset.state = s;
}

async function analyse(source, options = {}, { chosenAt = null } = {}) {
  if (running) cancelRun({ quiet: true });
  hideError();
  const engine = freshEngine();
  running = engine;
  setState('running');
  showProgress(source);
  engine.onprogress = (p) => running === engine && updateProgress(p);
  let res;
  try {
    res = await engine.call('run', { source, options });
  } catch (e) {
    if (e.cancelled || running !== engine) return;
    running = null;
    engine.terminate();
    hideProgress();
    showError(e.details ?? { message: e.message }, source);
    setState(summary ? 'ready' : 'error');
    return;
  }
  if (running !== engine) return;
  running = null;
  current?.terminate();
  current = engine;
  lastSource = source;
  summary = res.summary;
  customersOpened = false;
  updateProgress({ stage: 'render', label: 'Rendering' });
  renderSummary(summary, source);
  page.offset = 0;
  await refreshWorklist();
  hideProgress();
  runs++;
  document.body.dataset.runs = String(runs);
  setState('ready');
  performance.mark('tend:worklist-rendered', {
    detail: { ...summary.timings, customers: summary.customers, worklist: summary.worklistTotal, bytes: summary.source.bytes },
  });
  if (chosenAt !== null) {
    performance.measure('tend:choose-to-worklist', { start: chosenAt, end: performance.now() });
  }
  // Warm the next worker while the user reads.
  if (!spare) {
    spare = new Engine();
    spare.worker.postMessage({ type: 'warm' });
  }
}

function cancelRun({ quiet = false } = {}) {
  if (!running) return;
  running.terminate();
  running = null;
  hideProgress();
  // A fresh worker, so the next run starts at once.
  if (!spare) {
    spare = new Engine();
    spare.worker.postMessage({ type: 'warm' });
  }
  setState(summary ? 'ready' : 'idle');
  if (!quiet) showNotice(summary ? 'Analysis cancelled: the previous results are still shown.' : 'Analysis cancelled.');
}

// ─────────────────────────────── progress ───────────────────────────────

const STAGES = ['read', 'parse', 'analyze', 'summarise', 'render'];

function showProgress(source) {
  $('run-status').hidden = false;
  $('run-label').textContent = `Starting the analysis of ${source.name}…`;
  $('run-progress').removeAttribute('value');
  // CSV is parsed in the worker by Papa Parse; JSON bytes are parsed inside the wasm call.
  document.querySelector('.stages [data-stage=parse]').hidden = source.kind !== 'csv';
  document.querySelector('.stages [data-stage=analyze]').textContent = source.kind === 'csv' ? 'Validate & score (WebAssembly)' : 'Parse, validate & score (WebAssembly)';
  for (const li of document.querySelectorAll('.stages li')) li.className = '';
}

function updateProgress(p) {
  const bar = $('run-progress');
  let text = p.label;
  if (p.total) {
    const pct = Math.min(100, Math.round((p.loaded / p.total) * 100));
    bar.value = pct;
    text += ` — ${pct} %`;
    if (p.stage === 'read') text += ` of ${fmtMB(p.total)}`;
  } else {
    bar.removeAttribute('value');
    text += '…';
  }
  $('run-label').textContent = text;
  const at = STAGES.indexOf(p.stage);
  for (const li of document.querySelectorAll('.stages li')) {
    const i = STAGES.indexOf(li.dataset.stage);
    li.className = i < at ? 'done' : i === at ? 'active' : '';
    if (i === at) li.setAttribute('aria-current', 'step');
    else li.removeAttribute('aria-current');
  }
}

function hideProgress() {
  $('run-status').hidden = true;
}

// ─────────────────────────────── messages ───────────────────────────────

function showError(details, source) {
  const box = $('error-box');
  const file = details.file ?? null;
  $('error-title').textContent = file ? `${file} could not be analysed` : `${source?.name ?? 'The data'} could not be analysed`;
  const parts = [/[.!?)]$/.test(details.message) ? details.message : `${details.message}.`];
  if (details.path && !details.message.includes(details.path)) parts.push(`(at ${details.path})`);
  $('error-message').textContent = parts.join(' ');
  const list = clear($('error-list'));
  for (const line of (details.list ?? []).slice(1)) list.append(el('li', { text: line }));
  box.hidden = false;
  box.dataset.file = file ?? '';
  if (summary) {
    $('error-message').append(el('span', { class: 'muted', text: ' The previous results are still shown.' }));
  }
  // A policy problem: show it at the field too.
  if (details.path && /^options\.(policy|asOf)/.test(details.path)) markPolicyError(details);
}

function hideError() {
  $('error-box').hidden = true;
  $('notice').hidden = true;
  $('policy-error').hidden = true;
  for (const i of document.querySelectorAll('#policy-form [aria-invalid]')) i.removeAttribute('aria-invalid');
}

function showNotice(text, extra = null) {
  const n = $('notice');
  clear(n).append(text);
  if (extra) n.append(' ', extra);
  n.hidden = false;
}

// ─────────────────────────────── summary ───────────────────────────────

function renderSummary(s, source) {
  $('version').textContent = s.version;
  renderSourceLine(s, source);
  renderFigures(s);
  renderFilters(s);
  renderCharts(s);
  renderReps(s);
  renderQuality(s, source);
  fillPolicy(s.policy);
  if (s.rejectedTotal) {
    const r = s.rejected[0];
    showNotice(
      `${fmtInt(s.rejectedTotal)} row${s.rejectedTotal > 1 ? 's were' : ' was'} rejected and left out; the rest is analysed. First: ${r.file}, ${r.where}${r.id ? ` (${r.id})` : ''}, field ${r.field ?? '—'}: ${r.reason}.`,
      el('a', { href: '#quality', text: 'See data quality' }),
    );
  } else $('notice').hidden = true;
}

function renderSourceLine(s, source) {
  const line = clear($('source-line'));
  const what = source.kind === 'url' ? 'The bundled sample' : source.kind === 'csv' ? `${source.files.length} CSV file${source.files.length > 1 ? 's' : ''}` : source.name;
  line.append(el('strong', { text: what }), ` · ${fmtMB(s.source.bytes)} · as of ${fmtInstant(s.asOf)} (UTC${s.policy.timezone}) · analysed in ${fmtInt(s.timings.totalMs)} ms`);
  const c = s.timings.core;
  line.append(
    el('span', {
      class: 'muted',
      text: ` (read ${fmtInt(s.timings.readMs)} ms; in WebAssembly: parse ${fmtInt(c.parseJsonMs)} ms, validate & score ${fmtInt(c.analyzeMs)} ms, report ${fmtInt(c.serializeMs)} ms)`,
    }),
  );
  if (source.kind === 'csv') {
    line.append(' ', el('button', { type: 'button', class: 'button small', text: 'Change tables', onclick: () => showCsvMap(source.files.map((f) => ({ file: f.file, table: f.table }))) }));
  }
}

function dayBefore(date, days) {
  const t = Date.parse(`${date}T00:00:00Z`) - days * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

function renderFigures(s) {
  $('fig-customers').textContent = fmtInt(s.customers);
  const t = s.counts.tier;
  $('fig-customers-sub').textContent = `tiers A ${fmtInt(t.A)} · B ${fmtInt(t.B)} · C ${fmtInt(t.C)}`;
  const high = (s.risk.high ?? 0) + (s.risk.critical ?? 0);
  $('fig-risk').textContent = fmtInt(high);
  $('fig-risk-sub').textContent = `${fmtInt(s.risk.critical)} critical · ${fmtInt(s.valueAtRisk.revenue12m)} revenue (12 mo.) at stake`;
  $('fig-flags').textContent = fmtInt(s.openFlags);
  const kinds = Object.entries(s.flagKinds).sort((a, b) => b[1] - a[1]);
  $('fig-flags-sub').textContent = `${s.snoozedFlags ? `${fmtInt(s.snoozedFlags)} snoozed · ` : ''}${kinds.length ? `most: ${kindLabel(kinds[0][0]).toLowerCase()} (${fmtInt(kinds[0][1])})` : 'none open'}`;
  const daily = s.daily;
  const last = daily[daily.length - 1] ?? null;
  const ref = last ? daily.find((d) => d.date === dayBefore(last.date, 30)) ?? daily[Math.max(0, daily.length - 31)] : null;
  const figure = (key, valId, subId, unit) => {
    const v = last?.[key];
    const dd = $(valId);
    const sub = $(subId);
    dd.textContent = v === null || v === undefined ? '—' : `${fmt1(v)}${unit}`;
    sub.className = 'sub';
    if (v === null || v === undefined) {
      sub.textContent = 'no answers in the last 90 days';
      return;
    }
    const r = ref?.[key];
    if (r === null || r === undefined) {
      sub.textContent = 'no answers 30 days earlier';
      return;
    }
    const d = v - r;
    sub.textContent = `${d > 0 ? '▲' : d < 0 ? '▼' : '■'} ${signed(d)} vs 30 days earlier (${fmt1(r)}${unit} on ${ref.date})`;
    sub.classList.add(d > 0 ? 'up' : d < 0 ? 'down' : 'flat');
  };
  figure('nps', 'fig-nps', 'fig-nps-sub', '');
  figure('csat', 'fig-csat', 'fig-csat-sub', ' %');
}

const NONE = '\u0000none';

function renderFilters(s) {
  const owner = $('f-owner');
  const keepOwner = owner.value;
  clear(owner).append(el('option', { value: '', text: 'All owners' }));
  for (const o of s.itemOwners) if (o !== null) owner.append(el('option', { value: o, text: o }));
  if (s.itemOwnerless) owner.append(el('option', { value: NONE, text: '(no owner)' }));
  owner.value = [...owner.options].some((o) => o.value === keepOwner) ? keepOwner : '';

  const kind = $('f-kind');
  const keepKind = kind.value;
  clear(kind).append(el('option', { value: '', text: 'All kinds' }));
  const flags = el('optgroup', { label: 'Neglect flags' });
  const acts = el('optgroup', { label: 'Other actions' });
  const known = [...NEGLECT_KINDS, ...Object.keys(KIND_LABELS).filter((k) => !NEGLECT_KINDS.includes(k))];
  for (const k of [...known, ...Object.keys(s.kindCounts).filter((k) => !known.includes(k))]) {
    const n = s.kindCounts[k] ?? 0;
    (NEGLECT_KINDS.includes(k) ? flags : acts).append(el('option', { value: k, text: `${kindLabel(k)} (${fmtInt(n)})` }));
  }
  kind.append(flags, acts);
  kind.value = keepKind;
  if (kind.value !== keepKind) kind.value = '';
}

// ─────────────────────────────── worklist ───────────────────────────────

const page = { offset: 0, limit: 50, sort: 'rank', dir: 'asc', seq: 0 };

function currentQuery() {
  return {
    search: $('f-search').value,
    owner: $('f-owner').value,
    kind: $('f-kind').value,
    tier: $('f-tier').value,
    band: $('f-band').value,
    risk: $('f-risk').value,
    sort: page.sort,
    dir: page.dir,
    offset: page.offset,
    limit: page.limit,
  };
}

async function refreshWorklist() {
  if (!current) return;
  const seq = ++page.seq;
  $('wl-table').dataset.busy = '1';
  let res;
  try {
    res = await current.call('query', { q: currentQuery() });
  } catch (e) {
    if (seq === page.seq) $('wl-table').dataset.busy = '0';
    if (!e.cancelled) showError({ message: e.message });
    return;
  }
  if (seq !== page.seq) return;
  page.offset = res.offset;
  renderWorklist(res);
  $('wl-table').dataset.busy = '0';
}

const cell = (label, props, ...children) => el('td', { ...props, 'data-label': label }, ...children);

function renderMatches(customers = [], matches = 0) {
  const box = clear($('wl-customers'));
  box.hidden = !customers.length;
  if (!customers.length) return;
  box.append(el('span', { class: 'muted', text: `${matches > customers.length ? `${fmtInt(matches)} customers match; the first ${customers.length}` : `Customer${customers.length > 1 ? 's' : ''} matching`}: ` }));
  for (const c of customers) {
    const b = el('button', { type: 'button', class: 'chip', dataset: { customer: c.id } }, c.name ?? c.id, el('span', { class: 'id', text: ` ${c.id}` }));
    b.addEventListener('click', () => openCustomer(c.id, b));
    box.append(b, ' ');
  }
}

function renderWorklist({ rows, total, offset, customers, customerMatches }) {
  renderMatches(customers, customerMatches);
  const body = $('wl-body');
  const frag = document.createDocumentFragment();
  for (const r of rows) {
    const tr = el('tr', { dataset: { customer: r.customerId, kind: r.kind } });
    const open = el('button', { type: 'button', class: 'link', text: r.customerName ?? r.customerId, title: `Open ${r.customerId}` });
    open.addEventListener('click', () => openCustomer(r.customerId, open));
    tr.append(
      cell('#', { class: 'num rank' }, String(r.rank)),
      cell('Customer', { class: 'cust' }, open, el('span', { class: 'id', text: r.customerId })),
      cell('Owner', {}, r.owner ?? '—'),
      cell('Action', {}, el('span', { class: `kind kind-${NEGLECT_KINDS.includes(r.kind) ? 'flag' : 'act'}`, text: kindLabel(r.kind) })),
      cell('What to do', { class: 'msg' }, r.message, r.evidence ? el('span', { class: 'evidence', text: ` ${r.evidence.table} ${r.evidence.id}` }) : null),
      cell('Severity', {}, el('span', { class: `sev sev-${r.severity}`, text: r.severity })),
      cell('Overdue', { class: 'num' }, r.overdue === null ? '—' : `${fmt1(r.overdue)} bd`),
      cell('Uplift', { class: 'num' }, r.uplift ? signed(r.uplift) : '0'),
      cell('Exp. loss', { class: 'num' }, fmtInt(r.priority)),
      cell('Tier', {}, r.tier ?? '—'),
      cell('Health', { class: 'num' }, el('span', { class: `band band-${r.band}`, text: r.band ?? '' }), ` ${fmtInt(r.health)}`),
    );
    frag.append(tr);
  }
  clear(body).append(frag);
  if (!rows.length) body.append(el('tr', {}, el('td', { colspan: 11, class: 'empty', text: summary ? 'No action matches these filters.' : 'No data yet.' })));
  const first = total ? offset + 1 : 0;
  const last = offset + rows.length;
  $('wl-count').textContent = `${fmtInt(total)} action${total === 1 ? '' : 's'}${total !== summary?.worklistTotal ? ` of ${fmtInt(summary?.worklistTotal)}` : ''}`;
  const pages = Math.max(1, Math.ceil(total / page.limit));
  $('pg-info').textContent = total ? `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(total)} · page ${fmtInt(Math.floor(offset / page.limit) + 1)} of ${fmtInt(pages)}` : 'No rows';
  $('pg-first').disabled = $('pg-prev').disabled = offset === 0;
  $('pg-next').disabled = $('pg-last').disabled = last >= total;
  for (const th of document.querySelectorAll('#wl-table th[data-sort]')) {
    if (th.dataset.sort === page.sort) th.setAttribute('aria-sort', page.dir === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
}

function setupWorklist() {
  let timer = 0;
  const again = () => {
    clearTimeout(timer);
    page.offset = 0;
    refreshWorklist();
  };
  $('f-search').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(again, 150);
  });
  for (const id of ['f-owner', 'f-kind', 'f-tier', 'f-band', 'f-risk']) $(id).addEventListener('change', again);
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    again();
  });
  $('filters').addEventListener('reset', () => setTimeout(again, 0));
  for (const th of document.querySelectorAll('#wl-table th[data-sort]')) {
    th.querySelector('button').addEventListener('click', () => {
      const key = th.dataset.sort;
      if (page.sort === key) page.dir = page.dir === 'asc' ? 'desc' : 'asc';
      else {
        page.sort = key;
        // Numbers start with the largest, text and rank with the first.
        page.dir = ['priority', 'uplift', 'overdue', 'severity', 'risk'].includes(key) ? 'desc' : 'asc';
      }
      again();
    });
  }
  const go = (f) => () => {
    page.offset = f();
    refreshWorklist();
  };
  $('pg-first').addEventListener('click', go(() => 0));
  $('pg-prev').addEventListener('click', go(() => Math.max(0, page.offset - page.limit)));
  $('pg-next').addEventListener('click', go(() => page.offset + page.limit));
  $('pg-last').addEventListener('click', go(() => 1e12));
  $('pg-size').addEventListener('change', () => {
    page.limit = Number($('pg-size').value);
    again();
  });
  $('export-csv').addEventListener('click', exportWorklist);
}

async function exportWorklist() {
  if (!current) return;
  const btn = $('export-csv');
  btn.disabled = true;
  try {
    const { bytes } = await current.call('export', { q: { ...currentQuery(), offset: 0 } });
    const url = URL.createObjectURL(new Blob([bytes], { type: 'text/csv;charset=utf-8' }));
    const a = el('a', { href: url, download: `tend-worklist-${(summary?.asOf ?? '').slice(0, 10) || 'export'}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    if (!e.cancelled) showError({ message: `The worklist could not be exported: ${e.message}` });
  } finally {
    btn.disabled = false;
  }
}

// ─────────────────────────────── customer panel ───────────────────────────────

let returnFocus = null;
let customersOpened = false; // reset per analysis: the worker indexes a JSON file's rows on the first open

async function openCustomer(id, from = null) {
  if (!current) return;
  returnFocus = from;
  const dlg = $('customer');
  $('cust-title').textContent = id;
  const big = !customersOpened && summary?.source.kind !== 'csv' && summary?.source.bytes > 20e6;
  $('cust-sub').textContent = big ? 'Loading… the first customer of a large export takes a few seconds: its rows are indexed once.' : 'Loading…';
  customersOpened = true;
  clear($('cust-body'));
  if (!dlg.open) dlg.showModal();
  let res;
  try {
    res = await current.call('customer', { customerId: id });
  } catch (e) {
    $('cust-sub').textContent = `Could not load ${id}: ${e.message}`;
    return;
  }
  if (!res.customer) {
    $('cust-sub').textContent = `${id} is not in the report.`;
    return;
  }
  renderCustomer(res);
}

function kv(pairs) {
  return el('dl', { class: 'kv' }, pairs.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', {}, v))));
}

function section(title, ...content) {
  return el('section', { class: 'cust-section' }, el('h3', { text: title }), ...content);
}

function table(headers, rows, cls = 'data-table stack') {
  for (const tr of rows) [...tr.children].forEach((td, i) => td.tagName === 'TD' && !td.dataset.label && headers[i] && td.setAttribute('data-label', headers[i]));
  return el(
    'div',
    { class: 'table-wrap' },
    el('table', { class: cls }, el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', text: h })))), el('tbody', {}, rows)),
  );
}

const evidenceText = (ev) => (ev ? `${ev.table} ${ev.id}` : '—');

function rowSummary(table, r) {
  switch (table) {
    case 'customers':
      return `Customer record: ${str(r.name) || 'no name'}${r.owner ? `, owner ${str(r.owner)}` : ''}${r.segment ? `, segment ${str(r.segment)}` : ''}${r.referredBy ? `, referred by ${str(r.referredBy)}` : ''}`;
    case 'orders':
      return `${str(r.kind) === 'refund' ? 'Refund' : 'Order'} of ${str(r.amount)}`;
    case 'contacts':
      return `${str(r.direction)} ${str(r.channel)}${r.status ? ` (${str(r.status)})` : ''}${r.owner ? ` — ${str(r.owner)}` : ''}`;
    case 'complaints':
      return `${str(r.severity)} complaint${r.category ? ` about ${str(r.category)}` : ''}; first response ${r.firstResponseAt ? str(r.firstResponseAt) : 'none'}; ${r.resolvedAt ? `resolved ${str(r.resolvedAt)}` : 'not resolved'}`;
    case 'promises':
      return `Promise${r.text ? ` “${str(r.text)}”` : ''}, due ${str(r.dueAt)}; ${r.keptAt ? `kept ${str(r.keptAt)}` : 'not kept'}${r.owner ? ` — ${str(r.owner)}` : ''}`;
    case 'feedback':
      return `${str(r.kind).toUpperCase()} ${str(r.score)}${r.comment ? ` — “${str(r.comment)}”` : ''}`;
    case 'deliveries':
      return `Delivery promised ${str(r.promisedAt)}; ${r.deliveredAt ? `delivered ${str(r.deliveredAt)}` : 'not delivered'}${r.problem ? ` — ${str(r.problem)}` : ''}`;
    case 'snoozes':
      return `Snooze until ${str(r.until)}: ${str(r.reason)}${Array.isArray(r.kinds) ? ` (${r.kinds.map(str).join(', ')})` : ''}`;
    default:
      return str(r);
  }
}

function renderCustomer({ customer: c, timeline, names, asOf, timezone }) {
  $('cust-title').textContent = c.name ?? c.id;
  $('cust-sub').textContent = [c.id, c.owner ? `owner ${c.owner}` : 'no owner', c.segment, `tier ${c.value.tier}`, `stage ${c.stage}`].filter(Boolean).join(' · ');
  const body = clear($('cust-body'));
  const h = c.health;
  const tiles = el(
    'div',
    { class: 'tiles' },
    el('div', { class: 'tile' }, el('span', { class: 'tile-k', text: 'Health' }), el('span', { class: 'tile-v' }, el('span', { class: `band band-${h.band}`, text: h.band }), ` ${fmt1(h.score)}`), el('span', { class: 'tile-s', text: h.trend === null ? 'no 30-day trend' : `${signed(h.trend)} in 30 days` })),
    el('div', { class: 'tile' }, el('span', { class: 'tile-k', text: 'Risk' }), el('span', { class: 'tile-v' }, el('span', { class: `sev sev-${c.risk.level}`, text: c.risk.level }), ` ${fmt2(c.risk.score)}`), el('span', { class: 'tile-s', text: `expected loss ${fmtInt(c.priority)}` })),
    el('div', { class: 'tile' }, el('span', { class: 'tile-k', text: 'Revenue, 12 months' }), el('span', { class: 'tile-v', text: fmtInt(c.value.revenue12m) }), el('span', { class: 'tile-s', text: `${c.value.rfm?.segment ?? 'no orders'}${c.value.clv !== null ? ` · CLV ${fmtInt(c.value.clv)}` : ''}` })),
    el('div', { class: 'tile' }, el('span', { class: 'tile-k', text: 'Buying' }), el('span', { class: 'tile-v', text: c.buying.status }), el('span', { class: 'tile-s', text: c.buying.medianGapDays !== null ? `every ${fmtInt(c.buying.medianGapDays)} days, last ${fmtInt(c.buying.daysSinceLastOrder)} days ago` : `${fmtInt(c.buying.orders)} order(s)` })),
    el('div', { class: 'tile' }, el('span', { class: 'tile-k', text: 'Satisfaction' }), el('span', { class: 'tile-v', text: c.satisfaction.index === null ? '—' : fmt1(c.satisfaction.index) }), el('span', { class: 'tile-s', text: c.satisfaction.zone ? `${c.satisfaction.zone} zone (${c.satisfaction.zoneKind?.toUpperCase()})` : 'no feedback' })),
  );
  body.append(tiles);

  if (c.risk.reasons.length) {
    body.append(section('Why at risk', el('ul', { class: 'reasons' }, c.risk.reasons.map((r) => el('li', {}, el('span', { class: 'weight', text: fmt2(r.weight) }), ' ', r.text)))));
  }

  const comps = ['satisfaction', 'buying', 'attention', 'service'];
  body.append(
    section(
      'Health components',
      table(
        ['Component', 'Score', 'Weight', 'Facts'],
        comps.map((k) => {
          const comp = h.components[k];
          return el('tr', {}, el('th', { scope: 'row', text: k }), el('td', { class: 'num' }, el('meter', { min: 0, max: 100, low: 40, high: 70, optimum: 100, value: comp.score, 'aria-label': `${k} ${fmt1(comp.score)} of 100` }), ` ${fmt1(comp.score)}`), el('td', { class: 'num', text: fmt2(comp.weight) }), el('td', {}, el('ul', { class: 'facts' }, comp.facts.map((f) => el('li', { text: f })))));
        }),
      ),
    ),
  );

  body.append(
    section(
      `Neglect flags (${c.neglect.length})`,
      c.neglect.length
        ? table(
            ['Flag', 'Severity', 'Since', 'Due', 'Overdue', 'Evidence', 'Owner', 'Status', 'What to do'],
            c.neglect.map((f) =>
              el(
                'tr',
                { class: f.snoozed ? 'snoozed' : '', dataset: { kind: f.kind } },
                el('td', { text: kindLabel(f.kind) }),
                el('td', {}, el('span', { class: `sev sev-${f.severity}`, text: f.severity })),
                el('td', { class: 'when', text: fmtInstant(f.since) }),
                el('td', { class: 'when due', text: fmtInstant(f.due) }),
                el('td', { class: 'num overdue', text: `${fmt2(f.overdue)} business days` }),
                el('td', { class: 'evidence', text: evidenceText(f.evidence) }),
                el('td', { text: f.owner ?? '—' }),
                el('td', { text: f.snoozed ? `snoozed until ${fmtInstant(f.snooze?.until)}${f.snooze?.reason ? ` (${f.snooze.reason})` : ''}` : 'open' }),
                el('td', { text: f.message }),
              ),
            ),
          )
        : el('p', { class: 'muted', text: 'No open flag.' }),
    ),
  );

  body.append(
    section(
      `Actions (${c.actions.length})`,
      c.actions.length
        ? table(
            ['Action', 'What to do', 'Uplift', 'Evidence', 'Owner', 'Severity'],
            c.actions.map((a) =>
              el(
                'tr',
                { dataset: { kind: a.kind } },
                el('td', { text: kindLabel(a.kind) }),
                el('td', { text: a.message }),
                el('td', { class: 'num', text: `${signed(a.uplift)} health` }),
                el('td', { class: 'evidence', text: evidenceText(a.evidence) }),
                el('td', { text: a.owner ?? '—' }),
                el('td', {}, el('span', { class: `sev sev-${a.severity}`, text: a.severity })),
              ),
            ),
          )
        : el('p', { class: 'muted', text: 'Nothing to do.' }),
    ),
  );

  if (c.exposure.length || c.referredBy) {
    const who = (id) => `${names[id] ?? ''} (${id})`.trim();
    body.append(
      section(
        'Word of mouth',
        c.referredBy ? el('p', { text: `Referred by ${who(c.referredBy)}.` }) : null,
        c.exposure.length ? el('p', { text: `Connected customers in the defection zone or at high risk: ${c.exposure.map(who).join(', ')}.` }) : null,
      ),
    );
  }

  // Timeline of the customer's rows, newest first; evidence rows are marked.
  const evidence = new Map();
  for (const f of c.neglect) if (f.evidence) evidence.set(`${f.evidence.table}:${f.evidence.id}`, [...(evidence.get(`${f.evidence.table}:${f.evidence.id}`) ?? []), kindLabel(f.kind)]);
  for (const a of c.actions) {
    if (!a.evidence) continue;
    const k = `${a.evidence.table}:${a.evidence.id}`;
    const l = evidence.get(k) ?? [];
    if (!l.includes(kindLabel(a.kind))) evidence.set(k, [...l, kindLabel(a.kind)]);
  }
  const LIMIT = 80;
  const list = el('ol', { class: 'timeline' });
  const renderItems = (n) => {
    clear(list);
    for (const t of timeline.slice(0, n)) {
      const ev = evidence.get(`${t.table}:${str(t.row.id)}`);
      const li = el(
        'li',
        { class: `tl tl-${t.table}${ev ? ' is-evidence' : ''}${t.future ? ' is-future' : ''}${t.rejected ? ' is-rejected' : ''}`, dataset: { table: t.table, id: str(t.row.id) } },
        el('span', { class: 'tl-when', text: t.at ? t.at.replace('T', ' ') : '—' }),
        el('span', { class: `tl-table`, text: t.table }),
        el('span', { class: 'tl-what' }, el('span', { class: 'tl-id', text: str(t.row.id) }), ' ', rowSummary(t.table, t.row)),
        ev ? el('span', { class: 'tag tag-evidence', text: `evidence: ${ev.join(', ')}` }) : null,
        t.future ? el('span', { class: 'tag tag-future', text: 'after the analysis date: not counted' }) : null,
        t.rejected ? el('span', { class: 'tag tag-rejected', text: `rejected (${t.place.file}, ${t.place.where}): ${t.rejected}` }) : null,
      );
      list.append(li);
    }
  };
  renderItems(LIMIT);
  const more =
    timeline.length > LIMIT
      ? el('button', {
          type: 'button',
          class: 'button small',
          text: `Show all ${fmtInt(timeline.length)} rows`,
          onclick: (e) => {
            renderItems(timeline.length);
            e.currentTarget.remove();
          },
        })
      : null;
  body.append(
    section(
      `Timeline (${fmtInt(timeline.length)} rows)`,
      el('p', { class: 'muted', text: `Orders, contacts, complaints, promises, feedback, deliveries and snoozes as exported, newest first. Report times are in UTC${timezone}; the analysis date is ${fmtInstant(asOf)}.` }),
      timeline.length ? list : el('p', { class: 'muted', text: 'No rows for this customer.' }),
      more,
    ),
  );
}

function setupDialog() {
  const dlg = $('customer');
  $('cust-close').addEventListener('click', () => dlg.close());
  dlg.addEventListener('click', (e) => {
    if (e.target === dlg) dlg.close(); // a click on the backdrop
  });
  dlg.addEventListener('close', () => {
    returnFocus?.focus?.();
    returnFocus = null;
  });
}

// ─────────────────────────────── charts ───────────────────────────────

const charts = {};
const COLORS = {
  nps: '#1d4ed8',
  csat: '#047857',
  green: '#15803d',
  amber: '#b45309',
  red: '#b91c1c',
  low: '#6b9e78',
  medium: '#d4a017',
  high: '#e07b39',
  critical: '#b91c1c',
  grid: '#e5e7eb',
  text: '#374151',
};

function chart(id, config) {
  if (typeof window.Chart !== 'function') return null;
  if (charts[id]) {
    charts[id].data = config.data;
    charts[id].options = config.options;
    charts[id].update('none');
    return charts[id];
  }
  charts[id] = new window.Chart($(id), config);
  return charts[id];
}

function fillTable(id, headers, rows) {
  const t = clear($(id));
  t.append(el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', text: h })))));
  t.append(el('tbody', {}, rows.map((r) => el('tr', {}, r.map((v, i) => (i === 0 ? el('th', { scope: 'row', text: v }) : el('td', { class: 'num', text: v })))))));
}

function renderCharts(s) {
  if (window.Chart) {
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = COLORS.text;
    window.Chart.defaults.animation = false;
  }
  const base = { responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false } };
  chart('chart-daily', {
    type: 'line',
    data: {
      labels: s.daily.map((d) => d.date.slice(5)),
      datasets: [
        { label: 'NPS', data: s.daily.map((d) => d.nps), borderColor: COLORS.nps, backgroundColor: COLORS.nps, yAxisID: 'y', pointRadius: 0, borderWidth: 2, spanGaps: true },
        { label: 'CSAT %', data: s.daily.map((d) => d.csat), borderColor: COLORS.csat, backgroundColor: COLORS.csat, yAxisID: 'y1', pointRadius: 0, borderWidth: 2, borderDash: [6, 3], spanGaps: true },
      ],
    },
    options: {
      ...base,
      plugins: { legend: { labels: { usePointStyle: true, pointStyle: 'line' } } },
      scales: {
        x: { ticks: { maxTicksLimit: 6 }, grid: { display: false } },
        y: { position: 'left', title: { display: true, text: 'NPS' }, suggestedMin: -20, suggestedMax: 80, grid: { color: COLORS.grid } },
        y1: { position: 'right', title: { display: true, text: 'CSAT %' }, min: 0, max: 100, grid: { display: false } },
      },
    },
  });
  fillTable('tbl-daily', ['Date', 'NPS', 'CSAT %', 'CES', 'Answers', 'Open complaints'], s.daily.map((d) => [d.date, fmt1(d.nps), fmt1(d.csat), fmt2(d.ces), fmtInt(d.responses), fmtInt(d.openComplaints)]));

  const labels = s.hist.map((_, i) => (i === 9 ? '90–100' : `${i * 10}–${i * 10 + 9}`));
  chart('chart-health', {
    type: 'bar',
    data: {
      labels,
      datasets: ['red', 'amber', 'green'].map((b) => ({ label: b, data: s.histBand.map((h) => h[b]), backgroundColor: COLORS[b], stack: 'h' })),
    },
    options: { ...base, scales: { x: { stacked: true, grid: { display: false }, title: { display: true, text: 'health score' } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'customers' }, grid: { color: COLORS.grid } } } },
  });
  fillTable('tbl-health', ['Health', 'Red', 'Amber', 'Green', 'Customers'], labels.map((l, i) => [l, fmtInt(s.histBand[i].red), fmtInt(s.histBand[i].amber), fmtInt(s.histBand[i].green), fmtInt(s.hist[i])]));

  const risks = ['low', 'medium', 'high', 'critical'];
  chart('chart-tier', {
    type: 'bar',
    data: {
      labels: ['Tier A', 'Tier B', 'Tier C'],
      datasets: risks.map((r) => ({ label: r, data: ['A', 'B', 'C'].map((t) => s.tierRisk[t][r]), backgroundColor: COLORS[r], stack: 't' })),
    },
    options: { ...base, scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'customers' }, grid: { color: COLORS.grid } } } },
  });
  fillTable('tbl-tier', ['Tier', 'Low', 'Medium', 'High', 'Critical'], ['A', 'B', 'C'].map((t) => [t, ...risks.map((r) => fmtInt(s.tierRisk[t][r]))]));
}

// ─────────────────────────────── reps ───────────────────────────────

function renderReps(s) {
  const body = clear($('reps-body'));
  for (const o of s.owners) {
    const total = Object.values(o.openFlags).reduce((a, b) => a + b, 0);
    const kinds = Object.entries(o.openFlags)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${n} ${kindLabel(k).toLowerCase()}`)
      .join(', ');
    const name = o.owner ?? '(no owner)';
    const btn = el('button', {
      type: 'button',
      class: 'link',
      text: name,
      title: `Show ${name}'s worklist`,
      onclick: () => {
        $('f-owner').value = o.owner ?? NONE;
        page.offset = 0;
        refreshWorklist();
        $('worklist').scrollIntoView();
        $('f-owner').focus({ preventScroll: true });
      },
    });
    body.append(
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, btn),
        el('td', { class: 'num', 'data-label': 'Customers', text: fmtInt(o.customers) }),
        el('td', { class: 'num', 'data-label': 'Open flags', text: `${fmtInt(total)}${o.snoozedFlags ? ` (+${o.snoozedFlags} snoozed)` : ''}` }),
        el('td', { class: 'kinds', 'data-label': 'By kind', text: kinds || '—' }),
        el('td', { class: 'num', 'data-label': 'Overdue', text: fmt1(o.overdueDays) }),
        el('td', { class: 'num', 'data-label': 'Broken promises', text: o.brokenPromiseRate === null ? '—' : `${fmtPct(o.brokenPromiseRate)} of ${fmtInt(o.promisesDue)}` }),
        el('td', { class: 'num', 'data-label': 'Median resolution', text: fmt1(o.medianComplaintResolutionDays) }),
        el('td', { class: 'num', 'data-label': 'At high risk', text: fmtPct(o.highRiskShare) }),
      ),
    );
  }
}

// ─────────────────────────────── data quality ───────────────────────────────

function renderQuality(s, source) {
  const fileOf = (t) => (source.kind === 'csv' ? source.files.find((f) => f.table === t)?.file.name ?? '—' : source.name);
  const body = clear($('input-body'));
  for (const t of TABLE_NAMES) {
    const c = s.input[t];
    body.append(
      el(
        'tr',
        { class: c.rejected ? 'has-rejected' : '' },
        el('th', { scope: 'row', text: t }),
        el('td', { text: c.received || source.kind !== 'csv' ? fileOf(t) : '—' }),
        el('td', { class: 'num', text: fmtInt(c.received) }),
        el('td', { class: 'num', text: fmtInt(c.used) }),
        el('td', { class: 'num', text: fmtInt(c.rejected) }),
        el('td', { class: 'num', text: fmtInt(c.future) }),
      ),
    );
  }
  const rows = (list, tbody) => {
    clear(tbody);
    for (const r of list) {
      tbody.append(
        el(
          'tr',
          {},
          el('td', { 'data-label': 'File', text: r.file }),
          el('td', { 'data-label': 'Row', text: r.where }),
          el('td', { 'data-label': 'Id', text: r.id ?? '—' }),
          el('td', { 'data-label': 'Field', text: r.field ?? '—' }),
          el('td', { 'data-label': 'Reason', text: r.reason }),
        ),
      );
    }
    if (!list.length) tbody.append(el('tr', {}, el('td', { colspan: 5, class: 'empty', text: 'None.' })));
  };
  rows(s.rejected, $('rejected-body'));
  rows(s.warnings, $('warnings-body'));
  $('rejected-note').textContent = s.rejectedTotal
    ? `${fmtInt(s.rejectedTotal)} rejected row${s.rejectedTotal > 1 ? 's' : ''}${s.rejectedTotal > s.rejected.length ? ` (the first ${fmtInt(s.rejected.length)} are listed)` : ''}. Each names its file, its row (${source.kind === 'csv' ? 'the line in the CSV file' : 'the position in its table'}) and the field at fault.`
    : 'No row was rejected.';
  const m = s.models;
  const line = $('models-line');
  if (m?.buying) {
    line.textContent = `Buying model: ${m.buying.model === 'bgnbd' ? 'BG/NBD' : m.buying.model === 'paretonbd' ? 'Pareto/NBD' : m.buying.model} fitted on ${fmtInt(m.buying.customers)} customers (${fmtInt(m.repeatBuyers)} repeat buyers)${m.spend ? `; spend: ${m.spend.converged ? 'Gamma-Gamma' : `Gamma-Gamma not identified (${m.spend.message ?? 'did not converge'})`}` : ''}.`;
  } else line.textContent = m?.reason ? `No buying model: ${m.reason}.` : '';
}

// ─────────────────────────────── policy ───────────────────────────────

let shownPolicy = null;
const NUM_FIELDS = [
  ['p-returnContactWithin', ['returnContactWithin']],
  ['p-complaintFirstResponseWithin', ['complaintFirstResponseWithin']],
  ['p-complaintUpdateEvery', ['complaintUpdateEvery']],
  ['p-feedbackEvery', ['feedbackEvery']],
  ...['critical', 'high', 'medium', 'low'].map((s) => [`p-resolve-${s}`, ['complaintResolveWithin', s]]),
  ...['A', 'B', 'C'].map((t) => [`p-outreach-${t}`, ['outreachEvery', t]]),
  ...['satisfaction', 'buying', 'attention', 'service'].map((w) => [`p-w-${w}`, ['weights', w]]),
  ['p-band-green', ['bands', 'green']],
  ['p-band-amber', ['bands', 'amber']],
];

function fillPolicy(p) {
  shownPolicy = p;
  $('p-timezone').value = p.timezone;
  for (const [id, path] of NUM_FIELDS) $(id).value = String(path.reduce((o, k) => o?.[k], p) ?? '');
  for (const box of document.querySelectorAll('#p-workdays input')) box.checked = p.workdays.includes(box.value);
  $('p-holidays').value = p.holidays.join('\n');
  $('policy-source').textContent = `In force: timezone UTC${p.timezone}, ${p.workdays.length} workdays, ${p.holidays.length} holiday${p.holidays.length === 1 ? '' : 's'}. Change a value and re-run: the analysis is repeated in the worker with this policy.`;
}

function readPolicy() {
  const p = structuredClone(shownPolicy ?? {});
  p.timezone = $('p-timezone').value.trim() || '+00:00';
  for (const [id, path] of NUM_FIELDS) {
    const raw = $(id).value.trim();
    if (raw === '') continue;
    let o = p;
    for (const k of path.slice(0, -1)) o = o[k] ??= {};
    const n = Number(raw);
    o[path[path.length - 1]] = Number.isFinite(n) ? n : raw;
  }
  p.workdays = [...document.querySelectorAll('#p-workdays input:checked')].map((b) => b.value);
  p.holidays = $('p-holidays')
    .value.split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return p;
}

function policyOptions(policy) {
  const asOf = $('p-asOf').value.trim();
  return { ...(asOf ? { asOf } : {}), ...(policy ? { policy } : {}) };
}

function markPolicyError(d) {
  const path = d.path.replace(/^options\./, '');
  let id = null;
  if (path === 'asOf') id = 'p-asOf';
  else if (path.startsWith('policy.workdays')) id = 'p-workdays';
  else if (path.startsWith('policy.holidays')) id = 'p-holidays';
  else if (path === 'policy.timezone') id = 'p-timezone';
  else {
    const parts = path.split('.').slice(1);
    const hit = NUM_FIELDS.find(([, p]) => p.join('.') === parts.join('.')) ?? NUM_FIELDS.find(([, p]) => p[0] === parts[0]);
    id = hit?.[0] ?? null;
  }
  const pe = $('policy-error');
  pe.textContent = d.message;
  pe.hidden = false;
  if (id) {
    const field = id === 'p-workdays' ? document.querySelector('#p-workdays input') : $(id);
    if (id !== 'p-workdays') field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', 'policy-error');
    field.focus();
  }
}

function setupPolicy() {
  $('policy-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (!lastSource) return;
    analyse(lastSource, policyOptions(readPolicy()));
  });
  $('policy-defaults').addEventListener('click', () => {
    if (!lastSource) return;
    analyse(lastSource, policyOptions({}));
  });
}

// ─────────────────────────────── files ───────────────────────────────

async function headerOf(file) {
  try {
    const text = await file.slice(0, 4096).text();
    const first = text.replace(/^\ufeff/, '').split(/\r?\n/)[0] ?? '';
    return first.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  } catch {
    return [];
  }
}

async function openFiles(fileList) {
  const chosenAt = performance.now();
  performance.mark('tend:files-chosen');
  const files = [...fileList];
  if (!files.length) return;
  hideError();
  const isJson = (f) => /\.json$/i.test(f.name) || f.type === 'application/json';
  const isCsv = (f) => /\.(csv|txt)$/i.test(f.name) || f.type === 'text/csv';
  const other = files.filter((f) => !isJson(f) && !isCsv(f));
  const json = files.filter(isJson);
  if (other.length) {
    showError({ file: other[0].name, message: `${other[0].name}: not a JSON or CSV file. Open a JSON export, or one CSV file per table (customers.csv, orders.csv, …).` });
    return;
  }
  if (json.length && (json.length > 1 || files.length > 1)) {
    showError({ message: `Open one JSON export, or CSV files (one per table) — not ${files.map((f) => f.name).join(', ')} together.` });
    return;
  }
  $('p-asOf').value = '';
  if (json.length === 1) {
    hideCsvMap();
    analyse({ kind: 'json', file: json[0], name: json[0].name }, {}, { chosenAt });
    return;
  }
  const mapped = [];
  for (const file of files) {
    const table = tableFromFileName(file.name) ?? tableFromHeader(await headerOf(file));
    mapped.push({ file, table });
  }
  const tables = mapped.map((m) => m.table);
  const ok = tables.every(Boolean) && new Set(tables).size === tables.length && tables.includes('customers');
  if (ok) {
    hideCsvMap();
    runCsv(mapped, chosenAt);
  } else showCsvMap(mapped);
}

function runCsv(mapped, chosenAt = null) {
  const source = { kind: 'csv', files: mapped, name: `${mapped.length} CSV file${mapped.length > 1 ? 's' : ''}` };
  // A CSV set carries no policy: the one in the policy panel applies.
  analyse(source, policyOptions(shownPolicy ? readPolicy() : null), { chosenAt });
}

let mapping = [];
function showCsvMap(mapped) {
  mapping = mapped;
  const list = clear($('csv-map-list'));
  mapped.forEach((m, i) => {
    const id = `csv-table-${i}`;
    const sel = el('select', { id, required: true }, el('option', { value: '', text: 'Choose a table…' }), TABLE_NAMES.map((t) => el('option', { value: t, text: t })));
    sel.value = m.table ?? '';
    list.append(el('li', {}, el('label', { for: id, text: m.file.name }), sel, el('span', { class: 'muted small', text: ` ${TABLES[m.table]?.fields.join(', ') ?? ''}` })));
    sel.addEventListener('change', () => {
      sel.nextElementSibling.textContent = ` ${TABLES[sel.value]?.fields.join(', ') ?? ''}`;
    });
  });
  $('csv-map').hidden = false;
  $('csv-map').querySelector('select')?.focus();
}

function hideCsvMap() {
  $('csv-map').hidden = true;
}

function setupFiles() {
  $('file-input').addEventListener('change', (e) => {
    const files = e.target.files;
    if (files?.length) openFiles(files);
    e.target.value = '';
  });
  $('load-sample').addEventListener('click', () => {
    hideCsvMap();
    $('p-asOf').value = '';
    analyse(SAMPLE);
  });
  $('cancel').addEventListener('click', () => cancelRun());
  $('error-close').addEventListener('click', () => ($('error-box').hidden = true));
  $('csv-map').addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = mapping.map((m, i) => ({ file: m.file, table: $(`csv-table-${i}`).value }));
    const missing = chosen.find((c) => !c.table);
    if (missing) {
      showError({ file: missing.file.name, message: `${missing.file.name}: choose which table this file holds.` });
      return;
    }
    hideCsvMap();
    runCsv(chosen);
  });
  $('csv-map-cancel').addEventListener('click', hideCsvMap);

  // Drag and drop anywhere on the page.
  let depth = 0;
  const overlay = $('drag-overlay');
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  document.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  });
  document.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    openFiles(e.dataTransfer.files);
  });
}

// ─────────────────────────────── start ───────────────────────────────

setupWorklist();
setupDialog();
setupPolicy();
setupFiles();
setState('idle');
renderWorklist({ rows: [], total: 0, offset: 0 });
analyse(SAMPLE);
