// The README's example runs as shown and prints what the README says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

test('the README example prints the output the README shows', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The library'));
  const code = section.match(/```js\n([\s\S]*?)```/)[1];
  const expected = section.match(/```text\n([\s\S]*?)```/)[1];
  // Inside the repository, so that `import ... from 'normlab'` resolves to this package.
  const dir = join(root, 'tests/artifacts');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'readme-example.mjs');
  writeFileSync(file, code);
  assert.equal(execFileSync(process.execPath, [file], { encoding: 'utf8' }), expected);
});
