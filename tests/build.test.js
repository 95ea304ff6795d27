// The committed wasm/ is what src/ builds to, the scalar build has no SIMD
// instruction at all, and the SIMD build really uses SIMD128.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
