// t(): the strings of web/lab/strings.js in the user's language, and the
// page's one number formatter.
import { STRINGS } from './strings.js';

export const LANGS = ['en', 'zh'];

// { en: { key: text }, zh: { key: text } }, read off the one catalogue.
export const messages = Object.fromEntries(LANGS.map((lang) =>
  [lang, Object.fromEntries(Object.entries(STRINGS).map(([key, texts]) => [key, texts[lang]]))]));
const { en } = messages;

const trimZeros = (s) => s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

/**
 * The page's one way to show a number (tables, pictures, messages), C's and
 * Python's "%.{digits}g", which is how PyTorch prints: `digits` significant
 * digits, trailing zeros dropped, an exponent (two digits at least, as in
 * torch's `eps=1e-05`) below 1e-4 or from 10^digits on. One exception: an
 * exact integer below 1e16 is shown in full (1000000, not 1e+06), since a
 * count or a size is read as a whole number.
 * Non-finite values are spelled as PyTorch prints them, `nan`, `inf` and
 * `-inf`, rather than ∞: the page is about matching PyTorch, and what it shows
 * can be pasted back into the values box (and into Python's float()).
 * -0 is shown as 0.
 */
export function formatNumber(x, digits = 4) {
  if (typeof x !== 'number') return String(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  // The exponent after rounding to `digits` (9.9996 rounds up to 1.000e+1).
  const [mantissa, e] = x.toExponential(digits - 1).split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= digits) {
    return `${trimZeros(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return trimZeros(x.toFixed(digits - 1 - exp));
}

// Numbers inside sentences are read, not compared: three digits are enough.
const MESSAGE_DIGITS = 3;

// The library's own messages (src/checks.js, src/core.js) that reach the page
// as 'err.library' {message}, as keys of the catalogue: each pattern's groups
// fill the key's placeholders, in order. The wording is pinned against the
// real library by tests/strings.test.js.
const LIBRARY_MESSAGES = [
  [/^(\w+): (\w+) must be a finite number >= (\S+), got (.+)$/, 'err.lib.min', ['op', 'name', 'min', 'got']],
  [/^(\w+): (\w+) must be a number in \[(\S+), (\S+)\], got (.+)$/, 'err.lib.range', ['op', 'name', 'min', 'max', 'got']],
  [/^(\w+): (\w+) should contain (\d+) elements \(one per channel\) not (\d+)$/, 'err.lib.per_channel', ['op', 'name', 'want', 'got']],
  [/^(\w+): Given normalized_shape=(\[[^\]]*\]), expected input with shape (\[[^\]]*\]), but got input of size(\[[^\]]*\])$/,
    'err.lib.normalized_shape', ['op', 'normalizedShape', 'want', 'shape']],
  [/^(\w+): Expected number of channels in input to be divisible by num_groups, but got input of shape (\[[^\]]*\]) and num_groups=(\d+)$/,
    'err.lib.divisible', ['op', 'shape', 'groups']],
  [/^(\w+): Expected more than 1 (value per channel|spatial element) when training, got input size (\[[^\]]*\])$/,
    'err.lib.more_than_one', ['op', 'what', 'size']],
];

/** A library message in the user's language; one it does not know stays
 * English, after a lead-in that says so. */
export function libraryMessage(lang, message) {
  // String(error) starts "RangeError: "; the kind of error means nothing to a reader.
  const text = String(message).replace(/^(?:Type|Range)?Error: /, '');
  for (const [pattern, key, names] of LIBRARY_MESSAGES) {
    const m = pattern.exec(text);
    if (!m) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, m[i + 1]]));
    // "value per channel" / "spatial element" are words, not identifiers.
    if (params.what) params.what = t(lang, params.what === 'spatial element' ? 'err.lib.what_spatial' : 'err.lib.what_channel');
    return t(lang, key, params);
  }
  return t(lang, 'err.lib.english', { message: text });
}

export function t(lang, key, params = {}) {
  const text = messages[lang]?.[key] ?? en[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!Object.hasOwn(params, name)) return whole;
    const v = params[name];
    // 'err.library' carries the library's English message: translated here,
    // so every place that shows a LabError (page, element, link warnings)
    // shows it in the user's language.
    if (key === 'err.library' && name === 'message') return libraryMessage(lang, v);
    return typeof v === 'number' ? formatNumber(v, MESSAGE_DIGITS) : String(v);
  });
}

// The first of the user's languages that the page speaks; English otherwise.
export function detectLang(languages) {
  const list = typeof languages === 'string' ? [languages] : Array.from(languages ?? []);
  for (const tag of list) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('zh')) return 'zh';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}
