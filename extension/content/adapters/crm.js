// Tend adapter for "Harbor CRM" (www/crm.html), a CRM list page that holds its data only in its
// DOM: one row per customer (`tr[data-customer-id]`, name in `.c-name a`, owner in `.c-owner`,
// `data-created`, `data-segment`, `data-referred-by`) and a hidden activity cell whose items
// (`li[data-kind]`) carry the orders, contacts, tickets, promises, surveys, deliveries and
// snoozes as data attributes. The fingerprint (each row's own fields and activity markup, in id
// order) is cheap to take on every re-render; the export is read from the DOM only when the
// fingerprint changed, and is canonical (customers and rows sorted by id), so a page that only
// re-orders or re-renders its rows yields the same export and is not re-scored.
(() => {
  'use strict';
  const adapters = (globalThis.TendAdapters ??= []);
  if (adapters.some((a) => a.name === 'harbor-crm')) return;

  const TABLE = 'table[data-crm-table="customers"]';
  const ROWS = `${TABLE} > tbody > tr[data-customer-id]`;

  const text = (el) => (el ? el.textContent.trim() : '');
  const opt = (v) => (v === undefined || v === '' ? undefined : v);
  // Amounts as numbers when they are numbers; anything else is passed on for Tend to reject.
  const num = (v) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
  const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  function fingerprint(doc) {
    const parts = [];
    for (const tr of doc.querySelectorAll(ROWS)) {
      parts.push(
        [
          tr.getAttribute('data-customer-id'),
          tr.getAttribute('data-created'),
          tr.getAttribute('data-segment'),
          tr.getAttribute('data-referred-by'),
          text(tr.querySelector('.c-name a')),
          text(tr.querySelector('.c-owner')),
          tr.querySelector('.crm-activity')?.innerHTML ?? '',
        ].join('\u0001'),
      );
    }
    parts.sort();
    const synced = doc.querySelector('time#crm-synced')?.getAttribute('datetime') ?? '';
    return `${synced}\u0002${parts.join('\u0002')}`;
  }

  function read(doc) {
    const data = { customers: [], orders: [], contacts: [], complaints: [], promises: [], feedback: [], deliveries: [], snoozes: [] };
    const seen = new Set();
    for (const tr of doc.querySelectorAll(ROWS)) {
      const id = tr.dataset.customerId;
      if (!id || seen.has(id)) continue;
      seen.add(id);
      data.customers.push({
        id,
        name: text(tr.querySelector('.c-name a')) || undefined,
        owner: opt(text(tr.querySelector('.c-owner'))),
        createdAt: opt(tr.dataset.created),
        segment: opt(tr.dataset.segment),
        referredBy: opt(tr.dataset.referredBy),
      });
      for (const li of tr.querySelectorAll('.crm-activity li[data-kind]')) {
        const d = li.dataset;
        const customerId = id;
        switch (d.kind) {
          case 'order':
            data.orders.push({ id: d.id, customerId, at: d.at, amount: num(d.amount), kind: d.refund === 'yes' ? 'refund' : undefined });
            break;
          case 'contact':
            data.contacts.push({ id: d.id, customerId, at: d.at, direction: d.direction, channel: d.channel, status: opt(d.status), owner: opt(d.owner) });
            break;
          case 'ticket':
            data.complaints.push({
              id: d.id,
              customerId,
              openedAt: d.opened,
              severity: d.severity,
              category: opt(d.category),
              firstResponseAt: opt(d.firstResponse),
              resolvedAt: opt(d.resolved),
            });
            break;
          case 'promise':
            data.promises.push({ id: d.id, customerId, madeAt: d.made, dueAt: d.due, keptAt: opt(d.kept), owner: opt(d.owner), text: opt(text(li)) });
            break;
          case 'survey':
            data.feedback.push({ id: d.id, customerId, at: d.at, kind: d.survey, score: num(d.score), comment: opt(text(li)) });
            break;
          case 'delivery':
            data.deliveries.push({ id: d.id, customerId, promisedAt: d.promised, deliveredAt: opt(d.delivered), problem: opt(d.problem) });
            break;
          case 'snooze':
            data.snoozes.push({ customerId, until: d.until, reason: text(li), kinds: d.kinds ? d.kinds.split(/\s+/) : undefined });
            break;
          default:
        }
      }
    }
    for (const [table, rows] of Object.entries(data)) {
      if (table === 'snoozes') rows.sort((a, b) => (a.customerId + a.until < b.customerId + b.until ? -1 : 1));
      else rows.sort(byId);
    }
    const asOf = doc.querySelector('time#crm-synced')?.getAttribute('datetime') || undefined;
    return { asOf, data };
  }

  adapters.push({
    name: 'harbor-crm',
    detect: (doc) => doc.querySelector('meta[name="application-name"][content="Harbor CRM"]') !== null && doc.querySelector(TABLE) !== null,
    snapshot: (doc) => ({ fingerprint: fingerprint(doc), read: () => read(doc) }),
    rows: (doc) =>
      [...doc.querySelectorAll(ROWS)].map((el) => ({
        el,
        id: el.dataset.customerId,
        slot: el.querySelector('.c-name') ?? el.cells[0] ?? el,
      })),
  });
})();
