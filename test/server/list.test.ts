import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { handleRequest, type ServerResponse } from '../../server/handler.ts';
import { handlerContext, listPath, projectA, projectB, pureRequest, send, testServer, TOKEN_A, TOKEN_B } from './support.ts';

/** The appendix rows the list's refusals must agree with (status, code, message): spec/sdrs-error-codes.json. */
const APPENDIX = (
  JSON.parse(readFileSync(new URL('../../spec/sdrs-error-codes.json', import.meta.url), 'utf8')) as {
    codes: Array<{ status: number; code: string; message: string }>;
  }
).codes;
const appendix = (code: string) => APPENDIX.find((row) => row.code === code);

const ALL_A = projectA.jobs.map((job) => job.job_id);

interface Listed {
  failure_jobs: Array<Record<string, unknown> & { job_id: string }>;
  count: number;
}

function body(response: ServerResponse): Listed & { error?: { code: string; message: string } } {
  return JSON.parse(response.body ?? 'null') as Listed & { error?: { code: string; message: string } };
}

test.for<[string, { want: { status: 200; ids: string[] } | { status: 400; code: 'SDRS.0221' | 'SDRS.0222'; received: string } }]>([
  ['', { want: { status: 200, ids: ALL_A } }],
  ['limit=1000', { want: { status: 200, ids: ALL_A } }],
  ['limit=0', { want: { status: 200, ids: [] } }],
  ['offset=0', { want: { status: 200, ids: ALL_A } }],
  ['limit=-1', { want: { status: 400, code: 'SDRS.0221', received: 'limit="-1"' } }],
  ['limit=abc', { want: { status: 400, code: 'SDRS.0221', received: 'limit="abc"' } }],
  ['limit=1001', { want: { status: 400, code: 'SDRS.0221', received: 'limit="1001"' } }],
  ['limit=1.5', { want: { status: 400, code: 'SDRS.0221', received: 'limit="1.5"' } }],
  ['limit=', { want: { status: 400, code: 'SDRS.0221', received: 'limit=""' } }],
  ['limit=%2B5', { want: { status: 400, code: 'SDRS.0221', received: 'limit="+5"' } }],
  ['limit=1&limit=2', { want: { status: 400, code: 'SDRS.0221', received: 'limit="1" given 2 times' } }],
  ['offset=-1', { want: { status: 400, code: 'SDRS.0222', received: 'offset="-1"' } }],
  ['offset=abc', { want: { status: 400, code: 'SDRS.0222', received: 'offset="abc"' } }],
  ['offset=99999999999999999', { want: { status: 400, code: 'SDRS.0222', received: 'offset="99999999999999999"' } }],
  ['limit=abc&offset=-1', { want: { status: 400, code: 'SDRS.0221', received: 'limit="abc"' } }],
])('GET …/failure-jobs?%s', async ([query, { want }]) => {
  const response = handleRequest(pureRequest('GET', `${listPath()}?${query}`), await handlerContext());
  expect(response.status).toBe(want.status);
  if (want.status === 200) {
    expect(response.headers['content-type']).toBe('application/json');
    expect(body(response)).toEqual({ failure_jobs: want.ids.map((id) => expect.objectContaining({ job_id: id, job_status: 'FAIL' })), count: ALL_A.length });
    return;
  }
  // The appendix's own status, code and message, so the client's error-code ↔ status check agrees.
  const row = appendix(want.code);
  expect(row?.status).toBe(want.status);
  expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
  expect(body(response).error).toEqual({ code: want.code, message: `${row?.message} (${want.received})` });
});

test('pages: limit and offset cut the same list, count is every match, an offset past the end is an empty page', async () => {
  const ctx = await handlerContext();
  const page = (query: string) => body(handleRequest(pureRequest('GET', `${listPath()}?${query}`), ctx));
  const pages = [page('limit=3'), page('limit=3&offset=3'), page('offset=6&limit=3')];
  expect(pages.flatMap((p) => p.failure_jobs.map((job) => job.job_id))).toEqual(ALL_A);
  expect(pages.map((p) => [p.failure_jobs.length, p.count])).toEqual([
    [3, 4],
    [1, 4],
    [0, 4],
  ]);
  expect(page('offset=1000')).toEqual({ failure_jobs: [], count: 4 });
});

test.for<[string, string[]]>([
  ['failure_status=createFail', ['897f57b2-6e94-4179-b414-9532726c59f2', '3a6c1d2e-8b4f-4d6a-9c0e-2f1b5a7d9e31']],
  ['resource_type=server_groups', ['3a6c1d2e-8b4f-4d6a-9c0e-2f1b5a7d9e31', 'ff808082686f229a0168707b9be90140']],
  ['resource_name=group-a&failure_status=failoverFail', ['ff808082686f229a0168707b9be90140']],
  ['resource_name=nothing-by-that-name', []],
  ['server_group_id=decf224d-87fe-403a-8721-037a1a45c287', ALL_A],
  ['resource_type=server_groups&limit=1&offset=1', ['ff808082686f229a0168707b9be90140']],
])('filters are exact matches before the page is cut: %s', async ([query, ids]) => {
  const listed = body(handleRequest(pureRequest('GET', `${listPath()}?${query}`), await handlerContext()));
  expect(listed.failure_jobs.map((job) => job.job_id)).toEqual(ids);
  if (!query.includes('limit')) expect(listed.count).toBe(ids.length);
});

