// normlab from a CDN: the installed package is served from a second localhost
// origin (127.0.0.1, another port: another site) with CORS, as a CDN serves an
// npm package; docs pages on the first origin load it under a strict CSP set
// by a response header, with no CSP violation, failed request or console error:
// - the single-file element, dist/normlab-compare.js, by one <script type="module">
//   under script-src <cdn> 'wasm-unsafe-eval'; style-src 'self': at most 2
//   requests to the CDN (and, measured at 150 ms round trip and 1.6 Mbps, the
//   time to its first verdict); one request for the compact view, whose first
//   verdict needs only the first file; every view and language the same, node
//   for node, as the package's own modules draw it (the second file,
//   dist/normlab-compare-more.js, brings the rest); the consumer app on it, both
//   wasm builds;
// - the single-file library, dist/normlab.js, through an import map;
// - the package's own modules (its exports) through an import map.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { setup, ARTIFACTS } from '../browser/helpers.js';
import { start } from '../../web/serve.js';
import { WORK, stopServer, assertConsumerPage, assertLayerNorm, embeds, freshConsumer, waitInPage, watchedPage } from './helpers.js';

let env, app, pkg, cdn, site, CDN, SITE;
const pages = join(WORK, 'cdn-site');
const csps = new Map(); // page path -> its CSP header
const measured = {};

before(async () => {
  app = await freshConsumer('cdn');
  pkg = join(app, 'node_modules', 'normlab');
  // The CDN: the package's files, readable from any origin; no CSP of its own.
  cdn = await start(0, { quiet: true, root: pkg, headers: { 'access-control-allow-origin': '*', 'timing-allow-origin': '*', 'content-security-policy': null } });
  CDN = `http://127.0.0.1:${cdn.address().port}`;
  mkdirSync(pages, { recursive: true });
  site = await start(0, { quiet: true, root: pages, headers: (path) => (csps.has(path) ? { 'content-security-policy': csps.get(path) } : {}) });
  SITE = `http://localhost:${site.address().port}`;
  env = await setup();
}, { timeout: 300_000 });
after(async () => {
  await env?.close();
  for (const s of [cdn, site]) if (s) await stopServer(s);
  writeFileSync(join(ARTIFACTS, 'packaging-cdn.json'), JSON.stringify(measured, null, 2) + '\n');
});

const ELEMENTS = `<normlab-compare id="equal" shape="2,3,4" layers="layer_norm:[4],instance_norm"></normlab-compare>
<normlab-compare id="different" shape="1,2,3,4" layers="layer_norm,instance_norm" seed="7"></normlab-compare>`;

/** Write a page of the docs site with its CSP; returns its URL. */
function sitePage(name, html, csp) {
  writeFileSync(join(pages, name), `<!doctype html>\n<html lang="en">\n<meta charset="utf-8">\n<title>docs: ${name}</title>\n` +
    `${html}\n`);
  csps.set(`/${name}`, csp);
  return `${SITE}/${name}`;
}

/** An import map and the CSP hash that lets exactly it run. */
function importMap(imports) {
  const text = JSON.stringify({ imports });
  return { tag: `<script type="importmap">${text}</script>`, hash: `'sha256-${createHash('sha256').update(text).digest('base64')}'` };
}

