// t(): the strings of web/lab/strings.js in the user's language.
import { STRINGS } from './strings.js';

export const LANGS = ['en', 'zh'];

// { en: { key: text }, zh: { key: text } }, read off the one catalogue.
export const messages = Object.fromEntries(LANGS.map((lang) =>
  [lang, Object.fromEntries(Object.entries(STRINGS).map(([key, texts]) => [key, texts[lang]]))]));
const { en } = messages;

// A short display form: 3.6e-7, 1.28, 4096.
export function formatNumber(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x === 0 || (Number.isInteger(x) && Math.abs(x) < 1e6)) return String(x);
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(1).replace('.0e', 'e').replace('+', '');
  return String(Number(x.toPrecision(3)));
}

export function t(lang, key, params = {}) {
  const text = messages[lang]?.[key] ?? en[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!Object.hasOwn(params, name)) return whole;
    const v = params[name];
    return typeof v === 'number' ? formatNumber(v) : String(v);
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
