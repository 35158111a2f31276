import { readFileSync } from 'node:fs';
import { ConformanceError } from '../lib/errors.ts';
import { SUMMARY_SCHEMA_VERSION, type RunSummary } from './summary-model.ts';

/** conformance-summary.json: the summary as built, keys in the model's order, so two runs diff cleanly. */
export function renderSummaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/**
 * Reads a previous conformance-summary.json for `--baseline PATH`. Checks only what the baseline diff
 * reads (schema version, start time, case ids, titles and statuses): an older run's extra or missing detail is harmless.
 */
export function readSummaryJson(path: string, flag = '--baseline'): RunSummary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConformanceError(
      'CFG_INVALID',
      `${flag} ${path}: cannot read it (${(error as Error).message}); pass a conformance-summary.json from an earlier run`,
    );
  }
  return parseSummaryJson(text, path, flag);
}

export function parseSummaryJson(text: string, source: string, flag = '--baseline'): RunSummary {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConformanceError('CFG_INVALID', `${flag} ${source}: not JSON (${(error as Error).message}); pass a conformance-summary.json from an earlier run`);
  }
  const problem = shapeProblem(value);
  if (problem) throw new ConformanceError('CFG_INVALID', `${flag} ${source}${problem}; pass a conformance-summary.json from an earlier run`);
  return value as RunSummary;
}

const STATUSES = new Set(['passed', 'failed', 'broken', 'skipped']);

/** A JSON pointer and what was wrong there, or undefined when the baseline diff can read it. */
function shapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return ': expected a JSON object';
  if (value.schemaVersion !== SUMMARY_SCHEMA_VERSION) {
    return `#/schemaVersion: expected ${SUMMARY_SCHEMA_VERSION}, found ${JSON.stringify(value.schemaVersion) ?? 'nothing'}`;
  }
  if (!isObject(value.run) || typeof value.run.startedAt !== 'string') return '#/run/startedAt: expected a timestamp string';
  if (!Array.isArray(value.cases)) return '#/cases: expected an array';
  for (const [i, c] of value.cases.entries()) {
    if (!isObject(c) || typeof c.caseId !== 'string') return `#/cases/${i}/caseId: expected a string`;
    if (typeof c.title !== 'string') return `#/cases/${i}/title: expected a string`;
    if (typeof c.status !== 'string' || !STATUSES.has(c.status))
      return `#/cases/${i}/status: expected one of ${[...STATUSES].join(', ')}, found ${JSON.stringify(c.status)}`;
  }
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
