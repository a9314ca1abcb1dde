// The popup lists the page's customers at high or critical risk with their first action. It
// asks the content script of the active tab (`tend:list`), which asks the page's engine in the
// service worker (its summary, and its customers at risk as compact rows with their first
// worklist action); that tab can also be named with
// `popup.html?tab=<tabId>`, which is how the end-to-end test opens the popup in a tab of its own.
// Names come from the page: rendered with textContent only.

import { $, el } from './dom.js'; // www/dom.js, copied into the build by scripts/extension.sh

async function targetTab() {
  const param = new URLSearchParams(location.search).get('tab');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

function status(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
  $('status').hidden = !text;
}

const MODEL = {
  fitted: 'Buying model fitted on this page',
  options: 'Buying model of a larger portfolio',
  none: 'No buying model',
};

function render(tabId, r) {
  if (r.url) {
    try {
      $('page').textContent = new URL(r.url).host;
    } catch {
      /* keep empty */
    }
  }
  if (r.error) {
    status(`This page could not be scored: ${r.error.message}`, true);
    return;
  }
  if (!r.adapter) {
    status('No customer records found on this page.');
    return;
  }
  const n = r.atRisk.length;
  status(
    `${r.customers} customer${r.customers === 1 ? '' : 's'} scored on this page` +
      (r.rejected ? ` (${r.rejected} record${r.rejected === 1 ? '' : 's'} rejected)` : '') +
      (n ? '.' : ' — none at high or critical risk.') +
      (r.notEvaluated?.length ? ` Not on this page, so not evaluated: ${r.notEvaluated.join(', ')}.` : ''),
  );
  const m = r.models;
  if (m) {
    let text = MODEL[m.source] ?? '';
    // This site's own stored model, or another site's only where the user chose it (then named).
    if (m.source === 'options' && m.storedFrom) {
      text += m.storedFrom.host
        ? ` (${m.storedFrom.customers} customers on ${m.storedFrom.host}, chosen in the options)`
        : ` (${m.storedFrom.customers} customers on this site)`;
    }
    $('model').textContent = text;
  }
  $('risk').hidden = n === 0;
  $('risk-title').textContent = `At high or critical risk (${n})`;
  $('list').replaceChildren(
    ...r.atRisk.map((c) => {
      const li = el('li');
      li.tabIndex = 0;
      li.dataset.customer = c.id;
      li.dataset.risk = c.risk;
      const row1 = el('div', { class: 'row1' });
      row1.append(el('span', { class: 'name', text: c.name ?? c.id }), el('span', { class: 'cid', text: c.id }), el('span', { class: `risk risk-${c.risk}`, text: c.risk }));
      const action = el('div', { class: 'action', text: c.action ? c.action.message : 'No open action' });
      const bits = [`health ${Math.round(c.health)} (${c.band})`, `risk ${c.riskScore.toFixed(2)}`];
      if (c.openFlags) bits.push(`${c.openFlags} open flag${c.openFlags === 1 ? '' : 's'}`);
      if (c.action?.owner) bits.push(c.action.owner);
      li.append(row1, action, el('div', { class: 'meta', text: bits.join(' · ') }));
      const reveal = () => chrome.tabs.sendMessage(tabId, { type: 'tend:reveal', id: c.id }).catch(() => {});
      li.addEventListener('click', reveal);
      li.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') reveal();
      });
      return li;
    }),
  );
}

async function main() {
  const tabId = await targetTab();
  if (tabId === null) {
    status('No tab to read.', true);
    return;
  }
  let r;
  try {
    r = await chrome.tabs.sendMessage(tabId, { type: 'tend:list' });
  } catch {
    status('Tend is not enabled on this site. Enable it in the options.');
    return;
  }
  if (!r?.ok) {
    status(`This page could not be read: ${r?.error?.message ?? 'no answer'}`, true);
    return;
  }
  render(tabId, r);
  document.body.dataset.ready = 'true';
}

main();
