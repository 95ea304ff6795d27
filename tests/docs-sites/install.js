// The tools of the docs-site tests, installed as a new user's project would
// have them (tests/install.js): `npm ci` of a folder's package-lock.json
// (tests/docs-sites/ for VitePress and the Markdown libraries,
// tests/docs-sites/docusaurus/ for Docusaurus), and normlab itself from
// `npm pack` of this repository.
import { fileURLToPath } from 'node:url';
import { installNormlab as install, npmCi } from '../install.js';

export const DIR = fileURLToPath(new URL('.', import.meta.url));

/** The pinned tools in `dir`; returns the seconds `npm ci` took, 0 when cached. */
export const ensureTools = (dir = DIR) => npmCi(dir, { ignoreScripts: true });

/** normlab's tarball installed into `dir` with `npm install --no-save` (package.json
 * and the lockfile stay as they are), after its tools. Returns the tarball's file list. */
export function installNormlab(dir = DIR) {
  ensureTools(dir);
  return install(dir);
}
