import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { isConformanceError } from '../../lib/errors.ts';
import { parseSummaryJson, readSummaryJson, renderSummaryJson } from '../../reporters/summary-json.ts';
import { buildSummary, SUMMARY_SCHEMA_VERSION } from '../../reporters/summary-model.ts';
import { summaryInput } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'sdrs-summary-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the JSON is the summary, versioned, and reads back as a baseline', () => {
  const summary = buildSummary(summaryInput());
  const text = renderSummaryJson(summary);
  expect(JSON.parse(text).schemaVersion).toBe(SUMMARY_SCHEMA_VERSION);
  expect(Object.keys(JSON.parse(text))).toEqual([
    'schemaVersion',
    'verdict',
    'verdictReason',
    'run',
    'spec',
    'counts',
    'matrix',
    'cases',
    'ledger',
    'ledgerTotals',
    'vanished',
    'refusedJobIds',
    'baseline',
    'throttling',
  ]);
  const file = join(dir, 'conformance-summary.json');
  writeFileSync(file, text);
  expect(readSummaryJson(file)).toEqual(JSON.parse(text));
});

const valid = () => JSON.parse(renderSummaryJson(buildSummary(summaryInput())));

test.for<[string, { given: string; want: string | undefined }]>([
  ['a summary from an earlier run', { given: JSON.stringify(valid()), want: undefined }],
  ['not JSON', { given: '{"schemaVersion":', want: 'CFG_INVALID: --baseline base.json: not JSON' }],
  ['an array', { given: '[]', want: 'CFG_INVALID: --baseline base.json: expected a JSON object' }],
  [
    'another schema version',
    { given: JSON.stringify({ ...valid(), schemaVersion: 99 }), want: 'CFG_INVALID: --baseline base.json#/schemaVersion: expected 1, found 99' },
  ],
  ['some other JSON file', { given: '{"name":"sdrs-conformance"}', want: 'CFG_INVALID: --baseline base.json#/schemaVersion: expected 1, found nothing' }],
  [
    'a case without a status',
    {
      given: JSON.stringify({ ...valid(), cases: [{ caseId: 'a', title: 't', status: 'green' }] }),
      want: 'CFG_INVALID: --baseline base.json#/cases/0/status: expected one of passed, failed, broken, skipped, found "green"',
    },
  ],
])('parseSummaryJson: %s', ([, { given, want }]) => {
  let error: unknown;
  try {
    parseSummaryJson(given, 'base.json');
  } catch (e) {
    error = e;
  }
  if (want === undefined) return expect(error).toBeUndefined();
  expect(isConformanceError(error)).toBe(true);
  const { code, message } = error as { code: string; message: string };
  expect(`${code}: ${message}`.startsWith(want)).toBe(true);
  expect(message).toMatch(/pass a conformance-summary\.json from an earlier run$/);
});

test('a missing baseline file is a CFG_INVALID that says what to pass', () => {
  expect(() => readSummaryJson(join(dir, 'nope.json'))).toThrowError(
    /^--baseline .*nope\.json: cannot read it \(ENOENT.*\); pass a conformance-summary\.json from an earlier run$/,
  );
});
