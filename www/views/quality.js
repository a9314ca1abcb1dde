// The data quality panel: per table received = used + rejected + future, the rejected rows one
// page at a time (each with its file and its CSV line and column, or its position in its
// table), the warnings count and the buying model used.
import { $, el, clear, cell, fmtInt } from '../dom.js';
import { TABLE_NAMES } from '../shared.js';
import { ask } from '../client.js';
import { PagedTable } from '../pager.js';
import { showError, showNotice, hideNotice } from '../messages.js';

let list = null;
let announce = false; // the next first page names the first rejected row in the notice

const row = (r) =>
  el(
    'tr',
    {},
    cell('File', { text: r.file }),
    cell('Row', { text: r.where }),
    cell('Id', { text: r.id ?? '—' }),
    cell('Field', { text: r.field ?? '—' }),
    cell('Reason', { text: r.reason }),
  );

function onPage(res) {
  if (!announce) return;
  announce = false;
  const r = res.items[0];
  if (!r) return hideNotice();
  const n = res.total;
  showNotice(
    `${fmtInt(n)} row${n > 1 ? 's were' : ' was'} rejected and left out; the rest is analysed. First: ${r.file}, ${r.where}${r.id ? ` (${r.id})` : ''}, field ${r.field ?? '—'}: ${r.reason}.`,
    el('a', { href: '#quality', text: 'See data quality' }),
  );
}

export function setupQuality() {
  list = new PagedTable({
    table: $('rejected-table'),
    pager: $('rj-pager'),
    fetch: ({ offset, limit }) => ask('rejected', { offset, limit }),
    row,
    empty: () => 'None.',
    onPage,
    onError: (e) => showError({ message: e.message }),
  });
}

/** The panel for a new summary; its first page of rejected rows is asked of the worker. */
export function renderQuality(s, source) {
  const fileOf = (t) => (source.kind === 'csv' ? (s.source.tables[t] ?? '—') : source.name);
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
  // A table missing from the export is "not recorded": its rules are not evaluated.
  const skipped = s.input.notEvaluated ?? [];
  $('not-evaluated-note').textContent = skipped.length
    ? `Not in the export, so not evaluated: ${skipped.map((x) => `${x.table} (${x.rules})`).join('; ')}. An empty table counts as recorded.`
    : 'Every table is in the export.';
  const n = s.rejectedTotal;
  $('rejected-note').textContent = n
    ? `${fmtInt(n)} rejected row${n > 1 ? 's' : ''}. Each names its file, its row (${source.kind === 'csv' ? 'the line and column in the CSV file' : 'the position in its table'}) and the field at fault.`
    : 'No row was rejected.';
  $('warnings-note').textContent = s.warningsTotal ? `${fmtInt(s.warningsTotal)} row${s.warningsTotal > 1 ? 's were' : ' was'} kept with a field ignored.` : 'No field was ignored.';
  const m = s.models;
  const line = $('models-line');
  if (m?.buying) {
    const name = m.buying.model === 'bgnbd' ? 'BG/NBD' : m.buying.model === 'paretonbd' ? 'Pareto/NBD' : m.buying.model;
    const spend = m.spend ? `; spend: ${m.spend.converged ? 'Gamma-Gamma' : `Gamma-Gamma not identified (${m.spend.message ?? 'did not converge'})`}` : '';
    line.textContent = `Buying model: ${name} fitted on ${fmtInt(m.buying.customers)} customers (${fmtInt(m.repeatBuyers)} repeat buyers)${spend}.`;
  } else line.textContent = m?.reason ? `No buying model: ${m.reason}.` : '';
  announce = n > 0;
  if (!n) {
    hideNotice();
    list.show({ items: [], total: 0, offset: 0 });
    return Promise.resolve();
  }
  return list.reset();
}
