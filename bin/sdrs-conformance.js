#!/usr/bin/env node
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A promise nobody awaited is a bug in this tool: fail loudly, never exit 0 over it.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`RUN_FAILED: internal error (unhandled rejection): ${reason instanceof Error ? reason.message : String(reason)}\n`);
  process.exit(70);
});
// `sdrs-conformance … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const root = fileURLToPath(new URL('../', import.meta.url));
const bundle = join(root, 'dist', 'sdrs-conformance.js');

/**
 * `npm ci` builds dist/ (the prepare script; split into chunks so that vitest and Allure's generator
 * load only for the commands that use them): the bundle starts in about half the time of
 * compiling lib/ on the fly. It is used only while it is newer than every source file, so an edit
 * is never shadowed by a stale build; otherwise tsx compiles the sources (Node 20 cannot run .ts).
 */
function bundleIsFresh() {
  let built;
  try {
    statSync(bundle);
    // The oldest file of the build: a chunk left from an earlier build must not pass for fresh.
    built = Math.min(...readdirSync(join(root, 'dist')).map((name) => statSync(join(root, 'dist', name)).mtimeMs));
  } catch {
    return false;
  }
  const newer = (dir) => readdirSync(dir, { withFileTypes: true }).some((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? newer(path) : entry.name.endsWith('.ts') && statSync(path).mtimeMs > built;
  });
  return !['cli', 'lib', 'server', 'reporters'].some((dir) => newer(join(root, dir)));
}

let main;
if (process.env.SDRS_CONFORMANCE_FROM_SOURCE !== '1' && bundleIsFresh()) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
