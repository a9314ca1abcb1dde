// Options: the policy (chrome.storage.sync `policy`, only the fields the user set), the sites
// Tend may read (`sites`: match patterns, each granted through chrome.permissions.request;
// `localSites`: the local pages enabled, through the worker's `tend:setLocalSites`; the service
// worker registers the content scripts for them), and the stored buying models, one per site
// (chrome.storage.local `model:<origin>`; sync `reuseModel`, and `modelFrom`: the sites the user
// chose another site's model for, through `tend:chooseModel`). The settings messages are
// accepted by the worker from the extension's pages only. All text is rendered with textContent.

import { $, el } from './dom.js'; // www/dom.js, copied into the build by scripts/extension.sh
// A message to the worker. Chrome may stop the worker while a message is on its way (the
// channel closes unanswered): ask once more (the message starts it again), then say so.
async function ask(msg, tries = 2) {
  try {
    return (await chrome.runtime.sendMessage(msg)) ?? { ok: false, error: { message: 'no answer from the Tend worker' } };
  } catch (e) {
    if (tries > 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return ask(msg, tries - 1);
    }
    return { ok: false, error: { message: `the Tend worker did not answer: ${e?.message ?? e}` } };
  }
}
const form = $('policy');

function say(id, text, error = false) {
  $(id).textContent = text;
  $(id).classList.toggle('error', error);
}

// ───────────── policy ─────────────

function readForm() {
  const policy = {};
  for (const input of form.querySelectorAll('input[name], textarea[name]')) {
    const raw = input.value.trim();
    if (!raw) continue;
    const name = input.name;
    if (name === 'holidays') {
      const days = raw.split(/[\s,]+/).filter(Boolean);
      if (days.length) policy.holidays = days;
      continue;
    }
    const value = input.type === 'number' ? Number(raw) : raw;
    const [k, sub] = name.split('.');
    if (sub) (policy[k] ??= {})[sub] = value;
    else policy[k] = value;
  }
  return policy;
}

function fillForm(policy) {
  for (const input of form.querySelectorAll('input[name], textarea[name]')) {
    const [k, sub] = input.name.split('.');
    const v = sub ? policy?.[k]?.[sub] : policy?.[k];
    input.value = v === undefined || v === null ? '' : Array.isArray(v) ? v.join('\n') : String(v);
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const policy = readForm();
  say('policy-status', 'Checking…');
  const r = await ask({ type: 'tend:checkPolicy', policy });
  if (!r?.ok) {
    const where = r?.error?.path ? ` (${r.error.path.replace(/^options\.policy\.?/, '') || 'policy'})` : '';
    say('policy-status', `Not saved: ${r?.error?.message ?? 'no answer'}${where}`, true);
    return;
  }
  await chrome.storage.sync.set({ policy });
  say('policy-status', 'Saved. Open pages are scored again.');
});

$('reset').addEventListener('click', async () => {
  await chrome.storage.sync.set({ policy: {} });
  fillForm({});
  say('policy-status', 'Reset to the defaults.');
});

// ───────────── sites ─────────────

