import { expect, test } from 'vitest';
import { parseProxyAuth } from '../../server/proxy-auth.ts';
import { BUSY_JOB, FREE_JOB, jobPath, jobUrl, parseRaw, rawExchange, send, testServer, TOKEN_A, UNKNOWN_JOB } from './support.ts';

/** Statuses the server reaches on its own, with scenario control off: what a production-like mock does. */
const errorInfo = (json: unknown) => Object.values(json as Record<string, { code: string; message: string }>)[0];

test('406: Accept without JSON, and the answer would carry a body', async () => {
  const server = await testServer({ scenarios: false });
  const answer = await send(jobUrl(server, UNKNOWN_JOB), { headers: { 'x-auth-token': TOKEN_A, accept: 'text/html' } });
  expect(answer.status).toBe(406);
  expect(answer.headers['content-type']).toBe('application/json;charset=UTF-8');
  expect(errorInfo(answer.json)?.message).toContain('Accept "text/html" excludes application/json; the answer would have been 404');
});

test('406 does not apply to a 204: no body, nothing to refuse', async () => {
  const server = await testServer({ scenarios: false });
  expect((await send(jobUrl(server, FREE_JOB), { headers: { 'x-auth-token': TOKEN_A, accept: 'text/html' } })).status).toBe(204);
});

test.for<[string, { header: string | undefined; want: number; message?: RegExp }]>([
  ['missing', { header: undefined, want: 407, message: /no Proxy-Authorization header/ }],
  ['wrong', { header: `Basic ${Buffer.from('qa:wrong').toString('base64')}`, want: 407, message: /does not carry the credentials/ }],
  ['right', { header: `Basic ${Buffer.from('qa:pa55').toString('base64')}`, want: 404 }],
])('407 in proxy-auth mode: Proxy-Authorization %s', async ([, { header, want, message }]) => {
  const server = await testServer({ scenarios: false, proxyAuth: parseProxyAuth('qa:pa55') });
  const headers: Record<string, string> = { 'x-auth-token': TOKEN_A, ...(header ? { 'proxy-authorization': header } : {}) };
  const answer = await send(jobUrl(server, UNKNOWN_JOB), { headers });
  expect(answer.status).toBe(want);
  if (want !== 407) return;
  expect(answer.headers['proxy-authenticate']).toBe('Basic realm="sdrs-reference"');
  expect(errorInfo(answer.json)?.message).toMatch(message as RegExp);
});

test.for<[string, { bytes: string }]>([
  ['the head never completes', { bytes: `DELETE ${jobPath(UNKNOWN_JOB)} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-auth-token: ${TOKEN_A}\r\n` }],
  [
    'the announced body never arrives',
    { bytes: `DELETE ${jobPath(UNKNOWN_JOB)} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-auth-token: ${TOKEN_A}\r\ncontent-length: 10\r\n\r\n{"a"` },
  ],
])('408 with the documented JSON body when %s within the request timeout', async ([, { bytes }]) => {
  const server = await testServer({ scenarios: false, requestTimeoutMs: 200 });
  const started = performance.now();
  const result = await rawExchange(server.port, bytes, 5000);
  expect(result.end).toBe('closed');
  expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  const { status, headers, json } = parseRaw(result.data);
  expect(status).toBe(408);
  expect(headers['content-type']).toBe('application/json;charset=UTF-8');
  expect(headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  expect(headers.connection).toBe('close');
  expect(errorInfo(json)?.code).toBe('SDRS.9408');
  expect(await server.nextLine((l) => l.status === 408)).toMatchObject({ requestId: headers['x-request-id'] });
});

test("409: the job's protection group is busy (seed flag), and the job stays", async () => {
  const server = await testServer({ scenarios: false });
  const answer = await send(jobUrl(server, BUSY_JOB));
  expect(answer.status).toBe(409);
  expect(errorInfo(answer.json)?.code).toBe('SDRS.9409');
  expect((await send(jobUrl(server, BUSY_JOB))).status).toBe(409);
});

test('429 (gateway throttling, outside the doc table): over the per-project limit in one minute', async () => {
  let now = new Date(Date.UTC(2024, 0, 1, 0, 0, 10));
  const server = await testServer({ scenarios: false, rateLimitPerMinute: 2, now: () => now });
  const statuses = [];
  for (let i = 0; i < 3; i += 1) statuses.push((await send(jobUrl(server, UNKNOWN_JOB))).status);
  expect(statuses).toEqual([404, 404, 429]);
  const throttled = await send(jobUrl(server, UNKNOWN_JOB));
  expect(throttled.json).toMatchObject({
    error_code: 'APIG.0308',
    error_msg: expect.stringContaining('limit:2,time:1 minute'),
    request_id: throttled.headers['x-request-id'],
  });
  now = new Date(Date.UTC(2024, 0, 1, 0, 1, 0));
  expect((await send(jobUrl(server, UNKNOWN_JOB))).status).toBe(404);
});

test('413: a body over the cap is refused at once and the connection closes', async () => {
  const server = await testServer({ scenarios: false, maxRequestBodyBytes: 1024 });
  const body = 'x'.repeat(4096);
  const result = await rawExchange(
    server.port,
    `DELETE ${jobPath(FREE_JOB)} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-auth-token: ${TOKEN_A}\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
  );
  const { status, json } = parseRaw(result.data);
  expect(status).toBe(413);
  expect(json).toMatchObject({ error_code: 'APIGW.0201' });
  expect(result.end).toBe('closed');
  expect((await send(jobUrl(server, FREE_JOB))).status).toBe(204);
});
