import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/sdrs-conformance/', import.meta.url));

/**
 * Where lib/spec/validation-cache.ts keeps the validated form of a spec with these bytes (same key:
 * swagger-parser's version and the bytes). The benchmark uses it to make one spec cold again, or to
 * clean up after its synthetic specs, without touching what other runs cached.
 */
function specCacheFile(specFile: string): string {
  const require = createRequire(import.meta.url);
  const version = (JSON.parse(readFileSync(require.resolve('@apidevtools/swagger-parser/package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(version).update('\0').update(readFileSync(specFile)).digest('hex');
  return `${CACHE_DIR}spec-${key}.json`;
}

export function forgetValidatedSpec(specFile: string): void {
  rmSync(specCacheFile(specFile), { force: true });
}
