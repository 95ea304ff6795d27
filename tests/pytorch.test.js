// Every functional fixture case of tests/fixtures/pytorch.json on both builds:
// the output against torch float64 (tightly) and float32 (loosely), the
// running statistics after the call, and the errors torch raises.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  argsOf, assertThrowsLike, assertTorch, callOp, f32, loadBoth, loadFixtures, tensorOf,
} from './helpers.js';

const builds = await loadBoth();
const { cases, errors } = loadFixtures();

/** What a call gave: output shape and data, and the running stats after it. */
const outcome = (result, data, args) => ({
  shape: result.shape, isFloat32: result.data instanceof Float32Array, data,
  runningMean: args.runningMean, runningVar: args.runningVar,
});

/** Run one case with plain arrays. */
function runPlain(nl, c) {
  const args = argsOf(c.args);
  const result = callOp(nl, c.op, tensorOf(c.input), args);
  return outcome(result, result.data, args);
}

/** The same call with the input, running stats and output as WasmTensors. */
function runWasm(nl, c) {
  const args = argsOf(c.args);
  const owned = [];
  const wasm = (shape, values) => {
    const t = nl.tensor(shape, values);
    owned.push(t);
    return t;
  };
  const x = wasm(c.input.shape, f32(c.input.data));
  for (const k of ['runningMean', 'runningVar']) if (args[k]) args[k] = wasm([args[k].length], args[k]);
  const out = wasm(c.input.shape);
  try {
    const result = callOp(nl, c.op, x, args, { out });
    for (const k of ['runningMean', 'runningVar']) if (args[k]) args[k] = args[k].toArray();
    return outcome(result, out.toArray(), args);
  } finally {
    owned.forEach((t) => t.free());
  }
}

function check(run, c) {
  const { shape, isFloat32, data, runningMean, runningVar } = run;
  assert.deepEqual(shape, c.input.shape, 'output shape');
  assert.ok(isFloat32, 'output data is a Float32Array');
  assertTorch(data, c.expected, 'output');
  if (c.runningMean) {
    assertTorch(runningMean, c.runningMean, 'runningMean', 'running');
    assertTorch(runningVar, c.runningVar, 'runningVar', 'running');
  }
}

for (const [build, nl] of builds) {
  describe(`${build}: functional ops vs torch 1.13`, () => {
    for (const c of cases) test(c.name, () => check(runPlain(nl, c), c));
  });

  // Running stats updated in wasm memory, output written into a given tensor.
  describe(`${build}: WasmTensor input, running stats and out`, () => {
    for (const c of cases.filter((k) => k.runningMean && k.input.data.length > 0)) {
      test(c.name, () => check(runWasm(nl, c), c));
    }
  });

  describe(`${build}: functional errors as torch raises them`, () => {
    for (const e of errors.filter((k) => k.op)) {
      test(e.name, () => {
        assertThrowsLike(() => callOp(nl, e.op, tensorOf(e.input), argsOf(e.args)), e, e.name);
      });
    }
  });
}
