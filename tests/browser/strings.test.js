// The page's strings: English and Chinese have the same keys, and every key
// the page files use exists (t() would otherwise show the bare key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { messages } from '../../web/lab/index.js';

const pageKeys = (m) => Object.fromEntries(Object.entries(m).filter(([k]) => k.startsWith('page.')));
const en = pageKeys(messages.en);
const zh = pageKeys(messages.zh);

const web = new URL('../../web/', import.meta.url);
const files = ['index.html', 'app.js', 'normlab-compare.js', 'bench-live.js',
  ...readdirSync(new URL('viz/', web)).filter((f) => f.endsWith('.js')).map((f) => `viz/${f}`)];

test('page strings exist in both languages and are translated', () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const k of Object.keys(en)) {
    assert.ok(zh[k].trim() && zh[k] !== en[k], `${k} is not translated`);
    const holes = (s) => (s.match(/\{\w+\}/g) || []).sort().join();
    assert.equal(holes(zh[k]), holes(en[k]), `${k}: placeholders differ`);
  }
});

test('every literal key used by the page files is defined in English and Chinese', () => {
  const used = new Set();
  for (const f of files) {
    const text = readFileSync(new URL(f, web), 'utf8');
    for (const m of text.matchAll(/(?:data-i18n="|'|`)((?:page|app|btn|label|table|pie|layer|use|layout|cmp|err|warn)\.[a-z_.0-9]+)(?=["'`])/g)) used.add(m[1]);
  }
  assert.ok(used.size > 40, `only ${used.size} keys found`);
  for (const k of used) {
    assert.ok(Object.hasOwn(messages.en, k), `missing en ${k}`);
    assert.ok(Object.hasOwn(messages.zh, k), `missing zh ${k}`);
  }
});
