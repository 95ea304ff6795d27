// The ```normlab fence: its text holds <normlab-compare>'s attributes, so the
// same Markdown reads as code on GitHub and becomes the live element on a docs
// site. Shared by the markdown-it and remark plugins (and mirrored by the
// MkDocs formatter in README.md, "Docs sites").
//
//   ```normlab                      ```normlab
//   shape: 2,3,4                    {"shape": [2, 3, 4], "layers": "layer_norm,instance_norm"}
//   layers: layer_norm,rms_norm     ```
//   ```
//
// key: value lines (blank lines and # comments skipped; an indented line
// continues the value above it), or one JSON object. The plugins check the
// keys and the JSON only; the element checks the values and shows its own
// message for a bad one, in the reader's language.

/** The fence's info word. */
export const FENCE = 'normlab';

/** The attributes a fence may set, in the element's order (web/normlab-compare.d.ts). */
export const ATTRIBUTES = ['shape', 'layers', 'seed', 'values', 'lang', 'pie-data', 'pie-title', 'view', 'page-url',
  'dataset', 'noise', 'hidden', 'activation', 'norms', 'groups', 'batch-size', 'optimizer', 'lr', 'steps', 'bn-stats'];

/** Is this fence info string (```normlab, ```normlab {…}) ours? */
export const isNormlabFence = (info) => String(info ?? '').trim().split(/\s+/)[0] === FENCE;

class FenceError extends Error {}
const fail = (message) => { throw new FenceError(message); };

function checkKey(key, where) {
  if (!ATTRIBUTES.includes(key)) fail(`${where}unknown key "${key}"; the keys are ${ATTRIBUTES.join(', ')}`);
}

// A JSON value as the attribute's text: numbers as written, arrays and objects
// (a shape [2, 3, 4], pie-data {...}, nested values) as JSON.
function jsonAttribute(key, value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (key === 'shape' && Array.isArray(value)) return value.join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return fail(`"${key}" is null; give a string or a number`);
}

function parseJson(text) {
  let object;
  try { object = JSON.parse(text); } catch (e) { fail(`the text is not JSON (${e.message})`); }
  if (object === null || typeof object !== 'object' || Array.isArray(object)) fail('the JSON is not an object of attributes, such as {"shape": "2,3,4"}');
  return Object.entries(object).map(([key, value]) => { checkKey(key, ''); return [key, jsonAttribute(key, value)]; });
}

function parseLines(text) {
  const attributes = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const where = `line ${i + 1}: `;
    if (!line.trim() || line.trim().startsWith('#')) return;
    if (/^\s/.test(line)) { // continues the value above
      if (!attributes.length) fail(`${where}an indented line continues a value, but no "key: value" line comes before it`);
      attributes.at(-1)[1] += '\n' + line.trim();
      return;
    }
    const colon = line.indexOf(':');
    if (colon < 0) fail(`${where}"${line.trim().slice(0, 60)}" is not "key: value"`);
    const key = line.slice(0, colon).trim();
    checkKey(key, where);
    if (attributes.some(([k]) => k === key)) fail(`${where}"${key}" is given twice`);
    attributes.push([key, line.slice(colon + 1).trim()]);
  });
  return attributes;
}

/** The fence's text as [name, value] attribute pairs, or { error } naming
 * what is wrong (an unknown key, bad JSON, a line that is not key: value). */
export function parseFence(text) {
  const source = String(text ?? '');
  try {
    return { attributes: source.trim().startsWith('{') ? parseJson(source.trim()) : parseLines(source) };
  } catch (e) {
    if (e instanceof FenceError) return { error: `normlab fence: ${e.message}` };
    throw e;
  }
}

// &, <, >, quotes, and { } (so that a Vue template, VitePress's, never reads {{ }} in it).
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '{': '&#123;', '}': '&#125;' };
/** Text made safe for HTML text and attribute values. */
export const escapeHtml = (text) => String(text).replace(/[&<>"'{}]/g, (c) => ENTITIES[c]);

/** The element for a fence's text, as HTML, or the error message and the
 * fence's text, escaped, where the element would be. */
export function fenceHtml(text) {
  const { attributes, error } = parseFence(text);
  if (error) {
    return `<div class="normlab-fence-error"><p><strong>${escapeHtml(error)}</strong></p><pre><code>${escapeHtml(text)}</code></pre></div>\n`;
  }
  return `<normlab-compare${attributes.map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('')}></normlab-compare>\n`;
}
