import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { ConformanceError } from '../lib/errors.ts';
import { closestName } from './did-you-mean.ts';
import type { FlagTable, FlagValues } from './parse-flags.ts';

/** Found in the working directory when no `--config` is given. */
export const CONFIG_FILE_NAME = 'sdrs-conformance.config.yaml';

/** Flags that make no sense in a file: they steer this invocation, not the run. */
const NOT_IN_FILE = new Set(['help', 'version', 'config']);

/**
 * `--config FILE` (YAML or JSON — JSON is YAML), or `sdrs-conformance.config.yaml` in the working
 * directory: keys are the long flag names (`endpoint`, `project-id`, `allow-delete: true`,
 * `failure-job-id: [a, b]`), and `${VAR}` in a value is read from the environment, so a secret need
 * not sit in the file. Precedence: flags > environment > file (`withConfigFile`).
 */
export function readConfigFile(
  given: string | undefined,
  table: FlagTable,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): { path: string; values: Record<string, string | boolean | string[]> } | undefined {
  const path = given ?? (existsSync(resolve(cwd, CONFIG_FILE_NAME)) ? CONFIG_FILE_NAME : undefined);
  if (path === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = yaml.load(readFileSync(resolve(cwd, path), 'utf8'));
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new ConformanceError('CFG_INVALID', `config ${path}: ${reason}`);
  }
  if (parsed === undefined || parsed === null) return { path, values: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConformanceError(
      'CFG_INVALID',
      `config ${path}: expected a mapping of flag names to values (endpoint: https://…), got ${Array.isArray(parsed) ? 'a list' : typeof parsed}`,
    );
  const values: Record<string, string | boolean | string[]> = {};
  for (const [key, raw] of Object.entries(parsed)) {
    const spec = table[key];
    if (!spec || NOT_IN_FILE.has(key)) {
      const near = closestName(
        key,
        Object.keys(table).filter((k) => !NOT_IN_FILE.has(k)),
      );
      throw new ConformanceError(
        'CFG_USAGE',
        `config ${path}: unknown key "${key}"${near ? ` — did you mean "${near}"?` : ''}; keys are the long flag names of sdrs-conformance run --help`,
      );
    }
    values[key] = flagValue(raw, spec, `config ${path}: ${key}`, env);
  }
  return { path, values };
}

/** Fills what neither a flag nor the flag's environment variable gave: flags > environment > file. */
export function withConfigFile<T extends FlagTable>(
  flags: FlagValues<T>,
  table: T,
  file: Record<string, string | boolean | string[]>,
  env: NodeJS.ProcessEnv,
): FlagValues<T> {
  const merged: Record<string, unknown> = { ...flags };
  for (const [key, value] of Object.entries(file)) {
    const fromEnv = (table[key] as { env?: string }).env;
    if (merged[key] === undefined && !(fromEnv && env[fromEnv])) merged[key] = value;
  }
  return merged as FlagValues<T>;
}

function flagValue(raw: unknown, spec: FlagTable[string], where: string, env: NodeJS.ProcessEnv): string | boolean | string[] {
  if (spec.type === 'boolean') {
    if (typeof raw !== 'boolean') throw new ConformanceError('CFG_INVALID', `${where}: expected true or false, got ${JSON.stringify(raw)}`);
    return raw;
  }
  const scalar = (item: unknown): string => {
    if (typeof item === 'string') return expandVariables(item, where, env);
    if (typeof item === 'number') return String(item);
    throw new ConformanceError('CFG_INVALID', `${where}: expected a text or a number, got ${JSON.stringify(item)}`);
  };
  if (spec.multiple) return (Array.isArray(raw) ? raw : [raw]).map(scalar);
  return scalar(raw);
}

/** `${VAR}` → the environment's value; an unset variable is an error, never an empty credential. */
function expandVariables(text: string, where: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') throw new ConformanceError('CFG_INVALID', `${where}: \${${name}} is not set in the environment`);
    return value;
  });
}
