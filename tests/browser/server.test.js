// web/serve.js: MIME types, the CSP header, the redirect, no way out of the
// repo, ETag/Last-Modified and 304s, br/gzip compression, and other roots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { CSP, pickEncoding, start, resolvePath } from '../../web/serve.js';

let server, port;
before(async () => { server = await start(0, { quiet: true }); port = server.address().port; });
after(() => new Promise((r) => server.close(r)));

// Raw GET (no URL normalization by a client library).
const get = (path) => new Promise((ok, fail) => {
  const req = request({ host: 'localhost', port, path, method: 'GET' }, (res) => {
    let body = '';
    res.on('data', (c) => { body += c; });
    res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body }));
  });
  req.on('error', fail);
  req.end();
});

test('files are served with their MIME type and the CSP header', async () => {
  for (const [path, type] of [['/web/', 'text/html'], ['/web/app.js', 'text/javascript'], ['/web/style.css', 'text/css'],
    ['/wasm/normlab.wasm', 'application/wasm'], ['/web/favicon.svg', 'image/svg+xml']]) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.ok(res.headers['content-type'].startsWith(type), `${path}: ${res.headers['content-type']}`);
    assert.equal(res.headers['content-security-policy'], "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'");
  }
});

test('/ redirects to /web/ with its query, and a missing file is a 404', async () => {
  const res = await get('/');
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/web/');
  assert.equal((await get('/?shape=2x3x4&layers=layer_norm')).headers.location, '/web/?shape=2x3x4&layers=layer_norm');
  assert.equal((await get('/web/nope.js')).status, 404);
});

