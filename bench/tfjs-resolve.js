// A module resolve hook for bench/tfjs.js: tfjs-core ships its gradients only as ES modules
// (dist/register_all_gradients.js and dist/gradients/) that import their siblings without the
// '.js' Node requires; this adds it.
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && !specifier.endsWith('.js') && context.parentURL?.includes('/@tensorflow/tfjs-core/')) {
    return next(`${specifier}.js`, context);
  }
  return next(specifier, context);
}
