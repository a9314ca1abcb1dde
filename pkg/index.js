// tend-crm: import and use. The WebAssembly module is initialised by top-level await: in Node it is
// read from `wasm/tend_bg.wasm` next to this file, in browsers and bundlers it is fetched from
// `new URL('./wasm/tend_bg.wasm', import.meta.url)` and compiled while it streams.
// Where top-level await is not allowed (a Manifest V3 service worker), import 'tend-crm/core' and
// call `await init()` once instead.
import { init } from './core.js';

await init();

export { Tend, analyze, analyzeTimed, version, init, initSync, isReady, TendError, isTendError } from './core.js';
