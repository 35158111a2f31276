/**
 * Client teams share one reference server: X-Sdrs-Session gives a client its own copy of the jobs
 * (one team's `DELETE …/batch` no longer empties another's), and `POST /__sdrs/reset` puts the seed back.
 */
import { expect, test } from 'vitest';
import { BUSY_JOB, listPath, projectA, projectB, send, testServer, TOKEN_A, TOKEN_B } from './support.ts';

const ids = (jobs: Array<{ job_id: string }>) => jobs.map((job) => job.job_id);
const seeded = ids(projectA.jobs);

/** The ids project A's list shows to this session (or to clients without one). */
async function listed(url: string, session?: string): Promise<string[]> {
  const headers: Record<string, string> = { 'x-auth-token': TOKEN_A, ...(session ? { 'x-sdrs-session': session } : {}) };
  const answer = await send(`${url}${listPath()}`, { method: 'GET', headers });
  expect(answer.status).toBe(200);
  return ids((answer.json as { failure_jobs: Array<{ job_id: string }> }).failure_jobs);
}

const batch = (url: string, session?: string) =>
  send(`${url}${listPath()}/batch`, { headers: { 'x-auth-token': TOKEN_A, ...(session ? { 'x-sdrs-session': session } : {}) } });

test("one session's batch delete leaves every other session, and the shared jobs, as seeded", async () => {
  const server = await testServer();
  expect((await batch(server.url, 'team-a')).status).toBe(204);
  expect(await listed(server.url, 'team-a')).toEqual([BUSY_JOB]);
  expect(await listed(server.url, 'team-b')).toEqual(seeded);
  expect(await listed(server.url)).toEqual(seeded);
  expect(ids(server.store.list(projectA.projectId))).toEqual(seeded);
  // The other project's jobs in that session are its own too, and untouched.
  const listB = await send(`${server.url}${listPath(projectB.projectId)}`, { method: 'GET', headers: { 'x-auth-token': TOKEN_B, 'x-sdrs-session': 'team-a' } });
  expect((listB.json as { count: number }).count).toBe(projectB.jobs.length);
});

test('POST /__sdrs/reset restores the seed: of the session named, or of the shared jobs', async () => {
  const server = await testServer();
  await batch(server.url, 'team-a');
  await batch(server.url);
  expect(await listed(server.url)).toEqual([BUSY_JOB]);
  const resetA = await send(`${server.url}/__sdrs/reset`, { method: 'POST', headers: { 'x-sdrs-session': 'team-a' } });
  expect(resetA.status).toBe(200);
  expect(resetA.json).toEqual({ reset: { session: 'team-a' }, jobs: seeded.length + projectB.jobs.length });
  expect(await listed(server.url, 'team-a')).toEqual(seeded);
  expect(await listed(server.url)).toEqual([BUSY_JOB]);
  expect((await send(`${server.url}/__sdrs/reset`, { method: 'POST', headers: {} })).status).toBe(200);
  expect(await listed(server.url)).toEqual(seeded);
});

test('a malformed session id is refused (400), nothing is done', async () => {
  const server = await testServer();
  const answer = await send(`${server.url}${listPath()}/batch`, { headers: { 'x-auth-token': TOKEN_A, 'x-sdrs-session': 'a b/c' } });
  expect(answer.status).toBe(400);
  expect(JSON.stringify(answer.json)).toContain('X-Sdrs-Session must be 1–64 characters');
  expect(ids(server.store.list(projectA.projectId))).toEqual(seeded);
});

test('with --no-scenarios the server behaves like production: sessions are ignored and there is no reset', async () => {
  const server = await testServer({ scenarios: false });
  expect((await batch(server.url, 'team-a')).status).toBe(204);
  expect(await listed(server.url, 'team-b')).toEqual([BUSY_JOB]);
  expect((await send(`${server.url}/__sdrs/reset`, { method: 'POST', headers: {} })).status).toBe(404);
});
