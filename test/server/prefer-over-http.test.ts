import { expect, test } from 'vitest';
import { ERROR_TEMPLATES } from '../../server/error-responses.ts';
import { SYNTHESISABLE_STATUSES } from '../../server/scenarios.ts';
import { jobUrl, projectA, send, testServer, TOKEN_A, UNKNOWN_JOB } from './support.ts';

/** One real HTTP exchange per status Prefer can produce; the unknown id means nothing can be deleted. */
test.for(SYNTHESISABLE_STATUSES.map((status) => [status] as const))('Prefer: code=%i → that status, saying it was synthesised', async ([status]) => {
  const server = await testServer();
  const answer = await send(jobUrl(server, UNKNOWN_JOB), { headers: { 'x-auth-token': TOKEN_A, prefer: `code=${status}`, accept: 'application/json' } });

  expect(answer.status).toBe(status);
  expect(answer.headers['preference-applied']).toBe(`code=${status}`);
  expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  if (status === 204) {
    expect(answer.body).toBe('');
    expect(answer.headers['content-type']).toBeUndefined();
    return;
  }
  const template = ERROR_TEMPLATES[status];
  expect(answer.headers['content-type']).toBe('application/json;charset=UTF-8');
  const info =
    template?.shape === 'gateway'
      ? { code: (answer.json as { error_code: string }).error_code, message: (answer.json as { error_msg: string }).error_msg }
      : Object.values(answer.json as Record<string, { code: string; message: string }>)[0];
  expect(info?.code).toBe(template?.code);
  expect(info?.message).toContain(`synthesised: Prefer code=${status}`);
  if (status === 405) expect(answer.headers.allow).toBe('DELETE');
  if (status === 407) expect(answer.headers['proxy-authenticate']).toMatch(/^Basic realm=/);
});

test('with --no-scenarios, Prefer is ignored and the real answer comes back', async () => {
  const server = await testServer({ scenarios: false });
  const answer = await send(jobUrl(server, UNKNOWN_JOB), { headers: { 'x-auth-token': TOKEN_A, prefer: 'code=503' } });
  expect(answer.status).toBe(404);
  expect(answer.headers['preference-applied']).toBeUndefined();
});

test('Prefer: code=204 does not delete: the job is still listed afterwards', async () => {
  const server = await testServer();
  const job = projectA.jobs[0]?.job_id as string;
  expect((await send(jobUrl(server, job), { headers: { 'x-auth-token': TOKEN_A, prefer: 'code=204' } })).status).toBe(204);
  expect(server.store.list(projectA.projectId).map((j) => j.job_id)).toContain(job);
});
