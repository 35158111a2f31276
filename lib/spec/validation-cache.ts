import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectPath } from '../project-paths.ts';

const cacheDir = projectPath('node_modules', '.cache', 'sdrs-conformance');
const inProcess = new Map<string, unknown>();

/**
 * swagger-parser's validation compiles the OpenAPI meta-schema with ajv: about a third of a run's
 * start-up. A spec whose exact bytes already validated under the same swagger-parser version is
 * served from a cache (in this process, then on disk under node_modules/.cache); anything else —
 * and every invalid spec — goes through swagger-parser. Specs with external $refs are never cached,
 * since their bytes alone do not decide the result.
 */
export async function validatedDocument(file: string, bytes: Buffer): Promise<unknown> {
  const key = createHash('sha256').update(parserVersion()).update('\0').update(bytes).digest('hex');
  const cacheFile = join(cacheDir, `spec-${key}.json`);
  const hit = inProcess.get(key) ?? readCache(cacheFile);
  if (hit) return structuredClone(hit);
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  const api = await SwaggerParser.validate(file);
  if (!hasExternalRefs(bytes)) {
    inProcess.set(key, structuredClone(api));
    writeCache(cacheFile, api);
  }
  return api;
}

function parserVersion(): string {
  const require = createRequire(projectPath('package.json'));
  return (JSON.parse(readFileSync(require.resolve('@apidevtools/swagger-parser/package.json'), 'utf8')) as { version: string }).version;
}

function hasExternalRefs(bytes: Buffer): boolean {
  const targets = [...bytes.toString('utf8').matchAll(/\$ref['"]?\s*:\s*['"]?([^'"\s,}]*)/g)].map((m) => m[1] ?? '');
  return targets.some((target) => !target.startsWith('#'));
}

function readCache(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only install or a circular document simply means no cache. */
function writeCache(path: string, api: unknown): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(path, JSON.stringify(api));
  } catch {
    // not cached; validated again next time
  }
}

/**
 * An operation table's parsed data, once its exact text validated against the exact schema text: the
 * schema's compilation (ajv) and the YAML parse are most of a run's table loading. Anything else — and
 * every invalid table — goes through `validate`, which throws on a problem.
 */
export function validatedTable(text: string, schemaText: string, validate: () => unknown): unknown {
  const key = createHash('sha256').update(schemaText).update('\0').update(text).digest('hex');
  const cacheFile = join(cacheDir, `table-${key}.json`);
  const hit = inProcess.get(key) ?? readCache(cacheFile);
  if (hit !== undefined) return structuredClone(hit);
  const data = validate();
  inProcess.set(key, structuredClone(data));
  writeCache(cacheFile, data);
  return data;
}
