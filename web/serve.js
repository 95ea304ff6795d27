#!/usr/bin/env node
// Zero-dependency static server for the normlab page: serves the repo root so
// web/ can import ../src/core.js and fetch ../wasm/*.wasm.
// Usage: node web/serve.js   (PORT=8080 by default; the next free port if taken)
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

function send(res, status, text, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Map a URL path to a file inside ROOT, or null when it escapes ROOT. */
export function resolvePath(urlPath) {
  let decoded;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  // No NUL bytes and no dot-segments such as .git: only plain repo files.
  if (decoded.includes('\0') || /(^|[\\/])\./.test(decoded)) return null;
  const file = resolve(join(ROOT, decoded));
  return file === ROOT || file.startsWith(ROOT + sep) ? file : null;
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  if (url.pathname === '/') return send(res, 302, '', { location: '/web/' });
  let file = resolvePath(url.pathname);
  if (!file) return send(res, 403, 'forbidden\n');
  let st = await fs.stat(file).catch(() => null);
  if (st && st.isDirectory()) {
    if (!url.pathname.endsWith('/')) return send(res, 301, '', { location: url.pathname + '/' + url.search });
    file = join(file, 'index.html');
    st = await fs.stat(file).catch(() => null);
  }
  if (!st || !st.isFile()) return send(res, 404, 'not found\n');
  res.writeHead(200, {
    'content-type': TYPES[extname(file).toLowerCase()] || 'application/octet-stream',
    'content-length': st.size,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

/** Start on `port`, or on the next free port when it is taken. Resolves to the server. */
export function start(port = Number(process.env.PORT) || 8080, { tries = 20, quiet = false } = {}) {
  return new Promise((ok, fail) => {
    const server = createServer((req, res) => handle(req, res).catch((e) => send(res, 500, String(e))));
    server.on('error', (e) => {
      if (e.code === 'EADDRINUSE' && tries > 1 && port !== 0) ok(start(port + 1, { tries: tries - 1, quiet }));
      else fail(e);
    });
    server.listen(port, () => {
      if (!quiet) console.log(`normlab page: http://localhost:${server.address().port}/web/`);
      ok(server);
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  start().catch((e) => { console.error(e.message); process.exit(1); });
}
