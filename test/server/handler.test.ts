import { expect, test } from 'vitest';
import { signRequest } from '../../lib/auth/sign-request.ts';
import { AuthDirectory } from '../../server/auth-directory.ts';
import { handleRequest, type HandlerContext, type ServerRequest, type ServerResponse } from '../../server/handler.ts';
import { parseProxyAuth } from '../../server/proxy-auth.ts';
import { createRateLimiter } from '../../server/rate-limit.ts';
import { loadRoutes } from '../../server/routes.ts';
import { FailureJobStore } from '../../server/store.ts';
import { BUSY_JOB, FREE_JOB, projectA, projectB, seed, TOKEN_A, UNKNOWN_JOB } from './support.ts';

const NOW = new Date(Date.UTC(2024, 0, 1));
const HOST = 'sdrs.example.test';
const path = (jobId: string, projectId = projectA.projectId) => `/v1/${projectId}/task-center/failure-jobs/${jobId}`;
const PROXY = parseProxyAuth('proxy-user:proxy-pass');
const ROUTES = await loadRoutes();

function context(options: Partial<HandlerContext> = {}): HandlerContext {
  let n = 0;
  return {
    store: new FailureJobStore(seed),
    auth: new AuthDirectory(seed),
    now: () => NOW,
    newRequestId: () => {
      n += 1;
      return `rid${n}`;
    },
    scenarios: true,
    routes: ROUTES,
    ...options,
  };
}

