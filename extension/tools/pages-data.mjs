// The records of the extension's test pages (www/generic.html, www/crm.html), taken from the
// bundled sample. Imported by gen-pages.mjs and by tests/e2e/extension-harness.mjs and its tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const env = JSON.parse(readFileSync(join(ROOT, 'www/sample/export.json'), 'utf8'));
export const planted = JSON.parse(readFileSync(join(ROOT, 'www/sample/planted.json'), 'utf8'));

export const TABLES = ['customers', 'orders', 'contacts', 'complaints', 'promises', 'feedback', 'deliveries', 'snoozes'];

// The date that places a row in time (SPEC §1).
const DATED = { orders: 'at', contacts: 'at', complaints: 'openedAt', promises: 'madeAt', feedback: 'at', deliveries: 'promisedAt' };

// The rows of the customers `ids`, optionally only those dated on or after `since`.
export function subset(ids, since = '') {
  const keep = new Set(ids);
  const out = {};
  for (const t of TABLES) {
    const rows = env.data[t] ?? [];
    out[t] = rows
      .filter((r) => keep.has(t === 'customers' ? r.id : r.customerId) && (!since || !DATED[t] || String(r[DATED[t]]) >= since))
      .map((r) => ({ ...r }));
  }
  return out;
}

export const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The records of www/crm.html, as the page's DOM holds them (an envelope without policy). */
export function crmEnvelope() {
  const roles = [...new Set(Object.values(planted.roles))];
  const everySixth = env.data.customers.map((c) => c.id).filter((_, i) => i % 6 === 0);
  const crmIds = [...new Set([...roles, ...everySixth])].sort();
  // Eighteen months of history keep the page under 1 MB and still fit a model on it.
  const data = subset(crmIds, '2025-05-20');
  // A name with markup: the CRM shows it as text, and so must the extension.
  data.customers.find((c) => c.id === 'C0007').name = '<script>alert("hi")</script> Nguyen & Partners';
  return { asOf: env.asOf, data };
}

