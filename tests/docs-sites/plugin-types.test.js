// The plugins' and the element's .d.ts against the real libraries' types:
// `tsc --strict` on a consumer that passes normlab/markdown-it to markdown-it's
// use() (@types/markdown-it), normlab/remark to unified's use() (and MDX's
// remarkPlugins), and uses <normlab-compare> through HTMLElementTagNameMap,
// under moduleResolution nodenext and bundler; and misuses that must fail.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIR, ensureTools } from './install.js';

const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

const CONSUMER = `
import MarkdownIt from 'markdown-it';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { compile } from '@mdx-js/mdx';
import normlab from '../../../plugins/markdown-it.js';
import remarkNormlab, { fenceNode } from '../../../plugins/remark.js';
import { parseFence } from '../../../plugins/fence.js';
import { NormlabCompare, defaultPageUrl, type NormlabCompareAttributes } from '../../../web/normlab-compare.js';

const md = new MarkdownIt().use(normlab).use(normlab, { script: 'https://cdn.example/normlab-compare.js' });
const html: string = md.render('x');
const file = await unified().use(remarkParse).use(remarkNormlab).use(remarkRehype).use(rehypeStringify).process('x');
const mdx = await compile('x', { remarkPlugins: [remarkNormlab] });
const node = fenceNode({ value: 'shape: 2' });
const parsed = parseFence('shape: 2');
const names: string[] = parsed.error === undefined ? parsed.attributes.map(([k]) => k) : [parsed.error];
const el: NormlabCompare = document.createElement('normlab-compare');
el.setAttribute('page-url', defaultPageUrl(import.meta.url) ?? '');
const attrs: NormlabCompareAttributes = { shape: '2,3,4', 'pie-data': '{}' };
console.log(html, String(file), String(mdx), node.type, names, el, attrs);
`;

let work;
before(() => { ensureTools(); });

function tsc(source, resolution) {
  work = mkdtempSync(join(DIR, '.tsc-'));
  try {
    writeFileSync(join(work, 'consumer.ts'), source);
    writeFileSync(join(work, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: true,
        module: resolution === 'nodenext' ? 'nodenext' : 'esnext', moduleResolution: resolution,
      },
      files: ['consumer.ts'],
    }));
    return execFileSync(process.execPath, [TSC, '-p', work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally { rmSync(work, { recursive: true, force: true }); }
}

for (const resolution of ['nodenext', 'bundler']) {
  test(`the plugins and the element type-check in a consumer (tsc --strict, moduleResolution ${resolution})`, () => {
    assert.equal(tsc(CONSUMER, resolution), '');
  });
}

test('misuses do not type-check: a non-string script option, an attribute the element lacks', () => {
  // (markdown-it's own use() takes any options, so the plugin is called directly here.)
  const bad = CONSUMER + "normlab(md, { script: 42 });\nconst wrong: NormlabCompareAttributes = { shap: '2' };\n";
  assert.throws(() => tsc(bad, 'bundler'), (e) => {
    const lines = e.stdout.split('\n').filter((l) => l.includes('error TS'));
    assert.equal(lines.length, 2, e.stdout);
    assert.match(lines[0], /error TS2322: Type 'number' is not assignable to type 'string'/);
    assert.match(lines[1], /error TS2561: Object literal may only specify known properties, but 'shap' does not exist in type 'NormlabCompareAttributes'/);
    return true;
  });
});
