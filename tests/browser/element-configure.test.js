// <normlab-compare> honours configure(), even when the app's entry module
// imports the element first (its elements start loading during that import)
// and calls configure() after: the element loads the build or file configured,
// and nothing else, under the strict CSP.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { embedsReady, setup } from './helpers.js';
import { STRICT_CSP } from './element-host.js';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

/** A page with an element already in the DOM, then an entry module that
 * imports the element and calls configure(settings); returns the paths it requested. */
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
      `configure(${JSON.stringify(settings)});\n`,
  }));
  await page.goto(`${env.base}/web/__configure.html`);
  await embedsReady(page);
  assert.equal(await page.locator('normlab-compare .verdict').count(), 1, 'the element shows a verdict');
  assert.deepEqual(page.errors, []);
  await page.close();
  return requested;
}

const BUILDS = ['/src/wasm/normlab-simd.js', '/src/wasm/normlab-scalar.js', '/wasm/normlab.wasm', '/wasm/normlab-scalar.wasm'];
const builds = (requested) => BUILDS.filter((b) => requested.includes(b));

test('no configure(): the element loads the bundled SIMD build, as a JS module (no .wasm fetched)', async () => {
  assert.deepEqual(builds(await open({})), ['/src/wasm/normlab-simd.js']);
});

test('configure({ simd: false }) after importing the element: it loads the bundled scalar build only', async () => {
  assert.deepEqual(builds(await open({ simd: false })), ['/src/wasm/normlab-scalar.js']);
});

test('configure({ wasmUrl }) after importing the element: it fetches that .wasm only', async () => {
  assert.deepEqual(builds(await open({ wasmUrl: '/wasm/normlab-scalar.wasm' })), ['/wasm/normlab-scalar.wasm']);
});
