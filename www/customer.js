// The customer panel (a modal dialog): one customer's report — health, risk and why, flags with
// their evidence, actions — and the timeline of its rows, both asked of the engine when opened.
import { $, el, cell, clear, str, fmtInt, fmt1, fmt2, signed, fmtInstant, dataTable, section, nextFrame } from './dom.js';
import { TABLE_NAMES, TIME_FIELD, kindLabel } from './shared.js';
import { ask, session } from './client.js';
import { historySection } from './history.js';
import { lapseText, labelNote, driversSection } from './insights.js';


let returnFocus = null;
let opening = 0;
let openId = null;

/** The id of the customer the panel shows (null when closed). */
export const openCustomerId = () => openId;

const announce = (id) => document.dispatchEvent(new CustomEvent('tend:customer', { detail: { id } }));

/** The table cell naming a customer: a button that opens its panel, and its id. */
export function customerCell(id, name) {
  const open = el('button', { type: 'button', class: 'link', text: name ?? id, title: `Open ${id}` });
  open.addEventListener('click', () => openCustomer(id, open));
  return cell('Customer', { class: 'cust' }, open, el('span', { class: 'id', text: id }));
}

/** Open the panel for customer `id`; the focus goes back to `from` when it closes. */
export async function openCustomer(id, from = null) {
  const seq = ++opening;
  returnFocus = from ?? (document.activeElement !== document.body ? document.activeElement : null);
  openId = id;
  announce(id);
  const dlg = $('customer');
  $('cust-title').textContent = id;
  $('cust-sub').textContent = 'Loading…';
  clear($('cust-body'));
  if (!dlg.open) dlg.showModal();
  let res;
  try {
    const [r, h, d] = await Promise.all([ask('customer', { customerId: id }), ask('history', { customerId: id, weeks: 26 }), ask('customerDrivers', { customerId: id })]);
    res = { ...r, history: h.history, drivers: d.drivers };
  } catch (e) {
    if (seq === opening) $('cust-sub').textContent = `Could not load ${id}: ${e.message}`;
    return;
  }
  if (seq !== opening) return;
  if (!res.customer) {
    $('cust-sub').textContent = `${id} is not in the data.`;
    return;
  }
  await renderCustomer(res, () => seq === opening);
}

// The customer's rows (an export object, as `records(id)` gives it), newest first.
function timelineOf(records, asOf) {
  const now = Date.parse(asOf);
  const out = [];
  for (const table of TABLE_NAMES) {
    (records?.[table] ?? []).forEach((row, index) => {
      const at = row[TIME_FIELD[table]];
      const t = typeof at === 'string' ? Date.parse(at) : NaN;
      out.push({ table, index, row, at: typeof at === 'string' ? at : null, t: Number.isNaN(t) ? null : t, future: !Number.isNaN(t) && t > now });
    });
  }
  return out.sort((a, b) => (b.t ?? -Infinity) - (a.t ?? -Infinity) || TABLE_NAMES.indexOf(a.table) - TABLE_NAMES.indexOf(b.table) || b.index - a.index);
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

// In two parts, a frame apart: the top of the panel (figures, why, the history chart) is drawn at
// once, the rest (components, flags, actions, drivers, timeline) after it, so that no task builds
// and lays out the whole panel. `current()`: whether the panel still shows this customer.
async function renderCustomer({ customer: c, records, names, asOf, timezone, history, drivers }, current) {
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
    el('div', { class: 'tile' }, el('span', { class: 'tile-k', text: 'Buying' }), el('span', { class: 'tile-v', text: c.buying.status === 'not_recorded' ? 'not recorded' : c.buying.status }), el('span', { class: 'tile-s', text: c.buying.status === 'not_recorded' ? 'no orders in the export' : c.buying.medianGapDays !== null ? `every ${fmtInt(c.buying.medianGapDays)} days, last ${fmtInt(c.buying.daysSinceLastOrder)} days ago` : `${fmtInt(c.buying.orders)} order(s)` }), lapseText(c.buying) ? el('span', { class: 'tile-s lapse', text: lapseText(c.buying) }) : null),
    el('div', { class: 'tile' }, el('span', { class: 'tile-k', text: 'Satisfaction' }), el('span', { class: 'tile-v', text: c.satisfaction.index === null ? '—' : fmt1(c.satisfaction.index) }), el('span', { class: 'tile-s', text: c.satisfaction.zone ? `${c.satisfaction.zone} zone (${c.satisfaction.zoneKind?.toUpperCase()})` : 'no feedback' })),
  );
  body.append(tiles);
  const note = labelNote(c);
  if (note) body.append(el('p', { class: 'label-note', text: note }));

  if (c.risk.reasons.length) {
    body.append(section('Why at risk', el('ul', { class: 'reasons' }, c.risk.reasons.map((r) => el('li', {}, el('span', { class: 'weight', text: fmt2(r.weight) }), ' ', r.text)))));
  }

  if (history) body.append(historySection(history, session.summary?.policy?.bands));

  await nextFrame();
  if (!current()) return;
  const comps = ['satisfaction', 'buying', 'attention', 'service'];
  body.append(
    section(
      'Health components',
      dataTable(
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
        ? dataTable(
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
        ? dataTable(
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

  body.append(driversSection(drivers));

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
  const timeline = timelineOf(records, asOf);
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
        { class: `tl tl-${t.table}${ev ? ' is-evidence' : ''}${t.future ? ' is-future' : ''}`, dataset: { table: t.table, id: str(t.row.id) } },
        el('span', { class: 'tl-when', text: t.at ? t.at.replace('T', ' ') : '—' }),
        el('span', { class: `tl-table`, text: t.table }),
        el('span', { class: 'tl-what' }, el('span', { class: 'tl-id', text: str(t.row.id) }), ' ', rowSummary(t.table, t.row)),
        ev ? el('span', { class: 'tag tag-evidence', text: `evidence: ${ev.join(', ')}` }) : null,
        t.future ? el('span', { class: 'tag tag-future', text: 'after the analysis date: not counted' }) : null,
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
      el('p', { class: 'muted', text: `Orders, contacts, complaints, promises, feedback, deliveries and snoozes the engine accepted, newest first (rejected rows are listed under data quality). Times are in UTC${timezone}; the analysis date is ${fmtInstant(asOf)}.` }),
      timeline.length ? list : el('p', { class: 'muted', text: 'No rows for this customer.' }),
      more,
    ),
  );
}

export function setupDialog() {
  const dlg = $('customer');
  $('cust-close').addEventListener('click', () => dlg.close());
  dlg.addEventListener('click', (e) => {
    if (e.target === dlg) dlg.close(); // a click on the backdrop
  });
  dlg.addEventListener('close', () => {
    openId = null;
    opening++;
    announce(null);
    returnFocus?.focus?.();
    returnFocus = null;
  });
  // Keep the focus inside the panel: Tab from the last control goes to the first, and back.
  dlg.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const all = [...dlg.querySelectorAll('button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')].filter((n) => !n.disabled && n.getClientRects().length);
    if (!all.length) return;
    const first = all[0];
    const last = all[all.length - 1];
    if (e.shiftKey && (document.activeElement === first || !dlg.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  });
}

