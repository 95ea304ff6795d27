// `normlab/element` (web/normlab-compare.js) in Node, as a server build
// (VitePress, Docusaurus, Astro) imports it: no DOM, nothing defined, the
// class still exported; with a customElements it defines itself once. Also its
// default "Open in normlab" URL, and its stylesheet module kept in step with
// web/viz/viz.css.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freshVizCssModule, VIZ_CSS_MODULE } from '../scripts/viz-css.mjs';

const ELEMENT = new URL('../web/normlab-compare.js', import.meta.url).href;

test('importing the element in Node does not throw, exports NormlabCompare and defines nothing globally', async () => {
  assert.equal(typeof globalThis.HTMLElement, 'undefined', 'this test needs a Node without a DOM');
  const before = new Set(Reflect.ownKeys(globalThis));
  const m = await import(ELEMENT);
  assert.equal(typeof m.NormlabCompare, 'function');
  assert.deepEqual(m.NormlabCompare.observedAttributes,
    ['shape', 'layers', 'seed', 'values', 'lang', 'pie-data', 'pie-title', 'view', 'page-url',
      'dataset', 'noise', 'hidden', 'activation', 'norms', 'groups', 'batch-size', 'optimizer', 'lr', 'steps', 'bn-stats']);
  assert.deepEqual(Reflect.ownKeys(globalThis).filter((k) => !before.has(k)), []);
  assert.equal(typeof globalThis.customElements, 'undefined');
});

// A child Node with a stand-in customElements registry and HTMLElement.
function withRegistry(body) {
  const script = `
    const defined = new Map();
    globalThis.HTMLElement = class {};
    globalThis.customElements = { get: (n) => defined.get(n), define: (n, c) => { if (defined.has(n)) throw new Error('defined twice'); defined.set(n, c); } };
    ${body}`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

test('where customElements exists, importing the element defines <normlab-compare> once, as NormlabCompare', () => {
  const r = withRegistry(`
    const a = await import(${JSON.stringify(ELEMENT)});
    const b = await import(${JSON.stringify(ELEMENT + '?again')}); // a second copy of the module, as two bundles would have
    console.log(JSON.stringify({ same: defined.get('normlab-compare') === a.NormlabCompare, names: [...defined.keys()],
      second: b.NormlabCompare !== a.NormlabCompare, subclass: a.NormlabCompare.prototype instanceof HTMLElement }));`);
  assert.deepEqual(r, { same: true, names: ['normlab-compare'], second: true, subclass: true });
});

test('defaultPageUrl: the page beside the module only when it is served from the repository\'s web/', async () => {
  const { defaultPageUrl } = await import(ELEMENT);
  // The repository's web/ (npm start, or a static host of the repository).
  assert.equal(defaultPageUrl('http://localhost:8080/web/normlab-compare.js'), 'http://localhost:8080/web/index.html');
  assert.equal(defaultPageUrl('https://example.org/normlab/web/normlab-compare.js'), 'https://example.org/normlab/web/index.html');
  // No page beside it: an npm install, a CDN copy of the package, the single-file build, a bundle chunk.
  for (const url of [
    'http://localhost:5173/node_modules/normlab/web/normlab-compare.js',
    'https://cdn.jsdelivr.net/npm/normlab@0.1.0/web/normlab-compare.js',
    'https://unpkg.com/normlab@0.1.0/web/normlab-compare.js',
    'https://example.org/normlab/dist/normlab-compare.js',
    'https://docs.example.org/assets/app.4f2a9c.js',
    'file:///srv/site/node_modules/normlab/web/normlab-compare.js',
    'not a url',
  ]) assert.equal(defaultPageUrl(url), null, url);
});

test('web/viz/viz-css.js is web/viz/viz.css as a module (run `node scripts/viz-css.mjs` after editing viz.css)', async () => {
  assert.equal(readFileSync(VIZ_CSS_MODULE, 'utf8'), freshVizCssModule(),
    'web/viz/viz-css.js is stale: run node scripts/viz-css.mjs');
  const { VIZ_CSS } = await import('../web/viz/viz-css.js');
  assert.equal(VIZ_CSS, readFileSync(fileURLToPath(new URL('../web/viz/viz.css', import.meta.url)), 'utf8'));
});
