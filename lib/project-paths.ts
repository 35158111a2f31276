import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder. This file sits one level below it — and so does the bundle the build
 * writes (dist/sdrs-conformance.js), so the same expression holds in both: every data file (spec/,
 * server/default-seed.json, package.json) is found through here, never relative to a module.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
