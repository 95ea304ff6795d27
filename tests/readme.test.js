// The README and the design documents say true things: the README's example
// prints what it shows, every relative link and every repository file they
// name exists, the counts and speed figures they quote match their sources,
// and no tracked file holds an absolute machine path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const read = (file) => readFileSync(join(root, file), 'utf8');
const readme = read('README.md');

/** The Markdown files these tests hold to their word. */
const DOCS = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  'web/lab/README.md', 'tests/packaging/README.md'];

/** A section of the README: from its heading to the next heading of the same level. */
function section(heading) {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has "${heading}"`);
  const level = heading.match(/^#+/)[0];
  const end = readme.slice(start + heading.length + 2).search(new RegExp(`^${level} `, 'm'));
  return end < 0 ? readme.slice(start) : readme.slice(start, start + heading.length + 2 + end);
}

/** Markdown without its fenced code blocks (their text is code, not links or claims). */
const prose = (md) => md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');

/** GitHub's anchor for a heading. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
const anchors = (md) => new Set([...prose(md).matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1].replace(/`/g, ''))));

/** Run a section's first ```js block after `after` (default: its start) inside the repository (so `import ... from 'normlab'` resolves to this
 * package) and check that it prints the section's ```text block. */
function checkExample(heading, name, after = '') {
  const all = section(heading);
  const text = all.slice(all.indexOf(after));
  const code = text.match(/```js\n([\s\S]*?)```/)[1];
  const expected = text.match(/```text\n([\s\S]*?)```/)[1];
  const dir = join(root, 'tests/artifacts');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, code);
  assert.equal(execFileSync(process.execPath, [file], { encoding: 'utf8' }), expected);
}

test('the README example prints the output the README shows', () => {
  checkExample('## The library', 'readme-example');
});

test("the README's backward example prints what it shows", () => {
  checkExample('### Gradients: the backward ops', 'readme-backward', 'and `zeroGrad()`:');
});

test('the README reads in order: what it is, the commands, the answer, the API, start here, accuracy, speed, layout', () => {
  const order = ['## Two commands', '## The answer', '## The library', '## Start here, and where a change goes',
    '## Accuracy', '## Speed', '## Layout'];
  const at = order.map((h) => readme.indexOf(`\n${h}\n`));
  assert.ok(at.every((i) => i > 0), `missing: ${order.filter((h, k) => at[k] < 0)}`);
  assert.deepEqual([...at].sort((a, b) => a - b), at, 'sections in reading order');
});

test('every relative link in the docs leads to a file, and its #anchor to a heading there', () => {
  const broken = [];
  for (const doc of DOCS) {
    for (const [, target] of prose(read(doc)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue; // http(s), mailto
      const [path, anchor] = target.split('#');
      const file = path ? join(dirname(join(root, doc)), path) : join(root, doc);
      if (!existsSync(file)) { broken.push(`${doc}: ${target} (no such file)`); continue; }
      if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${doc}: ${target} (no such heading in ${relative(root, file)})`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('every repository file or folder the docs name in `code` exists', () => {
  const TOP = /^(src|web|tests|bench|scripts|wasm|dist|plugins|docs)\/[\w./-]*$|^build\.sh$/;
  const missing = [];
  for (const doc of ['README.md', ...DOCS.filter((d) => d.startsWith('docs/'))]) {
    for (const [, name] of prose(read(doc)).matchAll(/`([^`\s]+)`/g)) {
      if (TOP.test(name) && !existsSync(join(root, name))) missing.push(`${doc}: ${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('the counts the docs quote match the fixtures they count', () => {
  const snippets = JSON.parse(read('tests/fixtures/snippets.json')).snippets.length;
  const pageStates = JSON.parse(read('tests/fixtures/page-snippets.json')).cases.length;
  for (const doc of ['README.md', 'docs/testing.md']) {
    const text = read(doc);
    for (const [, n] of text.matchAll(/(\d+) snippets/g)) assert.equal(Number(n), snippets, `${doc}: "${n} snippets"`);
    for (const [, n] of text.matchAll(/(\d+) page\s+states/g)) assert.equal(Number(n), pageStates, `${doc}: "${n} page states"`);
  }
  assert.match(readme, new RegExp(`${snippets} snippets`));
});

test("the README's speed summary quotes bench/results.md figure for figure", () => {
  const results = read('bench/results.md').split('\n');
  const rows = section('## Speed').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| shape'));
  assert.ok(rows.length >= 10, `${rows.length} rows in the speed summary`);
  for (const row of rows) {
    const [shape, ...figures] = row.split('|').slice(1, -1).map((c) => c.trim());
    const source = results.filter((l) => l.startsWith(`| ${shape} |`)).join('\n');
    assert.ok(source, `bench/results.md has ${shape}`);
    for (const figure of figures.filter(Boolean)) {
      assert.ok(source.includes(`${figure} `) || source.includes(`${figure} |`), `${shape}: ${figure} is not in bench/results.md`);
    }
  }
  const run = read('bench/results.md').match(/(\d{4}-\d\d-\d\d \d\d:\d\d UTC)/)[1];
  assert.ok(section('## Speed').includes(run), `the speed summary names the run of ${run}`);
});

test('no tracked file holds an absolute machine path', () => {
  let hits = '';
  try {
    hits = execFileSync('git', ['grep', '-n', '-I', '-E', '(^|[^\\w.])/(work|home|root|Users)/',
      '--', '.', ':!*package-lock.json', ':!tests/readme.test.js'], { cwd: root, encoding: 'utf8' });
  } catch (e) {
    if (e.status !== 1) throw e; // 1: nothing found
  }
  assert.equal(hits, '');
});
