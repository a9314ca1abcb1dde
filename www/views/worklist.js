// The worklist panel: filters, the page of actions asked of the engine (sorted and filtered
// there), the customers the search matches, the CSV export.
import { $, el, clear, cell, fmtInt, fmt1, signed } from '../dom.js';
import { NEGLECT_KINDS, KIND_LABELS, kindLabel } from '../shared.js';
import { ask, session } from '../client.js';
import { PagedTable } from '../pager.js';
import { customerCell, openCustomer } from '../customer.js';
import { showError } from '../messages.js';

const NONE = '\u0000none'; // the owner filter's value for actions without an owner
// Sortable columns and their first direction (numbers start with the largest).
const SORTS = { rank: 'asc', customer: 'asc', owner: 'asc', kind: 'asc', severity: 'desc', overdue: 'desc', uplift: 'desc', priority: 'desc' };

let list = null;

// The engine's query for the filters on screen; `#` (rank) is the engine's own order.
function engineQuery({ offset = 0, limit = 50, sort, dir } = {}) {
  const q = { offset, limit };
  const search = $('f-search').value.trim();
  if (search) q.search = search;
  const owner = $('f-owner').value;
  if (owner === NONE) q.owner = '';
  else if (owner) q.owner = owner;
  for (const f of ['kind', 'tier', 'band', 'risk']) {
    const v = $(`f-${f}`).value;
    if (v) q[f] = v;
  }
  if (sort === 'rank') {
    if (dir === 'desc') q.sort = 'priority:asc';
  } else if (sort) q.sort = `${sort}:${dir}`;
  return q;
}

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

function row(r, position) {
  const tr = el('tr', { dataset: { customer: r.customerId, kind: r.kind } });
  tr.append(
    cell('#', { class: 'num rank' }, String(position)),
    customerCell(r.customerId, r.customerName),
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
  return tr;
}

function onPage(res) {
  renderMatches(res.customers, res.customerMatches);
  const all = session.summary?.actions;
  $('wl-count').textContent = `${fmtInt(res.total)} action${res.total === 1 ? '' : 's'}${all !== undefined && res.total !== all ? ` of ${fmtInt(all)}` : ''}`;
}

/** Show the first page of the worklist for the filters on screen. */
export const refreshWorklist = () => list.reset();

/** Show the current page again (after a new load). */
export const reloadWorklist = () => list.refresh();

/** Show one owner's worklist (`null`: the actions without an owner). */
export function showOwner(owner) {
  $('f-owner').value = owner ?? NONE;
  refreshWorklist();
  $('worklist').scrollIntoView();
  $('f-owner').focus({ preventScroll: true });
}

/**
 * The owner and kind filters for a new summary: the values chosen are kept when they still
 * exist. Returns whether one was dropped (the worklist shown then needs asking again).
 */
export function renderFilters(s) {
  const owner = $('f-owner');
  const keepOwner = owner.value;
  clear(owner).append(el('option', { value: '', text: 'All owners' }));
  const names = s.owners.map((o) => o.owner).filter((o) => o !== null);
  for (const o of names) owner.append(el('option', { value: o, text: o }));
  if (s.owners.some((o) => o.owner === null)) owner.append(el('option', { value: NONE, text: '(no owner)' }));
  owner.value = [...owner.options].some((o) => o.value === keepOwner) ? keepOwner : '';
  const keepKind = $('f-kind').value;
  renderKinds(s.flagKinds);
  return owner.value !== keepOwner || $('f-kind').value !== keepKind;
}

/** The kind filter, with a count per kind where known (`counts`: kind → actions). */
export function renderKinds(counts = {}) {
  const kind = $('f-kind');
  const keep = kind.value;
  clear(kind).append(el('option', { value: '', text: 'All kinds' }));
  const flags = el('optgroup', { label: 'Neglect flags' });
  const acts = el('optgroup', { label: 'Other actions' });
  const known = [...NEGLECT_KINDS, ...Object.keys(KIND_LABELS).filter((k) => !NEGLECT_KINDS.includes(k))];
  for (const k of [...known, ...Object.keys(counts).filter((k) => !known.includes(k))]) {
    const n = counts[k];
    (NEGLECT_KINDS.includes(k) ? flags : acts).append(el('option', { value: k, text: n === undefined ? kindLabel(k) : `${kindLabel(k)} (${fmtInt(n)})` }));
  }
  kind.append(flags, acts);
  kind.value = keep;
  if (kind.value !== keep) kind.value = '';
}

async function exportWorklist() {
  const btn = $('export-csv');
  btn.disabled = true;
  try {
    const { blob } = await ask('export', { q: engineQuery({ ...list.state, offset: 0 }) });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: `tend-worklist-${(session.summary?.asOf ?? '').slice(0, 10) || 'export'}.csv` });
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

export function setupWorklist() {
  list = new PagedTable({
    table: $('wl-table'),
    pager: $('wl-pager'),
    fetch: (state) => (session.worker ? ask('worklist', { q: engineQuery(state) }) : Promise.resolve({ items: [], total: 0, offset: 0 })),
    row,
    empty: () => (session.summary ? 'No action matches these filters.' : 'No data yet.'),
    sorts: SORTS,
    sort: 'rank',
    onPage,
    onError: (e) => showError({ message: e.message }),
  });
  let timer = 0;
  const again = () => {
    clearTimeout(timer);
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
  $('export-csv').addEventListener('click', exportWorklist);
  list.show({ items: [], total: 0, offset: 0 });
}
