// The tools of the docs-site tests, installed as a new user's project would
// have them: `npm ci` of a folder's package-lock.json (tests/docs-sites/ for
// VitePress and the Markdown libraries, tests/docs-sites/docusaurus/ for
// Docusaurus: pinned versions, kept in node_modules/ between runs and
// reinstalled only when the lockfile changes), and normlab itself from
// `npm pack` of this repository.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DIR = fileURLToPath(new URL('.', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const stamp = (dir) => join(dir, 'node_modules', '.normlab-lock-sha256');
const lockHash = (dir) => createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).digest('hex');
const installed = (dir) => existsSync(stamp(dir)) && readFileSync(stamp(dir), 'utf8') === lockHash(dir);
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// One install at a time (test files may run in parallel): a lock directory,
// taken with mkdir, which is atomic; a stale one (10 minutes) is taken over.
function withLock(dir, fn) {
  const LOCK = join(dir, '.install-lock');
  const until = Date.now() + 10 * 60_000;
  for (;;) {
    try { mkdirSync(LOCK); break; } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (Date.now() > until) { rmSync(LOCK, { recursive: true, force: true }); continue; }
      sleep(500);
    }
  }
  try { return fn(); } finally { rmSync(LOCK, { recursive: true, force: true }); }
}

/** npm ci of the pinned tools in `dir` unless its node_modules/ already holds
 * this lockfile's install. Returns the seconds it took, 0 when cached. */
export function ensureTools(dir = DIR) {
  if (installed(dir)) return 0;
  return withLock(dir, () => {
    if (installed(dir)) return 0; // another test file installed them meanwhile
    const t0 = Date.now();
    npm(['ci', '--ignore-scripts'], dir);
    writeFileSync(stamp(dir), lockHash(dir));
    return (Date.now() - t0) / 1000;
  });
}

/** `npm pack` of the repository, installed into `dir`'s node_modules with
 * `npm install --no-save` (package.json and the lockfile stay as they are).
 * Returns the tarball's file list. */
export function installNormlab(dir = DIR) {
  ensureTools(dir);
  return withLock(dir, () => {
    const out = mkdtempSync(join(tmpdir(), 'normlab-pack-'));
    try {
      const [pack] = JSON.parse(npm(['pack', '--pack-destination', out, '--json', '--ignore-scripts'], REPO));
      npm(['install', '--no-save', '--ignore-scripts', join(out, pack.filename)], dir);
      return pack.files.map((f) => f.path);
    } finally { rmSync(out, { recursive: true, force: true }); }
  });
}
