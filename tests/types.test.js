// The published types: every runtime export of src/normlab.js is declared in
// src/normlab.d.ts (and nothing declared as a value is missing at run time);
// a consumer type-checks with tsc --strict under moduleResolution bundler and
// nodenext (import and require), with misuses refused (so the types are not
// `any`); @arethetypeswrong/cli finds no problem in any entry of the packed
// package.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as normlab from '../src/normlab.js';
import { BACKWARD_NAMES, OP_NAMES } from '../src/ops.js';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules/.bin', name);
const ELEMENT_TYPES = join(root, 'web/normlab-compare.d.ts');

/** The value (not type-only) names a .d.ts exports: functions, classes, consts. */
function declaredValues(dts) {
  const names = [...dts.matchAll(/^export (?:declare )?(?:abstract )?(?:function|class|const|let|var|enum) (\w+)/gm)]
    .map((m) => m[1]);
  return [...new Set(names)].sort();
}

test('every runtime export of src/normlab.js is declared in src/normlab.d.ts, and no more', () => {
  const declared = declaredValues(readFileSync(join(root, 'src/normlab.d.ts'), 'utf8'));
  assert.deepEqual(declared, Object.keys(normlab).sort());
  for (const name of declared.filter((n) => /^[A-Z]/.test(n))) {
    assert.equal(typeof normlab[name], 'function', `${name} is declared as a class and is one`);
  }
});

test('the op table\'s ops are the declared OpName and each is declared as a method of Normlab', () => {
  const dts = readFileSync(join(root, 'src/normlab.d.ts'), 'utf8');
  const union = dts.match(/^export type OpName = ([^;]+);/m)[1];
  assert.deepEqual([...union.matchAll(/'(\w+)'/g)].map((m) => m[1]), OP_NAMES);
  for (const op of OP_NAMES) assert.match(dts, new RegExp(`^  ${op}\\(x: TensorLike \\| WasmTensor`, 'm'), `Normlab.${op}`);
  for (const op of BACKWARD_NAMES) {
    assert.match(dts, new RegExp(`^  ${op}\\(gradOutput: TensorLike \\| WasmTensor, x: TensorLike \\| WasmTensor`, 'm'),
      `Normlab.${op}`);
  }
});

// Uses every export; each @ts-expect-error must be an error, so a type that
// decays to `any` fails the check ("Unused '@ts-expect-error' directive").
const CONSUMER = `
import { BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d,
  LayerNorm, RMSNorm, WasmTensor, configure, loadNormlab, simdSupported } from 'normlab';
import type { Gradients, GroupStats, LoadOptions, Normlab, Result, Tensor } from 'normlab';
import { NormlabCompare } from 'normlab/element';

export async function main(): Promise<number> {
  const settings: LoadOptions = { simd: simdSupported() };
  configure(settings);
  configure({ wasmUrl: new URL('https://cdn.example/normlab.wasm') });
  configure();
  // @ts-expect-error simd is a boolean
  configure({ simd: 'no' });
  // @ts-expect-error an unknown option
  configure({ wasmurl: 'x' });
  const nl: Normlab = await loadNormlab({ wasmBinary: new Uint8Array(8) });
  const simd: boolean = nl.simd;
  // @ts-expect-error simd is read-only
  nl.simd = false;
  const t = nl.tensor([2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
  const isTensor: boolean = t instanceof WasmTensor;
  // @ts-expect-error a WasmTensor is made by nl.tensor, not new
  new WasmTensor();
  const r: Result = nl.layerNorm(t, [4], { stats: true, out: nl.tensor([2, 4]) });
  const stats: GroupStats | undefined = r.stats;
  const run: () => Result = nl.prepare('groupNorm', t, 2, { eps: 1e-5 });
  // @ts-expect-error groupNorm takes numGroups, not a shape
  nl.prepare('groupNorm', t, [2]);
  const f = nl.layerNorm(t, 4, { weight: [1, 2, 3, 4], stats: true });
  const grads: Gradients = nl.layerNormBackward(t, t, 4, { weight: [1, 2, 3, 4], saved: f.stats,
    gradInputOut: nl.tensor([2, 4]), gradWeightOut: new Float32Array(4) });
  const gradWeight: Tensor | WasmTensor | null = grads.gradWeight;
  nl.batchNormBackward(t, t, null, null, { training: true, momentum: 0.1 });
  const back: () => Gradients = nl.prepare('groupNormBackward', t, t, 2, { eps: 1e-5 });
  // @ts-expect-error a backward op's options have no out
  nl.rmsNormBackward(t, t, 4, { out: t });
  // @ts-expect-error instanceNormBackward takes no positional argument after x
  nl.instanceNormBackward(t, t, 2);
  const modules = [new LayerNorm(4), new RMSNorm([4], { eps: null }), new GroupNorm(2, 4),
    new InstanceNorm1d(4), new InstanceNorm2d(4), new InstanceNorm3d(4),
    new BatchNorm1d(4, { momentum: null }), new BatchNorm2d(4), new BatchNorm3d(4, { backend: nl })];
  const y: Tensor = modules[0].eval().forward({ data: [1, 2, 3, 4], shape: [1, 4] });
  const dx: Tensor = modules[0].backward({ data: [1, 0, 0, 0], shape: [1, 4] });
  const dw: Float32Array | null = modules[0].gradWeight;
  modules[0].zeroGrad();
  // @ts-expect-error LayerNorm's option is elementwiseAffine
  new LayerNorm(4, { affine: false });
  t.free();
  const el: NormlabCompare | null = document.querySelector('normlab-compare'); // HTMLElementTagNameMap
  const isElement: boolean = el instanceof NormlabCompare && el instanceof HTMLElement;
  return dx.data.length + (dw?.length ?? 0) + Number(gradWeight === null) + back().gradInput.shape.length +
    Number(isElement) + y.data.length + run().data.length + (stats?.mean.length ?? 0) + Number(simd) + Number(isTensor);
}
`;

