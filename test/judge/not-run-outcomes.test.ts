import { expect, test } from 'vitest';
import type { PlannedCase } from '../../lib/plan/plan-model.ts';
import { notRunOutcomes } from '../../lib/judge/not-run-outcomes.ts';
import { renderJunit } from '../../reporters/junit.ts';
import { buildSummary } from '../../reporters/summary-model.ts';
import { DOCUMENTED, own204, summaryInput } from '../reporters/fixtures.ts';

/** Two planned cases the run stopped before: a condition and the status case of 404. */
const planned = [
  { id: 'deleteFailureJob.unknown-id', kind: 'condition', title: 'An unknown id', expect: { doc: [404] } },
  { id: 'deleteFailureJob.status-404', kind: 'status', title: '404 Not Found', status: 404 },
].map(
  (c) =>
    ({
      case: { operationId: 'deleteFailureJob', severity: 'normal', source: 'documented in sdrs_05_0902', profile: 'doc', expectedStatuses: [404], ...c },
      operation: { operationId: 'deleteFailureJob', docSection: 'sdrs_05_0902' },
      notes: [],
    }) as unknown as PlannedCase,
);

const stopped = notRunOutcomes(planned, 'the run was interrupted (Ctrl-C)');

test('each case the run never reached is an outcome: skipped, not-run, the cause in its reason', () => {
  expect(stopped.map((o) => [o.caseId, o.status, o.skip])).toEqual([
    ['deleteFailureJob.unknown-id', 'skipped', { category: 'not-run', reason: 'not run: the run was interrupted (Ctrl-C)' }],
    ['deleteFailureJob.status-404', 'skipped', { category: 'not-run', reason: 'not run: the run was interrupted (Ctrl-C)' }],
  ]);
});

test('the summary lists every planned case, the verdict names the cause, the matrix says "not run", JUnit has every case', () => {
  const summary = buildSummary(summaryInput({ outcomes: [own204, ...stopped], documented: DOCUMENTED }));
  expect(summary.cases.map((c) => c.caseId)).toEqual([own204.caseId, 'deleteFailureJob.unknown-id', 'deleteFailureJob.status-404']);
  expect(summary.verdict).toBe('INCOMPLETE');
  expect(summary.verdictReason).toBe('The run was interrupted (Ctrl-C) after 1 of 3 cases; 2 not run.');
  const row404 = summary.matrix.find((r) => r.status === 404);
  expect(row404).toMatchObject({ state: 'not verified', caseId: 'deleteFailureJob.status-404', why: 'not run: the run was interrupted (Ctrl-C)' });
  const junit = renderJunit(summary);
  expect(junit.match(/<testcase /g)).toHaveLength(3);
  expect(junit).toMatch(/<skipped message="not run: the run was interrupted \(Ctrl-C\)"\/>/);
});

test('a failure outranks the interruption, and the reason still says the run stopped', () => {
  const failing = { ...own204, status: 'failed' as const, receivedStatus: 500 };
  const summary = buildSummary(summaryInput({ outcomes: [failing, ...stopped], documented: DOCUMENTED }));
  expect(summary.verdict).toBe('NOT CONFORMANT');
  expect(summary.verdictReason).toMatch(/failed or broke: deleteFailureJob\.own-job\. The run was interrupted \(Ctrl-C\) after 1 of 3 cases; 2 not run\.$/);
});
