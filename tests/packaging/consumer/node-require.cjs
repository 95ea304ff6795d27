// Node, CommonJS: require('normlab') and run the app's check; prints JSON.
const { loadNormlab } = require('normlab');

import('./check.js')
  .then(({ checkLayerNorm }) => checkLayerNorm(loadNormlab))
  .then((result) => console.log(JSON.stringify(result)));
