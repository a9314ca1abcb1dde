// `tend/core`: the same API as `tend`, without top-level await. Call `await init()` (or
// `initSync()`) once before `analyze()`; until then the functions throw.
export * from './index.js';