test("each project lists its own jobs only, the busy flag never, and another project's list is refused", async () => {
  const ctx = await handlerContext();
  const listed = (path: string, token: string) => handleRequest(pureRequest('GET', path, { 'x-auth-token': token }), ctx);
  expect(body(listed(listPath(projectB.projectId), TOKEN_B)).failure_jobs.map((job) => job.job_id)).toEqual(projectB.jobs.map((job) => job.job_id));
  expect(body(listed(listPath(), TOKEN_A)).failure_jobs.every((job) => !('busy' in job))).toBe(true);
  expect(listed(listPath(), TOKEN_B).status).toBe(403);
  expect(listed(listPath(projectB.projectId), TOKEN_A).status).toBe(403);
});

test.for([
  ['no credentials', {}, 401],
  ['a token no IAM issued', { 'x-auth-token': 'MIInot-issued-by-any-iam' }, 401],
  ["the other project's valid token", { 'x-auth-token': TOKEN_B }, 403],
] as const)('the list with %s → %i, the gateway body', async ([, headers, status]) => {
  const response = handleRequest(pureRequest('GET', listPath(), headers), await handlerContext());
  expect(response.status).toBe(status);
  expect(JSON.parse(response.body ?? '{}')).toMatchObject({
    error_code: status === 401 ? 'APIG.0301' : 'APIG.0302',
    request_id: response.headers['x-request-id'],
  });
});

// Hostile project ids (as the negative-input cases send them): a documented refusal, never 2xx or 5xx.
test.for<[string, string]>([
  ['dot segment', '..'],
  ['encoded dot segment', '%2E%2E'],
  ['encoded slashes', '..%2F..%2Fetc'],
  ['NUL', '%00'],
  ['a broken escape', '%E0%A4%A'],
  ['a literal %', '%25'],
  ['trailing space', `${projectA.projectId}%20`],
  ['2048 characters', 'a'.repeat(2048)],
  ['SQL-ish', "'%20OR%201=1--"],
  ['JSON-ish', '%7B%22%24ne%22%3A1%7D'],
  ['a wildcard', '*'],
  ['a bidi override', '%E2%80%AE'],
  ['the own id in capitals', projectA.projectId.toUpperCase()],
])('GET with a hostile project_id (%s) → 403, never 2xx or 5xx', async ([, project]) => {
  const response = handleRequest(pureRequest('GET', listPath(project)), await handlerContext());
  expect(response.status).toBe(403);
});

test('an empty project_id is no published path: 404 APIG.0101', async () => {
  const response = handleRequest(pureRequest('GET', listPath('')), await handlerContext());
  expect([response.status, JSON.parse(response.body ?? '{}').error_code]).toEqual([404, 'APIG.0101']);
});

test.for<[string, { prefer: string; want: { status: number; applied?: string; message?: RegExp; allow?: string } }]>([
  ['a 204 the list does not document is ignored: the real 200', { prefer: 'code=204', want: { status: 200 } }],
  ['200 is the real answer, not synthesised', { prefer: 'code=200', want: { status: 200 } }],
  [
    '404 in words about the list',
    { prefer: 'code=404', want: { status: 404, applied: 'code=404', message: /^The project's task center was not found .*\(synthesised: Prefer code=404\)$/ } },
  ],
  ["405 with the list path's Allow", { prefer: 'code=405', want: { status: 405, applied: 'code=405', allow: 'GET' } }],
  ['501', { prefer: 'code=501', want: { status: 501, applied: 'code=501', message: /synthesised: Prefer code=501/ } }],
])('Prefer on the list: %s', async ([, { prefer, want }]) => {
  const response = handleRequest(pureRequest('GET', listPath(), { 'x-auth-token': TOKEN_A, prefer }), await handlerContext());
  expect(response.status).toBe(want.status);
  expect(response.headers['preference-applied']).toBe(want.applied);
  if (want.allow) expect(response.headers.allow).toBe(want.allow);
  if (want.message) expect((Object.values(JSON.parse(response.body ?? '{}'))[0] as { message: string }).message).toMatch(want.message);
});

test('over HTTP: the list answers 200 with FailureJobList, and 406 when Accept rules out JSON', async () => {
  const server = await testServer();
  const listed = await send(`${server.url}${listPath()}?limit=2&offset=1`, { method: 'GET' });
  expect(listed.status).toBe(200);
  expect(listed.json).toEqual({ failure_jobs: ALL_A.slice(1, 3).map((id) => expect.objectContaining({ job_id: id })), count: 4 });
  expect((await send(`${server.url}${listPath()}`, { method: 'GET', headers: { 'x-auth-token': TOKEN_A, accept: 'text/html' } })).status).toBe(406);
  const refused = await send(`${server.url}${listPath()}?limit=abc`, { method: 'GET' });
  expect([refused.status, (refused.json as { error: { code: string } }).error.code]).toEqual([400, 'SDRS.0221']);
});
