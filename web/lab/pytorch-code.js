// The PyTorch line that builds a layer, with only non-default arguments.
// layout() raises first when torch would refuse the layer on this shape.
import { layout } from './layout.js';
import { compactNumber, defaultParams, normalizeSpec } from './specs.js';

const pyValue = (v) => (v === null ? 'None' : v === true ? 'True' : v === false ? 'False' : compactNumber(v));

// [pythonName, param] in the order of the constructor's signature.
const KWARGS = {
  layer_norm: [['eps', 'eps'], ['elementwise_affine', 'affine']],
  rms_norm: [['eps', 'eps'], ['elementwise_affine', 'affine']],
  group_norm: [['eps', 'eps'], ['affine', 'affine']],
  instance_norm: [['eps', 'eps'], ['momentum', 'momentum'], ['affine', 'affine'], ['track_running_stats', 'trackRunningStats']],
  batch_norm: [['eps', 'eps'], ['momentum', 'momentum'], ['affine', 'affine'], ['track_running_stats', 'trackRunningStats']],
};

export function pytorchCode(spec, shape) {
  const { kind, params } = normalizeSpec(spec);
  const lay = layout(spec, shape);
  const defaults = defaultParams(kind);
  // num_features / num_channels as the spec gives them (pasted code), else the input's C
  const args = kind === 'layer_norm' || kind === 'rms_norm' ? [`[${lay.normalizedShape.join(', ')}]`]
    : kind === 'group_norm' ? [String(lay.G), String(params.numChannels ?? lay.C)] : [String(params.numFeatures ?? lay.C)];
  for (const [name, param] of KWARGS[kind]) {
    if (params[param] !== defaults[param]) args.push(`${name}=${pyValue(params[param])}`);
  }
  const evalMode = Object.hasOwn(params, 'training') && !params.training ? '.eval()' : '';
  return `nn.${lay.module}(${args.join(', ')})${evalMode}`;
}
