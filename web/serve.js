#!/usr/bin/env node
// Zero-dependency static server for the normlab page: serves the repo root so
// web/ can import ../src/core.js and fetch ../wasm/*.wasm.
// Usage: node web/serve.js   (PORT=8080 by default; the next free port if taken)
// Every file carries an ETag and a Last-Modified (with Cache-Control: no-cache
// the browser revalidates at each load and gets a 304 for what did not change),
// and text, JS and wasm go out compressed (br or gzip, as the client accepts).
// The packaging tests reuse it for other folders: start(port, { root, headers }).
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8', '.map': 'application/json; charset=utf-8',
};

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

// Compressed: text, JS, JSON, SVG and wasm (normlab.wasm shrinks to about half
// with either coding, and browsers decode it before WebAssembly sees it).
// Images other than SVG are compressed already.
const COMPRESSIBLE = /^(text\/|application\/(json|wasm)|image\/svg)/;
const MIN_COMPRESS = 512; // bytes: below this a coding's header costs about what it saves
const CODERS = {
  // Quality 5: near br's best ratio on JS at a small fraction of quality 11's time.
  br: (buf) => promisify(brotliCompress)(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
  gzip: (buf) => promisify(gzip)(buf),
};

function send(res, status, text, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Map a URL path to a file inside `root` (the repo by default), or null when it escapes it. */
export function resolvePath(urlPath, root = ROOT) {
  let decoded;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  // No NUL bytes and no dot-segments such as .git: only plain repo files.
  if (decoded.includes('\0') || /(^|[\\/])\./.test(decoded)) return null;
  const file = resolve(join(root, decoded));
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** The coding to send for an Accept-Encoding header: 'br', 'gzip' or null
 * (identity). br wins a tie; q=0 refuses a coding; '*' stands for both. */
export function pickEncoding(accept = '') {
  const q = new Map();
  for (const part of String(accept).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name, qp ? Number(qp.slice(2)) || 0 : 1);
  }
  const weight = (name) => (q.has(name) ? q.get(name) : q.get('*') ?? 0);
  const best = ['br', 'gzip'].filter((c) => weight(c) > 0).sort((a, b) => weight(b) - weight(a));
  return best[0] ?? null;
}

/** True when the request's validators say the client's copy is current.
 * If-None-Match takes precedence over If-Modified-Since (RFC 9110 13.2.2). */
function notModified(req, etag, mtime) {
  const inm = req.headers['if-none-match'];
  if (inm != null) {
    const tags = inm.split(',').map((s) => s.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(etag.replace(/^W\//, ''));
  }
  const ims = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(ims) && Math.floor(mtime.getTime() / 1000) * 1000 <= ims;
}

// Compressed bodies by file, version and coding: a page load asks for the same
// files again and again. The oldest goes first past MAX_CACHED entries.
const compressedCache = new Map();
const MAX_CACHED = 200;
async function compressed(file, etag, coding) {
  const key = `${file}\0${etag}\0${coding}`;
  if (!compressedCache.has(key)) {
    const body = fs.readFile(file).then(CODERS[coding]);
    body.catch(() => compressedCache.delete(key));
    compressedCache.set(key, body);
    if (compressedCache.size > MAX_CACHED) compressedCache.delete(compressedCache.keys().next().value);
  }
  return compressedCache.get(key);
}

/** The extra headers for a path: `headers` is an object or a function of the
 * URL path; a null value removes a default header (e.g. the CSP). */
function withExtra(base, headers, pathname) {
  const extra = typeof headers === 'function' ? headers(pathname) ?? {} : headers;
  const out = { ...base, ...extra };
  for (const k of Object.keys(out)) if (out[k] == null) delete out[k];
  return out;
}

async function handle(req, res, { root, headers }) {
  const url = new URL(req.url, 'http://localhost');
  // Errors and redirects carry the extra headers too: a CDN's 404 says 404, not a CORS failure.
  const fail = (status, text, more = {}) => send(res, status, text, withExtra(more, headers, url.pathname));
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed\n');
  // The query goes along: a shared link to /?layers=... must keep its experiment.
  if (url.pathname === '/' && root === ROOT) return fail(302, '', { location: '/web/' + url.search });
  let file = resolvePath(url.pathname, root);
  if (!file) return fail(403, 'forbidden\n');
  let st = await fs.stat(file).catch(() => null);
  if (st && st.isDirectory()) {
    if (!url.pathname.endsWith('/')) return fail(301, '', { location: url.pathname + '/' + url.search });
    file = join(file, 'index.html');
    st = await fs.stat(file).catch(() => null);
  }
  if (!st || !st.isFile()) return fail(404, 'not found\n');
  const type = TYPES[extname(file).toLowerCase()] || 'application/octet-stream';
  const compressible = COMPRESSIBLE.test(type) && st.size >= MIN_COMPRESS;
  const etag = `W/"${st.size.toString(16)}-${st.mtimeMs.toString(16)}"`;
  const common = withExtra({
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
    etag,
    'last-modified': st.mtime.toUTCString(),
    ...(compressible ? { vary: 'Accept-Encoding' } : {}),
  }, headers, url.pathname);
  if (notModified(req, etag, st.mtime)) {
    res.writeHead(304, common);
    return res.end();
  }
  const coding = compressible ? pickEncoding(req.headers['accept-encoding']) : null;
  if (coding) {
    const body = await compressed(file, etag, coding);
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'content-encoding': coding, ...common });
    return res.end(req.method === 'HEAD' ? undefined : body);
  }
  res.writeHead(200, { 'content-type': type, 'content-length': st.size, ...common });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

/** Start on `port`, or on the next free port when it is taken. Resolves to the server.
 * root: the folder to serve (default: the repo, whose / redirects to /web/; any
 * other root serves its index.html at /). headers: extra response headers, an
 * object or a function of the URL path; a null value drops a default one. */
export function start(port = Number(process.env.PORT) || 8080, { tries = 20, quiet = false, root = ROOT, headers = {} } = {}) {
  const opts = { root: resolve(root), headers };
  return new Promise((ok, fail) => {
    const server = createServer((req, res) => handle(req, res, opts).catch((e) => send(res, 500, String(e))));
    server.on('error', (e) => {
      if (e.code === 'EADDRINUSE' && tries > 1 && port !== 0) ok(start(port + 1, { tries: tries - 1, quiet, root, headers }));
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
