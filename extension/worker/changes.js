// The settings and the stored buying models are for the extension's own pages and this worker
// only: `chrome.storage.local` and `sync` are restricted to trusted contexts
// (`setAccessLevel`), so a content script — a page's renderer — can neither read nor write
// them. What a page must hear of a change (new settings, a newly stored model, a local host
// enabled or disabled) the worker sends to every tab as `tend:changed`; a tab without Tend's
// content script ignores it.

/** Restrict chrome.storage.local and sync to trusted contexts (once per worker start). */
export async function restrictStorage() {
  for (const area of ['local', 'sync']) {
    try {
      await chrome.storage[area].setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
    } catch (e) {
      // Chrome versions before the access level of these areas: the default stays.
      console.warn(`Tend: chrome.storage.${area} stays open to content scripts: ${e?.message ?? e}`);
    }
  }
}

/** The `tend:changed` message a storage change means for pages, or null. */
export function changeOf(changes, area) {
  const settings = area === 'sync' && Boolean(changes.policy || changes.reuseModel || changes.modelFrom);
  const models = area === 'local' && Object.keys(changes).some((k) => k.startsWith('model:'));
  const sites = area === 'sync' ? changes.localSites : undefined;
  if (!settings && !models && !sites) return null;
  const msg = { type: 'tend:changed', settings, models };
  if (sites) msg.localSites = Array.isArray(sites.newValue) ? sites.newValue.filter((s) => typeof s === 'string') : [];
  return msg;
}

/** Tell every tab of the changes that concern pages. */
export function watchChanges() {
  chrome.storage.onChanged.addListener((changes, area) => {
    const msg = changeOf(changes, area);
    if (!msg) return;
    chrome.tabs.query({}).then(
      (tabs) => {
        for (const t of tabs) chrome.tabs.sendMessage(t.id, msg).catch(() => {});
      },
      () => {},
    );
  });
}
