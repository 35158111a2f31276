#!/usr/bin/env node
// Node 20 cannot run TypeScript on its own; tsx's loader compiles lib/ on import.
import { register } from 'tsx/esm/api';

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

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
