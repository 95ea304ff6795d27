// Installs for the tests that use normlab as a new user's project does, shared
// by tests/packaging/ (the bundlers, the consumer projects) and
// tests/docs-sites/ (the site generators and Markdown libraries):
// - `npm ci` of a folder's package-lock.json (pinned versions), kept in its
//   node_modules/ and run again only when the lockfile changes;
// - the repository's `npm pack` tarball, packed once per content of the files
//   npm would pack, so the test files of one run (each its own process) share it.
// One process at a time installs or packs (node --test may run test files in
// parallel). Synchronous: a test waits for its tools anyway.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
/** What these installs make and keep between runs: tarballs, locks, consumer projects (ignored by git). */
export const WORK = join(REPO, 'tests', 'packaging', '.work');

export const sha256 = (...parts) => parts.reduce((h, p) => h.update(p).update('\0'), createHash('sha256')).digest('hex');
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** npm with args in cwd; returns stdout. A failure quotes the end of npm's output. */
export function npm(args, cwd = REPO, timeout = 600_000) {
  try {
    return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'],
      { cwd, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const out = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`\`npm ${args.join(' ')}\` failed (${e.signal ?? `exit ${e.status}`}) in ${relative(REPO, cwd) || '.'}:\n${out}`);
  }
}

/** Whether a process is still there: a lock whose owner has gone (a stopped run) is stale. */
export const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };

/** fn() while holding the lock `name` (a directory, made atomically by mkdir, holding its owner's pid). */
export function withLock(name, fn) {
  const lock = join(WORK, 'locks', name);
  mkdirSync(join(WORK, 'locks'), { recursive: true });
  for (const deadline = Date.now() + 15 * 60_000; ;) {
    try { mkdirSync(lock); writeFileSync(join(lock, 'pid'), String(process.pid)); break; } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being made or removed */ }
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (owner ? !alive(owner) : age > 60_000) { rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`${lock} is still held by pid ${owner} after 15 min`);
      sleep(500);
    }
  }
  try { return fn(); } finally { rmSync(lock, { recursive: true, force: true }); }
}

/** One lock per folder whose node_modules/ an install changes. */
const dirLock = (dir) => `install-${sha256(relative(REPO, dir)).slice(0, 12)}`;

/**
 * `npm ci` in dir unless its node_modules/ already holds this lockfile's
 * install. ignoreScripts: no install scripts (tools that need none).
 * Returns the seconds it took, 0 when cached.
 */
export function npmCi(dir, { ignoreScripts = false } = {}) {
  const stamp = join(dir, 'node_modules', '.normlab-lock-sha256');
  const want = () => createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).digest('hex');
  const installed = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === want();
  if (installed()) return 0;
  return withLock(dirLock(dir), () => {
    if (installed()) return 0; // another test file installed it meanwhile
    const t0 = Date.now();
    npm(['ci', ...(ignoreScripts ? ['--ignore-scripts'] : [])], dir);
    writeFileSync(stamp, want());
    return (Date.now() - t0) / 1000;
  });
}

/** The tarball `npm pack` makes of the work tree: { tgz, files, key } (files:
 * the packed paths; key: a hash of their names and contents). */
export function packNormlab() {
  const [{ filename, files }] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts']));
  const paths = files.map((f) => f.path).sort();
  const key = sha256(...paths.flatMap((p) => [p, readFileSync(join(REPO, p))])).slice(0, 16);
  const dir = join(WORK, 'pack', key);
  const tgz = join(dir, filename);
  if (!existsSync(tgz)) {
    withLock('pack', () => {
      if (existsSync(tgz)) return;
      rmSync(join(WORK, 'pack'), { recursive: true, force: true }); // older contents
      const tmp = join(WORK, `pack-${process.pid}`);
      mkdirSync(tmp, { recursive: true });
      npm(['pack', '--pack-destination', tmp, '--ignore-scripts']);
      mkdirSync(join(WORK, 'pack'), { recursive: true });
      renameSync(tmp, dir);
    });
  }
  return { tgz, files: paths, key };
}

/** The tarball installed into dir's node_modules/ (save: also written into
 * its package.json, as a user's `npm install` does). Returns the packed paths. */
export function installNormlab(dir, { save = false } = {}) {
  const { tgz, files } = packNormlab();
  withLock(dirLock(dir), () => npm(['install', ...(save ? [] : ['--no-save']), '--ignore-scripts', tgz], dir, 120_000));
  return files;
}
