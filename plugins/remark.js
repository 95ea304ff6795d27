// normlab/remark: a remark (unified) plugin, for Docusaurus, MDX and Astro,
// that turns each ```normlab fence into a <normlab-compare> element whose
// attributes are the fence's lines (plugins/fence.js), or into a visible
// error message when the fence is wrong; the build never fails on it.
//
//   import normlab from 'normlab/remark';
//   // docusaurus.config.js: presets: [['classic', { docs: { remarkPlugins: [normlab] } }]]
//   // astro.config.mjs:     markdown: { remarkPlugins: [normlab] }
//
// The fence's code node is replaced by a node that carries the element as
// mdast's data.hName / data.hProperties, which every mdast-to-hast step honours
// (remark-rehype, MDX's compiler, Astro's): the same tree gives the element in
// HTML and a JSX <normlab-compare> in MDX, with no raw HTML (which MDX drops)
// and the values escaped by the HTML or JSX writer.
import { parseFence, isNormlabFence } from './fence.js';

const text = (value) => ({ type: 'text', value });
const element = (tagName, properties, children) => ({ type: 'element', tagName, properties, children });

/** The mdast node that stands for one fence (type normlabCompare or normlabError). */
export function fenceNode(code) {
  const { attributes, error } = parseFence(code.value);
  if (error) {
    return {
      type: 'normlabError', position: code.position,
      data: {
        hName: 'div', hProperties: { className: ['normlab-fence-error'] },
        hChildren: [element('p', {}, [element('strong', {}, [text(error)])]), element('pre', {}, [element('code', {}, [text(code.value)])])],
      },
    };
  }
  return {
    type: 'normlabCompare', position: code.position,
    data: { hName: 'normlab-compare', hProperties: Object.fromEntries(attributes), hChildren: [] },
  };
}

function transform(node) {
  if (!Array.isArray(node.children)) return;
  node.children = node.children.map((child) => {
    if (child.type === 'code' && isNormlabFence(child.lang)) return fenceNode(child);
    transform(child);
    return child;
  });
}

/** The plugin: unified().use(remarkNormlab). */
export default function remarkNormlab() {
  return (tree) => { transform(tree); };
}

export { remarkNormlab };
