// Shared by the page (app.js) and the analysis worker (worker/): the data contract's tables,
// recognising a CSV file's table, labels, and CSV export cells. No DOM, no worker globals.

/** The tables of an export, their fields (SPEC §1) and the fields a row cannot do without. */
export const TABLES = {
  customers: { fields: ['id', 'name', 'owner', 'createdAt', 'segment', 'referredBy'], required: ['id'] },
  orders: { fields: ['id', 'customerId', 'at', 'amount', 'kind'], required: ['id', 'customerId', 'at', 'amount'] },
  contacts: {
    fields: ['id', 'customerId', 'at', 'direction', 'channel', 'status', 'owner'],
    required: ['id', 'customerId', 'at', 'direction', 'channel'],
  },
  complaints: {
    fields: ['id', 'customerId', 'openedAt', 'severity', 'category', 'firstResponseAt', 'resolvedAt'],
    required: ['id', 'customerId', 'openedAt', 'severity'],
  },
  promises: {
    fields: ['id', 'customerId', 'madeAt', 'dueAt', 'keptAt', 'owner', 'text'],
    required: ['id', 'customerId', 'madeAt', 'dueAt'],
  },
  feedback: { fields: ['id', 'customerId', 'at', 'kind', 'score', 'comment'], required: ['id', 'customerId', 'at', 'kind', 'score'] },
  deliveries: {
    fields: ['id', 'customerId', 'promisedAt', 'deliveredAt', 'problem'],
    required: ['id', 'customerId', 'promisedAt'],
  },
  snoozes: { fields: ['customerId', 'until', 'reason', 'kinds'], required: ['customerId', 'until', 'reason'] },
};

export const TABLE_NAMES = Object.keys(TABLES);

/** The date field that places a row on the timeline. */
export const TIME_FIELD = {
  customers: 'createdAt',
  orders: 'at',
  contacts: 'at',
  complaints: 'openedAt',
  promises: 'madeAt',
  feedback: 'at',
  deliveries: 'promisedAt',
  snoozes: 'until',
};

const NAME_WORDS = {
  customers: ['customers', 'customer', 'accounts', 'account', 'clients', 'client'],
  orders: ['orders', 'order', 'sales', 'invoices', 'invoice', 'purchases'],
  contacts: ['contacts', 'contact', 'activities', 'activity', 'interactions', 'calls', 'emails'],
  complaints: ['complaints', 'complaint', 'tickets', 'ticket', 'cases'],
  promises: ['promises', 'promise', 'commitments', 'tasks'],
  feedback: ['feedback', 'feedbacks', 'surveys', 'survey', 'nps', 'csat', 'responses'],
  deliveries: ['deliveries', 'delivery', 'shipments', 'shipment'],
  snoozes: ['snoozes', 'snooze'],
};

/** The table a CSV file is for, from its name (`orders.csv`, `crm-orders-2026.csv`); or null. */
export function tableFromFileName(name) {
  const base = String(name).toLowerCase().replace(/\.[^.]*$/, '');
  if (TABLES[base]) return base;
  const words = base.split(/[^a-z]+/).filter(Boolean);
  const found = TABLE_NAMES.filter((t) => words.some((w) => NAME_WORDS[t].includes(w)));
  return found.length === 1 ? found[0] : null;
}

/** The table a CSV header row fits, or null: every required field present, the most fields shared. */
export function tableFromHeader(header) {
  const have = new Set(header.map((h) => String(h).trim()));
  let best = null;
  let bestScore = 0;
  for (const t of TABLE_NAMES) {
    const spec = TABLES[t];
    if (!spec.required.every((f) => have.has(f))) continue;
    const score = spec.fields.filter((f) => have.has(f)).length / spec.fields.length + spec.required.length;
    if (score > bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return best;
}

export const KIND_LABELS = {
  unreturned_contact: 'Unreturned contact',
  broken_promise: 'Broken promise',
  complaint_no_response: 'Complaint without response',
  complaint_overdue: 'Complaint overdue',
  complaint_no_update: 'Complaint without update',
  no_outreach: 'No outreach',
  no_feedback: 'No feedback',
  delivery_failure: 'Delivery failure',
  win_back: 'Win back',
  check_in: 'Check in',
  recover_detractor: 'Recover detractor',
  ask_feedback: 'Ask for feedback',
  ask_referral: 'Ask for a referral',
};

export const NEGLECT_KINDS = [
  'unreturned_contact',
  'broken_promise',
  'complaint_no_response',
  'complaint_overdue',
  'complaint_no_update',
  'no_outreach',
  'no_feedback',
  'delivery_failure',
];

export const kindLabel = (k) => KIND_LABELS[k] ?? String(k).replace(/_/g, ' ');

export const SEVERITIES = ['low', 'medium', 'high', 'critical'];
export const RISKS = ['low', 'medium', 'high', 'critical'];
export const BANDS = ['red', 'amber', 'green'];
export const TIERS = ['A', 'B', 'C'];

/**
 * One CSV cell (RFC 4180): text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * is prefixed with `'` so that a spreadsheet does not run it as a formula (CSV injection); every
 * text cell is quoted with inner quotes doubled. Finite numbers are written as they are; null,
 * undefined and non-finite numbers as an empty cell.
 */
export function csvCell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return '"' + s.replace(/"/g, '""') + '"';
}

/** One CSV record, CRLF-terminated (RFC 4180). */
export const csvLine = (cells) => cells.map(csvCell).join(',') + '\r\n';

const EVENT_LABELS = {
  'deliveries.late': 'Late delivery',
  'complaints.firstResponse.late': 'Complaint answered late',
  'complaints.resolution.late': 'Complaint resolved late',
  'promises.broken': 'Broken promise',
  'contacts.unreturned': 'Contact not returned',
  'contacts.outreachGap': 'Gap in outreach',
};
const EVENT_PREFIX = { 'deliveries.problem': 'Delivery problem', 'complaints.category': 'Complaint about', 'complaints.severity': 'Complaint, severity' };

/** An operational event kind of the drivers (`deliveries.problem:late`) in words. */
export function eventLabel(event) {
  if (EVENT_LABELS[event]) return EVENT_LABELS[event];
  const [kind, value] = String(event).split(':');
  return EVENT_PREFIX[kind] && value ? `${EVENT_PREFIX[kind]} ${value.replace(/_/g, ' ')}` : String(event);
}

/** A survey kind and its points (the unit of a driver's effect). */
export const SURVEY_UNITS = { nps: 'NPS points (0–10)', csat: 'CSAT points (1–5)', ces: 'CES points (1–7)' };
