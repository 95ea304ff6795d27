// A Docusaurus site with ```normlab fences (docusaurus/docs/index.md, MDX),
// built by the real Docusaurus (pinned by docusaurus/package-lock.json) with
// normlab installed from `npm pack`, as a new user's site: normlab/remark in
// the docs' remarkPlugins and `import 'normlab/element'` in a client module.
// The built page in headless Chromium (site-check.js). Screenshot:
// tests/artifacts/docusaurus.png.
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIR } from './install.js';
import { buildSite, checkBuiltPage, checkServerHtml } from './site-check.js';

const SITE = join(DIR, 'docusaurus');
let site;
before(async () => {
  site = await buildSite('docusaurus', SITE, (out) => {
    // webpack's cache takes a package of the same version for unchanged: drop it, so that this build sees this normlab.
    for (const cache of ['node_modules/.cache', '.docusaurus']) rmSync(join(SITE, cache), { recursive: true, force: true });
    execFileSync(join(SITE, 'node_modules/.bin/docusaurus'), ['build', '--out-dir', out], {
      cwd: SITE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCUSAURUS_TELEMETRY: '0' },
    });
  });
});
after(async () => { await site?.close(); });

test('the server-rendered HTML has the elements with their attributes, and the fence errors as text', () => {
  checkServerHtml(readFileSync(join(site.out, 'index.html'), 'utf8'));
});

test('the built page in Chromium: the element\'s numbers are the library\'s and a float64 computation\'s', async () => {
  const { loadNormlab } = await import(pathToFileURL(join(SITE, 'node_modules/normlab/src/normlab.js')).href); // the installed package
  const page = await checkBuiltPage(site, '/', { loadNormlab, codeBlock: 'pre.prism-code.language-js code', screenshot: 'docusaurus.png' });
  await page.close();
});
