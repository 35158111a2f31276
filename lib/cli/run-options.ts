import { parseArgs } from 'node:util';
import { ConformanceError } from '../errors.ts';

export const DEFAULT_SPEC = new URL('../../spec/sdrs-failure-jobs.openapi.yaml', import.meta.url).pathname;
export const DEFAULT_EXPECTATIONS = new URL('../../spec/expectations.yaml', import.meta.url).pathname;

/** What `run` was asked to do, flags over environment over defaults. */
export interface RunOptions {
  specFile: string;
  expectationsFile: string;
  profile: string;
  resultsDir: string;
  seed: number;
}

const FLAGS = {
  spec: { type: 'string' },
  expectations: { type: 'string' },
  profile: { type: 'string' },
  'results-dir': { type: 'string' },
  seed: { type: 'string' },
} as const;

export function parseRunOptions(args: string[]): RunOptions {
  let values: Partial<Record<keyof typeof FLAGS, string>>;
  try {
    ({ values } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ConformanceError('CFG_USAGE', `${(error as Error).message.split('\n')[0]}. See sdrs-conformance --help.`);
  }
  return {
    specFile: values.spec ?? DEFAULT_SPEC,
    expectationsFile: values.expectations ?? DEFAULT_EXPECTATIONS,
    profile: values.profile ?? 'doc',
    resultsDir: values['results-dir'] ?? 'allure-results',
    seed: integer('--seed', values.seed, 1),
  };
}

function integer(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new ConformanceError('CFG_USAGE', `${flag} expects a whole number, got "${text}"`);
  return Number(text);
}
