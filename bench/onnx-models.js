// Single-node ONNX models for the benchmark, encoded by hand (a few protobuf
// fields suffice, so no onnx/protobuf dependency).  Each builder returns the
// model bytes for ort.InferenceSession.create(); the input is "X", the output
// "Y", and the affine parameters are baked-in float32 initializers.
//
//   node bench/onnx-models.js <dir>   writes the benchmark's models as .onnx files

// ---- minimal protobuf writer (proto3 wire format) ----

function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value)); // negative int64: ten bytes
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

const key = (field, wireType) => varint((field << 3) | wireType);
const int = (field, value) => [...key(field, 0), ...varint(value)];
const bytes = (field, data) => [...key(field, 2), ...varint(data.length), ...data];
const str = (field, s) => bytes(field, [...new TextEncoder().encode(s)]);
const msg = bytes; // an embedded message is length-delimited bytes

function float32(field, value) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, value, true);
  return [...key(field, 5), ...b];
}

// ---- ONNX messages (field numbers from onnx/onnx.proto) ----

const FLOAT = 1; // TensorProto.DataType and TypeProto elem_type

// value: { f: number } (FLOAT) or { i: number } (INT).
function attribute(name, value) {
  return 'i' in value
    ? [...str(1, name), ...int(20, 2), ...int(3, value.i)]
    : [...str(1, name), ...int(20, 1), ...float32(2, value.f)];
}

function initializer(name, data) {
  return [...int(1, data.length), ...int(2, FLOAT), ...str(8, name),
    ...bytes(9, [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)])];
}

function valueInfo(name, shape) {
  const dims = shape.flatMap((d) => msg(1, int(1, d))); // Dimension.dim_value
  const tensorType = [...int(1, FLOAT), ...msg(2, dims)];
  return [...str(1, name), ...msg(2, msg(1, tensorType))];
}

/** A model with one node `opType` reading X and the named initializers. */
export function singleNodeModel({ opType, opset, shape, params = {}, attrs = {} }) {
  const paramNames = Object.keys(params);
  const node = [
    ...str(1, 'X'), ...paramNames.flatMap((n) => str(1, n)), ...str(2, 'Y'),
    ...str(3, opType), ...str(4, opType),
    ...Object.entries(attrs).flatMap(([n, v]) => msg(5, attribute(n, v))),
  ];
  const graph = [
    ...msg(1, node), ...str(2, `${opType}_graph`),
    ...paramNames.flatMap((n) => msg(5, initializer(n, params[n]))),
    ...msg(11, valueInfo('X', shape)), ...msg(12, valueInfo('Y', shape)),
  ];
  const irVersion = opset >= 23 ? 11 : 10;
  const model = [
    ...int(1, irVersion), ...str(2, 'normlab-bench'),
    ...msg(7, graph), ...msg(8, [...str(1, ''), ...int(2, opset)]),
  ];
  return Uint8Array.from(model);
}

// ---- the four normalizations (attribute order follows the ONNX spec) ----

/** LayerNormalization (opset 17) over the last axis. */
export const layerNormModel = (shape, weight, bias, eps) => singleNodeModel({
  opType: 'LayerNormalization', opset: 17, shape,
  params: { Scale: weight, B: bias }, attrs: { axis: { i: -1 }, epsilon: { f: eps } },
});

/** InstanceNormalization-6 on (N, C, ...): its latest version, so a model
 * importing opset 17 uses it (ORT warns about models stamped opset < 7). */
export const instanceNormModel = (shape, weight, bias, eps) => singleNodeModel({
  opType: 'InstanceNormalization', opset: 17, shape,
  params: { scale: weight, B: bias }, attrs: { epsilon: { f: eps } },
});

/** GroupNormalization (opset 21: per-channel scale and bias). */
export const groupNormModel = (shape, numGroups, weight, bias, eps) => singleNodeModel({
  opType: 'GroupNormalization', opset: 21, shape,
  params: { scale: weight, bias }, attrs: { epsilon: { f: eps }, num_groups: { i: numGroups } },
});

/** RMSNormalization (opset 23) over the last axis. */
export const rmsNormModel = (shape, weight, eps) => singleNodeModel({
  opType: 'RMSNormalization', opset: 23, shape,
  params: { scale: weight }, attrs: { axis: { i: -1 }, epsilon: { f: eps } },
});

// Written as files only on request; the bench builds the bytes in memory.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const dir = process.argv[2] ?? 'bench/models';
  mkdirSync(dir, { recursive: true });
  const ones = (n) => new Float32Array(n).fill(1);
  const zeros = (n) => new Float32Array(n);
  const models = {
    'layernorm-8x768': layerNormModel([8, 768], ones(768), zeros(768), 1e-5),
    'instancenorm-1x64x128x128': instanceNormModel([1, 64, 128, 128], ones(64), zeros(64), 1e-5),
    'groupnorm-8x256x32x32-g32': groupNormModel([8, 256, 32, 32], 32, ones(256), zeros(256), 1e-5),
    'rmsnorm-4096x768': rmsNormModel([4096, 768], ones(768), 1e-5),
  };
  for (const [name, bytes] of Object.entries(models)) writeFileSync(`${dir}/${name}.onnx`, bytes);
  console.log(`wrote ${Object.keys(models).length} models to ${dir}`);
}
