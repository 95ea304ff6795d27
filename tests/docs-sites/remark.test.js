// normlab/remark (plugins/remark.js) under the real unified tools
// (tests/docs-sites' pinned copies): the fence becomes <normlab-compare> in
// HTML (remark-rehype, as Astro) and in MDX (the JSX element, as Docusaurus),
// or a visible message; other code stays code.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTools } from './install.js';
import remarkNormlab from '../../plugins/remark.js';
import { ATTRIBUTES } from '../../plugins/fence.js';

let html, mdxTree;
before(async () => {
  ensureTools();
  const [{ unified }, { default: remarkParse }, { default: remarkRehype }, { default: rehypeStringify }, { evaluate }] = await Promise.all(
    ['unified', 'remark-parse', 'remark-rehype', 'rehype-stringify', '@mdx-js/mdx'].map((m) => import(m)));
  html = async (md) => String(await unified().use(remarkParse).use(remarkNormlab).use(remarkRehype).use(rehypeStringify).process(md));
  // MDX evaluated with a JSX runtime that records the elements instead of React's.
  const jsx = (type, props) => ({ type, props });
  mdxTree = async (md) => (await evaluate(md, { jsx, jsxs: jsx, Fragment: 'Fragment', remarkPlugins: [remarkNormlab] })).default({});
});

const FENCE = '```normlab\nshape: 2,3,4\nlayers: layer_norm:[4],instance_norm\npie-title: "A" & <b>{x}</b>\n```\n';

test('HTML (remark-rehype): the element with its attributes escaped; other code stays code', async () => {
  assert.equal(await html(`# T\n\n${FENCE}\n\`\`\`js\nlet a;\n\`\`\`\n`),
    '<h1>T</h1>\n<normlab-compare shape="2,3,4" layers="layer_norm:[4],instance_norm" pie-title="&#x22;A&#x22; &#x26; <b>{x}</b>"></normlab-compare>\n'
    + '<pre><code class="language-js">let a;\n</code></pre>');
});

test('HTML: inside a blockquote and a list too', async () => {
  const out = await html(`> ${FENCE.trim().split('\n').join('\n> ')}\n\n- item\n\n  ${FENCE.trim().split('\n').join('\n  ')}\n`);
  assert.equal(out.match(/<normlab-compare shape="2,3,4"/g).length, 2, out);
});

test('HTML: a wrong fence is a visible message with the fence text, escaped', async () => {
  assert.equal(await html('```normlab\nshap: <i>2</i>\n```\n'),
    `<div class="normlab-fence-error"><p><strong>normlab fence: line 1: unknown key "shap"; the keys are ${ATTRIBUTES.join(', ')}</strong></p>`
    + '<pre><code>shap: &#x3C;i>2&#x3C;/i></code></pre></div>');
});

const find = (node, type, out = []) => {
  if (node && typeof node === 'object') {
    if (node.type === type) out.push(node);
    for (const c of [node.props?.children].flat()) find(c, type, out);
  }
  return out;
};

test('MDX: a JSX <normlab-compare> with the attributes as props; a wrong fence a div with the message', async () => {
  const tree = await mdxTree(`# T\n\n${FENCE}\n\`\`\`normlab\n{"shape": [2, 3], "pie-data": {"NLP": 60}}\n\`\`\`\n\n\`\`\`normlab\n{"view": "full",}\n\`\`\`\n`);
  assert.deepEqual(find(tree, 'normlab-compare').map((e) => e.props), [
    { shape: '2,3,4', layers: 'layer_norm:[4],instance_norm', 'pie-title': '"A" & <b>{x}</b>' },
    { shape: '2,3', 'pie-data': '{"NLP":60}' },
  ]);
  const [error] = find(tree, 'div');
  assert.equal(error.props.className, 'normlab-fence-error');
  assert.match(JSON.stringify(error), /normlab fence: the text is not JSON/);
});
