// Loading a WebAssembly module of the package: from disk in Node, streamed elsewhere.

function isNode() {
  return typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
}

async function nodeFs() {
  if (typeof process.getBuiltinModule === 'function') return process.getBuiltinModule('node:fs');
  return import(/* webpackIgnore: true */ /* @vite-ignore */ `node:${'fs'}`);
}

/**
 * A loader for one module: `url` of its `.wasm`, and wasm-bindgen's `init` and `initSync`.
 * Returns `{ init, initSync, isReady }` as the package exports them.
 */
export function moduleLoader(url, wbgInit, wbgInitSync) {
  let ready = false;
  let pending = null;
  const init = (input) => {
    if (ready) return Promise.resolve();
    if (!pending) {
      pending = (async () => {
        if (input === undefined && isNode() && url.protocol === 'file:') {
          const fs = await nodeFs();
          wbgInitSync({ module: fs.readFileSync(url) });
        } else {
          await wbgInit({ module_or_path: input ?? url });
        }
        ready = true;
      })();
      pending.catch(() => {
        pending = null;
      });
    }
    return pending;
  };
  const initSync = (module) => {
    if (ready) return;
    if (module === undefined) {
      if (!isNode() || typeof process.getBuiltinModule !== 'function' || url.protocol !== 'file:') {
        throw new Error('tend-crm: initSync() needs the module bytes or a WebAssembly.Module here; or use `await init()`');
      }
      module = process.getBuiltinModule('node:fs').readFileSync(url);
    }
    wbgInitSync({ module });
    ready = true;
  };
  return { init, initSync, isReady: () => ready };
}
