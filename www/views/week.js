// The "This week" view: the customers who entered the red band, high or critical risk or the
// dissolution stage in the last 7 days (or 30), ranked by value, with since when they have been
// red or at high risk; a name opens the customer panel. Pages are asked of the engine.
import { $, el, cell, fmtInt, fmt1, fmt2 } from '../dom.js';
import { ask, session } from '../client.js';
import { PagedTable } from '../pager.js';
import { customerCell } from '../customer.js';
import { showError } from '../messages.js';

const ENTERED = { red: 'entered red', high_risk: 'became high risk', dissolution: 'entered dissolution' };
let list = null;
let days = 7;

const since = (s) => (s ? `${s.atLeast ? '≥ ' : ''}${fmtInt(s.days)} days` : '—');

function row(c) {
  return el(
    'tr',
    { dataset: { customer: c.id } },
    customerCell(c.id, c.name),
    cell('Owner', {}, c.owner ?? '—'),
    cell('Tier', {}, c.tier),
    cell('Value', { class: 'num' }, fmtInt(c.value)),
    cell('Entered', {}, c.entered.map((k) => el('span', { class: `tag tag-${k}`, text: ENTERED[k] ?? k }))),
    cell('Red for', { class: 'num' }, since(c.red)),
    cell('High risk for', { class: 'num' }, since(c.highRisk)),
    cell('Health', { class: 'num' }, el('span', { class: `band band-${c.band}`, text: c.band }), ` ${fmt1(c.health)}`),
    cell('Risk', {}, el('span', { class: `sev sev-${c.risk}`, text: c.risk }), ` ${fmt2(c.riskScore)}`),
  );
}

function onPage(res) {
  const e = res.entered ?? { red: 0, highRisk: 0, dissolution: 0 };
  $('wk-count').textContent = `In the last ${res.days ?? days} days: ${fmtInt(e.red)} entered red, ${fmtInt(e.highRisk)} became high or critical risk, ${fmtInt(e.dissolution)} entered dissolution — ${fmtInt(res.total)} customer${res.total === 1 ? '' : 's'}, by value.`;
}

/** The window shown (7 or 30 days). */
export const weekDays = () => days;

/** Show the changes of the last `d` days (7 or 30), first page. */
export function setWeekDays(d) {
  days = d === 30 ? 30 : 7;
  for (const b of document.querySelectorAll('#wk-days button')) b.setAttribute('aria-pressed', String(Number(b.dataset.days) === days));
  return list.reset();
}

export const refreshWeek = () => list.reset();

export function setupWeek(onChange) {
  list = new PagedTable({
    table: $('wk-table'),
    pager: $('wk-pager'),
    fetch: (state) => (session.worker ? ask('changes', { q: { days, offset: state.offset, limit: state.limit } }) : Promise.resolve({ items: [], total: 0, offset: 0 })),
    row,
    empty: () => (session.summary ? `Nobody entered red, high risk or dissolution in the last ${days} days.` : 'No data yet.'),
    limit: 25,
    onPage,
    onError: (e) => showError({ message: e.message }),
  });
  for (const b of document.querySelectorAll('#wk-days button')) {
    b.addEventListener('click', () => {
      setWeekDays(Number(b.dataset.days));
      onChange?.();
    });
  }
  list.show({ items: [], total: 0, offset: 0 });
}
