import { describe, expect, test } from 'vitest';
import type { CaseOutcome } from '../../lib/run/case-outcome.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';
import { formatStatusMatrix } from '../../reporters/status-matrix-table.ts';
import { buildSummary, documentedStatusesOf, formatDuration, stripCredentials, type MatrixState, type RunFacts } from '../../reporters/summary-model.ts';
import { DOCUMENTED, normalise, otherProject, OUTCOMES, own204, status204, status404, status500, status503, summaryInput, unknownId500 } from './fixtures.ts';

const specFile = new URL('../../spec/sdrs-failure-jobs.openapi.yaml', import.meta.url).pathname;

describe('buildSummary', () => {
  const summary = buildSummary(summaryInput());

  test('verdict, run facts and counts', () => {
    const { verdict, verdictReason, run, spec, counts, schemaVersion } = summary;
    expect(normalise(JSON.stringify({ schemaVersion, verdict, verdictReason, run, spec, counts }, null, 2))).toMatchInlineSnapshot(`
      "{
        "schemaVersion": 1,
        "verdict": "NOT CONFORMANT",
        "verdictReason": "3 cases failed or broke: deleteFailureJob.unknown-id, deleteFailureJob.wrong-method.get, deleteFailureJob.status-500.",
        "run": {
          "endpoint": "https://sdrs.example.com/",
          "endpointClass": "external",
          "profile": "doc",
          "suiteVersion": "0.1.0",
          "seed": 1,
          "startedAt": "TIMESTAMP",
          "finishedAt": "TIMESTAMP",
          "durationMs": "N"
        },
        "spec": {
          "title": "SDRS task center — failure jobs",
          "version": "2026-11-28",
          "sha256": "820ac589d2b86389ce4ff74f389753bac8d585365a626f08d168b19e2872480b"
        },
        "counts": {
          "total": 8,
          "passed": 3,
          "failed": 2,
          "broken": 1,
          "skipped": 2
        }
      }"
    `);
  });

  test('the console matrix: every documented status, seen or not', () => {
    expect(normalise(formatStatusMatrix(summary.matrix).join('\n'))).toMatchInlineSnapshot(`
      "Documented-status matrix (deleteFailureJob)
      Status  Result                                 Shown by                     Why
      ------  -------------------------------------  ---------------------------  ---
      204     OK  verified on target                 deleteFailureJob.own-job     Shown by deleteFailureJob.own-job, well formed.
      400     --  not verified                       —                            No case covers this status: the suite generated none for it.
      404     --  not verified                       —                            No case made https://sdrs.example.com answer 404, and it has no scenario control (Prefer: code=404).
      500     --  not verified                       deleteFailureJob.unknown-id  The target answered 500 but broke the contract: Error body does not match the documented schema.
      503     REF verified on reference server only  scenario                     Synthesised on request (Prefer: code=503); no case made the target answer it unprompted."
    `);
  });

  test('cases keep every violation with expected / received / where, and the exchange in brief', () => {
    const failed = summary.cases.find((c) => c.caseId === unknownId500.caseId)!;
    expect(normalise(JSON.stringify(failed, null, 2))).toMatchInlineSnapshot(`
      "{
        "caseId": "deleteFailureJob.unknown-id",
        "operationId": "deleteFailureJob",
        "kind": "condition",
        "title": "A well-formed (UUID) job id that names no job",
        "status": "failed",
        "severity": "critical",
        "source": "documented in sdrs_05_0902",
        "expectedStatuses": [
          404
        ],
        "receivedStatus": 500,
        "verifiedBy": null,
        "skip": null,
        "transportError": null,
        "violations": [
          {
            "checkId": "status-expected",
            "severity": "error",
            "title": "Status is not one the condition allows",
            "expected": "404",
            "received": "500",
            "where": "status"
          },
          {
            "checkId": "error-body-schema",
            "severity": "error",
            "title": "Error body does not match the documented schema",
            "expected": "error_msg: \\"Job not found\\" & co",
            "received": "error_msg: \\"<script>document.title=\\"pwned\\"</script>\\"",
            "where": "body#/error_msg"
          }
        ],
        "exchange": {
          "request": "DELETE http://127.0.0.1:PORT/v1/0123456789abcdef0123456789abcdef/task-center/failure-jobs/2abdad28-1e23-4a60-ae0b-de44930de3de",
          "response": "500 (application/json;charset=UTF-8) {\\"error_msg\\":\\"<script>document.title=\\\\\\"pwned\\\\\\"</script>\\",\\"error_code\\":\\"SDRS.1500\\"}"
        },
        "durationMs": "N"
      }"
    `);
  });

  test('the ledger lists every accepted delete, intended or not', () => {
    const stray = {
      ...otherProject,
      status: 'failed' as const,
      receivedStatus: 204,
      deletions: [
        { caseId: otherProject.caseId, jobId: 'guard-job', projectId: 'p', path: '/v1/p/task-center/failure-jobs/guard-job', status: 204, intended: false },
      ],
    };
    expect(summary.ledger).toEqual(own204.deletions);
    expect(buildSummary(summaryInput({ outcomes: [own204, stray] })).ledger.map((d) => `${d.jobId} ${d.intended}`)).toEqual([
      'ff808082686f229a0168707b9be9013f true',
      'guard-job false',
    ]);
    expect(buildSummary(summaryInput({ outcomes: [status503] })).ledger).toEqual([]);
  });
});