/** The file an exports entry names for a browser's ES module import. */
function exportTarget(subpath) {
  const { exports } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  let target = exports?.[subpath];
  while (target && typeof target === 'object') {
    const key = Object.keys(target).find((k) => ['browser', 'import', 'default'].includes(k));
    target = key ? target[key] : undefined;
  }
  assert.equal(typeof target, 'string', `package.json exports["${subpath}"] names no file for import in a browser`);
  return target.replace(/^\.\//, '');
}

const cdnRequests = (page) => page.requests.filter((u) => u.startsWith(CDN + '/'));
const gzipSize = (file) => gzipSync(readFileSync(join(pkg, file)), { level: 9 }).length;

/** The docs page with the single-file element: one script from the CDN, the strictest CSP that lets it run. */
const singleFilePage = () => sitePage('single.html', `<script type="module" src="${CDN}/dist/normlab-compare.js"></script>\n<h1>Docs</h1>\n${ELEMENTS}`,
  `script-src ${CDN} 'wasm-unsafe-eval'; style-src 'self'`);

test('the single-file element from the CDN: one <script type="module">, the strict CSP, one request to the CDN for the compact view', async (t) => {
  const url = singleFilePage();
  const page = await watchedPage(env.context);
  await page.goto(url);
  assert.deepEqual(await embeds(page), [
    { id: 'equal', identical: 'true', error: null, links: 0, styled: true },
    { id: 'different', identical: 'false', error: null, links: 0, styled: true },
  ]);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(page.problems, []);
  const requests = cdnRequests(page);
  measured.singleFileElement = { requests, gzip: gzipSize('dist/normlab-compare.js'), gzipMore: gzipSize('dist/normlab-compare-more.js') };
  t.diagnostic(`dist/normlab-compare.js: ${measured.singleFileElement.gzip} B gzip (dist/normlab-compare-more.js ${measured.singleFileElement.gzipMore}); ` +
    `${requests.length} request(s) to the CDN: ${requests.map((u) => u.slice(CDN.length)).join(', ')}`);
  // The compact view's verdicts need only the first file.
  assert.deepEqual(requests, [`${CDN}/dist/normlab-compare.js`]);
  await page.close();
});

test('the single-file element at 150 ms round trip and 1.6 Mbps: its first verdict, timed from the end of the HTML', async (t) => {
  const url = singleFilePage();
  const page = await watchedPage(env.context);
  const cdp = await env.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 200_000 });
  await page.addInitScript(() => {
    const tick = () => {
      if (document.querySelector('normlab-compare')?.shadowRoot?.querySelector('.verdict')) window.__firstVerdict = performance.now();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.goto(url);
  const { html, verdict, scripts } = await waitInPage(page, () => window.__firstVerdict && {
    html: performance.getEntriesByType('navigation')[0].responseEnd,
    verdict: window.__firstVerdict,
    // Timing-Allow-Origin: * lets the page see the CDN's sizes and times.
    scripts: performance.getEntriesByType('resource').map((e) => ({
      name: new URL(e.name).pathname, end: Math.round(e.responseEnd), transfer: e.encodedBodySize, size: e.decodedBodySize })),
  }, 'the first verdict');
  const ms = Math.round(verdict - html);
  const loaded = scripts.map((s) => ({ ...s, end: s.end - Math.round(html) }));
  measured.firstVerdictAt150ms = { afterHtmlMs: ms, roundTrips: +(ms / 150).toFixed(2), cdnRequests: cdnRequests(page).length, loaded };
  t.diagnostic(`first verdict ${ms} ms after the HTML (${(ms / 150).toFixed(1)} round trips of 150 ms), ${cdnRequests(page).length} request(s) to the CDN: ` +
    loaded.map((s) => `${s.name} ${s.transfer} B sent, ${s.size} B decoded, in at ${s.end} ms`).join('; '));
  assert.ok(cdnRequests(page).length <= 2);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// Every view and language, a pie, a bad attribute and the training lab: what
// the two files draw must be what the package's own modules draw.
const VIEWS = `<normlab-compare id="en" shape="2,3,4" layers="layer_norm:[4],instance_norm"></normlab-compare>
<normlab-compare id="zh" lang="zh-CN" shape="1,2,3,4" layers="layer_norm,instance_norm,group_norm:2" seed="7"></normlab-compare>
<normlab-compare id="full" view="full" shape="2,2,3" layers="batch_norm,instance_norm"></normlab-compare>
<normlab-compare id="pie" pie-data='{"Vision": 1, "Text": 3}' pie-title="Models"></normlab-compare>
<normlab-compare id="bad" shape="2,x"></normlab-compare>
<normlab-compare id="train" view="train" lang="zh"></normlab-compare>`.replace(/><\/normlab-compare>/g, ' page-url="https://example.org/normlab/"></normlab-compare>');

/** Each element's drawing (its body's HTML), once every one has drawn and
 * none changes any more (the training lab draws its regions in steps). */
async function drawings(page) {
  const now = () => page.$$eval('normlab-compare', (els) => els.map((el) => [el.id, el.shadowRoot?.querySelector('.nl-embed')?.innerHTML ?? '']));
  for (let last = null; ;) {
    await waitInPage(page, () => [...document.querySelectorAll('normlab-compare')].every((el) =>
      el.shadowRoot?.querySelector('.nl-embed')?.textContent.length > 1), 'a drawing in every <normlab-compare>');
    const drawn = await now();
    if (JSON.stringify(drawn) === JSON.stringify(last)) return drawn;
    last = drawn;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Where two texts first differ, with some context: a short message for a long HTML. */
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i} of ${a.length} / ${b.length}: …${a.slice(Math.max(0, i - 80), i + 80)}… vs …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

test('the single file draws every view, language and error as the package\'s own modules do; at most 2 requests to the CDN', async (t) => {
  const map = importMap({ 'normlab/element': `${CDN}/${exportTarget('./element')}` });
  writeFileSync(join(pages, 'element-modules.js'), "import 'normlab/element';\n");
  const urls = {
    single: sitePage('views-single.html', `<script type="module" src="${CDN}/dist/normlab-compare.js"></script>\n${VIEWS}`,
      `script-src ${CDN} 'wasm-unsafe-eval'; style-src 'self'`),
    modules: sitePage('views-modules.html', `${map.tag}\n<script type="module" src="element-modules.js"></script>\n${VIEWS}`,
      `script-src 'self' ${CDN} 'wasm-unsafe-eval' ${map.hash}; style-src 'self'`),
  };
  const drawn = {};
  for (const [name, url] of Object.entries(urls)) {
    const page = await watchedPage(env.context);
    await page.goto(url);
    drawn[name] = await drawings(page);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(page.problems, [], name);
    if (name === 'single') {
      const requests = cdnRequests(page).map((u) => u.slice(CDN.length));
      t.diagnostic(`every view: ${requests.length} request(s) to the CDN: ${requests.join(', ')}`);
      assert.deepEqual(requests, ['/dist/normlab-compare.js', '/dist/normlab-compare-more.js']);
    }
    await page.close();
  }
  assert.deepEqual(drawn.single.map(([id]) => id), ['en', 'zh', 'full', 'pie', 'bad', 'train']);
  for (const [i, [id, html]] of drawn.single.entries()) {
    assert.ok(html === drawn.modules[i][1], `#${id} drawn differently by the single file, ${firstDifference(html, drawn.modules[i][1])}`);
  }
});

/** The consumer app (consumer/index.html, main.js, check.js) on the docs site, its
 * imports of normlab and normlab/element mapped to `imports`: opened, asserted, idle. */
async function consumerPage(name, imports, where) {
  const map = importMap(imports);
  for (const f of ['main.js', 'check.js']) copyFileSync(join(app, f), join(pages, f));
  const html = readFileSync(join(app, 'index.html'), 'utf8').replace(/^[\s\S]*<title>.*\n/, '');
  const url = sitePage(name, `${map.tag}\n${html}`, `script-src 'self' ${CDN} 'wasm-unsafe-eval' ${map.hash}; style-src 'self'`);
  const page = await watchedPage(env.context);
  await page.goto(url);
  await assertConsumerPage(page, where);
  await page.waitForLoadState('networkidle');
  return page;
}

test('the consumer app on the single file (an import map of normlab and normlab/element): both wasm builds, at most 2 requests', async (t) => {
  const single = `${CDN}/dist/normlab-compare.js`;
  const page = await consumerPage('app-single.html', { normlab: single, 'normlab/element': single }, 'import map of the single file');
  const requests = cdnRequests(page).map((u) => u.slice(CDN.length));
  t.diagnostic(`${requests.length} request(s) to the CDN: ${requests.join(', ')}`);
  assert.deepEqual(requests, ['/dist/normlab-compare.js', '/dist/normlab-compare-more.js'], 'the scalar build comes from the second file');
  await page.close();
});

test('the single-file library from the CDN through an import map: both wasm builds, at most 2 requests to the CDN', async (t) => {
  const map = importMap({ normlab: `${CDN}/dist/normlab.js` });
  copyFileSync(join(app, 'check.js'), join(pages, 'check.js'));
  writeFileSync(join(pages, 'lib-app.js'), `import { loadNormlab } from 'normlab';
import { checkLayerNorm } from './check.js';
checkLayerNorm(loadNormlab).then((r) => { window.normlabResult = r; }, (e) => { window.normlabResult = { error: String(e?.stack ?? e) }; });
`);
  const url = sitePage('library.html', `${map.tag}\n<script type="module" src="lib-app.js"></script>`,
    `script-src 'self' ${CDN} 'wasm-unsafe-eval' ${map.hash}; style-src 'self'`);
  const page = await watchedPage(env.context);
  await page.goto(url);
  assertLayerNorm(await waitInPage(page, () => window.normlabResult, "the page's LayerNorm"), 'dist/normlab.js');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(page.problems, []);
  const requests = cdnRequests(page);
  measured.singleFileLibrary = { requests, gzip: gzipSize('dist/normlab.js') };
  t.diagnostic(`dist/normlab.js: ${measured.singleFileLibrary.gzip} B gzip; ${requests.length} request(s) to the CDN`);
  assert.ok(requests.length <= 2, `${requests.length} requests to the CDN:\n${requests.join('\n')}`);
  await page.close();
});

test("the package's own modules from the CDN through an import map of its exports: the consumer app, unbundled", async (t) => {
  const page = await consumerPage('modules.html', { normlab: `${CDN}/${exportTarget('.')}`, 'normlab/element': `${CDN}/${exportTarget('./element')}` },
    'import map of the exports');
  measured.packageModules = { requests: cdnRequests(page).length };
  t.diagnostic(`${cdnRequests(page).length} requests to the CDN (the package's modules, unbundled)`);
  await page.close();
});
