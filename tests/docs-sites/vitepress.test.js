// A VitePress site with ```normlab fences, built by the real VitePress
// (tests/docs-sites' pinned copy) with normlab installed from `npm pack`, as a
// new user's site: `md.use(normlab)` from normlab/markdown-it, `import
// 'normlab/element'` in the theme (its server build imports it in Node), and
// Vue told that <normlab-compare> is a custom element. The built page in
// headless Chromium: the element's numbers against the library and a float64
// LayerNorm/RMSNorm computed here, the fence errors visible, no failed request
// and no console error. Screenshot: tests/artifacts/vitepress.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { start } from '../../web/serve.js';
import { DIR, ensureTools, installNormlab } from './install.js';

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']; // tests/browser/helpers.js's

let work, out, server, base, browser, files;
const seconds = {};
before(async () => {
  let t0 = Date.now();
  seconds.tools = ensureTools();
  files = installNormlab();
  seconds.pack = (Date.now() - t0) / 1000 - seconds.tools;
  work = mkdtempSync(join(tmpdir(), 'normlab-vitepress-'));
  out = join(work, 'out');
  t0 = Date.now();
  execFileSync(join(DIR, 'node_modules/.bin/vitepress'), ['build', 'vitepress'], {
    cwd: DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NORMLAB_VITEPRESS_OUT: out, NORMLAB_VITEPRESS_CACHE: join(work, 'cache') },
  });
  seconds.build = (Date.now() - t0) / 1000;
  console.log(`docs-sites/vitepress: npm ci ${seconds.tools.toFixed(1)} s (0: cached), pack + install ${seconds.pack.toFixed(1)} s, vitepress build ${seconds.build.toFixed(1)} s`);
  // As a static host serves a VitePress site: no CSP (VitePress's pages run inline scripts).
  server = await start(0, { quiet: true, root: out, headers: { 'content-security-policy': null } });
  base = `http://localhost:${server.address().port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS, headless: true });
});
after(async () => {
  await browser?.close();
  if (server) await new Promise((r) => server.close(r));
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the package has the entries the site imports', () => {
  const pkg = JSON.parse(readFileSync(join(DIR, 'node_modules/normlab/package.json'), 'utf8'));
  for (const entry of ['./element', './markdown-it', './remark']) assert.ok(pkg.exports[entry], `package.json exports ${entry}`);
  for (const file of ['web/normlab-compare.js', 'plugins/markdown-it.js', 'plugins/fence.js']) assert.ok(files.includes(file), `the tarball has ${file}`);
});

test('the server-rendered HTML has the elements with their attributes, and the fence errors as text', () => {
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(html, /<normlab-compare shape="2,3" values="1 2 3 4 5 10" layers="layer_norm,rms_norm" view="full">/);
  assert.match(html, /<normlab-compare shape="2,3,4" layers="layer_norm,instance_norm" lang="zh">/);
  assert.match(html, /normlab fence: line 1: unknown key &quot;shap&quot;/);
  assert.match(html, /title: \{\{ 6 \* 7 \}\}/); // Vue did not evaluate it
});

// Float64 references, independent of the library and of web/lab/reference64.js.
const rows = (data, n) => Array.from({ length: data.length / n }, (_, r) => data.slice(r * n, r * n + n));
const layerNorm64 = (row, eps = 1e-5) => {
  const mean = row.reduce((a, b) => a + b, 0) / row.length;
  const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
  return row.map((x) => (x - mean) / Math.sqrt(variance + eps));
};
const rmsNorm64 = (row, eps = 2 ** -23) => { // RMSNorm's eps=None: float32's machine epsilon
  const rms = Math.sqrt(row.reduce((a, b) => a + b * b, 0) / row.length + eps);
  return row.map((x) => x / rms);
};

test('the built page in Chromium: the element\'s numbers are the library\'s and a float64 computation\'s', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [], failed = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} ${m.location()?.url ?? ''}`.trim()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`); });
  await page.goto(`${base}/index.html`);
  await page.waitForFunction(() => document.querySelectorAll('normlab-compare').length === 3
    && [...document.querySelectorAll('normlab-compare')].every((el) => el.shadowRoot?.querySelector('.verdict, .error')), null, { timeout: 60000 });

  const [full, zh, bad] = await page.locator('normlab-compare').all();
  // The full view: LayerNorm vs RMSNorm of [[1, 2, 3], [4, 5, 10]].
  const x = [1, 2, 3, 4, 5, 10];
  const { loadNormlab } = await import('normlab'); // the installed package, in Node
  const nl = await loadNormlab();
  const t = { data: new Float32Array(x), shape: [2, 3] };
  const ln32 = nl.layerNorm(t, [3]).data, rms32 = nl.rmsNorm(t, [3]).data;
  const verdict = full.locator('.verdict');
  assert.equal(await verdict.getAttribute('data-identical'), 'false');
  const maxDiff = Math.max(...Array.from(ln32, (v, i) => Math.abs(v - rms32[i])));
  assert.equal(Number(await verdict.getAttribute('data-max-abs-diff')), maxDiff);
  const ln64 = rows(x, 3).flatMap((r) => layerNorm64(r)), rms64 = rows(x, 3).flatMap((r) => rmsNorm64(r));
  const max64 = Math.max(...ln64.map((v, i) => Math.abs(v - rms64[i])));
  assert.ok(Math.abs(maxDiff - max64) < 1e-6, `${maxDiff} vs float64 ${max64}`);
  // The values table: each output, to the 6 digits it shows, against float64.
  const cells = await full.locator('tr[data-index] td.out').allTextContents();
  assert.equal(cells.length, 12);
  cells.map(Number).forEach((v, k) => {
    const want = (k % 2 ? rms64 : ln64)[k >> 1];
    assert.ok(Math.abs(v - want) <= 5e-6 * Math.max(1, Math.abs(want)), `cell ${k}: ${v} vs ${want}`);
  });
  // JSON fence, in Chinese: LayerNorm([4]) and InstanceNorm1d agree exactly on (2, 3, 4).
  assert.equal(await zh.locator('.verdict').getAttribute('data-max-abs-diff'), '0');
  assert.match(await zh.locator('.verdict .headline').textContent(), /[\u4e00-\u9fff]/);
  // A value only the element can judge: its own message, inside it.
  assert.match(await bad.locator('.error').textContent(), /^normlab-compare: “y” is not a size/);
  // The fence errors, visible on the page (escaped, not evaluated by Vue).
  const fenceErrors = page.locator('.normlab-fence-error');
  assert.equal(await fenceErrors.count(), 2);
  assert.ok(await fenceErrors.first().isVisible());
  assert.match(await fenceErrors.first().textContent(), /unknown key "shap".*title: \{\{ 6 \* 7 \}\}/s);
  assert.match(await fenceErrors.nth(1).textContent(), /the text is not JSON/);
  // The ordinary code block is still VitePress's.
  assert.equal(await page.locator('div.language-js pre code').count(), 1);
  await full.scrollIntoViewIfNeeded();
  await page.screenshot({ path: ARTIFACTS + 'vitepress.png', fullPage: true });
  assert.deepEqual(failed, []);
  assert.deepEqual(errors, []);
  await page.close();
});
