// The committed wasm/ is what src/ builds to, the scalar build has no SIMD
// instruction at all, and the SIMD build really uses SIMD128; the committed
// JS modules that carry the same bytes (src/wasm/) and the single-file builds
// (dist/) are what the committed scripts make of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODULE, WASM_FILES, wasmModuleBytes } from '../scripts/wasm-modules.mjs';
import { inflateRaw } from '../src/inflate.js';
import { buildDist } from '../scripts/build-dist.mjs';

const root = new URL('..', import.meta.url).pathname;
const files = ['normlab.wasm', 'normlab-scalar.wasm'];

/** A fresh build: the one npm test made in build/wasm, or one made now. */
function freshBuild() {
  const dir = join(root, 'build/wasm');
  if (files.every((f) => existsSync(join(dir, f)))) return dir;
  const tmp = mkdtempSync(join(tmpdir(), 'normlab-build-'));
  execFileSync(join(root, 'build.sh'), [tmp], { stdio: 'ignore' });
  return tmp;
}

const disassemble = (file) => execFileSync('wasm-objdump', ['-d', join(root, 'wasm', file)],
  { encoding: 'utf8', maxBuffer: 64 << 20 });
// Every SIMD128 opcode's text names a vector type or v128.
const simdOps = (text) => text.split('\n').filter((l) => /\b(v128|[if](8x16|16x8|32x4|64x2))\./.test(l));

test('wasm/ matches a fresh build of src/ byte for byte', () => {
  const dir = freshBuild();
  for (const f of files) {
    const committed = readFileSync(join(root, 'wasm', f));
    const fresh = readFileSync(join(dir, f));
    assert.ok(committed.equals(fresh), `wasm/${f} differs from a fresh build: run ./build.sh and commit wasm/`);
  }
});

test('the scalar build contains no SIMD instruction', () => {
  assert.deepEqual(simdOps(disassemble('normlab-scalar.wasm')), []);
});

test('the SIMD build uses f32x4 and f64x2 instructions', () => {
  const ops = simdOps(disassemble('normlab.wasm'));
  assert.ok(ops.some((l) => l.includes('f32x4.sub')), 'no f32x4.sub');
  assert.ok(ops.some((l) => l.includes('f64x2.promote_low_f32x4')), 'no f64x2 promotion');
  assert.ok(ops.length > 100, `only ${ops.length} SIMD instructions`);
});

test('both builds export the five ops, malloc and free, and import only the growth hook', () => {
  for (const f of files) {
    const mod = new WebAssembly.Module(readFileSync(join(root, 'wasm', f)));
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const name of ['nl_layer_norm', 'nl_rms_norm', 'nl_group_norm', 'nl_instance_norm', 'nl_batch_norm',
      'malloc', 'free', 'memory']) assert.ok(exports.includes(name), `${f} lacks ${name}`);
    assert.deepEqual(WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`),
      ['env.emscripten_notify_memory_growth']);
  }
});

test('src/wasm/builds.js carries wasm/*.wasm byte for byte (scripts/wasm-modules.mjs)', async () => {
  const builds = WASM_FILES.map((f) => readFileSync(join(root, 'wasm', f)));
  const text = readFileSync(join(root, 'src/wasm', MODULE), 'utf8');
  const carried = wasmModuleBytes(text);
  assert.ok(carried && carried.every((bytes, i) => bytes.equals(builds[i])),
    `src/wasm/${MODULE} is stale: run node scripts/wasm-modules.mjs and commit src/wasm/`);
  // and what the loader inflates from the module's exports is those bytes
  const { default: base64, SIMD_BYTES, SCALAR_BYTES } = await import(`../src/wasm/${MODULE}`);
  const both = inflateRaw(Buffer.from(base64, 'base64'), SIMD_BYTES + SCALAR_BYTES);
  assert.ok(Buffer.from(both).equals(Buffer.concat(builds)), `src/wasm/${MODULE} does not inflate to wasm/`);
});

test('dist/ matches a fresh build of the sources byte for byte (npm run build:dist)', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'normlab-dist-'));
  await buildDist(tmp);
  const fresh = readdirSync(tmp).sort();
  assert.deepEqual(readdirSync(join(root, 'dist')).sort(), fresh, 'dist/ has other files than a fresh build');
  assert.deepEqual(fresh, ['normlab-compare.d.ts', 'normlab-compare.js', 'normlab.cjs', 'normlab.d.cts',
    'normlab.d.ts', 'normlab.js']);
  for (const f of fresh) {
    assert.ok(readFileSync(join(root, 'dist', f)).equals(readFileSync(join(tmp, f))),
      `dist/${f} differs from a fresh build: run npm run build:dist and commit dist/`);
  }
});
