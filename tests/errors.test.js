// Bad input never crashes, leaks or returns garbage: each row of BAD is one
// mistake a caller can make; it must throw the given class with a message that
// names the op, the argument, what was expected and what came (torch's wording
// where torch has one, semantics §7), and right afterwards every op and the
// module involved must compute correctly again (checked against float64).
// Also: zero-size dims as torch (§6), and tensors too large for wasm memory.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchNorm1d, BatchNorm2d, GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LayerNorm, RMSNorm,
} from '../src/normlab.js';
import {
  TOL, assertClose, batchNorm64, groupNorm64, instanceNorm64, layerNorm64, loadBoth, nextAddress, rmsNorm64, sample,
} from './helpers.js';

// Both builds, each with a second, private instance whose tensors belong elsewhere;
// loaded before any suite starts (a describe() made while a test runs would nest inside it).
const [shared, fresh] = [await loadBoth(), await loadBoth({ fresh: true })];
const builds = shared.map(([build, nl], i) => ({ build, nl, other: fresh[i][1] }));

// Good inputs of each op; the bad calls below spoil one thing at a time.
const LN = { data: sample(15), shape: [3, 5] }; // layerNorm / rmsNorm, rows of 5
const GN = { data: sample(60, 2), shape: [2, 6, 5] }; // groupNorm, C = 6
const CH = { data: sample(30, 3), shape: [2, 3, 5] }; // instanceNorm / batchNorm, C = 3
const w5 = sample(5, 4), b5 = sample(5, 5), w3 = sample(3, 6), b3 = sample(3, 7), w6 = sample(6, 8);
const ones3 = () => new Float32Array([1, 1, 1]);
const zeros3 = () => new Float32Array(3);

/** Every op once, with parameters and running stats, against float64. */
function assertHealthy(nl, label) {
  const where = (op) => `${label}: ${op} right after the error`;
  assertClose(nl.layerNorm(LN, 5, { weight: w5, bias: b5 }).data,
    layerNorm64(LN.data, LN.shape, 5, { weight: w5, bias: b5 }).data, TOL.ref64, where('layerNorm'));
  assertClose(nl.rmsNorm(LN, [5], { weight: w5, eps: 1e-6 }).data,
    rmsNorm64(LN.data, LN.shape, 5, { weight: w5, eps: 1e-6 }).data, TOL.ref64, where('rmsNorm'));
  assertClose(nl.groupNorm(GN, 3, { weight: w6, bias: w6 }).data,
    groupNorm64(GN.data, GN.shape, 3, { weight: w6, bias: w6 }).data, TOL.ref64, where('groupNorm'));
  const [im, iv] = [zeros3(), ones3()];
  const inst = instanceNorm64(CH.data, CH.shape, { runningMean: im, runningVar: iv, weight: w3, bias: b3 });
  assertClose(nl.instanceNorm(CH, { runningMean: im, runningVar: iv, weight: w3, bias: b3 }).data, inst.data,
    TOL.ref64, where('instanceNorm'));
  assertClose(im, inst.runningMean, TOL.ref64, where('instanceNorm runningMean'));
  assertClose(iv, inst.runningVar, TOL.ref64, where('instanceNorm runningVar'));
  const [bm, bv] = [zeros3(), ones3()];
  const bn = batchNorm64(CH.data, CH.shape, bm, bv, { training: true, weight: w3, bias: b3 });
  assertClose(nl.batchNorm(CH, bm, bv, { training: true, weight: w3, bias: b3 }).data, bn.data, TOL.ref64, where('batchNorm'));
  assertClose(bm, bn.runningMean, TOL.ref64, where('batchNorm runningMean'));
  assertClose(bv, bn.runningVar, TOL.ref64, where('batchNorm runningVar'));
  // the in-memory path too: a WasmTensor in and out
  const x = nl.tensor(LN.shape, LN.data), y = nl.tensor(LN.shape);
  assert.equal(nl.layerNorm(x, 5, { out: y }), y, where('layerNorm out WasmTensor'));
  assertClose(y.data, layerNorm64(LN.data, LN.shape, 5).data, TOL.ref64, where('layerNorm on WasmTensors'));
  x.free();
  y.free();
}

/** Fresh modules for each row; after the row each must still compute (and count) right. */
function modulesOf(nl) {
  return {
    bn1d: new BatchNorm1d(3, { backend: nl }),
    in1d: new InstanceNorm1d(3, { affine: true, trackRunningStats: true, backend: nl }),
    ln: new LayerNorm(5, { backend: nl }),
    gn: new GroupNorm(3, 6, { backend: nl }),
  };
}

