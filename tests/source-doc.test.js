// The page's "source document's code" is the document's snippet, verbatim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { SOURCE_CODE } from '../web/lab/source-doc.js';

const seedDir = new URL('../../shared/seed/', import.meta.url);

test('SOURCE_CODE is the source document\'s code block, character for character', () => {
  const text = readdirSync(seedDir).map((f) => readFileSync(new URL(f, seedDir), 'utf8')).join('\n');
  const start = text.indexOf('import torch\n');
  const end = text.indexOf('\n', text.indexOf('print("InstanceNorm'));
  assert.ok(start >= 0 && end > start, 'the seed still holds the snippet');
  assert.equal(SOURCE_CODE, text.slice(start, end + 1));
  assert.match(SOURCE_CODE, /nn\.LayerNorm\(x\.size\(\)\[1:\]\)/);
  assert.match(SOURCE_CODE, /nn\.InstanceNorm2d\(3, affine=True\)/);
});