function signed(url: string): ServerRequest['headers'] {
  const key = projectA.aksk[0] as { ak: string; sk: string };
  const { headers } = signRequest({ method: 'DELETE', url: `http://${HOST}${url}`, headers: { 'content-type': 'application/json' } }, key, { now: NOW });
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

interface Row {
  method?: string;
  url?: string;
  headers?: ServerRequest['headers'];
  ctx?: Partial<HandlerContext>;
  /** Requests sent before the one judged (same context). */
  before?: number;
  want: { status: number; code?: string; headers?: Record<string, string>; message?: RegExp; fault?: ServerResponse['fault']; noBody?: true };
}

const auth = { 'x-auth-token': TOKEN_A };

test.for<[string, Row]>([
  ['own job, token → 204 with no body', { want: { status: 204, noBody: true } }],
  ['own job, AK/SK signature → 204', { headers: signed(path(FREE_JOB)), want: { status: 204, noBody: true } }],
  ['the same job a second time → 404', { before: 1, want: { status: 404, code: 'SDRS.9404' } }],
  ['unknown job → 404 itemNotFound', { url: path(UNKNOWN_JOB), want: { status: 404, code: 'SDRS.9404' } }],
  ['busy protection group → 409', { url: path(BUSY_JOB), want: { status: 409, code: 'SDRS.9409' } }],
  ['id with characters no id has → 400', { url: path('bad%20id%3C%3E'), want: { status: 400, code: 'SDRS.0201' } }],
  ['GET on a job → 405 with Allow', { method: 'GET', want: { status: 405, headers: { allow: 'DELETE' } } }],
  ['a path the gateway does not publish → 404 APIG.0101', { url: '/v2/nothing', want: { status: 404, code: 'APIG.0101' } }],
  ['no credentials → 401', { headers: {}, want: { status: 401, code: 'APIG.0301', message: /x-auth-token not found/ } }],
  ['a token no IAM issued → 401', { headers: { 'x-auth-token': 'MIInot-issued' }, want: { status: 401, message: /decrypt token fail/ } }],
  ["another project's job path → 403", { url: path(FREE_JOB, projectB.projectId), want: { status: 403, code: 'APIG.0302' } }],
  [
    'Prefer: code=503 → synthesised 503',
    { headers: { ...auth, prefer: 'code=503' }, want: { status: 503, headers: { 'preference-applied': 'code=503' }, message: /synthesised: Prefer code=503/ } },
  ],
  [
    'Prefer: code=204 on an unknown job → 204, nothing deleted',
    { url: path(UNKNOWN_JOB), headers: { ...auth, prefer: 'code=204' }, want: { status: 204, noBody: true } },
  ],
  ['Prefer: code=429 says it is outside the doc table', { headers: { ...auth, prefer: 'code=429' }, want: { status: 429, message: /does not list 429/ } }],
  ['Prefer for a status with no template is ignored → 204', { headers: { ...auth, prefer: 'code=299' }, want: { status: 204 } }],
  ['Prefer with scenarios off is ignored → 204', { headers: { ...auth, prefer: 'code=500' }, ctx: { scenarios: false }, want: { status: 204 } }],
  ['Prefer does not bypass authentication → 401', { headers: { prefer: 'code=500' }, want: { status: 401 } }],
  [
    'Accept: text/html and an error body → 406',
    { url: path(UNKNOWN_JOB), headers: { ...auth, accept: 'text/html' }, want: { status: 406, message: /would have been 404/ } },
  ],
  ['Accept: application/json;q=0 → 406', { url: path(UNKNOWN_JOB), headers: { ...auth, accept: 'application/json;q=0, text/plain' }, want: { status: 406 } }],
  ['Accept: text/html and no body (204) → 204', { headers: { ...auth, accept: 'text/html' }, want: { status: 204 } }],
  ['Accept: */* → the error itself', { url: path(UNKNOWN_JOB), headers: { ...auth, accept: 'text/html, */*;q=0.1' }, want: { status: 404 } }],
  [
    'proxy-auth mode, no Proxy-Authorization → 407',
    { ctx: { proxyAuth: PROXY }, want: { status: 407, headers: { 'proxy-authenticate': 'Basic realm="sdrs-reference"' }, message: /no Proxy-Authorization/ } },
  ],
  [
    'proxy-auth mode, wrong password → 407',
    {
      headers: { ...auth, 'proxy-authorization': `Basic ${Buffer.from('proxy-user:nope').toString('base64')}` },
      ctx: { proxyAuth: PROXY },
      want: { status: 407, message: /does not carry/ },
    },
  ],
  [
    'proxy-auth mode, right credentials → 204',
    { headers: { ...auth, 'proxy-authorization': PROXY.expected }, ctx: { proxyAuth: PROXY }, want: { status: 204 } },
  ],
  [
    'rate limit 1/min, second request → 429',
    { url: path(UNKNOWN_JOB), before: 1, ctx: { rateLimit: createRateLimiter(1) }, want: { status: 429, code: 'APIG.0308', message: /limit:1,time:1 minute/ } },
  ],
  ['rate limit 1/min, first request → 404', { url: path(UNKNOWN_JOB), ctx: { rateLimit: createRateLimiter(1) }, want: { status: 404 } }],
  [
    'X-Sdrs-Scenario: reset → the answer decided, the fault attached',
    {
      headers: { ...auth, 'x-sdrs-scenario': 'reset' },
      want: { status: 204, fault: { latencyMs: 0, ending: 'reset' }, headers: { 'x-sdrs-scenario-applied': 'reset' } },
    },
  ],
  [
    'X-Sdrs-Scenario: latency and stall',
    {
      url: path(UNKNOWN_JOB),
      headers: { ...auth, 'x-sdrs-scenario': 'Latency=250 , STALL' },
      want: { status: 404, fault: { latencyMs: 250, ending: 'stall' } },
    },
  ],
  [
    'X-Sdrs-Scenario it does not understand → 400, nothing processed',
    { headers: { ...auth, 'x-sdrs-scenario': 'explode' }, want: { status: 400, message: /"explode" is not understood/ } },
  ],
  [
    'X-Sdrs-Scenario with scenarios off is ignored',
    { headers: { ...auth, 'x-sdrs-scenario': 'hang' }, ctx: { scenarios: false }, want: { status: 204, fault: undefined } },
  ],
])('%s', ([, row]) => {
  const ctx = context(row.ctx);
  const request: ServerRequest = {
    method: row.method ?? 'DELETE',
    url: row.url ?? path(FREE_JOB),
    headers: { host: HOST, ...(row.headers ?? auth) },
    body: Buffer.alloc(0),
  };
  for (let i = 0; i < (row.before ?? 0); i += 1) handleRequest(request, ctx);
  const response = handleRequest(request, ctx);

  expect(response.status).toBe(row.want.status);
  expect(response.headers['x-request-id']).toMatch(/^rid\d+$/);
  expect(response.headers).toMatchObject(row.want.headers ?? {});
  if ('fault' in row.want) expect(response.fault).toEqual(row.want.fault);
  if (row.want.noBody) expect(response.body).toBeUndefined();
  if (response.status === 204) return;
  const body = JSON.parse(response.body ?? 'null') as Record<string, unknown>;
  // Gateway bodies are flat and repeat the request id; SDRS bodies wrap ErrorInfo in one key (sdrs-api-notes.md §1, §2).
  const info =
    typeof body.error_code === 'string'
      ? { code: body.error_code, message: String(body.error_msg) }
      : (Object.values(body)[0] as { code: string; message: string } | undefined);
  if (typeof body.error_code === 'string') expect(body.request_id).toBe(response.headers['x-request-id']);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  if (row.want.code) expect(info?.code).toBe(row.want.code);
  if (row.want.message) expect(info?.message).toMatch(row.want.message);
});

test('the list leaves out the server-only busy flag, and a batch delete spares busy jobs', () => {
  const ctx = context();
  const list = () =>
    JSON.parse(
      handleRequest(
        { method: 'GET', url: `/v1/${projectA.projectId}/task-center/failure-jobs`, headers: { 'x-auth-token': TOKEN_A }, body: Buffer.alloc(0) },
        ctx,
      ).body ?? '{}',
    );
  expect(list().count).toBe(projectA.jobs.length);
  expect(list().failure_jobs.every((job: object) => !('busy' in job))).toBe(true);
  expect(handleRequest({ method: 'DELETE', url: path('batch'), headers: { 'x-auth-token': TOKEN_A }, body: Buffer.alloc(0) }, ctx).status).toBe(204);
  expect(list().failure_jobs.map((job: { job_id: string }) => job.job_id)).toEqual([BUSY_JOB]);
});
