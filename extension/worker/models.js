// The stored buying models, one per site (origin: scheme, host and port):
// chrome.storage.local `model:<origin>` = { id, models, origin, customers, repeatBuyers, asOf,
// savedAt }, the models (as `Tend.load(…, { models })` takes them, `tend.models()` of an engine
// that fitted them) of the last page of that origin that fitted one. A page of a site uses its
// own site's model, and another site's only where the user chose it in the options page:
// chrome.storage.sync `modelFrom` = { [origin]: sourceOrigin }. Every read and write of the
// stored models is here.
import { keyOf } from './hash.js';

const PREFIX = 'model:';
const MAX_ORIGIN = 512;

/** `https://crm.example.com:8443` for a URL or origin; throws on anything else. */
export function originOf(url) {
  if (typeof url !== 'string' || url.length > 4096) throw new Error('not a URL');
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('only http and https sites');
  if (u.origin.length > MAX_ORIGIN) throw new Error('origin too long');
  return u.origin;
}

const keyFor = (origin) => `${PREFIX}${origin}`;
const valid = (m) => m && typeof m === 'object' && m.models && typeof m.origin === 'string';

export async function modelFromSetting() {
  const { modelFrom } = await chrome.storage.sync.get({ modelFrom: {} });
  return modelFrom && typeof modelFrom === 'object' && !Array.isArray(modelFrom) ? modelFrom : {};
}

/** The model stored for `origin` (its own), or null. */
export async function ownModel(origin) {
  const k = keyFor(origin);
  const got = await chrome.storage.local.get(k);
  return valid(got[k]) ? got[k] : null;
}

/**
 * The model to load a page of `origin` with when it cannot fit its own, or null: the model of
 * the site the user chose for it in the options page (`chosen: true`), else its own site's.
 */
export async function modelFor(origin) {
  const source = (await modelFromSetting())[origin];
  if (typeof source === 'string' && source !== origin) {
    const chosen = await ownModel(source);
    if (chosen) return { ...chosen, chosen: true };
  }
  const own = await ownModel(origin);
  return own ? { ...own, chosen: false } : null;
}

/** Every stored model: `[{ origin, customers, … }]`, by origin. */
export async function listModels() {
  const all = await chrome.storage.local.get(null);
  return Object.entries(all)
    .filter(([k, v]) => k.startsWith(PREFIX) && valid(v))
    .map(([, v]) => v)
    .sort((a, b) => (a.origin < b.origin ? -1 : 1));
}

/** Forget the model stored for `origin` (only if it is still `id`, when given). */
export async function forgetModel(origin, id) {
  const now = await ownModel(origin);
  if (now && (id === undefined || now.id === id)) await chrome.storage.local.remove(keyFor(origin));
}

/**
 * Store the models `tend` fitted on a page of `origin` (summary: its `summary()`) as that
 * site's model: they replace the site's stored ones (a refresh of the same portfolio). Another
 * site's stored model is never touched.
 */
export async function keepModel(tend, summary, origin) {
  const models = tend.models();
  if (!models || !origin) return;
  const id = await keyOf(JSON.stringify(models));
  const current = await ownModel(origin);
  if (current?.id === id) return;
  await chrome.storage.local.set({
    [keyFor(origin)]: {
      id,
      models,
      origin,
      host: new URL(origin).host,
      customers: models.buying?.customers ?? summary.customers,
      repeatBuyers: summary.models.repeatBuyers ?? null,
      asOf: summary.asOf,
      savedAt: new Date().toISOString(),
    },
  });
}

/** The user's choice for `site`: use the model of `source` there (null: its own). */
export async function chooseModel(site, source) {
  const modelFrom = { ...(await modelFromSetting()) };
  if (source === null || source === site) delete modelFrom[site];
  else modelFrom[site] = source;
  await chrome.storage.sync.set({ modelFrom });
  return modelFrom;
}

/** The single model of the old versions (chrome.storage.local `model`, for every site) goes. */
export async function dropLegacyModel() {
  await chrome.storage.local.remove('model');
}
