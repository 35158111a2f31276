import { connect } from 'node:net';
import { expect, test } from 'vitest';
import { FREE_JOB, jobPath, jobUrl, parseRaw, projectA, rawExchange, rawRequest, send, testServer, TOKEN_A, UNKNOWN_JOB } from './support.ts';

const scenario = (value: string) => ({ 'x-auth-token': TOKEN_A, 'x-sdrs-scenario': value });
const listed = (server: { store: { list(p: string): Array<{ job_id: string }> } }) => server.store.list(projectA.projectId).map((job) => job.job_id);

test('latency=150: the answer comes at least 150 ms later, and says what was applied', async () => {
  const server = await testServer();
  const started = performance.now();
  const answer = await send(jobUrl(server, UNKNOWN_JOB), { headers: scenario('latency=150') });
  expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  expect(answer.status).toBe(404);
  expect(answer.headers['x-sdrs-scenario-applied']).toBe('latency=150');
  expect(await server.nextLine((l) => l.fault === 'latency=150')).toMatchObject({ status: 404, outcome: { kind: 'sent' } });
});

test('reset: the connection is reset with nothing sent — and the delete did happen', async () => {
  const server = await testServer();
  const result = await rawExchange(server.port, rawRequest('DELETE', jobPath(FREE_JOB), scenario('reset')));
  expect(result).toEqual({ data: '', end: 'reset' });
  expect(listed(server)).not.toContain(FREE_JOB);
  expect(await server.nextLine((l) => l.fault === 'reset')).toMatchObject({ status: 204, outcome: { kind: 'reset' } });
  // A client that retries learns the job is gone.
  expect((await send(jobUrl(server, FREE_JOB))).status).toBe(404);
});

test('stall with a body: the head and half the body arrive, the rest never does', async () => {
  const server = await testServer();
  const result = await rawExchange(server.port, rawRequest('DELETE', jobPath(UNKNOWN_JOB), scenario('stall')), 400);
  expect(result.end).toBe('deadline');
  const { status, headers } = parseRaw(result.data);
  expect(status).toBe(404);
  expect(headers['x-sdrs-scenario-applied']).toBe('stall');
  const received = Buffer.byteLength(result.data.split('\r\n\r\n')[1] ?? '', 'latin1');
  expect(received).toBe(Math.floor(Number(headers['content-length']) / 2));
  expect(await server.nextLine((l) => l.fault === 'stall')).toMatchObject({ outcome: { kind: 'abandoned', closedBy: 'client' } });
});

test('stall without a body (204): the head starts and never ends', async () => {
  const server = await testServer();
  const result = await rawExchange(server.port, rawRequest('DELETE', jobPath(FREE_JOB), scenario('stall')), 400);
  expect(result.end).toBe('deadline');
  expect(result.data).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
  expect(result.data).not.toContain('\r\n\r\n');
});

test('stall, seen by undici: the headers come, the body times out', async () => {
  const server = await testServer();
  await expect(send(jobUrl(server, UNKNOWN_JOB), { headers: scenario('stall'), bodyTimeout: 300 })).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
});

test('hang: no answer at all; the client gives up, and that ends it on the server', async () => {
  const server = await testServer();
  await expect(send(jobUrl(server, UNKNOWN_JOB), { headers: scenario('hang'), headersTimeout: 300 })).rejects.toMatchObject({
    code: 'UND_ERR_HEADERS_TIMEOUT',
  });
  expect(await server.nextLine((l) => l.fault === 'hang')).toMatchObject({ status: 404, outcome: { kind: 'abandoned', closedBy: 'client' } });
  await server.whenIdle();
  expect(server.openConnections()).toBe(0);
});

test('a client that leaves during added latency ends the wait (the timer does not outlive it)', async () => {
  const server = await testServer();
  const socket = connect(server.port, '127.0.0.1');
  socket.write(rawRequest('DELETE', jobPath(UNKNOWN_JOB), scenario('latency=60000')));
  await server.started(1);
  socket.destroy();
  expect(await server.nextLine((l) => l.fault === 'latency=60000')).toMatchObject({ outcome: { kind: 'abandoned', closedBy: 'client' } });
  await server.whenIdle();
});

test('close() does not wait on faults: a hang, a stall and a minute of latency in flight', async () => {
  const server = await testServer();
  const faults = ['hang', 'stall', 'latency=60000'];
  const exchanges = faults.map((fault) => rawExchange(server.port, rawRequest('DELETE', jobPath(UNKNOWN_JOB), scenario(fault)), 30_000));
  await server.started(faults.length);
  // Meanwhile the server keeps answering; by the time it has, the faults are under way.
  expect((await send(jobUrl(server, UNKNOWN_JOB))).status).toBe(404);
  const started = performance.now();
  await server.close();
  expect(performance.now() - started).toBeLessThan(1000);
  expect((await Promise.all(exchanges)).map((r) => r.end)).not.toContain('deadline');
  for (const fault of faults) expect(server.lines.find((l) => l.fault === fault)?.outcome).toEqual({ kind: 'abandoned', closedBy: 'server' });
});

test('an X-Sdrs-Scenario it does not understand: 400 saying so, nothing processed', async () => {
  const server = await testServer();
  const answer = await send(jobUrl(server, FREE_JOB), { headers: scenario('latency=fast') });
  expect(answer.status).toBe(400);
  expect(JSON.stringify(answer.json)).toMatch(/X-Sdrs-Scenario \\"latency=fast\\".*not understood.*not processed/);
  expect(listed(server)).toContain(FREE_JOB);
});

test('--no-scenarios: X-Sdrs-Scenario is ignored, as in production', async () => {
  const server = await testServer({ scenarios: false });
  const answer = await send(jobUrl(server, UNKNOWN_JOB), { headers: scenario('hang'), headersTimeout: 2000 });
  expect(answer.status).toBe(404);
  expect(answer.headers['x-sdrs-scenario-applied']).toBeUndefined();
});
