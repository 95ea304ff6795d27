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
import { EXPORTS, MODULE, WASM_FILES, wasmModuleBytes } from '../scripts/wasm-modules.mjs';
import { inflateRaw } from '../src/inflate.js';
import { MORE, buildDist } from '../scripts/build-dist.mjs';
import { assertClose, layerNorm64, sample } from './helpers.js';

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
  // and what the loader inflates from the module's exports is those bytes, each build from its own export
  const module = await import(`../src/wasm/${MODULE}`);
  EXPORTS.forEach((name, i) => {
    const bytes = inflateRaw(Buffer.from(module[name], 'base64'), module[`${name}_BYTES`]);
    assert.ok(Buffer.from(bytes).equals(builds[i]), `src/wasm/${MODULE}'s ${name} does not inflate to wasm/${WASM_FILES[i]}`);
  });
});

test('dist/ matches a fresh build of the sources byte for byte (npm run build:dist)', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'normlab-dist-'));
  await buildDist(tmp);
  const fresh = readdirSync(tmp).sort();
  assert.deepEqual(readdirSync(join(root, 'dist')).sort(), fresh, 'dist/ has other files than a fresh build');
  assert.deepEqual(fresh, ['normlab-compare-more.js', 'normlab-compare.d.ts', 'normlab-compare.js', 'normlab.cjs',
    'normlab.d.cts', 'normlab.d.ts', 'normlab.js']);
  for (const f of fresh) {
    assert.ok(readFileSync(join(root, 'dist', f)).equals(readFileSync(join(tmp, f))),
      `dist/${f} differs from a fresh build: run npm run build:dist and commit dist/`);
  }
});

// The single-file element is two files (scripts/build-dist.mjs): the first
// carries what a first verdict needs, the second what it seldom needs.
const dist = (f) => readFileSync(join(root, 'dist', f), 'utf8');
// Any import of a module: static (import ... from, import '...', export ... from) or dynamic.
const IMPORTS = /\bimport\s*\(\s*(["'`][^"'`]*["'`])|\bimport\s*(["'][^"']*["'])|\bfrom\s*(["'][^"']*["'])/g;
const importsOf = (text) => [...text.matchAll(IMPORTS)].map((m) => `${m[1] ? 'import()' : 'import'} ${m[1] ?? m[2] ?? m[3]}`);

test(`dist/normlab-compare.js loads only dist/${MORE}, by import() relative to itself; that one imports nothing`, async () => {
  assert.deepEqual([...new Set(importsOf(dist('normlab-compare.js')))], [`import() "./${MORE}"`]);
  assert.deepEqual(importsOf(dist(MORE)), []);
  // The SIMD build only in the first, the scalar build only in the second.
  const { SIMD, SCALAR } = await import(`../src/wasm/${MODULE}`);
  assert.ok(dist('normlab-compare.js').includes(SIMD) && !dist(MORE).includes(SIMD), 'the SIMD build is in the first file alone');
  assert.ok(dist(MORE).includes(SCALAR) && !dist('normlab-compare.js').includes(SCALAR), 'the scalar build is in the second file alone');
});

/** Run dist/normlab-compare.js in a fresh Node: both builds' LayerNorm (the scalar build and, without
 * DecompressionStream, the inflate come from the second file). */
function runCompareDist(prelude = '') {
  const x = { data: Array.from(sample(12, 3)), shape: [3, 4] };
  const script = `${prelude}
const { loadNormlab, NormlabCompare } = await import(${JSON.stringify(join(root, 'dist/normlab-compare.js'))});
const x = ${JSON.stringify(x)};
const simd = await loadNormlab(), scalar = await loadNormlab({ simd: false });
console.log(JSON.stringify({ builds: [simd.simd, scalar.simd], element: typeof NormlabCompare,
  y: [Array.from(simd.layerNorm(x, 4).data), Array.from(scalar.layerNorm(x, 4).data)] }));`;
  const r = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  assert.deepEqual(r.builds, [true, false]);
  assert.equal(r.element, 'function');
  const want = layerNorm64(Float32Array.from(x.data), x.shape, 4).data;
  for (const y of r.y) assertClose(y, want, { abs: 2e-6, rel: 2e-6 }, 'LayerNorm(4) from dist/normlab-compare.js');
}

test('dist/normlab-compare.js in Node: both builds compute (the scalar one from the second file)', () => runCompareDist());

test('dist/normlab-compare.js without DecompressionStream: the second file\'s inflate unpacks both builds', () =>
  runCompareDist('delete globalThis.DecompressionStream;'));
