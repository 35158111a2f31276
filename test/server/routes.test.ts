import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { loadSpec } from '../../lib/spec/load-spec.ts';
import { DEFAULT_SPEC_FILE, loadRoutes, routeTable } from '../../server/routes.ts';
import { FREE_JOB, jobPath, listPath, projectA, send, testServer, TOKEN_A } from './support.ts';

const spec = await loadSpec(DEFAULT_SPEC_FILE);
const routes = await loadRoutes(spec);
const P = projectA.projectId;
const ITEM = '/v1/{project_id}/task-center/failure-jobs/{failure_job_id}';
const BATCH = '/v1/{project_id}/task-center/failure-jobs/batch';
const LIST = '/v1/{project_id}/task-center/failure-jobs';

test.for<[string, { path: string; want: { template: string; allow: string; params: Record<string, string | undefined> } | undefined }]>([
  ['the list', { path: `/v1/${P}/task-center/failure-jobs`, want: { template: LIST, allow: 'GET', params: { project_id: P } } }],
  [
    'a job',
    { path: `/v1/${P}/task-center/failure-jobs/${FREE_JOB}`, want: { template: ITEM, allow: 'DELETE', params: { project_id: P, failure_job_id: FREE_JOB } } },
  ],
  [
    'a job id decoded',
    { path: `/v1/${P}/task-center/failure-jobs/a%20b`, want: { template: ITEM, allow: 'DELETE', params: { project_id: P, failure_job_id: 'a b' } } },
  ],
  [
    'an undecodable job id',
    { path: `/v1/${P}/task-center/failure-jobs/%E0%A4%A`, want: { template: ITEM, allow: 'DELETE', params: { project_id: P, failure_job_id: undefined } } },
  ],
  [
    'the literal batch beats {failure_job_id}',
    { path: `/v1/${P}/task-center/failure-jobs/batch`, want: { template: BATCH, allow: 'DELETE', params: { project_id: P } } },
  ],
  [
    'batch percent-encoded is batch (RFC 3986 §6.2.2.2)',
    { path: `/v1/${P}/task-center/failure-jobs/%62atch`, want: { template: BATCH, allow: 'DELETE', params: { project_id: P } } },
  ],
  [
    'BATCH is an id, not the literal',
    { path: `/v1/${P}/task-center/failure-jobs/BATCH`, want: { template: ITEM, allow: 'DELETE', params: { project_id: P, failure_job_id: 'BATCH' } } },
  ],
  ['a trailing slash', { path: `/v1/${P}/task-center/failure-jobs/`, want: undefined }],
  ['an empty project_id', { path: '/v1//task-center/failure-jobs', want: undefined }],
  ['one segment too many', { path: `/v1/${P}/task-center/failure-jobs/a/b`, want: undefined }],
  ['another version', { path: `/v2/${P}/task-center/failure-jobs`, want: undefined }],
  ['the root', { path: '/', want: undefined }],
])('route of %s', ([, { path, want }]) => {
  const match = routes.match(path);
  expect(match && { template: match.route.pathTemplate, allow: match.route.allow, params: match.params }).toEqual(want);
});

test("the spec's order does not matter: a literal segment beats a {param} either way", () => {
  const reversed = routeTable([...spec.operations].reverse());
  expect(reversed.routes.map((r) => r.pathTemplate)).toEqual(routes.routes.map((r) => r.pathTemplate));
  expect(reversed.match(`/v1/${P}/task-center/failure-jobs/batch`)?.route.pathTemplate).toBe(BATCH);
});

test('the route table holds every operation of the spec under its path and method', () => {
  const routed = routes.routes.flatMap((route) => Object.entries(route.operations).map(([method, op]) => `${method} ${route.pathTemplate} ${op?.operationId}`));
  expect(routed.sort()).toEqual(spec.operations.map((op) => `${op.method} ${op.pathTemplate} ${op.operationId}`).sort());
});

test.for<[string, { method: string; path: string; allow: string }]>([
  ['GET on a job', { method: 'GET', path: jobPath(FREE_JOB), allow: 'DELETE' }],
  ['PATCH on a job', { method: 'PATCH', path: jobPath(FREE_JOB), allow: 'DELETE' }],
  ['PUT on the list', { method: 'PUT', path: listPath(), allow: 'GET' }],
  ['POST on the list', { method: 'POST', path: listPath(), allow: 'GET' }],
  ['PATCH on the list', { method: 'PATCH', path: listPath(), allow: 'GET' }],
  ['DELETE on the list', { method: 'DELETE', path: listPath(), allow: 'GET' }],
  ['GET on batch', { method: 'GET', path: `${listPath()}/batch`, allow: 'DELETE' }],
])('%s → 405 with Allow from the spec', async ([, { method, path, allow }]) => {
  const server = await testServer();
  const answer = await send(`${server.url}${path}`, { method });
  expect([answer.status, answer.headers.allow]).toEqual([405, allow]);
  expect(answer.headers['content-type']).toBe('application/json;charset=UTF-8');
  expect(server.store.list(P)).toHaveLength(projectA.jobs.length);
});

/** The shipped spec with a GET on the job's path and a new literal path beside it: what a newer doc might add. */
function extendedSpec(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sdrs-routes-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const anchor = '    delete:\n      operationId: deleteFailureJob\n';
  const text = readFileSync(DEFAULT_SPEC_FILE, 'utf8');
  expect(text).toContain(anchor);
  const extra = [
    '    get:',
    '      operationId: showFailureJob',
    "      responses: { '200': { description: OK }, '404': { $ref: '#/components/responses/NotFound' } }",
    anchor,
  ].join('\n');
  const statistics = [
    'paths:',
    '  /v1/{project_id}/task-center/failure-jobs/statistics:',
    '    parameters:',
    "      - $ref: '#/components/parameters/project_id'",
    '    get:',
    '      operationId: countFailureJobs',
    "      responses: { '200': { description: OK } }",
    '',
  ].join('\n');
  const file = join(dir, 'extended.openapi.yaml');
  writeFileSync(file, text.replace(anchor, extra).replace('paths:\n', statistics));
  return file;
}

test('a spec with more operations is routed from the spec alone: a handler where the server has one, else 501 naming the operation', async () => {
  const server = await testServer({ spec: extendedSpec() });
  const shown = await send(`${server.url}${jobPath(FREE_JOB)}`, { method: 'GET' });
  expect(shown.status).toBe(501);
  expect((shown.json as { error: { code: string; message: string } }).error).toEqual({
    code: 'SDRS.9501',
    message: 'The requested function is not supported (placeholder code): the reference server has no handler for showFailureJob, which the spec routes here',
  });
  // The new literal path beats {failure_job_id}, which now has a GET too.
  expect(((await send(`${server.url}${listPath()}/statistics`, { method: 'GET' })).json as { error: { message: string } }).error.message).toContain(
    'countFailureJobs',
  );
  expect((await send(`${server.url}${jobPath(FREE_JOB)}`, { method: 'PUT' })).headers.allow).toBe('GET, DELETE');
  // The gateway still stands in front: no credentials → 401 before any 501.
  expect((await send(`${server.url}${jobPath(FREE_JOB)}`, { method: 'GET', headers: {} })).status).toBe(401);
  expect((await send(`${server.url}${jobPath(FREE_JOB)}`, { headers: { 'x-auth-token': TOKEN_A } })).status).toBe(204);
});

test("a spec that does not load stops the server before it listens, with the loader's error", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdrs-routes-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  await expect(testServer({ spec: join(dir, 'missing.yaml') })).rejects.toThrow(expect.objectContaining({ code: 'SPEC_UNREADABLE' }));
});
