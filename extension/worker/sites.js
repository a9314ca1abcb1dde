// The sites the user enabled in the options page: Tend reads pages there only.
// - `sites` (chrome.storage.sync): match patterns, each an optional host permission; the
//   worker registers the content scripts for the granted ones (persistent) and injects them
//   into tabs already open there.
// - `localSites` (chrome.storage.sync): which of the local pages, `http://127.0.0.1/*` and
//   `http://localhost/*`, are enabled (none by default). Their content scripts are the
//   manifest's (Chrome runs a registered content script only with host access, which for an
//   optional host permission needs a prompt); on a local page that is not enabled they stop at
//   once, reading nothing and sending nothing (content/content.js), and the worker refuses
//   every page message from such an origin (`localAllowed`).

const USER_SITES_ID = 'tend-user-sites';
export const LOCAL_SITES = ['http://127.0.0.1/*', 'http://localhost/*'];
const CONTENT_JS = chrome.runtime.getManifest().content_scripts[0].js;

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

/** Enable or disable the local pages (`patterns`: a subset of LOCAL_SITES). */
export async function setLocalSites(patterns) {
  const next = LOCAL_SITES.filter((s) => patterns.includes(s));
  await chrome.storage.sync.set({ localSites: next });
  local = next;
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

async function syncContentScripts() {
  const matches = await grantedSites();
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [USER_SITES_ID] });
  if (!matches.length) {
    if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [USER_SITES_ID] });
    return matches;
  }
  const script = { id: USER_SITES_ID, matches, js: CONTENT_JS, runAt: 'document_idle', persistAcrossSessions: true };
  if (existing.length) await chrome.scripting.updateContentScripts([script]);
  else await chrome.scripting.registerContentScripts([script]);
  return matches;
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
    if (area === 'sync' && changes.localSites) local = null;
    if (area === 'sync' && changes.sites) {
      const before = new Set(changes.sites.oldValue ?? []);
      resync((changes.sites.newValue ?? []).filter((s) => !before.has(s)));
    }
  });
}
