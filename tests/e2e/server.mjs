// A tiny static file server for the browser tests, the demo and the bench: 127.0.0.1 only, a free
// port, correct MIME types (application/wasm included), no caching, nothing outside its root.
//
//   import { startServer } from './server.mjs';
//   const server = await startServer({ root });   // root: default the repository root
//   await page.goto(`${server.url}/www/`);
//   await server.close();
//
// From the command line (serves the repository root and prints the demo's URL):
//   node tests/e2e/server.mjs [--port 8080] [--root DIR] [--path /www/]
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

function send(res, status, text, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/**
 * Start serving `root` on 127.0.0.1. Resolves to `{ url, port, close() }` once listening.
 * `port` 0 (default) picks a free port. `log(method, path, status)` is called per request.
 */
export async function startServer({ root = REPO_ROOT, port = 0, host = '127.0.0.1', log } = {}) {
  const base = await realpath(root);
  const server = createServer(async (req, res) => {
    let status = 200;
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        status = 405;
        return send(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let rel;
      try {
        rel = decodeURIComponent(url.pathname);
      } catch {
        status = 400;
        return send(res, 400, 'bad path');
      }
      if (rel.includes('\0')) {
        status = 400;
        return send(res, 400, 'bad path');
      }
      let file = path.resolve(base, '.' + path.posix.normalize(rel));
      if (file !== base && !file.startsWith(base + path.sep)) {
        status = 403;
        return send(res, 403, 'forbidden');
      }
      let st = await stat(file).catch(() => null);
      if (st?.isDirectory()) {
        if (!url.pathname.endsWith('/')) {
          status = 301;
          res.writeHead(301, { location: url.pathname + '/' + url.search, 'cache-control': 'no-store' });
          return res.end();
        }
        file = path.join(file, 'index.html');
        st = await stat(file).catch(() => null);
      }
      if (!st?.isFile()) {
        status = 404;
        return send(res, 404, 'not found');
      }
      // Symlinks must not lead out of the root either.
      const real = await realpath(file);
      if (real !== base && !real.startsWith(base + path.sep)) {
        status = 403;
        return send(res, 403, 'forbidden');
      }
      res.writeHead(200, {
        'content-type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      const stream = createReadStream(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (e) {
      status = 500;
      if (!res.headersSent) send(res, 500, String(e?.message ?? e));
      else res.destroy();
    } finally {
      log?.(req.method, req.url, status);
    }
  });
  // Keep-alive sockets must not hold close() up.
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    server,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
  };
  const port = Number(opt('--port', '0'));
  const root = path.resolve(opt('--root', REPO_ROOT));
  const show = opt('--path', '/www/');
  const s = await startServer({ root, port });
  console.log(`Serving ${root} at ${s.url}/ — open ${s.url}${show}  (Ctrl-C to stop)`);
  const stop = () => s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
