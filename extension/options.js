// Options: the policy (chrome.storage.sync `policy`, only the fields the user set), the sites
// Tend may read (`sites`: match patterns, each granted through chrome.permissions.request; the
// service worker registers the content scripts for them), and the stored buying model
// (chrome.storage.local `model`; sync `reuseModel`). All text is rendered with textContent.

const $ = (id) => document.getElementById(id);
const BUILT_IN = ['http://127.0.0.1/*', 'http://localhost/*'];
const form = $('policy');

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

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
  const r = await chrome.runtime.sendMessage({ type: 'tend:checkPolicy', policy });
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
  const items = BUILT_IN.map((p) => {
    const li = el('li');
    li.append(el('code', '', p), el('span', 'tag', 'always on (local pages)'));
    return li;
  });
  for (const p of sites) {
    const li = el('li');
    const granted = await chrome.permissions.contains({ origins: [p] }).catch(() => false);
    const remove = el('button', '', 'Remove');
    remove.type = 'button';
    remove.addEventListener('click', async () => {
      await chrome.permissions.remove({ origins: [p] }).catch(() => false);
      const { sites: now = [] } = await chrome.storage.sync.get({ sites: [] });
      await chrome.storage.sync.set({ sites: now.filter((s) => s !== p) });
      renderSites();
    });
    li.append(el('code', '', p), el('span', 'tag', granted ? 'enabled' : 'access not granted in this browser'), remove);
    items.push(li);
  }
  $('sites').replaceChildren(...items);
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

// ───────────── buying model ─────────────

async function renderModel() {
  const [{ model }, { reuseModel }] = await Promise.all([
    chrome.storage.local.get({ model: null }),
    chrome.storage.sync.get({ reuseModel: true }),
  ]);
  $('reuse-model').checked = reuseModel !== false;
  $('forget-model').disabled = !model;
  if (!model) {
    $('model').replaceChildren(el('span', 'muted', 'No model stored yet: open a page with many customers.'));
    return;
  }
  const dl = el('dl');
  const row = (k, v) => dl.append(el('dt', '', k), el('dd', '', v));
  const b = model.models?.buying;
  row('Fitted on', `${model.customers} customers on ${model.host || 'a page'}`);
  row('Data as of', model.asOf ?? '—');
  row('Stored', model.savedAt ? new Date(model.savedAt).toLocaleString() : '—');
  if (b) row('Model', `${b.model.toUpperCase()} — ${Object.entries(b.params).map(([k, v]) => `${k} ${Number(v).toPrecision(3)}`).join(', ')}`);
  $('model').replaceChildren(dl);
}

$('reuse-model').addEventListener('change', (e) => chrome.storage.sync.set({ reuseModel: e.target.checked }));
$('forget-model').addEventListener('click', async () => {
  await chrome.storage.local.remove('model');
  renderModel();
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.model) renderModel();
  if (area === 'sync' && changes.sites) renderSites();
});

const { policy } = await chrome.storage.sync.get({ policy: {} });
fillForm(policy);
renderSites();
renderModel();
document.body.dataset.ready = 'true';
