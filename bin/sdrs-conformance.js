#!/usr/bin/env node
// Node 20 cannot run TypeScript on its own; tsx's loader compiles lib/ on import.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