function assertModulesHealthy(m, label) {
  const where = (name) => `${label}: module ${name} right after the error`;
  const bn = batchNorm64(CH.data, CH.shape, m.bn1d.runningMean, m.bn1d.runningVar, { training: true });
  assertClose(m.bn1d.forward(CH).data, bn.data, TOL.ref64, where('BatchNorm1d'));
  assertClose(m.bn1d.runningMean, bn.runningMean, TOL.ref64, where('BatchNorm1d runningMean'));
  assert.equal(m.bn1d.numBatchesTracked, 1, `${where('BatchNorm1d')}: a refused call must not count a batch`);
  const inst = instanceNorm64(CH.data, CH.shape, { runningMean: m.in1d.runningMean, runningVar: m.in1d.runningVar });
  assertClose(m.in1d.forward(CH).data, inst.data, TOL.ref64, where('InstanceNorm1d'));
  assertClose(m.in1d.runningVar, inst.runningVar, TOL.ref64, where('InstanceNorm1d runningVar'));
  assertClose(m.ln.forward(LN).data, layerNorm64(LN.data, LN.shape, 5).data, TOL.ref64, where('LayerNorm'));
  assertClose(m.gn.forward(GN).data, groupNorm64(GN.data, GN.shape, 3).data, TOL.ref64, where('GroupNorm'));
}

const T = TypeError, R = RangeError;
const tensor = (data, shape) => ({ data, shape });
const lnx = (data, shape = [2, 3]) => (c) => c.nl.layerNorm(tensor(data, shape), 3);
const bn = (options, rm = zeros3(), rv = ones3()) => (c) => c.nl.batchNorm(CH, rm, rv, options);
const inorm = (options) => (c) => c.nl.instanceNorm(CH, options);
const freed = (c, shape) => {
  const t = c.nl.tensor(shape);
  t.free();
  return t;
};