const CJS_CONSUMER = `
import normlab = require('normlab');
export async function main(): Promise<boolean> {
  normlab.configure({ simd: false });
  const nl: normlab.Normlab = await normlab.loadNormlab();
  // @ts-expect-error simd is a boolean
  normlab.configure({ simd: 1 });
  return nl.simd && normlab.simdSupported() && new normlab.LayerNorm(2).training;
}
`;

/** tsc --strict on the given files (inside the repository, so 'normlab' resolves to this package). */
function tsc(name, files, compilerOptions) {
  const dir = join(root, 'tests/artifacts/types', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], types: [],
      skipLibCheck: false, skipDefaultLibCheck: true, ...compilerOptions },
    files: Object.keys(files),
  }));
  try {
    execFileSync(bin('tsc'), ['-p', dir], { encoding: 'utf8' });
  } catch (err) {
    assert.fail(`tsc (${name}) reported:\n${err.stdout}${err.stderr}`);
  }
}

test('tsc --strict: a consumer type-checks under moduleResolution bundler', () => {
  tsc('bundler', { 'consumer.ts': CONSUMER }, { module: 'esnext', moduleResolution: 'bundler' });
});

test('tsc --strict: the same consumer as ESM, and a require() consumer, under moduleResolution nodenext', () => {
  tsc('nodenext', { 'consumer.mts': CONSUMER, 'consumer-cjs.cts': CJS_CONSUMER },
    { module: 'nodenext', moduleResolution: 'nodenext' });
});

test('@arethetypeswrong/cli: no problem in any entry of the packed package (node16 and bundler)', (t) => {
  // The element's entries get their types from web/normlab-compare.d.ts (the element's own file).
  if (!existsSync(ELEMENT_TYPES)) t.diagnostic('web/normlab-compare.d.ts is missing: ./element is expected to fail');
  let out;
  try {
    out = execFileSync(bin('attw'), ['--pack', '.', '--format', 'json', '--profile', 'node16'],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (err) {
    out = err.stdout; // attw exits 1 when it finds problems; the JSON says which
  }
  const { analysis } = JSON.parse(out);
  const problems = Object.values(analysis.problems ?? {}).flat()
    .filter((p) => p.resolutionKind !== 'node10') // the node16 profile: legacy node10 resolution is not supported
    // The element and the dist/ files are ES modules for browsers: a require() of them is meant to fail.
    .filter((p) => !(p.kind === 'CJSResolvesToESM' && p.entrypoint !== '.'));
  assert.deepEqual(problems, []);
  assert.deepEqual(Object.keys(analysis.entrypoints).sort(),
    ['.', './dist/normlab-compare.js', './dist/normlab.js', './element', './markdown-it', './package.json', './remark', './wasm/*.wasm']);
});
