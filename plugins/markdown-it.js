// normlab/markdown-it: a markdown-it plugin (VitePress uses markdown-it) that
// turns each ```normlab fence into a <normlab-compare> element whose
// attributes are the fence's lines (plugins/fence.js), or into a visible,
// escaped error message when the fence is wrong; the build never fails on it.
//
//   import MarkdownIt from 'markdown-it';
//   import normlab from 'normlab/markdown-it';
//   const md = new MarkdownIt().use(normlab, { script: 'https://…/normlab-compare.js' });
//
// Options: script, the URL of the element's module: a <script type="module">
// for it goes before the first element of each rendered document (leave it
// out where the site loads the element itself, as VitePress does in its theme).
//
// The fence becomes an html_block token when the document is parsed, so a
// site's own fence renderer (VitePress wraps every fence in a copy-button box)
// never sees it, whatever order the plugins were added in.
import { escapeHtml, fenceHtml, isNormlabFence } from './fence.js';

const SCRIPT_DONE = Symbol('normlab script written');

export default function normlabMarkdownIt(md, options = {}) {
  const { script } = options;
  if (script != null && typeof script !== 'string') {
    throw new TypeError(`normlab/markdown-it: options.script must be a URL string, got ${typeof script}`);
  }
  md.core.ruler.push('normlab_fence', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'fence' || !isNormlabFence(token.info)) continue;
      let html = fenceHtml(token.content);
      if (script && !state.env[SCRIPT_DONE]) {
        state.env[SCRIPT_DONE] = true;
        html = `<script type="module" src="${escapeHtml(script)}"></script>\n` + html;
      }
      token.type = 'html_block';
      token.tag = '';
      token.content = html;
      token.info = '';
    }
  });
}

export { normlabMarkdownIt };