// [what, call(context), class, the message must match]
const BAD = [
  // ---- data that is not float data ----
  ['x.data a string', lnx('abcdef'), T, /^layerNorm: x\.data must be a Float32Array or an array of numbers, got "abcdef"$/],
  ['x.data an object', lnx({ length: 6 }), T, /^layerNorm: x\.data must be a Float32Array or an array of numbers, got an object$/],
  ['x.data null', lnx(null), T, /^layerNorm: x\.data must be .*, got null$/],
  ['x.data a number', lnx(6), T, /^layerNorm: x\.data must be .*, got 6$/],
  ['x.data holding a string', lnx([1, 2, '3', 4, 5, 6]), T, /^layerNorm: x\.data\[2\] must be a number, got "3"$/],
  ['x.data holding undefined', lnx([1, 2, 3, 4, 5, undefined]), T, /^layerNorm: x\.data\[5\] must be a number, got undefined$/],
  ['x.data with a hole', lnx([1, , 3, 4, 5, 6]), T, /^layerNorm: x\.data\[1\] must be a number, got undefined$/], // eslint-disable-line no-sparse-arrays
  ['x.data holding a BigInt', lnx([1, 2, 3, 4, 5, 6n]), T, /^layerNorm: x\.data\[5\] must be a number, got a bigint$/],
  ['x.data holding null', lnx([null, 2, 3, 4, 5, 6]), T, /^layerNorm: x\.data\[0\] must be a number, got null$/],
  ['x.data a BigInt64Array', lnx(new BigInt64Array(6)), T, /^layerNorm: x\.data must be .*, got a BigInt64Array of length 6$/],
  ['x.data a DataView', lnx(new DataView(new ArrayBuffer(24))), T, /^layerNorm: x\.data must be .*, got a DataView of 24 bytes$/],
  ['x null', (c) => c.nl.layerNorm(null, 3), T, /^layerNorm: x must be a tensor \{ data, shape \} or a WasmTensor, got null$/],
  ['x a bare array', (c) => c.nl.groupNorm([1, 2, 3, 4], 2), T, /^groupNorm: x must be a tensor .*, got \[1, 2, 3, 4\]$/],
  ['x without shape', (c) => c.nl.rmsNorm({ data: [1, 2, 3] }, 3), T, /^rmsNorm: x must be a tensor \{ data, shape \}.*got an object$/],
  ['x a Float32Array', (c) => c.nl.batchNorm(new Float32Array(6), null, null, { training: true }), T, /^batchNorm: x must be a tensor .*got a Float32Array of length 6$/],
  // ---- data length and dims ----
  ['data shorter than the shape', lnx([1, 2, 3, 4, 5]), R, /^layerNorm: x\.data has 5 elements but x\.shape \[2, 3\] needs 6$/],
  ['data longer than the shape', (c) => c.nl.instanceNorm(tensor(sample(31), [2, 3, 5])), R, /^instanceNorm: x\.data has 31 elements but x\.shape \[2, 3, 5\] needs 30$/],
  ['negative dim', lnx([1, 2, 3, 4, 5, 6], [-2, 3]), R, /^layerNorm: x\.shape\[0\] must be a non-negative integer, got -2$/],
  ['fractional dim', lnx([1, 2, 3, 4, 5, 6], [2, 1.5]), R, /^layerNorm: x\.shape\[1\] must be a non-negative integer, got 1\.5$/],
  ['NaN dim', lnx([1, 2, 3, 4, 5, 6], [NaN, 3]), R, /^layerNorm: x\.shape\[0\] must be a non-negative integer, got NaN$/],
  ['Infinity dim', lnx([1, 2, 3, 4, 5, 6], [2, Infinity]), R, /^layerNorm: x\.shape\[1\] must be a non-negative integer, got Infinity$/],
  ['dim beyond 2^53', lnx([], [2 ** 60, 0, 3]), R, /^layerNorm: x\.shape\[0\] must be a non-negative integer below 2\^53, got 1152921504606847000$/],
  ['dim a string', lnx([1, 2, 3, 4, 5, 6], ['2', 3]), T, /^layerNorm: x\.shape\[0\] must be a non-negative integer, got "2"$/],
  ['shape a string', lnx([1, 2, 3, 4, 5, 6], '2,3'), T, /^layerNorm: x\.shape must be an array of non-negative integers, got "2,3"$/],
  ['huge dims', lnx([1, 2, 3], [2 ** 20, 2 ** 20, 3]), R, /^layerNorm: x\.shape \[1048576, 1048576, 3\] has 3298534883328 elements; the most one tensor may have is 268435456$/],
  ['one element over maxElements', (c) => c.nl.rmsNorm(tensor([], [2 ** 28 + 1]), 1), R, /^rmsNorm: x\.shape \[268435457\] has 268435457 elements; the most one tensor may have is 268435456$/],
  // ---- rank and normalizedShape ----
  ['normalizedShape not the trailing dims', (c) => c.nl.layerNorm(tensor(sample(8), [2, 4]), 5), R, /^layerNorm: Given normalized_shape=\[5\], expected input with shape \[\*, 5\], but got input of size\[2, 4\]$/],
  ['normalizedShape in the wrong order', (c) => c.nl.layerNorm(tensor(sample(24), [2, 4, 3]), [3, 4]), R, /^layerNorm: Given normalized_shape=\[3, 4\], expected input with shape \[\*, 3, 4\], but got input of size\[2, 4, 3\]$/],
  ['input rank below normalizedShape', (c) => c.nl.rmsNorm(tensor(sample(12), [3, 4]), [2, 3, 4]), R, /^rmsNorm: Given normalized_shape=\[2, 3, 4\], expected input with shape \[\*, 2, 3, 4\], but got input of size\[3, 4\]$/],
  ['empty normalizedShape', (c) => c.nl.layerNorm(LN, []), R, /^layerNorm: Expected normalized_shape to be at least 1-dimensional, i\.e\., containing at least one element, but got normalized_shape = \[\]$/],
  ['normalizedShape a string', (c) => c.nl.layerNorm(LN, '5'), T, /^layerNorm: normalizedShape must be an array of non-negative integers, got "5"$/],
  ['normalizedShape fractional', (c) => c.nl.rmsNorm(LN, [2.5]), R, /^rmsNorm: normalizedShape\[0\] must be a non-negative integer, got 2\.5$/],
  ['groupNorm on 1-D input', (c) => c.nl.groupNorm(tensor(sample(6), [6]), 2), R, /^groupNorm: expected input of shape \(N, C, \*\) with at least 2 dimensions, got 1D input of shape \[6\]$/],
  ['batchNorm on 1-D input', (c) => c.nl.batchNorm(tensor(sample(3), [3]), null, null, { training: true }), R, /^batchNorm: expected input of shape \(N, C, \*\).*got 1D/],
  ['instanceNorm on 0-D input', (c) => c.nl.instanceNorm(tensor([1], [])), R, /^instanceNorm: expected input of shape \(N, C, \*\).*got 0D/],
  ['BatchNorm2d on 3-D input', (c) => new BatchNorm2d(3, { backend: c.nl }).forward(CH), R, /^BatchNorm2d: expected 4D input \(got 3D input\)$/],
  ['BatchNorm1d on 4-D input', (c) => c.m.bn1d.forward(tensor(sample(6), [1, 3, 2, 1])), R, /^BatchNorm1d: expected 2D or 3D input \(got 4D input\)$/],
  ['InstanceNorm1d on 4-D input', (c) => c.m.in1d.forward(tensor(sample(6), [1, 3, 2, 1])), R, /^InstanceNorm1d: expected 2D or 3D input \(got 4D input\)$/],
  ['InstanceNorm2d on 5-D input', (c) => new InstanceNorm2d(3, { backend: c.nl }).forward(tensor(sample(6), [1, 3, 1, 2, 1])), R, /^InstanceNorm2d: expected 3D or 4D input \(got 5D input\)$/],
  ['InstanceNorm3d on 3-D input', (c) => new InstanceNorm3d(3, { backend: c.nl }).forward(CH), R, /^InstanceNorm3d: expected 4D or 5D input \(got 3D input\)$/],
  ['InstanceNorm1d on null', (c) => c.m.in1d.forward(null), T, /^instanceNorm: x must be a tensor \{ data, shape \} or a WasmTensor, got null$/],
  ['InstanceNorm1d on x without shape', (c) => c.m.in1d.forward({ data: sample(6) }), T, /^instanceNorm: x must be a tensor \{ data, shape \}.*got an object$/],
  ['BatchNorm1d on undefined', (c) => c.m.bn1d.forward(), T, /^batchNorm: x must be a tensor \{ data, shape \} or a WasmTensor, got undefined$/],
  ['InstanceNorm1d on an unbatched WasmTensor', (c) => c.m.in1d.forward(c.t15), T, /^InstanceNorm1d: an unbatched input must be a plain tensor \{ data, shape \}, got a WasmTensor of shape \[3, 5\]; allocate it as \[1, 3, 5\] instead$/],
  ['LayerNorm module on the wrong trailing dim', (c) => c.m.ln.forward(tensor(sample(8), [2, 4])), R, /^layerNorm: Given normalized_shape=\[5\], expected input with shape \[\*, 5\], but got input of size\[2, 4\]$/],
  ['BatchNorm1d(3) on C = 4', (c) => c.m.bn1d.forward(tensor(sample(8), [2, 4])), R, /^batchNorm: running_mean should contain 4 elements .*not 3$/],
  ['one value per channel in training', (c) => c.m.bn1d.forward(tensor(sample(3), [1, 3])), R, /^batchNorm: Expected more than 1 value per channel when training, got input size \[1, 3\]$/],
  ['one spatial element per instance', (c) => c.nl.instanceNorm(tensor(sample(6), [2, 3, 1])), R, /^instanceNorm: Expected more than 1 spatial element when training, got input size \[2, 3, 1\]$/],
  // ---- weight, bias, running stats ----
  ['layerNorm weight too long', (c) => c.nl.layerNorm(LN, 5, { weight: sample(6) }), R, /^layerNorm: Expected weight to be of same shape as normalized_shape, but got weight of shape \[6\] and normalized_shape = \[5\]$/],
  ['layerNorm bias too short', (c) => c.nl.layerNorm(LN, 5, { weight: w5, bias: sample(3) }), R, /^layerNorm: Expected bias to be of same shape as normalized_shape, but got bias of shape \[3\] and normalized_shape = \[5\]$/],
  ['layerNorm weight a string', (c) => c.nl.layerNorm(LN, 5, { weight: 'ones' }), T, /^layerNorm: weight must be a Float32Array or an array of numbers, got "ones"$/],
  ['layerNorm bias holding a string', (c) => c.nl.layerNorm(LN, 5, { bias: [0, 0, 'x', 0, 0] }), T, /^layerNorm: bias\[2\] must be a number, got "x"$/],
  ['rmsNorm weight a BigInt64Array', (c) => c.nl.rmsNorm(LN, 5, { weight: new BigInt64Array(5) }), T, /^rmsNorm: weight must be .*got a BigInt64Array of length 5$/],
  ['rmsNorm weight too short', (c) => c.nl.rmsNorm(LN, 5, { weight: sample(4) }), R, /^rmsNorm: Expected weight to be of same shape as normalized_shape, but got weight of shape \[4\] and normalized_shape = \[5\]$/],
  ['groupNorm weight of the wrong length', (c) => c.nl.groupNorm(GN, 3, { weight: sample(4) }), R, /^groupNorm: Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape \[4\] and input of shape \[2, 6, 5\]$/],
  ['groupNorm bias an object', (c) => c.nl.groupNorm(GN, 3, { bias: { 0: 1 } }), T, /^groupNorm: bias must be a Float32Array or an array of numbers, got an object$/],
  ['instanceNorm weight of the wrong length', inorm({ weight: sample(2) }), R, /^instanceNorm: weight should contain 3 elements .*not 2$/],
  ['batchNorm bias of the wrong length', bn({ bias: sample(4) }), R, /^batchNorm: bias should contain 3 elements .*not 4$/],
  ['batchNorm runningMean of the wrong length', bn({}, new Float32Array(2)), R, /^batchNorm: running_mean should contain 3 elements .*not 2$/],
  ['batchNorm runningVar of the wrong length', bn({ training: true }, zeros3(), [1, 1, 1, 1]), R, /^batchNorm: running_var should contain 3 elements .*not 4$/],
  ['batchNorm runningVar a string', bn({}, zeros3(), 'ones'), T, /^batchNorm: runningVar must be a Float32Array, an array of numbers or a WasmTensor \(updated in place\), got "ones"$/],
  ['batchNorm runningMean a BigInt64Array', bn({}, new BigInt64Array(3)), T, /^batchNorm: runningMean must be .*got a BigInt64Array of length 3$/],
  ['batchNorm runningMean an Int32Array (cannot hold the update)', bn({ training: true }, new Int32Array(3)), T, /^batchNorm: runningMean must be a Float32Array.*got a Int32Array of length 3$/],
  ['batchNorm runningMean holding undefined', bn({ training: true }, [0, undefined, 0]), T, /^batchNorm: runningMean\[1\] must be a number, got undefined$/],
  ['only runningMean given', bn({ training: true }, zeros3(), null), T, /^batchNorm: runningMean and runningVar must be given together, got runningMean a Float32Array of length 3 and runningVar null$/],
  ['eval batchNorm without running stats', bn({}, null, null), T, /^batchNorm: runningMean and runningVar are required when training is false$/],
  ['instanceNorm without input stats nor running stats', inorm({ useInputStats: false }), T, /^instanceNorm: runningMean and runningVar are required when useInputStats is false$/],
  // ---- numGroups ----
  ['numGroups not dividing C', (c) => c.nl.groupNorm(GN, 4), R, /^groupNorm: Expected number of channels in input to be divisible by num_groups, but got input of shape \[2, 6, 5\] and num_groups=4$/],
  ['numGroups 0', (c) => c.nl.groupNorm(GN, 0), R, /^groupNorm: numGroups must be a positive integer, got 0$/],
  ['numGroups negative', (c) => c.nl.groupNorm(GN, -3), R, /^groupNorm: numGroups must be a positive integer, got -3$/],
  ['numGroups fractional', (c) => c.nl.groupNorm(GN, 1.5), R, /^groupNorm: numGroups must be a positive integer, got 1\.5$/],
  ['numGroups NaN', (c) => c.nl.groupNorm(GN, NaN), R, /^groupNorm: numGroups must be a positive integer, got NaN$/],
  ['numGroups Infinity', (c) => c.nl.groupNorm(GN, Infinity), R, /^groupNorm: numGroups must be a positive integer, got Infinity$/],
  ['numGroups a string', (c) => c.nl.groupNorm(GN, '3'), T, /^groupNorm: numGroups must be a positive integer, got "3"$/],
  ['numGroups missing', (c) => c.nl.groupNorm(GN), T, /^groupNorm: numGroups must be a positive integer, got undefined$/],
  ['GroupNorm(4, 6)', (c) => new GroupNorm(4, 6, { backend: c.nl }), R, /^GroupNorm: num_channels must be divisible by num_groups, got numChannels=6 and numGroups=4$/],
  ['GroupNorm(0, 4)', (c) => new GroupNorm(0, 4, { backend: c.nl }), R, /^GroupNorm: numGroups must be a positive integer, got 0$/],
  ['GroupNorm(2, "4")', (c) => new GroupNorm(2, '4', { backend: c.nl }), T, /^GroupNorm: numChannels must be a non-negative integer, got "4"$/],
  // ---- eps and momentum ----
  ['eps negative', (c) => c.nl.layerNorm(LN, 5, { eps: -1e-5 }), R, /^layerNorm: eps must be a finite number >= 0, got -0\.00001$/],
  ['eps NaN', (c) => c.nl.groupNorm(GN, 3, { eps: NaN }), R, /^groupNorm: eps must be a finite number >= 0, got NaN$/],
  ['eps Infinity', (c) => c.nl.rmsNorm(LN, 5, { eps: Infinity }), R, /^rmsNorm: eps must be finite, got Infinity$/],
  ['eps -Infinity', inorm({ eps: -Infinity }), R, /^instanceNorm: eps must be a finite number >= 0, got -Infinity$/],
  ['eps a string', bn({ eps: '1e-5' }), T, /^batchNorm: eps must be a number, got "1e-5"$/],
  ['eps null (layerNorm has no default-by-null)', (c) => c.nl.layerNorm(LN, 5, { eps: null }), T, /^layerNorm: eps must be a number, got null$/],
  ['momentum negative', bn({ training: true, momentum: -0.1 }), R, /^batchNorm: momentum must be a number in \[0, 1\], got -0\.1$/],
  ['momentum above 1', inorm({ momentum: 1.5, runningMean: zeros3(), runningVar: ones3() }), R, /^instanceNorm: momentum must be a number in \[0, 1\], got 1\.5$/],
  ['momentum NaN', bn({ training: true, momentum: NaN }), R, /^batchNorm: momentum must be a number in \[0, 1\], got NaN$/],
  ['momentum Infinity', bn({ training: true, momentum: Infinity }), R, /^batchNorm: momentum must be a number in \[0, 1\], got Infinity$/],
  ['momentum a string', inorm({ momentum: 'slow' }), T, /^instanceNorm: momentum must be a number, got "slow"$/],
  ['BatchNorm1d eps negative', (c) => new BatchNorm1d(3, { eps: -1, backend: c.nl }), R, /^BatchNorm1d: eps must be a finite number >= 0, got -1$/],
  ['LayerNorm eps NaN', (c) => new LayerNorm(5, { eps: NaN, backend: c.nl }), R, /^LayerNorm: eps must be a finite number >= 0, got NaN$/],
  ['RMSNorm eps a string', (c) => new RMSNorm(5, { eps: '1e-6', backend: c.nl }), T, /^RMSNorm: eps must be a number, got "1e-6"$/],
  ['InstanceNorm2d momentum 2', (c) => new InstanceNorm2d(3, { momentum: 2, backend: c.nl }), R, /^InstanceNorm2d: momentum must be a number in \[0, 1\], got 2$/],
  ['InstanceNorm1d with momentum null', (c) => new InstanceNorm1d(3, { momentum: null, backend: c.nl }).forward(CH), T, /^InstanceNorm1d: instance_norm\(\): argument 'momentum' \(position 7\) must be float, not NoneType$/],
  ['BatchNorm1d(-1)', (c) => new BatchNorm1d(-1, { backend: c.nl }), R, /^BatchNorm1d: numFeatures must be a non-negative integer, got -1$/],
  ['InstanceNorm1d(2.5)', (c) => new InstanceNorm1d(2.5, { backend: c.nl }), R, /^InstanceNorm1d: numFeatures must be a non-negative integer, got 2\.5$/],
  ['LayerNorm shape a string', (c) => new LayerNorm('5', { backend: c.nl }), T, /^LayerNorm: normalizedShape must be an array of non-negative integers, got "5"$/],
  // ---- options ----
  ['unknown option', (c) => c.nl.layerNorm(LN, 5, { epsilon: 1e-3 }), T, /^layerNorm: unknown option 'epsilon'; expected one of weight, bias, eps, out, stats$/],
  ['runningMean as an option of batchNorm', bn({ runningMean: zeros3() }), T, /^batchNorm: unknown option 'runningMean'; expected one of weight, bias, training, momentum, eps, out, stats$/],
  ['bias for rmsNorm', (c) => c.nl.rmsNorm(LN, 5, { bias: b5 }), T, /^rmsNorm: unknown option 'bias'; expected one of weight, eps, out, stats$/],
  ['options a number', (c) => c.nl.groupNorm(GN, 3, 1e-5), T, /^groupNorm: options must be an object, got 0\.00001$/],
  ['options a Map', (c) => c.nl.layerNorm(LN, 5, new Map([['eps', 0.1]])), T, /^layerNorm: options must be an object, got a Map$/],
  ['an unknown option inherited', (c) => c.nl.rmsNorm(LN, 5, Object.create({ epsilon: 0.1 })), T, /^rmsNorm: unknown option 'epsilon'; expected one of weight, eps, out, stats$/],
  ['training a string', bn({ training: 'yes' }), T, /^batchNorm: training must be true or false, got "yes"$/],
  ['useInputStats 0', inorm({ useInputStats: 0 }), T, /^instanceNorm: useInputStats must be true or false, got 0$/],
  ['stats 1', (c) => c.nl.layerNorm(LN, 5, { stats: 1 }), T, /^layerNorm: stats must be true or false, got 1$/],
  ['module option of another module', (c) => new LayerNorm(5, { affine: false, backend: c.nl }), T, /^LayerNorm: unknown option 'affine'; expected one of eps, elementwiseAffine, backend$/],
  ['backend a string', () => new BatchNorm1d(3, { backend: 'wasm' }), T, /^BatchNorm1d: backend must be a normlab instance \(from loadNormlab\), got "wasm"$/],
  ['backend a plain object', () => new LayerNorm(5, { backend: {} }), T, /^LayerNorm: backend must be a normlab instance .*got an object$/],
  ['train("yes")', (c) => c.m.bn1d.train('yes'), T, /^BatchNorm1d\.train: mode must be true or false, got "yes"$/],
  // ---- out ----
  ['out Float32Array too short', (c) => c.nl.layerNorm(LN, 5, { out: new Float32Array(14) }), R, /^layerNorm: out has 14 elements but the result has 15$/],
  ['out a Float64Array', (c) => c.nl.layerNorm(LN, 5, { out: new Float64Array(15) }), T, /^layerNorm: out must be a Float32Array or a WasmTensor, got a Float64Array of length 15$/],
  ['out a plain array', (c) => c.nl.groupNorm(GN, 3, { out: [] }), T, /^groupNorm: out must be a Float32Array or a WasmTensor, got \[\]$/],
  ['out WasmTensor of the wrong size', (c) => c.nl.rmsNorm(LN, 5, { out: c.t16 }), R, /^rmsNorm: out has 16 elements but the result has 15$/],
  ['out a freed WasmTensor', (c) => c.nl.layerNorm(LN, 5, { out: freed(c, [15]) }), T, /^layerNorm: out is a WasmTensor that was freed$/],
  ['out a view of wasm memory', (c) => c.nl.layerNorm(LN, 5, { out: c.t15.data }), T, /^layerNorm: out is a view of wasm memory \(a WasmTensor's data\), which moves when memory grows; pass the WasmTensor itself$/],
  ['runningMean a view of wasm memory', (c) => c.nl.batchNorm(CH, c.t3.data, ones3(), { training: true }), T, /^batchNorm: runningMean is a view of wasm memory .*pass the WasmTensor itself$/],
  ['runningVar a view of wasm memory', (c) => c.nl.instanceNorm(CH, { runningMean: zeros3(), runningVar: c.t3.data }), T, /^instanceNorm: runningVar is a view of wasm memory/],
  ['out a WasmTensor of another instance', (c) => c.nl.layerNorm(LN, 5, { out: c.other.tensor([3, 5]) }), T, /^layerNorm: out is a WasmTensor of another normlab instance$/],
  // ---- WasmTensors ----
  ['x a freed WasmTensor', (c) => c.nl.layerNorm(freed(c, [3, 5]), 5), T, /^layerNorm: x is a WasmTensor that was freed$/],
  ['x a WasmTensor of another instance', (c) => c.nl.instanceNorm(c.other.tensor(CH.shape, CH.data)), T, /^instanceNorm: x is a WasmTensor of another normlab instance$/],
  ['weight a freed WasmTensor', (c) => c.nl.layerNorm(LN, 5, { weight: freed(c, [5]) }), T, /^layerNorm: weight is a WasmTensor that was freed$/],
  ['runningVar a WasmTensor of another instance', (c) => c.nl.batchNorm(CH, c.t3, c.other.tensor([3], [1, 1, 1]), { training: true }), T, /^batchNorm: runningVar is a WasmTensor of another normlab instance$/],
  ['tensor with a negative dim', (c) => c.nl.tensor([2, -1]), R, /^tensor: shape\[1\] must be a non-negative integer, got -1$/],
  ['tensor values of the wrong length', (c) => c.nl.tensor([2, 3], [1, 2]), R, /^tensor: values has 2 elements but shape \[2, 3\] needs 6$/],
  ['tensor values holding a string', (c) => c.nl.tensor([2], [1, 'two']), T, /^tensor: values\[1\] must be a number, got "two"$/],
  ['tensor over maxElements', (c) => c.nl.tensor([2 ** 14, 2 ** 14 + 1]), R, /^tensor: shape \[16384, 16385\] has 268451840 elements; the most one tensor may have is 268435456$/],
  ['tensor.set of the wrong length', (c) => c.t3.set([1, 2]), R, /^WasmTensor\.set: values has 2 elements, the tensor has 3$/],
  ['data of a freed tensor', (c) => freed(c, [3]).data, T, /^WasmTensor\.data: the tensor was freed$/],
];

for (const { build, nl, other } of builds) {

  describe(`${build}: ${BAD.length} bad inputs, each a clear error and then correct results`, () => {
    test('the table has no duplicate rows', () => {
      assert.equal(new Set(BAD.map((r) => r[0])).size, BAD.length);
    });
    for (const [what, call, Kind, message] of BAD) {
      test(what, () => {
        // the tensors a row uses are made before the heap is measured
        const c = { nl, other, m: modulesOf(nl), t3: nl.tensor([3]), t15: nl.tensor([3, 5]), t16: nl.tensor([16]) };
        const heapTop = nextAddress(nl);
        assert.throws(() => call(c), (err) => {
          assert.equal(err.constructor, Kind, `${what}: threw ${err.constructor.name}: ${err.message}`);
          assert.match(err.message, message);
          return true;
        });
        assert.equal(nextAddress(nl), heapTop, `${what}: the refused call left memory allocated`);
        for (const t of [c.t3, c.t15, c.t16]) t.free();
        assertHealthy(nl, what);
        assertModulesHealthy(c.m, what);
      });
    }
  });
}

// ---- zero-size dims: an empty result of the input's shape, no error (semantics §6) ----

const empty = (shape) => ({ data: new Float32Array(0), shape });
const ZERO_SIZE = [
  ['LayerNorm(5) on (0, 5)', (nl) => new LayerNorm(5, { backend: nl }).forward(empty([0, 5]))],
  ['LayerNorm(4) on (2, 0, 4)', (nl) => new LayerNorm(4, { backend: nl }).forward(empty([2, 0, 4]))],
  ['LayerNorm(0) on (3, 0)', (nl) => new LayerNorm(0, { backend: nl }).forward(empty([3, 0]))],
  ['rmsNorm on (0, 5)', (nl) => nl.rmsNorm(empty([0, 5]), 5, { weight: w5 })],
  ['InstanceNorm1d on (0, 3, 5)', (nl) => new InstanceNorm1d(3, { backend: nl }).forward(empty([0, 3, 5]))],
  ['InstanceNorm1d on (2, 3, 0)', (nl) => new InstanceNorm1d(3, { backend: nl }).forward(empty([2, 3, 0]))],
  ['InstanceNorm1d(0) on (2, 0, 5)', (nl) => new InstanceNorm1d(0, { backend: nl }).forward(empty([2, 0, 5]))],
  ['InstanceNorm2d on (2, 3, 0, 4)', (nl) => new InstanceNorm2d(3, { backend: nl }).forward(empty([2, 3, 0, 4]))],
  ['GroupNorm on (0, 3, 5)', (nl) => new GroupNorm(3, 3, { backend: nl }).forward(empty([0, 3, 5]))],
  ['GroupNorm(1, 0) on (2, 0, 3)', (nl) => new GroupNorm(1, 0, { backend: nl }).forward(empty([2, 0, 3]))],
  ['BatchNorm1d(0) on (4, 0)', (nl) => new BatchNorm1d(0, { backend: nl }).forward(empty([4, 0]))],
  ['GroupNorm on (2, 3, 0)', (nl) => new GroupNorm(1, 3, { backend: nl }).forward(empty([2, 3, 0]))],
  ['BatchNorm1d on (0, 3), train', (nl) => new BatchNorm1d(3, { backend: nl }).forward(empty([0, 3]))],
  ['BatchNorm1d on (0, 3), eval', (nl) => new BatchNorm1d(3, { backend: nl }).eval().forward(empty([0, 3]))],
  ['BatchNorm1d on (2, 3, 0), train', (nl) => new BatchNorm1d(3, { backend: nl }).forward(empty([2, 3, 0]))],
  ['batchNorm with stats on (0, 3)', (nl) => nl.batchNorm(empty([0, 3]), null, null, { training: true, stats: true })],
  ['layerNorm of an empty WasmTensor', (nl) => nl.layerNorm(nl.tensor([0, 5]), 5)],
];

for (const { build, nl } of builds) {
  describe(`${build}: zero-size dims as torch`, () => {
    for (const [what, call] of ZERO_SIZE) {
      test(what, () => {
        const y = call(nl);
        assert.equal(y.data.length, 0, `${what}: empty data`);
        assert.ok(y.data instanceof Float32Array, `${what}: data is a Float32Array`);
        assert.equal(y.shape.reduce((a, b) => a * b, 1), 0, `${what}: a zero-size shape`);
        // a skipped group has no statistics: NaN, never stale heap bytes
        for (const v of y.stats ? [...y.stats.mean, ...y.stats.var] : []) assert.ok(Number.isNaN(v), `${what}: stats ${v}`);
        assertHealthy(nl, what);
      });
    }
    test('BatchNorm1d training on (0, 3, 4) keeps running stats, counts the batch', () => {
      const m = new BatchNorm1d(3, { backend: nl });
      m.runningMean.set([0.5, -1, 2]);
      m.runningVar.set([3, 0.25, 1]);
      assert.deepEqual(m.forward(empty([0, 3, 4])).shape, [0, 3, 4]);
      assert.deepEqual([...m.runningMean], [0.5, -1, 2]);
      assert.deepEqual([...m.runningVar], [3, 0.25, 1]);
      assert.equal(m.numBatchesTracked, 1);
    });
    test('the unbatched input shape comes back for an empty unbatched input', () => {
      assert.deepEqual(new InstanceNorm1d(3, { backend: nl }).forward(empty([3, 0])).shape, [3, 0]);
    });
  });
}

// ---- too large for wasm memory: a RangeError before anything is allocated ----

for (const { build, nl } of builds) {
  const over = nl.maxElements + 1;
  const TOO_LARGE = [
    ['layerNorm', () => nl.layerNorm(empty([over]), over)],
    ['rmsNorm', () => nl.rmsNorm(empty([2, over]), over)],
    ['groupNorm', () => nl.groupNorm(empty([1, 1, over]), 1)],
    ['instanceNorm', () => nl.instanceNorm(empty([over, 1, 1]))],
    ['batchNorm', () => nl.batchNorm(empty([over, 1]), null, null, { training: true })],
    ['tensor', () => nl.tensor([over])],
    ['tensor', () => nl.tensor([2 ** 16, 2 ** 16])],
  ];
  describe(`${build}: tensors too large for wasm memory`, () => {
    test('maxElements is a quarter of the 2 GiB memory: 1 GiB of float32', () => {
      assert.equal(nl.maxElements, 2 ** 28);
    });
    for (const [op, call] of TOO_LARGE) {
      test(`${op} beyond maxElements`, () => {
        const witness = nl.tensor([4], [1, 2, 3, 5]);
        const bytes = witness.data.buffer.byteLength;
        const heapTop = nextAddress(nl);
        assert.throws(call, (err) => err instanceof RangeError &&
          new RegExp(`^${op}: .*has \\d+ elements; the most one tensor may have is ${nl.maxElements}$`).test(err.message));
        assert.equal(witness.data.buffer.byteLength, bytes, 'wasm memory did not grow');
        assert.equal(nextAddress(nl), heapTop, 'nothing was left allocated');
        assert.deepEqual([...witness.data], [1, 2, 3, 5]);
        assertHealthy(nl, `${op} too large`);
        witness.free();
      });
    }
    test('statistics too large for memory fail mid-call and give back the input copy', () => {
      // 2^28 empty rows: no data, but 2^28 pairs of float64 statistics (4 GiB)
      const heapTop = nextAddress(nl);
      assert.throws(() => nl.layerNorm(empty([2 ** 28, 0]), [0], { stats: true }),
        /^RangeError: layerNorm: the statistics needs 4294967296 bytes, more than wasm memory can hold \(at most 2147483648 bytes in all\)$/);
      assert.equal(nextAddress(nl), heapTop, 'the input copy made before the failure was freed');
      assertHealthy(nl, 'statistics too large');
    });
  });
}
