// Choosing data: the file picker, drag and drop, recognising a CSV file's table (by its name,
// else its header) and asking the user when it cannot be told.
import { $, el, clear } from './dom.js';
import { TABLE_NAMES, TABLES, tableFromFileName, tableFromHeader } from './shared.js';
import { showError, hideError } from './messages.js';
import { policyOptions, readPolicy } from './views/policy.js';

const SAMPLE = { kind: 'url', url: new URL('sample/export.json', import.meta.url).href, name: 'sample/export.json' };
let analyse = null; // analyse(source, options, {chosenAt}): set by setupFiles

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
  analyse(source, policyOptions(readPolicy()), { chosenAt });
}

let mapping = [];
/** Ask which table each CSV file holds (`mapped`: `[{file, table}]`, table null when unknown). */
export function showCsvMap(mapped) {
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

/** `run(source, options, {chosenAt})` analyses; `cancel()` stops the run in progress. */
export function setupFiles(run, cancel) {
  analyse = run;
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
  $('cancel').addEventListener('click', () => cancel());
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

/** Analyse the bundled sample. */
export const loadSample = () => analyse(SAMPLE);
