// Harbor CRM, customer list: a stand-in for a web CRM that keeps its data only in its DOM and
// re-renders its rows like a single-page app. The Tend extension's CRM adapter
// (extension/content/adapters/crm.js) reads these rows; this script knows nothing about Tend.
//
// - Sorting (click a column header) rebuilds every row from the script's state: new elements.
// - Refresh replaces the rows with copies of the current markup (cloneNode), as a framework
//   re-rendering from a template would: anything another script added to a row is copied as
//   plain markup, without its shadow root.
//
// A module (crm.html loads it with type="module"): its element helper is the demo page's.
import { el } from './dom.js';

const table = document.getElementById('crm-customers');
if (table) harborCrm(table);

function harborCrm(table) {
  const tbody = table.tBodies[0];
  const headers = [...table.tHead.rows[0].cells];

  // The state, read once from the server-rendered rows.
  const state = [...tbody.rows].map((tr) => ({
    data: { ...tr.dataset },
    id: tr.dataset.customerId,
    name: tr.querySelector('.c-name a').textContent,
    owner: tr.querySelector('.c-owner').textContent,
    segment: tr.dataset.segment,
    lastOrder: tr.querySelector('.c-last-order').textContent,
    revenue: tr.querySelector('.c-revenue').textContent,
    tickets: Number(tr.dataset.tickets || 0),
    lastContact: tr.querySelector('.c-last-contact').textContent,
    activity: tr.querySelector('.crm-activity').cloneNode(true),
  }));

  const KEYS = {
    name: (r) => r.name.toLowerCase(),
    owner: (r) => r.owner.toLowerCase(),
    segment: (r) => r.segment,
    lastOrder: (r) => r.data.lastOrder,
    revenue: (r) => Number(r.data.revenue),
    tickets: (r) => r.tickets,
    lastContact: (r) => r.data.lastContact,
  };
  let sortKey = 'name';
  let sortDir = 1;

  function renderRow(r) {
    return el(
      'tr',
      { class: 'crm-row', dataset: r.data },
      el('td', { class: 'c-name' }, el('a', { href: `#/customers/${encodeURIComponent(r.id)}`, text: r.name }), el('span', { class: 'c-id', text: r.id })),
      el('td', { class: 'c-owner', text: r.owner }),
      el('td', { class: 'c-segment' }, el('span', { class: `seg seg-${r.segment || 'none'}`, text: r.segment || '—' })),
      el('td', { class: 'c-last-order', text: r.lastOrder }),
      el('td', { class: 'c-revenue num', text: r.revenue }),
      el('td', { class: 'c-tickets num' }, r.tickets ? el('span', { class: 'tickets', text: String(r.tickets) }) : '0'),
      el('td', { class: 'c-last-contact', text: r.lastContact }),
      r.activity.cloneNode(true),
    );
  }

  function render() {
    const key = KEYS[sortKey];
    const rows = [...state].sort((x, y) => {
      const a = key(x);
      const b = key(y);
      return (a < b ? -1 : a > b ? 1 : 0) * sortDir || (x.id < y.id ? -1 : 1);
    });
    tbody.replaceChildren(...rows.map(renderRow));
    for (const th of headers) {
      if (th.dataset.sort === sortKey) th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
  }

  for (const th of headers) {
    th.tabIndex = 0;
    const sort = () => {
      if (sortKey === th.dataset.sort) sortDir = -sortDir;
      else {
        sortKey = th.dataset.sort;
        sortDir = sortKey === 'revenue' || sortKey === 'tickets' ? -1 : 1;
      }
      render();
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        sort();
      }
    });
  }

  document.getElementById('crm-refresh')?.addEventListener('click', () => {
    tbody.replaceChildren(...[...tbody.rows].map((tr) => tr.cloneNode(true)));
  });
}
