// The page's messages: the error box (a file that could not be analysed, a policy value at
// fault) and the notice line (rows rejected, a run cancelled).
import { $, el, clear } from './dom.js';
import { session } from './client.js';
import { markPolicyError, clearPolicyError } from './views/policy.js';

/** Show an error: `details` `{message, file?, path?, list?}`; `source` names the data when no file does. */
export function showError(details, source = null) {
  const box = $('error-box');
  const file = details.file ?? null;
  $('error-title').textContent = file ? `${file} could not be analysed` : `${source?.name ?? 'The data'} could not be analysed`;
  const parts = [/[.!?)]$/.test(details.message) ? details.message : `${details.message}.`];
  if (details.path && !details.message.includes(details.path)) parts.push(`(at ${details.path})`);
  $('error-message').textContent = parts.join(' ');
  const list = clear($('error-list'));
  for (const line of (details.list ?? []).slice(1)) list.append(el('li', { text: line }));
  box.hidden = false;
  box.dataset.file = file ?? '';
  if (session.summary) {
    $('error-message').append(el('span', { class: 'muted', text: ' The previous results are still shown.' }));
  }
  // A policy problem: show it at the field too.
  if (details.path && /^options\.(policy|asOf)/.test(details.path)) markPolicyError(details);
}

export function hideError() {
  $('error-box').hidden = true;
  $('notice').hidden = true;
  clearPolicyError();
}

export function showNotice(text, extra = null) {
  const n = $('notice');
  clear(n).append(text);
  if (extra) n.append(' ', extra);
  n.hidden = false;
}

export function hideNotice() {
  $('notice').hidden = true;
}
