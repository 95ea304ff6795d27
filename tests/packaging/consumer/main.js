// A consumer app as a new user writes it: the library and the element from
// npm, no normlab-specific configuration. The test reads window.normlabResult.
import { loadNormlab } from 'normlab';
import 'normlab/element';
import { checkLayerNorm } from './check.js';

const out = document.getElementById('result');
checkLayerNorm(loadNormlab).then(
  (result) => {
    window.normlabResult = result;
    out.textContent = result.runs.map((r) => `simd=${r.simd}: max error ${r.maxErr.toExponential(2)}`).join('; ');
  },
  (error) => {
    window.normlabResult = { error: String(error?.stack ?? error) };
    out.textContent = `normlab failed: ${error}`;
  },
);
