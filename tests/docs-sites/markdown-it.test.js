// normlab/markdown-it (plugins/markdown-it.js) under the real markdown-it
// (tests/docs-sites' pinned copy): the fence becomes the element, or a visible
// message; a site's own fence renderer never wraps it; the script option.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTools } from './install.js';
import normlab from '../../plugins/markdown-it.js';

let MarkdownIt;
before(async () => { ensureTools(); ({ default: MarkdownIt } = await import('markdown-it')); });

const FENCE = '```normlab\nshape: 2,3,4\nlayers: layer_norm:[4],instance_norm\n```\n';

test('a normlab fence becomes <normlab-compare> with its attributes; other fences stay code', () => {
  const html = new MarkdownIt().use(normlab).render(`# Title\n\n${FENCE}\n\`\`\`js\nlet a = 1;\n\`\`\`\n`);
  assert.equal(html, '<h1>Title</h1>\n<normlab-compare shape="2,3,4" layers="layer_norm:[4],instance_norm"></normlab-compare>\n'
    + '<pre><code class="language-js">let a = 1;\n</code></pre>\n');
});

test('inside a blockquote and a list too, and with html: false (the document\'s own HTML stays escaped)', () => {
  const html = new MarkdownIt({ html: false }).use(normlab).render(`> ${FENCE.replace(/\n(?!$)/g, '\n> ')}\n- item\n\n  ${FENCE.replace(/\n(?!$)/g, '\n  ')}\n<b>raw</b>\n`);
  assert.equal((html.match(/<normlab-compare shape="2,3,4" layers="layer_norm:\[4\],instance_norm"><\/normlab-compare>/g) || []).length, 2, html);
  assert.match(html, /<blockquote>\n<normlab-compare/);
  assert.match(html, /&lt;b&gt;raw&lt;\/b&gt;/);
});

test('a fence renderer added after the plugin (as VitePress wraps code in a copy-button box) does not wrap the element', () => {
  const md = new MarkdownIt().use(normlab);
  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (...args) => `<div class="copy-box">${fence(...args)}</div>`;
  const html = md.render(FENCE + '\n```py\nx = 1\n```\n');
  assert.match(html, /^<normlab-compare [^>]*><\/normlab-compare>\n<div class="copy-box"><pre><code class="language-py">/);
});

test('a wrong fence renders as a visible, escaped message and its text; the render does not throw', () => {
  const html = new MarkdownIt().use(normlab).render('```normlab\nshape: 2,3\n<script>alert(1)</script>: {{ 6 * 7 }}\n```\n\n```normlab\n{"shape": [2, 3],}\n```\n');
  assert.match(html, /^<div class="normlab-fence-error"><p><strong>normlab fence: line 2: unknown key &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;; the keys are shape, /);
  assert.match(html, /<pre><code>shape: 2,3\n&lt;script&gt;alert\(1\)&lt;\/script&gt;: &#123;&#123; 6 \* 7 &#125;&#125;\n<\/code><\/pre><\/div>/);
  assert.match(html, /<strong>normlab fence: the text is not JSON \(/);
  assert.doesNotMatch(html, /<script|<normlab-compare/);
});

test('script: one module script before the first element of each document, none in a document without a fence', () => {
  const md = new MarkdownIt().use(normlab, { script: 'https://cdn.example/normlab-compare.js?a=1&b="2"' });
  const tag = '<script type="module" src="https://cdn.example/normlab-compare.js?a=1&amp;b=&quot;2&quot;"></script>\n';
  for (let round = 0; round < 2; round += 1) { // each render has its own env
    const html = md.render(`intro\n\n${FENCE}\n${FENCE}`);
    assert.equal(html.split(tag).length - 1, 1, html);
    assert.ok(html.indexOf(tag) < html.indexOf('<normlab-compare'), html);
  }
  assert.doesNotMatch(md.render('no fence here\n'), /<script/);
  assert.throws(() => new MarkdownIt().use(normlab, { script: true }), /normlab\/markdown-it: options.script must be a URL string, got boolean/);
});
