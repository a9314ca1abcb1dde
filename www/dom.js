// DOM and formatting helpers of the demo page, and of the extension's popup and options page
// (scripts/extension.sh copies this file into extension/dist/dom.js: keep it free of imports and
// of anything page-specific). Customer data is rendered with textContent and DOM APIs only,
// never as HTML.

export const $ = (id) => document.getElementById(id);

/** An element: `props` are attributes, `class`, `text`, `dataset`, `on<event>` listeners. */
export function el(tag, props = {}, ...children) {
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

export function clear(node) {
  node.replaceChildren();
  return node;
}

/** Any value from the input, as text (rows are user data of any type). */
export function str(v) {
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
const none = (n) => n === null || n === undefined || Number.isNaN(n);
export const fmtInt = (n) => (none(n) ? '—' : nf0.format(n));
export const fmt1 = (n) => (none(n) ? '—' : nf1.format(n));
export const fmt2 = (n) => (none(n) ? '—' : nf2.format(n));
export const fmtPct = (x) => (none(x) ? '—' : `${nf0.format(x * 100)} %`);
export const signed = (n, f = fmt1) => (n > 0 ? `+${f(n)}` : n < 0 ? `−${f(-n)}` : f(0));
export const fmtMB = (b) => `${(b / 1048576).toFixed(b < 10485760 ? 1 : 0)} MB`;

/** An instant of the report (already in the policy's timezone) as "2026-11-20 09:30". */
export function fmtInstant(s) {
  if (typeof s !== 'string') return '—';
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(s);
  if (!m) return s;
  return m[2] ? `${m[1]} ${m[2]}` : m[1];
}

/** A table cell labelled for the stacked (phone) layout. */
export const cell = (label, props, ...children) => el('td', { ...props, 'data-label': label }, ...children);

/** Resolves after the browser has had a chance to run other tasks (keeps tasks short). */
export const yieldTask = () => new Promise((r) => setTimeout(r, 0));

/** Resolves after the next frame is drawn (or after 100 ms, in a tab that draws none). */
export const nextFrame = () =>
  new Promise((r) => {
    requestAnimationFrame(() => setTimeout(r, 0));
    setTimeout(r, 100);
  });

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element: `attrs` are attributes (`class`, `text` as in `el`), children appended. */
export function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

/** A data table in its scrolling wrapper; cells get their column's label for the stacked layout. */
export function dataTable(headers, rows, { cls = 'data-table stack', caption = null } = {}) {
  for (const tr of rows) [...tr.children].forEach((td, i) => td.tagName === 'TD' && !td.dataset.label && headers[i] && td.setAttribute('data-label', headers[i]));
  return el(
    'div',
    { class: 'table-wrap' },
    el('table', { class: cls }, caption ? el('caption', { class: 'visually-hidden', text: caption }) : null, el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', text: h })))), el('tbody', {}, rows)),
  );
}

/** A titled section of the customer panel. */
export const section = (title, ...content) => el('section', { class: 'cust-section' }, el('h3', { text: title }), ...content);

/** An ISO date as "2026-11-20" (or '—'). */
export const fmtDate = (s) => (typeof s === 'string' ? s.slice(0, 10) : '—');
