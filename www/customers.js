// The customers list panel: every customer, actions or not, one page at a time, filtered and
// sorted in the engine; a name opens the customer panel.
import { $, el, cell, fmtInt, fmt1, fmt2, signed } from './dom.js';
import { ask, session } from './client.js';
import { PagedTable } from './pager.js';
import { openCustomer } from './customer.js';
import { showError } from './messages.js';

// Sortable columns (the engine's customers sort fields) and their first direction.
const SORTS = { name: 'asc', owner: 'asc', tier: 'asc', stage: 'asc', health: 'asc', trend: 'asc', riskScore: 'desc', openFlags: 'desc', actions: 'desc', revenue12m: 'desc', priority: 'desc' };

let list = null;

function engineQuery({ offset, limit, sort, dir }) {
  const q = { offset, limit, sort: `${sort}:${dir}` };
  const search = $('cl-search').value.trim();
  if (search) q.search = search;
  for (const f of ['stage', 'band', 'risk']) {
    const v = $(`cl-${f}`).value;
    if (v) q[f] = v;
  }
  return q;
}

function row(c) {
  const open = el('button', { type: 'button', class: 'link', text: c.name ?? c.id, title: `Open ${c.id}` });
  open.addEventListener('click', () => openCustomer(c.id, open));
  return el(
    'tr',
    { dataset: { customer: c.id } },
    cell('Customer', { class: 'cust' }, open, el('span', { class: 'id', text: c.id })),
    cell('Owner', {}, c.owner ?? '—'),
    cell('Tier', {}, c.tier),
    cell('Stage', {}, c.stage),
    cell('Health', { class: 'num' }, el('span', { class: `band band-${c.band}`, text: c.band }), ` ${fmt1(c.health)}`),
    cell('Trend', { class: 'num' }, c.trend === null ? '—' : signed(c.trend)),
    cell('Risk', {}, el('span', { class: `sev sev-${c.risk}`, text: c.risk }), ` ${fmt2(c.riskScore)}`),
    cell('Open flags', { class: 'num' }, fmtInt(c.openFlags)),
    cell('Actions', { class: 'num' }, fmtInt(c.actions)),
    cell('Revenue, 12 mo.', { class: 'num' }, fmtInt(c.revenue12m)),
    cell('Exp. loss', { class: 'num' }, fmtInt(c.priority)),
  );
}

/** Show the first page for the filters on screen. */
export const refreshCustomers = () => list.reset();

export function setupCustomers() {
  list = new PagedTable({
    table: $('cl-table'),
    pager: $('cl-pager'),
    fetch: (state) => (session.worker ? ask('customers', { q: engineQuery(state) }) : Promise.resolve({ items: [], total: 0, offset: 0 })),
    row,
    empty: () => (session.summary ? 'No customer matches these filters.' : 'No data yet.'),
    sorts: SORTS,
    sort: 'priority',
    dir: 'desc',
    limit: 25,
    onPage: (res) => ($('cl-count').textContent = `${fmtInt(res.total)} customer${res.total === 1 ? '' : 's'}`),
    onError: (e) => showError({ message: e.message }),
  });
  let timer = 0;
  $('cl-search').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refreshCustomers, 150);
  });
  for (const id of ['cl-stage', 'cl-band', 'cl-risk']) $(id).addEventListener('change', refreshCustomers);
  $('cl-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    refreshCustomers();
  });
  $('cl-filters').addEventListener('reset', () => setTimeout(refreshCustomers, 0));
  list.show({ items: [], total: 0, offset: 0 });
}
