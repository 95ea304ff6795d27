// src/inflate.js (which unpacks the bundled wasm builds) against node:zlib's
// deflate on every block type DEFLATE has: stored, fixed and dynamic Huffman,
// with long matches, runs and far distances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { constants, deflateRawSync } from 'node:zlib';
import { inflateRaw } from '../src/inflate.js';
import { mulberry32 } from '../web/lab/rng.js';

const root = new URL('..', import.meta.url);
const rand = mulberry32(7);
const randomBytes = (n) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
const text = Buffer.from(readFileSync(new URL('src/inflate.js', root), 'utf8').repeat(4));

const INPUTS = {
  empty: new Uint8Array(0),
  'one byte': Uint8Array.of(42),
  'random (stored blocks)': randomBytes(200_000),
  'one long run (distance 1, length 258)': new Uint8Array(100_000).fill(7),
  'text (matches up to 32 KB back)': text,
  'wasm/normlab.wasm': readFileSync(new URL('wasm/normlab.wasm', root)),
  'wasm/normlab-scalar.wasm': readFileSync(new URL('wasm/normlab-scalar.wasm', root)),
};
const STRATEGIES = {
  'level 9 (dynamic blocks)': { level: 9 },
  'level 1': { level: 1 },
  'level 0 (stored)': { level: 0 },
  'fixed Huffman codes': { level: 9, strategy: constants.Z_FIXED },
  'Huffman only (no matches)': { level: 9, strategy: constants.Z_HUFFMAN_ONLY },
  'runs only': { level: 9, strategy: constants.Z_RLE },
};

for (const [name, bytes] of Object.entries(INPUTS)) {
  test(`inflateRaw undoes zlib's deflate: ${name}`, () => {
    for (const [how, options] of Object.entries(STRATEGIES)) {
      const packed = deflateRawSync(bytes, options);
      assert.deepEqual(Buffer.from(inflateRaw(packed, bytes.length)), Buffer.from(bytes), how);
    }
  });
}

test('inflateRaw refuses damaged input with an Error, never a hang or a short result', () => {
  const bytes = readFileSync(new URL('wasm/normlab-scalar.wasm', root));
  const packed = deflateRawSync(bytes, { level: 9 });
  assert.throws(() => inflateRaw(packed.subarray(0, packed.length >> 1), bytes.length), /inflate: input ends early/);
  assert.throws(() => inflateRaw(packed, bytes.length - 1), /inflate: output longer than expected/);
  assert.throws(() => inflateRaw(packed, bytes.length + 1), /inflate: output is \d+ bytes, expected/);
  assert.throws(() => inflateRaw(Uint8Array.of(0b111), 0), /inflate: bad block type/);
  // A stored block whose length check is wrong.
  assert.throws(() => inflateRaw(Uint8Array.of(1, 5, 0, 5, 0), 5), /stored block length check/);
});
