import type { Exchange } from '../../lib/http/exchange.ts';
import type { CaseOutcome } from '../../lib/run/case-outcome.ts';
import type { DocumentedStatus, SummaryInput } from '../../reporters/summary-model.ts';

/**
 * A run in miniature, with the volatile values a real run has (a free port, wall-clock times, request
 * ids): one case of each kind of result, and one documented status no case covers.
 */
const port = 40000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}/v1/0123456789abcdef0123456789abcdef/task-center/failure-jobs`;
const now = Date.now();

export const SCRIPT = '<script>document.title="pwned"</script>';

function exchange(path: string, status: number, body: string, contentType = 'application/json;charset=UTF-8'): Exchange {
  return {
    kind: 'response',
    request: { method: 'DELETE', url: `${base}/${path}`, headers: { accept: 'application/json', 'x-auth-token': '***' } },
    response: {
      status,
      headers: [
        ['content-type', contentType],
        ['x-request-id', crypto.randomUUID()],
        ['date', new Date(now).toUTCString()],
      ],
      body: Buffer.from(body),
      bodyTruncated: false,
      wireBodyBytes: Buffer.byteLength(body),
    },
    timings: { startedAt: now, durationMs: 3 + Math.floor(Math.random() * 20) },
  };
}

function outcome(fields: Partial<CaseOutcome> & Pick<CaseOutcome, 'caseId' | 'title' | 'status'>): CaseOutcome {
  const status = /status-(\d+)$/.exec(fields.caseId)?.[1];
  return {
    operationId: 'deleteFailureJob',
    kind: status ? 'status' : 'condition',
    documentedStatus: status ? Number(status) : fields.expectedStatuses?.[0],
    expectedStatuses: status ? [Number(status)] : [],
    receivedStatus: undefined,
    violations: [],
    exchanges: [],
    deletions: [],
    severity: 'normal',
    source: status ? `documented in sdrs_05_0902 (返回值 ${status})` : 'documented in sdrs_05_0902',
    durationMs: Math.floor(Math.random() * 40),
    ...fields,
  };
}

const leakyBody = `{"error_msg":"${SCRIPT.replace(/"/g, '\\"')}","error_code":"SDRS.1500"}`;

export const own204 = outcome({
  caseId: 'deleteFailureJob.own-job',
  title: "Delete a failed task of the caller's own project",
  status: 'passed',
  expectedStatuses: [204],
  receivedStatus: 204,
  exchanges: [exchange('ff808082686f229a0168707b9be9013f', 204, '')],
  deletions: [
    {
      caseId: 'deleteFailureJob.own-job',
      jobId: 'ff808082686f229a0168707b9be9013f',
      projectId: '0123456789abcdef0123456789abcdef',
      path: '/v1/0123456789abcdef0123456789abcdef/task-center/failure-jobs/ff808082686f229a0168707b9be9013f',
      status: 204,
      intended: true,
    },
  ],
  severity: 'blocker',
});

export const unknownId500 = outcome({
  caseId: 'deleteFailureJob.unknown-id',
  title: 'A well-formed (UUID) job id that names no job',
  status: 'failed',
  expectedStatuses: [404],
  receivedStatus: 500,
  exchanges: [exchange('2abdad28-1e23-4a60-ae0b-de44930de3de', 500, leakyBody)],
  violations: [
    { checkId: 'status-expected', severity: 'error', title: 'Status is not one the condition allows', expected: '404', received: '500', where: 'status' },
    {
      checkId: 'error-body-schema',
      severity: 'error',
      title: 'Error body does not match the documented schema',
      expected: 'error_msg: "Job not found" & co',
      received: `error_msg: "${SCRIPT}"`,
      where: 'body#/error_msg',
    },
  ],
  severity: 'critical',
});

export const otherProject = outcome({
  caseId: 'deleteFailureJob.other-project-token',
  title: "Another project's credentials on this project's job",
  status: 'skipped',
  expectedStatuses: [403],
  skip: {
    category: 'missing-input',
    reason: 'Needs a second identity in another project: supply --other-project-id with --other-token, or --other-ak/--other-sk.',
  },
});

export const wrongMethod = outcome({
  caseId: 'deleteFailureJob.wrong-method.get',
  title: "A method other than DELETE on the job's path: GET",
  status: 'broken',
  expectedStatuses: [405],
  exchanges: [
    {
      kind: 'network-error',
      request: { method: 'GET', url: `${base}/x`, headers: {} },
      error: { cause: 'reset', code: 'ECONNRESET', message: 'socket hang up' },
      timings: { startedAt: now, durationMs: 5 },
    },
  ],
  transportError: 'reset (ECONNRESET): socket hang up',
});

export const status204 = outcome({
  caseId: 'deleteFailureJob.status-204',
  title: 'Documented response 204: No Content',
  status: 'passed',
  receivedStatus: 204,
  exchanges: own204.exchanges,
  verifiedBy: own204.caseId,
  severity: 'blocker',
});
export const status404 = outcome({
  caseId: 'deleteFailureJob.status-404',
  title: 'Documented response 404: Not Found',
  status: 'skipped',
  skip: { category: 'not-provokable', reason: `No case made https://sdrs.example.com answer 404, and it has no scenario control (Prefer: code=404).` },
});
export const status500 = outcome({
  caseId: 'deleteFailureJob.status-500',
  title: 'Documented response 500: Internal Server Error',
  status: 'failed',
  receivedStatus: 500,
  exchanges: unknownId500.exchanges,
  violations: unknownId500.violations.filter((v) => v.checkId !== 'status-expected'),
  verifiedBy: unknownId500.caseId,
  severity: 'minor',
});
export const status503 = outcome({
  caseId: 'deleteFailureJob.status-503',
  title: 'Documented response 503: Service Unavailable',
  status: 'passed',
  receivedStatus: 503,
  verifiedBy: 'scenario',
  severity: 'minor',
});

export const OUTCOMES: CaseOutcome[] = [own204, unknownId500, otherProject, wrongMethod, status204, status404, status500, status503];

/** 400 has no status case here on purpose: the matrix must still show it. */
export const DOCUMENTED: DocumentedStatus[] = [204, 400, 404, 500, 503].map((status) => ({
  operationId: 'deleteFailureJob',
  status,
  description: { 204: 'No Content', 400: 'Bad Request (服务器未能处理请求)', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' }[
    status
  ]!,
}));

export function summaryInput(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    outcomes: OUTCOMES,
    documented: DOCUMENTED,
    spec: { title: 'SDRS task center — failure jobs', version: '2026-11-28', sha256: '820ac589d2b86389ce4ff74f389753bac8d585365a626f08d168b19e2872480b' },
    run: {
      endpoint: 'https://ak:s3cr3t@sdrs.example.com/?X-Auth-Token=abc#frag',
      endpointClass: 'external',
      profile: 'doc',
      suiteVersion: '0.1.0',
      seed: 1,
      startedAt: new Date(now),
      finishedAt: new Date(now + 4321 + Math.floor(Math.random() * 1000)),
    },
    ...overrides,
  };
}

/** Ports, clock times, durations and request ids differ per run; snapshots compare the rest. */
export function normalise(text: string): string {
  return text
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIMESTAMP')
    .replace(/"(durationMs|time)": ?"?[\d.]+"?/g, '"$1": "N"')
    .replace(/\b(time)="[\d.]+"/g, '$1="N"')
    .replace(/\d+(\.\d+)? (ms|s)\b/g, 'N $2')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (uuid) => (uuid === '2abdad28-1e23-4a60-ae0b-de44930de3de' ? uuid : 'UUID'));
}
