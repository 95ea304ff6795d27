// Test-only: served in place of /src/train/race.js by tests/browser/train.test.js
// while the library has no backward kernels yet (nl.layerNormBackward and the
// others, issue 15). It is the real engine (src/train/race.js, loaded under
// another URL) on tests/train-backend.js's backend: normlab's forward ops and
// the float64 reference's backward. Delete it, and its route in
// train.test.js, once those kernels land.
import * as engine from '/src/train/race.js?engine';
import { trainingBackend } from '/tests/train-backend.js';

export const { RACE_DEFAULTS, NORM_CHOICES, INSTANCE_NORM_REASON, checkRaceSettings, runSliced } = engine;
export class Race extends engine.Race { constructor(nl, settings) { super(trainingBackend(nl), settings); } }
export class Sweep extends engine.Sweep { constructor(nl, settings, options) { super(trainingBackend(nl), settings, options); } }
