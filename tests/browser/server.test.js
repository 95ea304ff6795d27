// web/serve.js: MIME types, the CSP header, the redirect, and no way out of the repo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { start, resolvePath } from '../../web/serve.js';

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

test('/ redirects to /web/ and a missing file is a 404', async () => {
  const res = await get('/');
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/web/');
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
