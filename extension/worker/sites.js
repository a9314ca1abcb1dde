// The sites the user enabled in the options page: Tend reads pages there only.
// - `sites` (chrome.storage.sync): match patterns, each an optional host permission; the
//   worker registers the content scripts for the granted ones (persistent) and injects them
//   into tabs already open there.
// - `localSites` (chrome.storage.sync): which of the local pages, `http://127.0.0.1/*` and
//   `http://localhost/*`, are enabled (none by default). The manifest grants host access to
//   those two hosts (`host_permissions`: no prompt), and their content scripts are registered
//   like the other sites' — only for the enabled ones, and injected into their open tabs when
//   enabled. On a local page that is disabled while open the script stops (content/content.js),
//   and the worker refuses every page message from a local origin not enabled (`localAllowed`).

const USER_SITES_ID = 'tend-user-sites';
const LOCAL_SITES_ID = 'tend-local-sites';
export const LOCAL_SITES = ['http://127.0.0.1/*', 'http://localhost/*'];
// content/dom.js (www/dom.js's helpers for classic scripts, made by scripts/extension.sh) comes first.
export const CONTENT_JS = ['content/dom.js', 'content/adapters/generic.js', 'content/adapters/crm.js', 'content/badge.js', 'content/session.js', 'content/content.js'];

let local = null; // the enabled local patterns, read once and kept in step with storage

async function localSites() {
  if (!local) {
    const { localSites = [] } = await chrome.storage.sync.get({ localSites: [] });
    local = LOCAL_SITES.filter((s) => Array.isArray(localSites) && localSites.includes(s));
  }
  return local;
}

/** The local pattern of `origin` (`http://127.0.0.1:8080` → `http://127.0.0.1/*`), or null. */
export function localPattern(origin) {
  const u = new URL(origin);
  const p = `${u.protocol}//${u.hostname}/*`;
  return LOCAL_SITES.includes(p) ? p : null;
}

/** May a page of `origin` be read? Any origin but a local one the user did not enable. */
export async function localAllowed(origin) {
  const p = localPattern(origin);
  return p === null || (await localSites()).includes(p);
}

/** Enable or disable the local pages (`patterns`: a subset of LOCAL_SITES). Resolves once
 * their content scripts are registered (and injected into the open tabs newly enabled). */
export async function setLocalSites(patterns) {
  const next = LOCAL_SITES.filter((s) => patterns.includes(s));
  const before = await localSites();
  await chrome.storage.sync.set({ localSites: next });
  local = next;
  await resync(next.filter((s) => !before.includes(s)));
  return next;
}

async function grantedSites() {
  const { sites = [] } = await chrome.storage.sync.get({ sites: [] });
  const out = [];
  for (const s of sites) {
    try {
      if (await chrome.permissions.contains({ origins: [s] })) out.push(s);
    } catch {
      /* not a valid pattern: skip */
    }
  }
  return out;
}

// One registered script `id` for `matches` (none when empty).
async function register(id, matches) {
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [id] });
  if (!matches.length) {
    if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [id] });
    return;
  }
  const script = { id, matches, js: CONTENT_JS, runAt: 'document_idle', persistAcrossSessions: true };
  if (existing.length) await chrome.scripting.updateContentScripts([script]);
  else await chrome.scripting.registerContentScripts([script]);
}

// Registers the scripts of the granted sites and the enabled local pages; returns both.
async function syncContentScripts() {
  const granted = await grantedSites();
  const enabled = await localSites();
  await register(USER_SITES_ID, granted);
  await register(LOCAL_SITES_ID, enabled);
  return [...granted, ...enabled];
}

// Tabs already open on a site the user just enabled get the content script now (it guards
// against running twice).
async function injectOpenTabs(origins) {
  if (!origins?.length) return;
  const open = await chrome.tabs.query({ url: origins });
  await Promise.all(
    open.map((t) => chrome.scripting.executeScript({ target: { tabId: t.id }, files: CONTENT_JS }).catch(() => {})),
  );
}

let syncing = Promise.resolve();
function resync(inject) {
  syncing = syncing
    .then(syncContentScripts)
    .then((m) => (inject ? injectOpenTabs(inject.filter((o) => m.includes(o))) : undefined))
    .catch((e) => console.warn('Tend: could not register the content scripts:', e));
  return syncing;
}

/** Keep the registered content scripts in step with the enabled and granted sites. */
export function watchSites() {
  chrome.runtime.onInstalled.addListener(() => resync());
  chrome.runtime.onStartup.addListener(() => resync());
  chrome.permissions.onAdded.addListener((p) => resync(p.origins));
  chrome.permissions.onRemoved.addListener(() => resync());
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'sync' && changes.localSites) {
      const list = (v) => (Array.isArray(v) ? v : []);
      const before = new Set(local ?? list(changes.localSites.oldValue));
      local = null;
      resync(list(changes.localSites.newValue).filter((s) => !before.has(s)));
    }
    if (area === 'sync' && changes.sites) {
      const before = new Set(changes.sites.oldValue ?? []);
      resync((changes.sites.newValue ?? []).filter((s) => !before.has(s)));
    }
  });
}
