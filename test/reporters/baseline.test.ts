import { expect, test } from 'vitest';
import type { CaseStatus } from '../../lib/run/case-outcome.ts';
import { diffBaseline, type BaselineDiff } from '../../reporters/baseline.ts';
import { buildSummary, type CaseSummary } from '../../reporters/summary-model.ts';
import { summaryInput } from './fixtures.ts';

/** A case list from "id:status" pairs — the only fields the diff reads besides the title. */
const cases = (...pairs: string[]): CaseSummary[] => {
  const template = buildSummary(summaryInput()).cases[0]!;
  return pairs.map((pair) => {
    const [caseId, status] = pair.split(':') as [string, CaseStatus];
    return { ...template, caseId, title: `title of ${caseId}`, status };
  });
};

type Buckets = Record<Exclude<keyof BaselineDiff, 'source' | 'baselineStartedAt'>, string[]>;
const none: Buckets = { newFailures: [], fixed: [], stillFailing: [], notRunNow: [] };

test.for<[string, { before: string[]; now: string[]; want: Partial<Buckets> }]>([
  ['nothing failing either time', { before: ['a:passed', 'b:skipped'], now: ['a:passed', 'b:skipped'], want: {} }],
  ['passed → failed is new', { before: ['a:passed'], now: ['a:failed'], want: { newFailures: ['a:passed→failed'] } }],
  ['skipped → broken is new', { before: ['a:skipped'], now: ['a:broken'], want: { newFailures: ['a:skipped→broken'] } }],
  ['a case the baseline lacked, failing now, is new', { before: [], now: ['a:failed'], want: { newFailures: ['a:absent→failed'] } }],
  ['failed → passed is fixed', { before: ['a:failed'], now: ['a:passed'], want: { fixed: ['a:failed→passed'] } }],
  ['broken → failed is still failing', { before: ['a:broken'], now: ['a:failed'], want: { stillFailing: ['a:broken→failed'] } }],
  ['failed → skipped is not a fix', { before: ['a:failed'], now: ['a:skipped'], want: { notRunNow: ['a:failed→skipped'] } }],
  ['failed → gone is not a fix', { before: ['a:failed'], now: [], want: { notRunNow: ['a:failed→absent'] } }],
  [
    'keyed by case id, whatever the order',
    {
      before: ['b:failed', 'a:passed', 'c:failed'],
      now: ['c:passed', 'b:failed', 'a:failed'],
      want: { newFailures: ['a:passed→failed'], fixed: ['c:failed→passed'], stillFailing: ['b:failed→failed'] },
    },
  ],
])('baseline diff: %s', ([, { before, now, want }]) => {
  const previous = { ...buildSummary(summaryInput()), cases: cases(...before) };
  const diff = diffBaseline(previous, cases(...now), 'previous.json');
  const show = (entries: BaselineDiff['fixed']) => entries.map((e) => `${e.caseId}:${e.before ?? 'absent'}→${e.now ?? 'absent'}`);
  expect({ newFailures: show(diff.newFailures), fixed: show(diff.fixed), stillFailing: show(diff.stillFailing), notRunNow: show(diff.notRunNow) }).toEqual({
    ...none,
    ...want,
  });
  expect(diff.source).toBe('previous.json');
  expect(diff.baselineStartedAt).toBe(previous.run.startedAt);
});

test('buildSummary carries the diff when given a baseline', () => {
  const previous = { ...buildSummary(summaryInput()), cases: cases('deleteFailureJob.unknown-id:passed', 'deleteFailureJob.status-500:failed') };
  const summary = buildSummary(summaryInput({ baseline: { summary: previous, source: 'base.json' } }));
  expect(summary.baseline?.newFailures.map((e) => e.caseId)).toEqual(['deleteFailureJob.unknown-id', 'deleteFailureJob.wrong-method.get']);
  expect(summary.baseline?.stillFailing.map((e) => e.caseId)).toEqual(['deleteFailureJob.status-500']);
  expect(buildSummary(summaryInput()).baseline).toBeNull();
});
