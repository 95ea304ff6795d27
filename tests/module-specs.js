// A module record of tests/fixtures/pytorch.json (class, args, options) as
// the page's layer spec, for tests/reference64.test.js and
// tests/running-stats.test.js.

/** A fixture module (class, args, options) as the lab's spec. */
export function specOfModule({ cls, args, options }) {
  const d = Number(cls.match(/(\d)d$/)?.[1] ?? 0);
  const params = { eps: options.eps, affine: options.elementwiseAffine ?? options.affine, momentum: options.momentum,
    trackRunningStats: options.trackRunningStats };
  if (cls === 'LayerNorm' || cls === 'RMSNorm') {
    return { kind: cls === 'LayerNorm' ? 'layer_norm' : 'rms_norm', params: { ...params, normalizedShape: [args[0]].flat() } };
  }
  if (cls === 'GroupNorm') return { kind: 'group_norm', params: { ...params, numGroups: args[0] } };
  return { kind: cls.startsWith('Instance') ? 'instance_norm' : 'batch_norm', params: { ...params, dim: d } };
}