/** A site as typed (`crm.example.com`, `https://crm.example.com/list`, `*.example.com`) → a match pattern. */
function toPattern(input) {
  let s = input.trim();
  if (!s) throw new Error('type a site, e.g. crm.example.com');
  if (!/^[a-z]+:\/\//i.test(s)) s = `https://${s}`;
  const m = /^(https?):\/\/(\*\.)?([^/?#]+)/i.exec(s);
  if (!m) throw new Error('only http and https sites can be enabled');
  let host;
  try {
    host = new URL(`${m[1]}://${m[3]}`).hostname;
  } catch {
    throw new Error(`\`${input}\` is not a site`);
  }
  return `${m[1].toLowerCase()}://${m[2] ?? ''}${host}/*`;
}

async function renderSites() {
  const { sites = [] } = await chrome.storage.sync.get({ sites: [] });
  const { localSites = [] } = await chrome.storage.sync.get({ localSites: [] });
  for (const box of document.querySelectorAll('input[data-local]')) box.checked = localSites.includes(box.dataset.local);
  const items = [];
  for (const p of sites) {
    const li = el('li');
    const granted = await chrome.permissions.contains({ origins: [p] }).catch(() => false);
    const remove = el('button', { text: 'Remove' });
    remove.type = 'button';
    remove.addEventListener('click', async () => {
      await chrome.permissions.remove({ origins: [p] }).catch(() => false);
      const { sites: now = [] } = await chrome.storage.sync.get({ sites: [] });
      await chrome.storage.sync.set({ sites: now.filter((s) => s !== p) });
      renderSites();
    });
    li.append(el('code', { text: p }), el('span', { class: 'tag', text: granted ? 'enabled' : 'access not granted in this browser' }), remove);
    items.push(li);
  }
  $('sites').replaceChildren(...items);
}

// The local pages: the manifest grants host access to those two hosts, so enabling one needs no
// prompt; the worker registers their content scripts then (none runs there before).
for (const box of document.querySelectorAll('input[data-local]')) {
  box.addEventListener('change', async () => {
    const sites = [...document.querySelectorAll('input[data-local]')].filter((b) => b.checked).map((b) => b.dataset.local);
    const r = await ask({ type: 'tend:setLocalSites', sites });
    if (r.ok) say('local-status', sites.length ? `Enabled on ${sites.join(', ')}.` : 'Local pages are not read.');
    else say('local-status', r.error.message, true);
    document.body.dataset.localSites = r.ok ? r.localSites.join(' ') : 'error';
  });
}

$('add-site').addEventListener('submit', (e) => {
  e.preventDefault();
  let pattern;
  try {
    pattern = toPattern($('site').value);
  } catch (err) {
    say('site-status', err.message, true);
    return;
  }
  // permissions.request must run in the user's gesture: before any await.
  chrome.permissions.request({ origins: [pattern] }).then(
    async (granted) => {
      if (!granted) {
        say('site-status', `Access to ${pattern} was not granted.`, true);
        return;
      }
      const { sites = [] } = await chrome.storage.sync.get({ sites: [] });
      if (!sites.includes(pattern)) await chrome.storage.sync.set({ sites: [...sites, pattern] });
      $('site').value = '';
      say('site-status', `Enabled on ${pattern}.`);
      renderSites();
    },
    (err) => say('site-status', err.message, true),
  );
});

// ───────────── buying models ─────────────

/** A site as typed (`crm.example.com`, `http://localhost:8080/x`) → its origin. */
function toOrigin(input) {
  let s = input.trim();
  if (!s) throw new Error('type a site, e.g. https://crm.example.com');
  if (!/^[a-z]+:\/\//i.test(s)) s = `https://${s}`;
  const u = new URL(s);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('only http and https sites');
  return u.origin;
}

function modelRow(m, modelFrom) {
  const box = el('div', { class: 'model' });
  box.dataset.origin = m.origin;
  const dl = el('dl');
  const row = (k, v) => dl.append(el('dt', { text: k }), el('dd', { text: v }));
  const b = m.buying;
  row('Site', m.origin);
  row('Fitted on', `${m.customers} customers`);
  row('Data as of', m.asOf ?? '—');
  row('Stored', m.savedAt ? new Date(m.savedAt).toLocaleString() : '—');
  if (b) row('Model', `${b.model.toUpperCase()} — ${Object.entries(b.params).map(([k, v]) => `${k} ${Number(v).toPrecision(3)}`).join(', ')}`);
  const users = Object.entries(modelFrom).filter(([, src]) => src === m.origin).map(([site]) => site);
  row('Also used on', users.length ? users.join(', ') : 'no other site');
  const forget = el('button', { class: 'forget', text: 'Forget this model' });
  forget.type = 'button';
  forget.addEventListener('click', async () => {
    const r = await ask({ type: 'tend:forgetModel', origin: m.origin });
    if (!r.ok) say('choice-status', r.error.message, true);
    renderModel();
  });
  box.append(dl, forget);
  return box;
}

async function renderModel() {
  const [{ reuseModel }, r] = await Promise.all([chrome.storage.sync.get({ reuseModel: true }), ask({ type: 'tend:models' })]);
  $('reuse-model').checked = reuseModel !== false;
  if (!r.ok) {
    $('models').replaceChildren(el('span', { class: 'error', text: r.error.message }));
    return;
  }
  const { models, modelFrom } = r;
  $('models').replaceChildren(
    ...(models.length ? models.map((m) => modelRow(m, modelFrom)) : [el('div', { class: 'model muted', text: 'No model stored yet: open a page with many customers.' })]),
  );
  $('choice-source').replaceChildren(
    ...models.map((m) => {
      const o = el('option', { text: `${m.origin} (${m.customers} customers)` });
      o.value = m.origin;
      return o;
    }),
  );
  $('choose-model').querySelector('button').disabled = !models.length;
  $('choices').replaceChildren(
    ...Object.entries(modelFrom).map(([site, src]) => {
      const li = el('li');
      li.dataset.site = site;
      const remove = el('button', { text: 'Use its own' });
      remove.type = 'button';
      remove.addEventListener('click', async () => {
        await ask({ type: 'tend:chooseModel', site, source: null });
        renderModel();
      });
      li.append(el('span', { text: `${site} uses the model of ${src}` }), remove);
      return li;
    }),
  );
  document.body.dataset.models = String(models.length);
}

$('choose-model').addEventListener('submit', async (e) => {
  e.preventDefault();
  let site;
  try {
    site = toOrigin($('choice-site').value);
  } catch (err) {
    say('choice-status', err.message, true);
    return;
  }
  const source = $('choice-source').value;
  if (!source) return;
  const r = await ask({ type: 'tend:chooseModel', site, source });
  if (r.ok) {
    say('choice-status', `${site} now uses the model of ${source}.`);
    $('choice-site').value = '';
  } else say('choice-status', r.error.message, true);
  renderModel();
});

$('reuse-model').addEventListener('change', (e) => chrome.storage.sync.set({ reuseModel: e.target.checked }));

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && Object.keys(changes).some((k) => k.startsWith('model:'))) renderModel();
  if (area === 'sync' && (changes.sites || changes.localSites)) renderSites();
  if (area === 'sync' && changes.modelFrom) renderModel();
});

const { policy } = await chrome.storage.sync.get({ policy: {} });
fillForm(policy);
renderSites();
renderModel();
document.body.dataset.ready = 'true';
