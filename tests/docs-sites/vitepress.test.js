// A VitePress site with ```normlab fences (vitepress/index.md), built by the
// real VitePress (tests/docs-sites' pinned copy) with normlab installed from
// `npm pack`, as a new user's site: `md.use(normlab)` from normlab/markdown-it,
// `import 'normlab/element'` in the theme (its server build imports it in
// Node), and Vue told that <normlab-compare> is a custom element. The built
// page in headless Chromium (site-check.js). Screenshot: tests/artifacts/vitepress.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIR } from './install.js';
import { buildSite, checkBuiltPage, checkServerHtml } from './site-check.js';

let site;
before(async () => {
  site = await buildSite('vitepress', DIR, (out, work) => execFileSync(join(DIR, 'node_modules/.bin/vitepress'), ['build', 'vitepress'], {
    cwd: DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NORMLAB_VITEPRESS_OUT: out, NORMLAB_VITEPRESS_CACHE: join(work, 'cache') },
  }));
});
after(async () => { await site?.close(); });

test('the package has the entries the site imports', () => {
  const pkg = JSON.parse(readFileSync(join(DIR, 'node_modules/normlab/package.json'), 'utf8'));
  for (const entry of ['./element', './markdown-it', './remark']) assert.ok(pkg.exports[entry], `package.json exports ${entry}`);
  for (const file of ['web/normlab-compare.js', 'plugins/markdown-it.js', 'plugins/fence.js']) assert.ok(site.files.includes(file), `the tarball has ${file}`);
});

test('the server-rendered HTML has the elements with their attributes, and the fence errors as text', () => {
  checkServerHtml(readFileSync(join(site.out, 'index.html'), 'utf8'));
});

test('the built page in Chromium: the element\'s numbers are the library\'s and a float64 computation\'s', async () => {
  const { loadNormlab } = await import('normlab'); // the installed package, in Node
  const page = await checkBuiltPage(site, '/index.html', { loadNormlab, codeBlock: 'div.language-js pre code', screenshot: 'vitepress.png' });
  await page.close();
});
