import { expect, test } from 'vitest';
import type { SentRecord } from '../../lib/execute/execute-run.ts';
import type { CaseOutcome, DeletionRecord } from '../../lib/run/case-outcome.ts';
import { deletionRecord } from '../../lib/run/deletion-ledger.ts';
import { ledgerHeadline, ledgerRows, type LedgerTotals } from '../../reporters/ledger-summary.ts';
import { buildSummary } from '../../reporters/summary-model.ts';
import { summaryInput } from '../reporters/fixtures.ts';

const operation = { pathTemplate: '/v1/{project_id}/task-center/failure-jobs/{failure_job_id}', pathParams: ['project_id', 'failure_job_id'] };
const BASE = 'http://127.0.0.1:9/v1/p1/task-center/failure-jobs';

/** What execute records of each request it sent. */
function exchange(method: string, url: string, status: number | 'network-error'): SentRecord {
  return { method, url, status: status === 'network-error' ? undefined : status };
}

test.for<[string, { given: SentRecord; expected?: number[]; want: Partial<DeletionRecord> | undefined }]>([
  [
    'a DELETE answered 204',
    {
      given: exchange('DELETE', `${BASE}/job-1`, 204),
      want: { jobId: 'job-1', projectId: 'p1', path: '/v1/p1/task-center/failure-jobs/job-1', status: 204, intended: false },
    },
  ],
  [
    'a DELETE answered 200, where the case expects a 2xx',
    { given: exchange('DELETE', `${BASE}/job-1`, 200), expected: [204], want: { status: 200, intended: true } },
  ],
  [
    'an encoded id: decoded once, the path kept as sent',
    { given: exchange('DELETE', `${BASE}/50%25-%C3%BC?x=1`, 202), want: { jobId: '50%-ü', path: '/v1/p1/task-center/failure-jobs/50%25-%C3%BC' } },
  ],
  ['an invalid escape: kept as it is', { given: exchange('DELETE', `${BASE}/%ZZ`, 204), want: { jobId: '%ZZ' } }],
  [
    'a dot segment: as sent',
    { given: exchange('DELETE', `${BASE}/..`, 204), want: { jobId: '..', projectId: 'p1', path: '/v1/p1/task-center/failure-jobs/..' } },
  ],
  [
    'a path off the template: the whole path stands for the job',
    { given: exchange('DELETE', `${BASE}/a/b`, 204), want: { jobId: '/v1/p1/task-center/failure-jobs/a/b', projectId: '' } },
  ],
  ['a path of another shape', { given: exchange('DELETE', 'http://127.0.0.1:9/elsewhere', 204), want: { jobId: '/elsewhere', projectId: '' } }],
  ['a DELETE answered 404', { given: exchange('DELETE', `${BASE}/job-1`, 404), want: undefined }],
  ['a DELETE answered 301', { given: exchange('DELETE', `${BASE}/job-1`, 301), want: undefined }],
  ['a DELETE with no answer', { given: exchange('DELETE', `${BASE}/job-1`, 'network-error'), want: undefined }],
  ['a GET answered 200', { given: exchange('GET', `${BASE}/job-1`, 200), want: undefined }],
])('deletionRecord: %s', ([, { given, expected = [404], want }]) => {
  const record = deletionRecord(given, { caseId: 'c', expectedStatuses: expected, operation });
  if (!want) return expect(record).toBeUndefined();
  expect(record).toMatchObject({ caseId: 'c', ...want });
});

const record = (caseId: string, jobId: string, intended = false, projectId = 'p1'): DeletionRecord => ({
  caseId,
  jobId,
  projectId,
  path: `/v1/${projectId}/task-center/failure-jobs/${jobId}`,
  status: 204,
  intended,
});
const outcome = (fields: Partial<CaseOutcome> & Pick<CaseOutcome, 'caseId'>): CaseOutcome => ({
  operationId: 'deleteFailureJob',
  kind: 'condition',
  title: fields.caseId,
  status: 'passed',
  documentedStatus: undefined,
  expectedStatuses: [],
  receivedStatus: undefined,
  violations: [],
  exchanges: [],
  deletions: [],
  severity: 'normal',
  source: '',
  durationMs: 0,
  ...fields,
});

test('the summary: every request in the ledger, jobs counted apart, vanished = gone from a list with no DELETE of its own, refused ids once', () => {
  const summary = buildSummary(
    summaryInput({
      outcomes: [
        outcome({ caseId: 'own-job', deletions: [record('own-job', 'victim', true)], refusedJobIds: [{ id: 'batch', source: 'discovered', why: 'is …' }] }),
        outcome({ caseId: 'deleted-again', refusedJobIds: [{ id: 'batch', source: 'discovered', why: 'is …' }] }),
        outcome({
          caseId: 'negative-inputs',
          kind: 'fuzz',
          deletions: [record('negative-inputs', '*'), record('negative-inputs', '*'), record('negative-inputs', 'x', false, '%')],
        }),
        outcome({ caseId: 'list-after-delete', kind: 'state', listMissing: { list: 'primary', projectId: 'p1', jobIds: ['victim', 'bystander'] } }),
        outcome({ caseId: 'other-project-untouched', kind: 'state', status: 'skipped', listMissing: { list: 'other', projectId: 'p2', jobIds: ['victim'] } }),
      ],
    }),
  );
  expect(summary.ledger).toHaveLength(4);
  expect(summary.ledgerTotals).toEqual({ requests: 4, jobs: 3, unexpected: 3, vanished: 2 });
  expect(summary.vanished).toEqual([
    { list: 'primary', projectId: 'p1', jobId: 'bystander', seenBy: 'list-after-delete' },
    // Another project's job of the same name is another job: its DELETE was never answered.
    { list: 'other', projectId: 'p2', jobId: 'victim', seenBy: 'other-project-untouched' },
  ]);
  expect(summary.refusedJobIds).toEqual([{ id: 'batch', source: 'discovered', why: 'is …' }]);
  expect(ledgerRows(summary.ledger).map((r) => `${r.jobId}@${r.projectId} ${r.caseId} ${r.intended ? 'intended' : 'UNEXPECTED'} ×${r.requests}`)).toEqual([
    'victim@p1 own-job intended ×1',
    '*@p1 negative-inputs UNEXPECTED ×2',
    'x@% negative-inputs UNEXPECTED ×1',
  ]);
});

test.for<[string, { totals: LedgerTotals; want: string }]>([
  ['nothing', { totals: { requests: 0, jobs: 0, unexpected: 0, vanished: 0 }, want: 'no job was deleted' }],
  ['one intended', { totals: { requests: 1, jobs: 1, unexpected: 0, vanished: 0 }, want: '1 DELETE request answered 2xx, 1 distinct job' }],
  [
    'replays and strays',
    { totals: { requests: 3, jobs: 2, unexpected: 2, vanished: 1 }, want: '3 DELETE requests answered 2xx (2 UNEXPECTED), 2 distinct jobs; 1 job vanished' },
  ],
  ['only vanished', { totals: { requests: 0, jobs: 0, unexpected: 0, vanished: 2 }, want: 'no DELETE was answered 2xx; 2 jobs vanished' }],
])('ledgerHeadline: %s', ([, { totals, want }]) => {
  expect(ledgerHeadline(totals)).toBe(want);
});
