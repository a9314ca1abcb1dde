// `tend-crm/models-core`: `tend-crm/models` without top-level await: call `await init()` (or
// `initSync()`) once before `fitBuyingModel()`.
export * from './models.js';
