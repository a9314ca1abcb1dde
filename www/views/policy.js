// The policy panel: the policy in force (defaults filled in by the engine), edited and re-run;
// a policy value the engine rejects is marked at its field.
import { $ } from '../dom.js';

let shownPolicy = null;
const NUM_FIELDS = [
  ['p-returnContactWithin', ['returnContactWithin']],
  ['p-complaintFirstResponseWithin', ['complaintFirstResponseWithin']],
  ['p-complaintUpdateEvery', ['complaintUpdateEvery']],
  ['p-feedbackEvery', ['feedbackEvery']],
  ...['critical', 'high', 'medium', 'low'].map((s) => [`p-resolve-${s}`, ['complaintResolveWithin', s]]),
  ...['A', 'B', 'C'].map((t) => [`p-outreach-${t}`, ['outreachEvery', t]]),
  ...['satisfaction', 'buying', 'attention', 'service'].map((w) => [`p-w-${w}`, ['weights', w]]),
  ['p-band-green', ['bands', 'green']],
  ['p-band-amber', ['bands', 'amber']],
];

/** Show the policy in force. */
export function fillPolicy(p) {
  shownPolicy = p;
  $('p-timezone').value = p.timezone;
  for (const [id, path] of NUM_FIELDS) $(id).value = String(path.reduce((o, k) => o?.[k], p) ?? '');
  for (const box of document.querySelectorAll('#p-workdays input')) box.checked = p.workdays.includes(box.value);
  $('p-holidays').value = p.holidays.join('\n');
  $('policy-source').textContent = `In force: timezone UTC${p.timezone}, ${p.workdays.length} workdays, ${p.holidays.length} holiday${p.holidays.length === 1 ? '' : 's'}. Change a value and re-run: the data is loaded again in a worker with this policy.`;
}

/** The policy as the panel's fields say, or null before any was shown. */
export function readPolicy() {
  if (!shownPolicy) return null;
  const p = structuredClone(shownPolicy);
  p.timezone = $('p-timezone').value.trim() || '+00:00';
  for (const [id, path] of NUM_FIELDS) {
    const raw = $(id).value.trim();
    if (raw === '') continue;
    let o = p;
    for (const k of path.slice(0, -1)) o = o[k] ??= {};
    const n = Number(raw);
    o[path[path.length - 1]] = Number.isFinite(n) ? n : raw;
  }
  p.workdays = [...document.querySelectorAll('#p-workdays input:checked')].map((b) => b.value);
  p.holidays = $('p-holidays')
    .value.split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return p;
}

/** Tend.load options: the panel's `asOf` when given, and `policy` when given. */
export function policyOptions(policy) {
  const asOf = $('p-asOf').value.trim();
  return { ...(asOf ? { asOf } : {}), ...(policy ? { policy } : {}) };
}

/** Mark the field an `options.…` error names (`d`: `{message, path}`). */
export function markPolicyError(d) {
  const path = d.path.replace(/^options\./, '');
  let id = null;
  if (path === 'asOf') id = 'p-asOf';
  else if (path.startsWith('policy.workdays')) id = 'p-workdays';
  else if (path.startsWith('policy.holidays')) id = 'p-holidays';
  else if (path === 'policy.timezone') id = 'p-timezone';
  else {
    const parts = path.split('.').slice(1);
    const hit = NUM_FIELDS.find(([, p]) => p.join('.') === parts.join('.')) ?? NUM_FIELDS.find(([, p]) => p[0] === parts[0]);
    id = hit?.[0] ?? null;
  }
  const pe = $('policy-error');
  pe.textContent = d.message;
  pe.hidden = false;
  if (id) {
    const field = id === 'p-workdays' ? document.querySelector('#p-workdays input') : $(id);
    if (id !== 'p-workdays') field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', 'policy-error');
    field.focus();
  }
}

export function clearPolicyError() {
  $('policy-error').hidden = true;
  for (const i of document.querySelectorAll('#policy-form [aria-invalid]')) i.removeAttribute('aria-invalid');
}

/** `rerun(options)` loads the shown data again with the panel's policy, or with the defaults. */
export function setupPolicy(rerun) {
  $('policy-form').addEventListener('submit', (e) => {
    e.preventDefault();
    rerun(policyOptions(readPolicy()));
  });
  $('policy-defaults').addEventListener('click', () => rerun(policyOptions({})));
}
