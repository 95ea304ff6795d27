// The ```normlab fence's text (plugins/fence.js): key: value lines or JSON,
// to the element's attributes; a wrong fence to a message that names the line
// and the key, and never to markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTRIBUTES, escapeHtml, fenceHtml, isNormlabFence, parseFence } from '../../plugins/fence.js';

test('the keys are the element\'s attributes (as its module observes them)', async () => {
  const { NormlabCompare } = await import('../../web/normlab-compare.js');
  assert.deepEqual(ATTRIBUTES, NormlabCompare.observedAttributes);
});

test('key: value lines: trimmed, comments and blank lines skipped, an indented line continues the value', () => {
  assert.deepEqual(parseFence('shape: 2,3,4\n\n# the layers\nlayers :  layer_norm:[4],instance_norm  \n').attributes,
    [['shape', '2,3,4'], ['layers', 'layer_norm:[4],instance_norm']]);
  assert.deepEqual(parseFence('shape: 2,3\nvalues: 1 2 3\n  4 5 6\npie-data: {"NLP": 60, "Vision": 40}\r\npage-url:').attributes,
    [['shape', '2,3'], ['values', '1 2 3\n4 5 6'], ['pie-data', '{"NLP": 60, "Vision": 40}'], ['page-url', '']]);
  assert.deepEqual(parseFence('').attributes, []); // the element's defaults
});

test('JSON: strings as they are, numbers as written, a shape array joined, objects and nested arrays as JSON', () => {
  assert.deepEqual(parseFence(' {"shape": [2, 3], "seed": 7, "values": [[1, 2, 3], [4, 5, 6]], "pie-data": {"NLP": 60}, "lang": "zh"}\n').attributes,
    [['shape', '2,3'], ['seed', '7'], ['values', '[[1,2,3],[4,5,6]]'], ['pie-data', '{"NLP":60}'], ['lang', 'zh']]);
});

test('a wrong fence gives a message naming what is wrong, where', () => {
  const error = (text) => parseFence(text).error;
  assert.equal(error('shape: 2,3\nshap: 4'), `normlab fence: line 2: unknown key "shap"; the keys are ${ATTRIBUTES.join(', ')}`);
  assert.equal(error('shape 2,3'), 'normlab fence: line 1: "shape 2,3" is not "key: value"');
  assert.equal(error('shape: 2\nshape: 3'), 'normlab fence: line 2: "shape" is given twice');
  assert.equal(error('  shape: 2'), 'normlab fence: line 1: an indented line continues a value, but no "key: value" line comes before it');
  assert.match(error('{"shape": "2,3",}'), /^normlab fence: the text is not JSON \(.+\)$/);
  assert.equal(error('{"Shape": "2"}'), `normlab fence: unknown key "Shape"; the keys are ${ATTRIBUTES.join(', ')}`);
  assert.equal(error('{"seed": null}'), 'normlab fence: "seed" is null; give a string or a number');
  assert.equal(error('{'), parseFence('{').error); // still a message, not a throw
  assert.match(error('{'), /^normlab fence: the text is not JSON/);
});

test('fenceHtml: the element with its attributes escaped, or the message and the text escaped; nothing becomes markup', () => {
  assert.equal(fenceHtml('shape: 2,3,4\nlayers: layer_norm,rms_norm'),
    '<normlab-compare shape="2,3,4" layers="layer_norm,rms_norm"></normlab-compare>\n');
  assert.equal(fenceHtml('pie-title: "A" & <b>{{ x }}</b>\'s'),
    '<normlab-compare pie-title="&quot;A&quot; &amp; &lt;b&gt;&#123;&#123; x &#125;&#125;&lt;/b&gt;&#39;s"></normlab-compare>\n');
  assert.equal(fenceHtml('<img src=x onerror=alert(1)>: 1'),
    '<div class="normlab-fence-error"><p><strong>normlab fence: line 1: unknown key &quot;&lt;img src=x onerror=alert(1)&gt;&quot;; the keys are '
    + `${ATTRIBUTES.join(', ')}</strong></p><pre><code>&lt;img src=x onerror=alert(1)&gt;: 1</code></pre></div>\n`);
  assert.equal(escapeHtml('{{a}}'), '&#123;&#123;a&#125;&#125;');
});

test('isNormlabFence: the info string\'s first word', () => {
  assert.equal(isNormlabFence('normlab'), true);
  assert.equal(isNormlabFence('  normlab {.wide}'), true);
  for (const info of ['', 'js', 'normlabx', 'Normlab', undefined, null]) assert.equal(isNormlabFence(info), false, String(info));
});
