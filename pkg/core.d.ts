// `tend-crm/core`: the same API as `tend-crm`, without top-level await (for a Manifest V3 service
// worker, or to choose where the `.wasm` comes from). Call `await init()` (or `initSync()`) once
// before `Tend.load()` or `analyze()`; until then they throw.
export * from './index.js';
