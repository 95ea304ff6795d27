// The lab logic of the normlab page: everything the page needs, no DOM.
export { LabError, isLabError, torchError, torchText } from './errors.js';
export { MAX_ELEMENTS, MAX_RANK, parseShape, parseValues, formatShape, formatShapeTorch, product } from './parse.js';
export { VALUE_KINDS, MAX_SEED, mulberry32, makeValues, parseSeed } from './rng.js';
export * from './layers.js';
export { SAME_TOLERANCE, compare } from './compare.js';
export { MAX_LAYERS, MIN_LAYERS, defaultState, encodeState, decodeState, warningText, layersText, isBadLayer, badLayer } from './state.js';
export { toJSON, toCSV, float32Text } from './export.js';
export { LANGS, messages, t, detectLang, formatNumber } from './i18n.js';
export { checkConstruction } from './layout.js';
export { MAX_CODE_CHARS, MAX_CODE_LINES, readTorchCode, forwardError } from './torch-code.js';
