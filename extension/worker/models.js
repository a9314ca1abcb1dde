// The stored buying model (chrome.storage.local `model`): the models of the largest portfolio
// seen, as `Tend.load(…, { models })` takes them (`tend.models()` of an engine that fitted
// them), with the site and the number of customers they were fitted on. Pages too small to fit
// a model are loaded with it. Every read and write of the stored model is here.
import { hash } from './hash.js';

/** The model to load a page of `host` with when it cannot fit its own, or null. */
export async function storedModel(host) {
  void host; // one model for every site, for now
  const { model } = await chrome.storage.local.get({ model: null });
  return model && typeof model === 'object' && model.models ? model : null;
}

export async function forgetModel(model) {
  const { model: now } = await chrome.storage.local.get({ model: null });
  if (!now || now.id === model?.id) await chrome.storage.local.remove('model');
}

/**
 * Store the models `tend` fitted on a page of `url` (summary: its `summary()`). They replace
 * the stored ones when they come from the same site (a refresh of the same portfolio) or were
 * fitted on at least as many customers.
 */
export async function keepModel(tend, summary, url) {
  const models = tend.models();
  if (!models) return;
  const id = hash(JSON.stringify(models));
  const host = url ? new URL(url).host : '';
  const current = await storedModel(host);
  if (current?.id === id) return;
  const customers = models.buying?.customers ?? summary.customers;
  if (current && current.host !== host && (current.customers ?? 0) > customers) return;
  await chrome.storage.local.set({
    model: {
      id,
      models,
      host,
      customers,
      repeatBuyers: summary.models.repeatBuyers ?? null,
      asOf: summary.asOf,
      savedAt: new Date().toISOString(),
    },
  });
}
