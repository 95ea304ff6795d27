// Rollup's plain configuration for an app with npm dependencies: node-resolve
// with its defaults.
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve()],
};
