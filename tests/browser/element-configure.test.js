// <normlab-compare> honours configure(), even when the app's entry module
// imports the element first (its elements start loading during that import)
// and calls configure() after: the element runs the build or file configured,
// under the strict CSP. Both bundled builds come in one module
// (src/wasm/builds.js, imported statically); a configured wasmUrl is fetched
// besides it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { embedsReady, setup } from './helpers.js';
import { STRICT_CSP } from './element-host.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

/** A page with an element already in the DOM, then an entry module that
 * imports the element and calls configure(settings); returns the paths it
 * requested and whether the default instance (the element's) is the SIMD build. */
async function open(settings) {
  const page = await env.context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  page.on('requestfailed', (r) => page.errors.push(`failed: ${r.url()}`));
  await page.route(`${env.base}/web/__configure.html`, (route) => route.fulfill({
    contentType: 'text/html', headers: { 'content-security-policy': STRICT_CSP },
    body: '<!doctype html><html lang="en"><meta charset="utf-8"><title>configure</title>' +
      '<normlab-compare shape="2,3,4"></normlab-compare><script type="module" src="__configure.js"></script>',
  }));
  await page.route(`${env.base}/web/__configure.js`, (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `import './normlab-compare.js';\nimport { configure } from '../src/normlab.js';\n` +
      `configure(${JSON.stringify(settings)});\n` +
      "window.__simd = (await import('../src/normlab.js').then((m) => m.loadNormlab())).simd;\n",
  }));
  await page.goto(`${env.base}/web/__configure.html`);
  await embedsReady(page);
  assert.equal(await page.locator('normlab-compare .verdict').count(), 1, 'the element shows a verdict');
  await page.waitForFunction(() => window.__simd !== undefined);
  const simd = await page.evaluate(() => window.__simd);
  assert.deepEqual(page.errors, []);
  await page.close();
  return { requested, simd };
}

const BUILDS = ['/src/wasm/builds.js', '/wasm/normlab.wasm', '/wasm/normlab-scalar.wasm'];
const builds = ({ requested }) => BUILDS.filter((b) => requested.includes(b));

test('no configure(): the element runs the bundled SIMD build, from its JS module (no .wasm fetched)', async () => {
  const r = await open({});
  assert.deepEqual(builds(r), ['/src/wasm/builds.js']);
  assert.equal(r.simd, true);
});

test('configure({ simd: false }) after importing the element: it runs the bundled scalar build', async () => {
  const r = await open({ simd: false });
  assert.deepEqual(builds(r), ['/src/wasm/builds.js']);
  assert.equal(r.simd, false);
});

test('configure({ wasmUrl }) after importing the element: it fetches that .wasm, and runs it', async () => {
  const r = await open({ wasmUrl: '/wasm/normlab-scalar.wasm' });
  assert.deepEqual(builds(r), ['/src/wasm/builds.js', '/wasm/normlab-scalar.wasm']);
  assert.equal(r.simd, false, 'the build in that file');
});