type MatrixRowCase = [string, { given: CaseOutcome[]; endpointClass: RunFacts['endpointClass']; status: number; want: MatrixState }];

/** Both sides of each rule: which evidence counts as "on the target", which only as "on the reference server". */
test.for<MatrixRowCase>([
  ['external, shown by a condition case', { given: [own204, status204], endpointClass: 'external', status: 204, want: 'verified on target' }],
  ['bundled, shown by a condition case', { given: [own204, status204], endpointClass: 'bundled', status: 204, want: 'verified on reference server only' }],
  ['external, synthesised on request', { given: [status503], endpointClass: 'external', status: 503, want: 'verified on reference server only' }],
  ['seen but malformed', { given: [unknownId500, status500], endpointClass: 'external', status: 500, want: 'not verified' }],
  ['not provokable', { given: [status404], endpointClass: 'external', status: 404, want: 'not verified' }],
  ['no case covers it', { given: OUTCOMES, endpointClass: 'external', status: 400, want: 'not verified' }],
])('matrix: %s', ([, { given, endpointClass, status, want }]) => {
  const input = summaryInput({ outcomes: given });
  const summary = buildSummary({ ...input, run: { ...input.run, endpointClass } });
  expect(summary.matrix.find((r) => r.status === status)?.state).toBe(want);
});

test.for<[string, { given: CaseOutcome[]; want: string; reason: string }]>([
  ['all passed', { given: [own204, status204, status503], want: 'CONFORMANT', reason: 'All 3 cases that could run passed.' }],
  [
    'only unprovokable skips',
    { given: [own204, status204, status404], want: 'CONFORMANT', reason: 'All 2 cases that could run passed; 1 status not provokable on this target.' },
  ],
  [
    'a skip the user can remove',
    {
      given: [own204, { ...status204, status: 'skipped', skip: { category: 'safety-guard', reason: 'r' } }],
      want: 'INCOMPLETE',
      reason: '1 case did not run for reasons the run can remove (safety-guard 1).',
    },
  ],
  ['no case at all', { given: [], want: 'INCOMPLETE', reason: 'No case ran.' }],
  [
    'failures',
    {
      given: OUTCOMES,
      want: 'NOT CONFORMANT',
      reason: '3 cases failed or broke: deleteFailureJob.unknown-id, deleteFailureJob.wrong-method.get, deleteFailureJob.status-500.',
    },
  ],
])('verdict and its reason: %s', ([, { given, want, reason }]) => {
  const summary = buildSummary(summaryInput({ outcomes: given }));
  expect(summary.verdict).toBe(want);
  expect(summary.verdictReason).toBe(reason);
});

test.for<[string, { given: string; want: string }]>([
  ['userinfo', { given: 'https://ak:sk@sdrs.example.com/v1', want: 'https://sdrs.example.com/v1' }],
  ['a token in the query', { given: 'https://sdrs.example.com/?X-Auth-Token=abc#x', want: 'https://sdrs.example.com/' }],
  ['nothing to strip', { given: 'http://127.0.0.1:8080/', want: 'http://127.0.0.1:8080/' }],
  ['not a URL', { given: 'user:pass@host/path?token=1', want: 'host/path' }],
])('stripCredentials: %s', ([, { given, want }]) => {
  expect(stripCredentials(given)).toBe(want);
});

test.for<[number, string]>([
  [850, '850 ms'],
  [4210, '4.2 s'],
  [187_000, '3 min 7 s'],
])('formatDuration(%i) = %s', ([ms, want]) => {
  expect(formatDuration(ms)).toBe(want);
});

test('documentedStatusesOf: the real spec documents 15 statuses for each contract operation, the delete and the list', async () => {
  const rows = documentedStatusesOf(await loadSpec(specFile));
  expect(rows.map((r) => `${r.operationId} ${r.status}`)).toHaveLength(30);
  expect(new Set(rows.map((r) => r.operationId))).toEqual(new Set(['deleteFailureJob', 'listFailureJobs']));
  expect(DOCUMENTED.every((d) => rows.some((r) => r.status === d.status))).toBe(true);
});
