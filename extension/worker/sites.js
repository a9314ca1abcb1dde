// The sites the user enabled in the options page (chrome.storage.sync `sites`): each is an
// optional host permission; the worker registers the content scripts for the granted ones
// (persistent) and injects them into tabs already open there.

const USER_SITES_ID = 'tend-user-sites';
// The same scripts as the manifest's built-in content script (127.0.0.1 and localhost).
const CONTENT_JS = chrome.runtime.getManifest().content_scripts[0].js;

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
    if (area === 'sync' && changes.sites) {
      const before = new Set(changes.sites.oldValue ?? []);
      resync((changes.sites.newValue ?? []).filter((s) => !before.has(s)));
    }
  });
}
