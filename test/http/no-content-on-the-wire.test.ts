import { expect, test } from 'vitest';
import { runChecks } from '../../lib/checks/index.ts';
import { noContentBody } from '../../lib/checks/no-content-body.ts';
import { DEFAULT_HTTP_OPTIONS } from '../../lib/http/http-options.ts';
import { sendExchange } from '../../lib/http/send-exchange.ts';
import { expectationFor } from '../support/fixtures.ts';
import { startRawServer } from '../support/raw-server.ts';

const HEAD_204 = 'HTTP/1.1 204 No Content\r\nX-Request-Id: d58d1fe6196832aebb76f1c43c169128\r\n\r\n';

async function deleteAgainst(url: string) {
  const exchange = await sendExchange({ method: 'DELETE', url: `${url}/v1/p/task-center/failure-jobs/j`, headers: {} }, DEFAULT_HTTP_OPTIONS);
  if (exchange.kind !== 'response') throw new Error(`expected a response, got ${exchange.error.cause}`);
  return exchange.response;
}

test('a clean 204 has no body bytes on the wire and passes', async () => {
  const { url } = await startRawServer((socket) => socket.write(HEAD_204));
  const response = await deleteAgainst(url);
  expect(response.status).toBe(204);
  expect(response.wireBodyBytes).toBe(0);
  expect(noContentBody(response, expectationFor())).toEqual([]);
});

test('a 204 sent with body bytes in the same packet is caught — HTTP parsers drop them silently', async () => {
  const { url } = await startRawServer((socket) => socket.write(`${HEAD_204}{"deleted":true}`));
  const response = await deleteAgainst(url);
  expect(response.status).toBe(204);
  expect(response.body.length).toBe(0); // what any client library would show
  expect(response.wireBodyBytes).toBe(16);
  expect(noContentBody(response, expectationFor())).toMatchObject([
    { checkId: 'no-content-body', severity: 'error', received: '16 bytes', where: 'body (on the wire)' },
  ]);
});

test('stray bytes written after the 204 head, in a later packet, are caught too', async () => {
  const { url } = await startRawServer((socket) => {
    socket.write(HEAD_204);
    setImmediate(() => socket.write('stray'));
  });
  const response = await deleteAgainst(url);
  expect(response.wireBodyBytes).toBe(5);
  expect(noContentBody(response, expectationFor())).toHaveLength(1);
});

test('a 204 declaring Content-Length: 4 with 4 bytes fails on both counts', async () => {
  const { url } = await startRawServer((socket) => socket.write('HTTP/1.1 204 No Content\r\nContent-Length: 4\r\n\r\nbody'));
  const response = await deleteAgainst(url);
  expect(response.framingError).toMatch(/UND_ERR_RES_CONTENT_LENGTH_MISMATCH/);
  const found = runChecks(response, expectationFor([204]));
  expect(found.map((v) => `${v.checkId}: ${v.title}`)).toEqual([
    'no-content-body: 204 carries body bytes',
    'no-content-body: 204 carries a non-zero Content-Length',
    'http-framing: Response is not well-formed HTTP/1.1',
  ]);
});

test('an unsolicited 100 Continue before the 204 is accepted (RFC 9110 §15.2), not counted as body', async () => {
  const { url } = await startRawServer((socket) => socket.write(`HTTP/1.1 100 Continue\r\n\r\n${HEAD_204}`));
  const response = await deleteAgainst(url);
  expect(response.status).toBe(204);
  expect(response.wireBodyBytes).toBe(0);
  expect(runChecks(response, expectationFor([204]))).toEqual([]);
});
