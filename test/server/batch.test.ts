import { expect, test } from 'vitest';
import { BUSY_JOB, listPath, projectA, projectB, send, testServer, TOKEN_A, TOKEN_B } from './support.ts';

/** DELETE …/failure-jobs/batch: off limits for the suite, implemented for the caller's own project only. */
const ids = (jobs: Array<{ job_id: string }>) => jobs.map((job) => job.job_id);

test.for<[string, { path: string; headers: Record<string, string>; want: number; left: string[] }]>([
  ['own project → 204, every job gone except the busy one', { path: `${listPath()}/batch`, headers: { 'x-auth-token': TOKEN_A }, want: 204, left: [BUSY_JOB] }],
  ['spelled %62atch → the same path (RFC 3986 §6.2.2.2)', { path: `${listPath()}/%62atch`, headers: { 'x-auth-token': TOKEN_A }, want: 204, left: [BUSY_JOB] }],
  [
    'BATCH is a job id that names no job → 404, nothing deleted',
    { path: `${listPath()}/BATCH`, headers: { 'x-auth-token': TOKEN_A }, want: 404, left: ids(projectA.jobs) },
  ],
  [
    "another project's token → 403, nothing deleted",
    { path: `${listPath()}/batch`, headers: { 'x-auth-token': TOKEN_B }, want: 403, left: ids(projectA.jobs) },
  ],
  ['no credentials → 401, nothing deleted', { path: `${listPath()}/batch`, headers: {}, want: 401, left: ids(projectA.jobs) }],
  [
    'Prefer: code=204 → a dry run',
    { path: `${listPath()}/batch`, headers: { 'x-auth-token': TOKEN_A, prefer: 'code=204' }, want: 204, left: ids(projectA.jobs) },
  ],
])('batch delete: %s', async ([, { path, headers, want, left }]) => {
  const server = await testServer();
  expect((await send(`${server.url}${path}`, { headers })).status).toBe(want);
  expect(ids(server.store.list(projectA.projectId))).toEqual(left);
  // Per-project isolation: the other project's jobs are never touched.
  expect(ids(server.store.list(projectB.projectId))).toEqual(ids(projectB.jobs));
});

test("after a batch delete the project's list shows what is left, and the other project's list is unchanged", async () => {
  const server = await testServer();
  expect((await send(`${server.url}${listPath(projectB.projectId)}/batch`, { headers: { 'x-auth-token': TOKEN_B } })).status).toBe(204);
  const listB = await send(`${server.url}${listPath(projectB.projectId)}`, { method: 'GET', headers: { 'x-auth-token': TOKEN_B } });
  const listA = await send(`${server.url}${listPath()}`, { method: 'GET', headers: { 'x-auth-token': TOKEN_A } });
  expect(listB.json).toEqual({ failure_jobs: [], count: 0 });
  expect((listA.json as { count: number }).count).toBe(projectA.jobs.length);
});
