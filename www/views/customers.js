// The customers view: every customer, actions or not, in a virtualised list (../vlist.js) fed
// page by page by the engine, which filters (name or id, owner, tier, band, risk, stage, lapse
// within N days) and sorts; ↑ ↓ Page Up/Down Home End move through the rows; a name opens the
// customer panel.
import { $, el, clear, cell, fmtInt, fmt1, fmt2, fmtDate, signed } from '../dom.js';
import { ask, session } from '../client.js';
import { VirtualTable } from '../vlist.js';
import { customerCell } from '../customer.js';
import { showError } from '../messages.js';

// Sortable columns (the engine's customers sort fields) and their first direction.
const SORTS = { name: 'asc', owner: 'asc', tier: 'asc', stage: 'asc', health: 'asc', trend: 'asc', riskScore: 'desc', openFlags: 'desc', actions: 'desc', revenue12m: 'desc', priority: 'desc' };
const NONE = '\u0000none'; // the owner filter's value for customers without an owner

let list = null;

function engineQuery({ offset, limit, sort, dir }) {
  const q = { offset, limit, sort: `${sort}:${dir}` };
  const search = $('cl-search').value.trim();
  if (search) q.search = search;
  const owner = $('cl-owner').value;
  if (owner === NONE) q.owner = '';
  else if (owner) q.owner = owner;
  for (const f of ['tier', 'stage', 'band', 'risk']) {
    const v = $(`cl-${f}`).value;
    if (v) q[f] = v;
  }
  const lapse = $('cl-lapse').value.trim();
  if (/^\d+$/.test(lapse)) q.lapseWithin = Number(lapse);
  return q;
}

function row(c) {
  return el(
    'tr',
    { dataset: { customer: c.id } },
    customerCell(c.id, c.name),
    cell('Owner', {}, c.owner ?? '—'),
    cell('Tier', {}, c.tier),
    cell('Stage', {}, c.stage),
    cell('Health', { class: 'num' }, el('span', { class: `band band-${c.band}`, text: c.band }), ` ${fmt1(c.health)}`),
    cell('Trend', { class: 'num' }, c.trend === null ? '—' : signed(c.trend)),
    cell('Risk', {}, el('span', { class: `sev sev-${c.risk}`, text: c.risk }), ` ${fmt2(c.riskScore)}`),
    cell('Open flags', { class: 'num' }, fmtInt(c.openFlags)),
    cell('Actions', { class: 'num' }, fmtInt(c.actions)),
    cell('Lapse', { class: 'num' }, c.lapseAt ? fmtDate(c.lapseAt) : '—'),
    cell('Revenue, 12 mo.', { class: 'num' }, fmtInt(c.revenue12m)),
    cell('Exp. loss', { class: 'num' }, fmtInt(c.priority)),
  );
}

/** Show the list from its top for the filters on screen. */
export const refreshCustomers = () => list.reset();

/** The owner filter for a new summary (the chosen owner kept when it still exists). */
export function renderCustomerOwners(s) {
  const owner = $('cl-owner');
  const keep = owner.value;
  clear(owner).append(el('option', { value: '', text: 'All owners' }));
  for (const o of s.owners.map((x) => x.owner).filter((x) => x !== null)) owner.append(el('option', { value: o, text: o }));
  if (s.owners.some((o) => o.owner === null)) owner.append(el('option', { value: NONE, text: '(no owner)' }));
  owner.value = [...owner.options].some((o) => o.value === keep) ? keep : '';
}

export function setupCustomers() {
  list = new VirtualTable({
    scroller: $('cl-scroll'),
    table: $('cl-table'),
    fetch: (state) => (session.worker ? ask('customers', { q: engineQuery(state) }) : Promise.resolve({ items: [], total: 0, offset: 0 })),
    row,
    empty: () => (session.summary ? 'No customer matches these filters.' : 'No data yet.'),
    sorts: SORTS,
    sort: 'priority',
    dir: 'desc',
    onTotal: (total) => ($('cl-count').textContent = `${fmtInt(total)} customer${total === 1 ? '' : 's'}`),
    onError: (e) => showError({ message: e.message }),
  });
  let timer = 0;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refreshCustomers, 150);
  };
  $('cl-search').addEventListener('input', later);
  $('cl-lapse').addEventListener('input', later);
  for (const id of ['cl-owner', 'cl-tier', 'cl-stage', 'cl-band', 'cl-risk']) $(id).addEventListener('change', refreshCustomers);
  $('cl-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    refreshCustomers();
  });
  $('cl-filters').addEventListener('reset', () => setTimeout(refreshCustomers, 0));
}