test('paths outside the repository and dot-files are refused', async () => {
  for (const path of ['/../../etc/passwd', '/web/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/.git/config', '/web/%00']) {
    const res = await get(path);
    assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status}`);
    assert.ok(!res.body.includes('root:'), path);
  }
  assert.equal(resolvePath('/../../etc/passwd'), null);
  assert.ok(resolvePath('/web/index.html').endsWith('/web/index.html'));
  assert.equal(resolvePath('/web/..%2f..%2f..%2fetc'), null);
  assert.equal(resolvePath('/.git/HEAD'), null);
});

// ---- validators, 304s, compression, and other roots ----

// Raw request with headers; the body as bytes (compressed bodies are binary).
const fetchRaw = (path, headers = {}, method = 'GET', p = port) => new Promise((ok, fail) => {
  const req = request({ host: 'localhost', port: p, path, method, headers }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
  });
  req.on('error', fail);
  req.end();
});
const repoFile = (rel) => readFileSync(new URL(`../../${rel}`, import.meta.url));

/** fn(dir, port) with a fresh temp folder served by its own server (options: start()'s). */
async function withRoot(fn, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'normlab-serve-'));
  const other = await start(0, { quiet: true, root: dir, ...options });
  try {
    await fn(dir, other.address().port);
  } finally {
    await new Promise((r) => other.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every file carries an ETag and a Last-Modified, and a matching If-None-Match or If-Modified-Since gets an empty 304', async () => {
  const first = await fetchRaw('/web/app.js');
  const { etag } = first.headers;
  assert.match(etag, /^W\/"[0-9a-f.]+-[0-9a-f.]+"$/);
  const lastModified = first.headers['last-modified'];
  assert.equal(new Date(lastModified).getTime(), Math.floor(statSync(new URL('../../web/app.js', import.meta.url)).mtimeMs / 1000) * 1000);
  assert.equal(first.headers['cache-control'], 'no-cache'); // revalidated at each load, so an edit shows at once

  for (const validators of [{ 'if-none-match': etag }, { 'if-none-match': `"other", ${etag}` }, { 'if-none-match': '*' },
    { 'if-modified-since': lastModified }, { 'if-modified-since': new Date(Date.now() + 60e3).toUTCString() }]) {
    const res = await fetchRaw('/web/app.js', validators);
    assert.equal(res.status, 304, JSON.stringify(validators));
    assert.equal(res.body.length, 0);
    assert.equal(res.headers.etag, etag);
    assert.equal(res.headers['content-security-policy'], CSP);
  }
  // Stale validators get the file; If-None-Match wins over a current If-Modified-Since.
  for (const validators of [{ 'if-none-match': '"stale"' }, { 'if-modified-since': new Date(0).toUTCString() },
    { 'if-none-match': '"stale"', 'if-modified-since': lastModified }, { 'if-modified-since': 'not a date' }]) {
    const res = await fetchRaw('/web/app.js', validators);
    assert.equal(res.status, 200, JSON.stringify(validators));
    assert.deepEqual(res.body, repoFile('web/app.js'));
  }
});

test('a changed file gets a new ETag', () => withRoot(async (dir, p) => {
  writeFileSync(join(dir, 'a.txt'), 'one');
  const one = await fetchRaw('/a.txt', {}, 'GET', p);
  writeFileSync(join(dir, 'a.txt'), 'two, longer');
  const two = await fetchRaw('/a.txt', { 'if-none-match': one.headers.etag }, 'GET', p);
  assert.equal(two.status, 200);
  assert.equal(two.body.toString(), 'two, longer');
  assert.notEqual(two.headers.etag, one.headers.etag);
}));

test('text, JS and wasm are compressed as the client accepts (br before gzip), with Vary: Accept-Encoding', async () => {
  const cases = [['/web/app.js', 'web/app.js'], ['/web/style.css', 'web/style.css'], ['/web/index.html', 'web/index.html'],
    ['/wasm/normlab.wasm', 'wasm/normlab.wasm'], ['/web/favicon.svg', 'web/favicon.svg']];
  for (const [path, rel] of cases) {
    const plain = repoFile(rel);
    if (plain.length < 512) continue; // tiny files go out as they are
    for (const [accept, coding, decode] of [['gzip, deflate, br', 'br', brotliDecompressSync], ['gzip', 'gzip', gunzipSync],
      ['br;q=0, gzip;q=0.5', 'gzip', gunzipSync], ['*', 'br', brotliDecompressSync], ['br;q=0.4, gzip;q=0.9', 'gzip', gunzipSync]]) {
      const res = await fetchRaw(path, { 'accept-encoding': accept });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], coding, `${path} for ${accept}`);
      assert.equal(res.headers.vary, 'Accept-Encoding');
      assert.equal(Number(res.headers['content-length']), res.body.length);
      assert.ok(res.body.length < plain.length, `${path}: ${res.body.length} >= ${plain.length}`);
      assert.deepEqual(decode(res.body), plain, `${path} ${coding} decodes to the file`);
    }
    // No Accept-Encoding, identity only, or only unknown codings: the file as it is, still with Vary.
    for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'zstd, gzip;q=0, br;q=0' }]) {
      const res = await fetchRaw(path, headers);
      assert.equal(res.headers['content-encoding'], undefined, `${path} ${JSON.stringify(headers)}`);
      assert.equal(res.headers.vary, 'Accept-Encoding');
      assert.deepEqual(res.body, plain);
    }
  }
  // HEAD says the compressed length and sends no body.
  const head = await fetchRaw('/web/app.js', { 'accept-encoding': 'gzip' }, 'HEAD');
  const get = await fetchRaw('/web/app.js', { 'accept-encoding': 'gzip' });
  assert.equal(head.headers['content-length'], get.headers['content-length']);
  assert.equal(head.body.length, 0);
});

test('PNG images are sent as they are (compressed already)', () => withRoot(async (dir, p) => {
  const png = Buffer.alloc(4096, 7);
  writeFileSync(join(dir, 'x.png'), png);
  const res = await fetchRaw('/x.png', { 'accept-encoding': 'gzip, br' }, 'GET', p);
  assert.equal(res.headers['content-encoding'], undefined);
  assert.equal(res.headers.vary, undefined);
  assert.deepEqual(res.body, png);
}));

test('pickEncoding reads q-values', () => {
  assert.equal(pickEncoding(undefined), null);
  assert.equal(pickEncoding(''), null);
  assert.equal(pickEncoding('gzip'), 'gzip');
  assert.equal(pickEncoding('GZIP, BR'), 'br');
  assert.equal(pickEncoding('br;q=0'), null);
  assert.equal(pickEncoding('*;q=0.1, gzip;q=0'), 'br');
  assert.equal(pickEncoding('deflate'), null);
});

test('another root: its index.html at /, the same path rules, and extra headers (a null one drops a default)', () => withRoot(async (dir, p) => {
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>root</title>');
  writeFileSync(join(dir, 'sub', 'a.js'), 'export {};');
  writeFileSync(join(dir, '.secret'), 'no');
  const index = await fetchRaw('/', {}, 'GET', p);
  assert.equal(index.status, 200);
  assert.equal(index.body.toString(), '<!doctype html><title>root</title>');
  assert.equal(index.headers['x-test'], 'page');
  assert.equal(index.headers['content-security-policy'], CSP);
  const js = await fetchRaw('/sub/a.js', {}, 'GET', p);
  assert.equal(js.headers['access-control-allow-origin'], '*');
  assert.equal(js.headers['content-security-policy'], undefined);
  assert.equal((await fetchRaw('/sub', {}, 'GET', p)).headers.location, '/sub/');
  // A missing file says 404 with the same extra headers (to a cross-origin page: a 404, not a CORS failure).
  const missing = await fetchRaw('/sub/missing.js', {}, 'GET', p);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['access-control-allow-origin'], '*');
  for (const path of ['/.secret', '/../web/serve.js', '/sub/..%2f..%2fetc%2fpasswd', '/web/app.js']) {
    const res = await fetchRaw(path, {}, 'GET', p);
    assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status}`);
  }
  assert.equal(resolvePath('/../x', dir), null);
  assert.equal(resolvePath('/sub/a.js', dir), join(dir, 'sub', 'a.js'));
}, { headers: (path) => (path.endsWith('.js') ? { 'access-control-allow-origin': '*', 'content-security-policy': null } : { 'x-test': 'page' }) }));

test('in Chromium: the page arrives compressed, runs, and a reload revalidates its files with 304s', async () => {
  const { setup, ready } = await import('./helpers.js');
  const env = await setup();
  try {
    const page = await env.context.newPage();
    const seen = [];
    page.on('response', (r) => seen.push({ path: new URL(r.url()).pathname, status: r.status(), coding: r.headers()['content-encoding'] }));
    await page.goto(`${env.base}/web/`);
    await ready(page);
    const first = seen.filter((r) => r.path === '/web/app.js');
    assert.equal(first.length, 1);
    assert.equal(first[0].status, 200);
    assert.match(first[0].coding, /^(br|gzip)$/); // Chromium asks for br on localhost
    assert.equal(await page.locator('#verdict-body .error').count(), 0);
    seen.length = 0;
    // A reload asks again (no-cache) with the validators it has, and the files come back 304.
    await page.reload();
    await ready(page);
    assert.deepEqual(seen.filter((r) => r.path === '/web/app.js').map((r) => r.status), [304]);
    await page.close();
  } finally {
    await env.close();
  }
});
