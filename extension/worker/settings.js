// The user's settings as the service worker applies them: the policy from the options page
// (chrome.storage.sync `policy`), merged over a page's own, and whether a stored buying model
// may be reused (`reuseModel`).

export async function settings() {
  const sync = await chrome.storage.sync.get({ policy: {}, reuseModel: true });
  return { policy: sync.policy ?? {}, reuseModel: sync.reuseModel !== false };
}

/**
 * The page's policy with the user's settings on top: a value set in the options page wins,
 * per field (and per severity / tier); holidays are the union of both lists.
 */
export function mergePolicy(page, user) {
  const out = page && typeof page === 'object' && !Array.isArray(page) ? { ...page } : {};
  for (const [k, v] of Object.entries(user ?? {})) {
    if (v === null || v === undefined || v === '') continue;
    if (k === 'holidays' && Array.isArray(v)) out.holidays = [...new Set([...(Array.isArray(out.holidays) ? out.holidays : []), ...v])];
    else if (typeof v === 'object' && !Array.isArray(v)) out[k] = { ...(out[k] ?? {}), ...v };
    else out[k] = v;
  }
  return out;
}
