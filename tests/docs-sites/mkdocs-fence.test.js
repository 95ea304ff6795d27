// The README's MkDocs formatter (normlab_fence.py, for pymdownx.superfences)
// follows the same rules as the JS plugins: run with /usr/bin/python3 on the
// same fences, it gives the same HTML as plugins/fence.js's fenceHtml. Where
// Debian's python3-pymdownx is installed, a real Python-Markdown render with
// the README's superfences settings gives it too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fenceHtml } from '../../plugins/fence.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const SECTION = README.slice(README.indexOf('### Docs sites'));

/** The README's code block that starts with `first`, without the list's indent. */
function readmeBlock(lang, first) {
  const blocks = [...SECTION.matchAll(new RegExp(`^( *)\`\`\`${lang}\\n([\\s\\S]*?)^\\1\`\`\`$`, 'gm'))];
  const block = blocks.find((m) => m[2].trimStart().startsWith(first));
  assert.ok(block, `README: a ${lang} block starting with ${first}`);
  return block[2].split('\n').map((line) => line.slice(block[1].length)).join('\n');
}

const FENCES = [
  'shape: 2,3,4\nlayers: layer_norm:[4],instance_norm\nview: full\n',
  '\n# a comment\nshape: 2,3\nvalues: 1 2 3\n  4 5 10\npie-title: "A" & <b>{{ x }}</b>\'s 例\npage-url:\n',
  '{"shape": [2, 3], "seed": 7, "values": [[1, 2, 3], [4, 5, 10]], "pie-data": {"NLP": 60, "图像": 25}, "lang": "zh", "view": "full"}\n',
  '',
  'shape: 2,3\nshap: 4\n',
  'shape 2,3\n',
  'shape: 2\nshape: 3\n',
  '  shape: 2\n',
  '{"Shape": "2"}',
  '{"seed": null}',
  '[1, 2]',
  '<img src=x onerror=alert(1)>: 1\n',
];
const BAD_JSON = '{"shape": "2,3",}';

function python(code, input) {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code], { input: JSON.stringify(input), encoding: 'utf8' }));
}

test('README\'s normlab_fence.fence gives the JS plugins\' HTML for the same fences', () => {
  const formatter = readmeBlock('python', '# normlab_fence.py');
  const out = python(`${formatter}\nimport sys\nprint(json.dumps([fence(s, 'normlab', 'normlab', {}, None) for s in json.load(sys.stdin)]))`, [...FENCES, BAD_JSON]);
  FENCES.forEach((text, i) => assert.equal(out[i], fenceHtml(text), JSON.stringify(text)));
  // Bad JSON: the same message up to the parser's own words.
  const prefix = '<div class="normlab-fence-error"><p><strong>normlab fence: the text is not JSON (';
  assert.ok(out.at(-1).startsWith(prefix) && fenceHtml(BAD_JSON).startsWith(prefix), out.at(-1));
  assert.ok(out.at(-1).endsWith(`<pre><code>${fenceHtml(BAD_JSON).split('<pre><code>')[1]}`), out.at(-1));
});

const hasPymdownx = (() => {
  try { execFileSync('/usr/bin/python3', ['-c', 'import markdown, pymdownx.superfences'], { stdio: 'ignore' }); return true; } catch { return false; }
})();

test('Python-Markdown with the README\'s superfences settings renders the fence as the element', { skip: !hasPymdownx && 'python3-pymdownx is not installed (apt-get install python3-pymdownx)' }, () => {
  const formatter = readmeBlock('python', '# normlab_fence.py');
  const yaml = readmeBlock('yaml', 'markdown_extensions:');
  assert.match(yaml, /- name: normlab\n\s+class: normlab\n\s+format: !!python\/name:normlab_fence\.fence/);
  const doc = '# T\n\n```normlab\nshape: 2,3,4\npie-title: <b>"x"</b>\n```\n\n```normlab\nshap: 1\n```\n\n```js\nlet a;\n```\n';
  const [html] = python(`
import sys, types, json, markdown
mod = types.ModuleType('normlab_fence'); exec(${JSON.stringify(formatter)}, mod.__dict__); sys.modules['normlab_fence'] = mod
cfg = {'pymdownx.superfences': {'custom_fences': [{'name': 'normlab', 'class': 'normlab', 'format': mod.fence}]}}
print(json.dumps([markdown.markdown(json.load(sys.stdin), extensions=['pymdownx.superfences'], extension_configs=cfg)]))`, doc);
  // Python-Markdown puts an element it does not know as block-level in a <p>: valid HTML (a custom element is phrasing content).
  assert.ok(html.includes(`<p>${fenceHtml('shape: 2,3,4\npie-title: <b>"x"</b>')}</p>`), html);
  assert.ok(html.includes('<strong>normlab fence: line 1: unknown key &quot;shap&quot;'), html);
  assert.match(html, /<code>.*let.*a.*;/s); // the other fence stays code (Pygments-highlighted)
  assert.doesNotMatch(html, /<b>/);
});
