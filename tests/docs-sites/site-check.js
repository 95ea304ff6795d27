// What the docs-site tests check on a built site (the same Markdown page,
// vitepress/index.md and docusaurus/docs/index.md): its server-rendered HTML,
// and the page in headless Chromium, where the element's numbers are checked
// against the installed library and a float64 computation made here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { start } from '../../web/serve.js';
import { ensureTools, installNormlab } from './install.js';

export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']; // tests/browser/helpers.js's

/** A static server for a built site (as a static host serves one: no CSP, as
 * the sites' pages run inline scripts) and a browser; close() ends both. */
export async function serveSite(root) {
  const server = await start(0, { quiet: true, root, headers: { 'content-security-policy': null } });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS, headless: true });
  return {
    base: `http://localhost:${server.address().port}`, browser,
    async close() { await browser.close(); await new Promise((r) => server.close(r)); },
  };
}

/** The site in `dir` built as a user would: its tools (npm ci, cached), normlab
 * from npm pack, then build(out, work) runs the tool into `out` (work: a
 * temporary folder for its caches); then served. Logs the times. Returns
 * serveSite's object with out and files (the tarball's); close() removes work. */
export async function buildSite(name, dir, build) {
  let t0 = Date.now();
  const tools = ensureTools(dir);
  const files = installNormlab(dir);
  const pack = (Date.now() - t0) / 1000 - tools;
  const work = mkdtempSync(join(tmpdir(), `normlab-${name}-`));
  const out = join(work, 'out');
  t0 = Date.now();
  build(out, work);
  console.log(`docs-sites/${name}: npm ci ${tools.toFixed(1)} s (0: cached), pack + install ${pack.toFixed(1)} s, ${name} build ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const site = await serveSite(out);
  return { ...site, out, files, async close() { await site.close(); rmSync(work, { recursive: true, force: true }); } };
}

/** The page's server-rendered HTML: the elements with their attributes, the fence errors as text. */
export function checkServerHtml(html) {
  assert.match(html, /<normlab-compare shape="2,3" values="1 2 3 4 5 10" layers="layer_norm,rms_norm" view="full">/);
  assert.match(html, /<normlab-compare shape="2,3,4" layers="layer_norm,instance_norm" lang="zh">/);
  assert.match(html, /normlab fence: line 1: unknown key &quot;shap&quot;/);
  assert.match(html, /title: \{\{ 6 \* 7 \}\}/); // not evaluated by the site's templates
}

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

/** Open the built page, wait for its three elements, check them and the fence
 * errors, with no failed request and no console error. `loadNormlab` is the
 * installed package's; codeBlock, the selector of the page's ordinary js code
 * block as the site renders it. Returns the page (closed by the caller). */
export async function checkBuiltPage(site, path, { loadNormlab, codeBlock, screenshot }) {
  const page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [], failed = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} ${m.location()?.url ?? ''}`.trim()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`); });
  await page.goto(site.base + path);
  await page.waitForFunction(() => document.querySelectorAll('normlab-compare').length === 3
    && [...document.querySelectorAll('normlab-compare')].every((el) => el.shadowRoot?.querySelector('.verdict, .error')), null, { timeout: 60000 });

  const [full, zh, bad] = await page.locator('normlab-compare').all();
  // The full view: LayerNorm vs RMSNorm of [[1, 2, 3], [4, 5, 10]].
  const x = [1, 2, 3, 4, 5, 10];
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
  // The fence errors, visible on the page (escaped, not evaluated by the site).
  const fenceErrors = page.locator('.normlab-fence-error');
  assert.equal(await fenceErrors.count(), 2);
  assert.ok(await fenceErrors.first().isVisible());
  assert.match(await fenceErrors.first().textContent(), /unknown key "shap".*title: \{\{ 6 \* 7 \}\}/s);
  assert.match(await fenceErrors.nth(1).textContent(), /the text is not JSON/);
  // The ordinary code block is still the site's.
  assert.equal(await page.locator(codeBlock).count(), 1);
  await page.screenshot({ path: ARTIFACTS + screenshot, fullPage: true });
  assert.deepEqual(failed, []);
  assert.deepEqual(errors, []);
  return page;
}
