import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import { FREE_JOB, jobPath, jobUrl, parseRaw, projectA, rawExchange, rawRequest, send, testServer, TOKEN_A, UNKNOWN_JOB } from './support.ts';

/** Loopback only; every loop is bounded and every socket has a deadline, so these stop by themselves. */
const WELL_FORMED = rawRequest('DELETE', jobPath(UNKNOWN_JOB), { 'x-auth-token': TOKEN_A, connection: 'close' });

test.for<[string, { bytes: string; want: number; code?: string }]>([
  ['a well-formed request (the control row) → 404', { bytes: WELL_FORMED, want: 404 }],
  ['garbage instead of a request line → 400', { bytes: '\x16\x03\x01\x02\x00garbage\r\n\r\n', want: 400, code: 'SDRS.0201' }],
  ['an unknown HTTP version → 400', { bytes: 'DELETE / HTTP/9.9\r\nhost: x\r\n\r\n', want: 400 }],
  ['a header name with a space → 400', { bytes: 'DELETE / HTTP/1.1\r\nhost: x\r\nbad name: 1\r\n\r\n', want: 400 }],
  ['a NUL in a header value → 400', { bytes: 'DELETE / HTTP/1.1\r\nhost: x\r\nx-a: a\x00b\r\n\r\n', want: 400 }],
  ['two different Content-Lengths (smuggling) → 400', { bytes: 'DELETE / HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab', want: 400 }],
  ['a broken chunked body → 400', { bytes: 'DELETE / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n', want: 400 }],
  ['a 64 KiB header → 431', { bytes: `DELETE / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(65_536)}\r\n\r\n`, want: 431, code: 'APIGW.0201' }],
  ['a 64 KiB path → 431', { bytes: `DELETE /${'a'.repeat(65_536)} HTTP/1.1\r\nhost: x\r\n\r\n`, want: 431 }],
])('%s with a JSON body; the server answers the next request', async ([, { bytes, want, code }]) => {
  const server = await testServer();
  const result = await rawExchange(server.port, bytes);
  const { status, headers, json } = parseRaw(result.data);
  expect(status).toBe(want);
  expect(headers['content-type']).toBe('application/json;charset=UTF-8');
  expect(result.end).toBe('closed');
  if (code) expect(JSON.stringify(json)).toContain(code);
  expect((await send(jobUrl(server, FREE_JOB))).status).toBe(204);
});

/** Opens `count` connections, `wave` at a time (a burst beyond the listen backlog would only measure SYN retries). */
async function openConnections(port: number, count: number, wave = 250): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += wave) {
    const batch = Array.from({ length: Math.min(wave, count - i) }, () => connect(port, '127.0.0.1'));
    sockets.push(...batch);
    await Promise.all(batch.map((socket) => new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject))));
  }
  return sockets;
}

function answerOn(socket: Socket, bytes: string, deadlineMs: number): Promise<number> {
  return new Promise((resolve) => {
    let data = '';
    const deadline = setTimeout(() => socket.destroy(), deadlineMs);
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(deadline);
      resolve(parseRaw(data).status || 0);
    });
    socket.write(bytes);
  });
}

test('2000 connections open at once, each with a request in flight: every one answered', async () => {
  const server = await testServer();
  const sockets = await openConnections(server.port, 2000);
  // The accept queue is FIFO: once a later connection is answered, all 2000 have been accepted.
  expect((await send(jobUrl(server, UNKNOWN_JOB))).status).toBe(404);
  expect(server.openConnections()).toBeGreaterThanOrEqual(2000);
  const started = performance.now();
  const statuses = await Promise.all(sockets.map((socket) => answerOn(socket, WELL_FORMED, 20_000)));
  const counts = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]));
  console.log(`robustness: 2000 concurrent connections, 2000 requests answered in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(counts)}`);
  expect(counts).toEqual({ 404: 2000 });
  await server.whenIdle();
});

test('2000 idle connections do not starve a real client, and close() ends them at once', async () => {
  const server = await testServer();
  const idle = await openConnections(server.port, 2000);
  const closed = Promise.all(idle.map((socket) => new Promise((resolve) => socket.on('error', () => {}).once('close', resolve))));
  expect((await send(jobUrl(server, FREE_JOB))).status).toBe(204);
  const started = performance.now();
  await server.close();
  await closed;
  expect(performance.now() - started).toBeLessThan(2000);
});

type Abrupt = 'mid-head' | 'mid-body' | 'before-answer' | 'reset-before-answer' | 'during-hang';
const ABRUPT: Record<Abrupt, { bytes: (jobId: string) => string; reachesHandler: boolean }> = {
  'mid-head': { bytes: (id) => rawRequest('DELETE', jobPath(id)).slice(0, 40), reachesHandler: false },
  'mid-body': { bytes: (id) => `${rawRequest('DELETE', jobPath(id), { 'x-auth-token': TOKEN_A, 'content-length': '100' })}{"x"`, reachesHandler: false },
  'before-answer': { bytes: (id) => rawRequest('DELETE', jobPath(id)), reachesHandler: true },
  'reset-before-answer': { bytes: (id) => rawRequest('DELETE', jobPath(id)), reachesHandler: true },
  'during-hang': { bytes: (id) => rawRequest('DELETE', jobPath(id), { 'x-auth-token': TOKEN_A, 'x-sdrs-scenario': 'hang' }), reachesHandler: true },
};

/** Writes, then leaves without reading: FIN or RST right after the last byte. */
function leaveAbruptly(port: number, kind: Abrupt, jobId: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.once('close', () => resolve());
    socket.write(ABRUPT[kind].bytes(jobId), () => (kind === 'reset-before-answer' ? socket.resetAndDestroy() : socket.destroy()));
  });
}

test('3000 abrupt disconnects: the server keeps answering, cleans up every connection, memory stays bounded', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const jobs = Array.from({ length: 3000 }, (_, i) => ({
    job_id: `abrupt-${i}`,
    job_type: 't',
    resource_id: 'r',
    resource_name: 'n',
    resource_type: 'replications',
    failure_status: 'createFail',
    error_code: 'E',
    fail_reason: 'f',
    begin_time: '2019-01-21T12:56:35.754Z',
  }));
  const server = await testServer({ seed: { projects: [{ ...projectA, jobs }] } });
  const kinds = Object.keys(ABRUPT) as Abrupt[];
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let wave = 0; wave < 3000; wave += 300) {
    await Promise.all(jobs.slice(wave, wave + 300).map((job, i) => leaveAbruptly(server.port, kinds[(wave + i) % kinds.length] as Abrupt, job.job_id)));
  }
  await server.whenIdle();
  gc();
  const growth = process.memoryUsage().heapUsed - heapBefore;
  console.log(
    `robustness: 3000 abrupt disconnects (${kinds.join(', ')}); heap growth after GC ${(growth / 1024 / 1024).toFixed(1)} MiB; open connections ${server.openConnections()}`,
  );
  expect(server.openConnections()).toBe(0);
  expect(growth).toBeLessThan(16 * 1024 * 1024);
  // State stays consistent: a job is gone only if its request reached the handler, and exactly then.
  const left = new Set(server.store.list(projectA.projectId).map((job) => job.job_id));
  for (const [i, job] of jobs.entries()) {
    expect(left.has(job.job_id), `${job.job_id} (${kinds[i % kinds.length]})`).toBe(!ABRUPT[kinds[i % kinds.length] as Abrupt].reachesHandler);
  }
  expect((await send(jobUrl(server, UNKNOWN_JOB))).status).toBe(404);
});
