// Rollup's plain configuration for an app with npm dependencies, as its
// quick start writes it: one output.file, node-resolve with its defaults.
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'main.js',
  output: { file: 'dist/main.js', format: 'es' },
  plugins: [nodeResolve()],
};
