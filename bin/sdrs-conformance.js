#!/usr/bin/env node
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
/** The folders esbuild bundles from (cli/main.ts and what it imports). */
const SOURCES = ['cli', 'lib', 'server', 'reporters'];

/**
 * `npm ci` builds dist/ (the prepare script; split into chunks so that vitest and Allure's generator
 * load only for the commands that use them). The CLI runs that build and nothing else: a build older
 * than any source would run code that is no longer in the tree, so it is refused, never used — and
 * the sources are not compiled on the fly instead (that is `npm run dev`). A few hundred stats.
 */
function buildIsFresh() {
  let built;
  try {
    statSync(join(dist, 'sdrs-conformance.js'));
    // The oldest file of the build: a chunk left from an earlier build must not pass for fresh.
    built = Math.min(...readdirSync(dist).map((name) => statSync(join(dist, name)).mtimeMs));
  } catch {
    return false;
  }
  // A file removed while this walks is no newer source; a folder that is not there holds none.
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newer(path) : entry.name.endsWith('.ts') && (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) > built;
    });
  return !SOURCES.map((dir) => join(root, dir)).some((dir) => existsSync(dir) && newer(dir));
}

// An installed copy (npm install, npx) runs the build `npm pack` made (its prepare script), and npm
// stamps every file with the time it unpacked it, sources and build alike: the check is for a checkout.
const installed = root.split(sep).includes('node_modules');
if (!installed && !buildIsFresh()) {
  process.stderr.write('sdrs-conformance: the build in dist/ is missing or older than the sources — run `npm run build` (npm ci runs it)\n');
  process.exit(2);
}
const { runAsProcess } = await import(join(dist, 'sdrs-conformance.js'));
await runAsProcess(process.argv.slice(2));
