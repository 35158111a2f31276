import type { Socket } from 'node:net';
import { expect, onTestFinished, test } from 'vitest';
import { runChecks } from '../../lib/checks/index.ts';
import { createConnectionPool } from '../../lib/http/connection-pool.ts';
import type { Exchange, ExchangeResponse } from '../../lib/http/exchange.ts';
import { DEFAULT_HTTP_OPTIONS } from '../../lib/http/http-options.ts';
import { expectationFor } from '../support/fixtures.ts';
import { startRawServer } from '../support/raw-server.ts';

const HEAD_204 = 'HTTP/1.1 204 No Content\r\nX-Request-Id: d58d1fe6196832aebb76f1c43c169128\r\n\r\n';
const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}';
const DROPPED = '{"result":"deleted"}';

/** A raw server that answers the n-th request on each connection with `answers(n, socket)`, counting connections. */
async function rawKeepAlive(answers: (index: number, socket: Socket) => void) {
  const connections = new Set<Socket>();
  const { url } = await startRawServer((socket, _request) => {
    connections.add(socket);
    const index = ((socket as Socket & { served?: number }).served ?? 0) + 1;
    (socket as Socket & { served?: number }).served = index;
    answers(index, socket);
  });
  return { url, connections: () => connections.size };
}

function pool(max = 1, overrides: Partial<typeof DEFAULT_HTTP_OPTIONS> = {}) {
  const created = createConnectionPool({ ...DEFAULT_HTTP_OPTIONS, watchAfterNoContentMs: 30, ...overrides }, max);
  onTestFinished(() => created.settle());
  return created;
}

const request = (url: string) => ({ method: 'DELETE', url: `${url}/v1/p/task-center/failure-jobs/j`, headers: {} });

function responseOf(exchange: Exchange): ExchangeResponse {
  if (exchange.kind !== 'response') throw new Error(`expected a response, got ${exchange.error.cause}: ${exchange.error.message}`);
  return exchange.response;
}

test('a kept-alive connection carries one request after another: one connection for three exchanges', async () => {
  const server = await rawKeepAlive((_, socket) => socket.write(NOT_FOUND));
  const connections = pool();
  for (let i = 0; i < 3; i += 1) expect(responseOf(await connections.send(request(server.url))).status).toBe(404);
  expect(connections.opened).toBe(1);
  expect(server.connections()).toBe(1);
});

test('bytes that reach an idle connection long after its 204 are reported against that 204 once the pool settles', async () => {
  const server = await rawKeepAlive((_, socket) => {
    socket.write(HEAD_204);
    setTimeout(() => socket.writable && socket.write(DROPPED), 20);
  });
  const connections = pool(1, { watchAfterNoContentMs: 60 });
  const answer = responseOf(await connections.send(request(server.url)));
  // The exchange comes back at once, clean so far: the bytes are not there yet.
  expect(answer.wireBodyBytes).toBe(0);
  await connections.settle();
  expect(answer.wireBodyBytes).toBe(DROPPED.length);
  expect(runChecks(answer, expectationFor([204])).map((v) => `${v.checkId}: ${v.received}`)).toEqual([`no-content-body: ${DROPPED.length} bytes`]);
});

test("a 204's leftover written in front of the next answer on the same connection is the 204's; the next answer stays clean", async () => {
  const server = await rawKeepAlive((index, socket) => socket.write(index === 1 ? HEAD_204 : `${DROPPED}${NOT_FOUND}`));
  const connections = pool();
  const first = responseOf(await connections.send(request(server.url)));
  const second = responseOf(await connections.send(request(server.url)));
  expect(server.connections()).toBe(1);
  expect(first.wireBodyBytes).toBe(DROPPED.length);
  expect(second).toMatchObject({ status: 404, wireBodyBytes: 2 });
  expect(second.framingError).toBeUndefined();
  expect(runChecks(second, expectationFor([404])).map((v) => v.checkId)).not.toContain('http-framing');
});

test('bytes after an answer framed by Content-Length are a framing error of that answer, and the connection is retired', async () => {
  const server = await rawKeepAlive((index, socket) => {
    socket.write(NOT_FOUND);
    if (index === 1) setTimeout(() => socket.writable && socket.write('garbage'), 5);
  });
  const connections = pool();
  const first = responseOf(await connections.send(request(server.url)));
  await new Promise((resolve) => setTimeout(resolve, 30));
  const second = responseOf(await connections.send(request(server.url)));
  await connections.settle();
  expect(first.framingError).toBe('7 bytes arrived on the connection after the message had ended');
  expect(runChecks(first, expectationFor([404])).map((v) => v.checkId)).toContain('http-framing');
  expect(second.framingError).toBeUndefined();
  expect(connections.opened).toBe(2);
});

test('a 204 connection rests, then carries the next request itself (even with room for another), so bytes held back for it show', async () => {
  const server = await rawKeepAlive((_, socket) => socket.write(HEAD_204));
  const connections = pool(2, { watchAfterNoContentMs: 150 });
  await connections.send(request(server.url));
  const started = performance.now();
  await connections.send(request(server.url));
  expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  expect(connections.opened).toBe(1);
  // Once ridden, it is an ordinary connection again: the next request takes any free one.
  await Promise.all([connections.send(request(server.url)), connections.send(request(server.url))]);
  expect(connections.opened).toBe(2);
});

test('while a 204 connection rests, only the next request waits for it: the ones after it go on another connection at once', async () => {
  // The n-th request on each connection: 204 first, then the 204's held-back bytes in front of a 404 (a body flushed late).
  const server = await rawKeepAlive((index, socket) => socket.write(index === 1 ? HEAD_204 : `${DROPPED}${NOT_FOUND}`));
  const connections = pool(2, { watchAfterNoContentMs: 150 });
  const first = responseOf(await connections.send(request(server.url)));
  const finished: string[] = [];
  const next = connections.send(request(server.url)).then((e) => (finished.push('next'), responseOf(e)));
  const after = connections.send(request(server.url)).then((e) => (finished.push('after'), responseOf(e)));
  await Promise.all([next, after]);
  // "after" took a new connection (a 204 there too) instead of waiting out the rest; "next" rode the rested one.
  expect(finished).toEqual(['after', 'next']);
  expect(connections.opened).toBe(2);
  expect((await after).status).toBe(204);
  expect((await next).status).toBe(404);
  expect(first.wireBodyBytes).toBe(DROPPED.length);
});

test('a POST rides a connection the server kept open and used a moment ago; if the server was closing it after all, the POST is not sent again', async () => {
  // Two answers on a connection, then the server closes it as the third request arrives, answering nothing.
  const server = await rawKeepAlive((index, socket) => (index <= 2 ? socket.write(NOT_FOUND) : socket.destroy()));
  const connections = pool(2);
  for (let i = 0; i < 2; i += 1) expect(responseOf(await connections.send({ ...request(server.url), method: 'GET' })).status).toBe(404);
  const post = await connections.send({ ...request(server.url), method: 'POST' });
  expect(post.kind).toBe('network-error');
  // One connection: the POST went on the GETs', once; a second attempt would have opened another.
  expect(server.connections()).toBe(1);
});

test('a POST never rides a connection that carried only one answer: a server may close after each (no Connection: close said)', async () => {
  let served = 0;
  const server = await rawKeepAlive((_, socket) => {
    served += 1;
    socket.write(served === 1 ? HEAD_204 : NOT_FOUND);
  });
  const connections = pool(1, { watchAfterNoContentMs: 30 });
  expect(responseOf(await connections.send(request(server.url))).status).toBe(204);
  // The pool is full (one connection), and that one has not shown that it stays open: the POST gets a new one,
  // at once after the 204's rest (not when the server would close the old one).
  expect(responseOf(await connections.send({ ...request(server.url), method: 'POST' })).status).toBe(404);
  expect(server.connections()).toBe(2);
});

test('at most `max` connections are open at once, whatever is in flight', async () => {
  let open = 0;
  let peak = 0;
  const { url } = await startRawServer((socket) => {
    if (!(socket as Socket & { counted?: boolean }).counted) {
      (socket as Socket & { counted?: boolean }).counted = true;
      open += 1;
      peak = Math.max(peak, open);
      socket.once('close', () => (open -= 1));
    }
    setTimeout(() => socket.write(NOT_FOUND), 5);
  });
  const connections = pool(3);
  const answers = await Promise.all(Array.from({ length: 12 }, () => connections.send(request(url))));
  expect(answers.map((a) => responseOf(a).status)).toEqual(Array(12).fill(404));
  expect(peak).toBe(3);
  expect(connections.opened).toBe(3);
});

test('a connection the server closes while idle is retired, and the next request opens another', async () => {
  const server = await rawKeepAlive((_, socket) => socket.end(NOT_FOUND));
  const connections = pool();
  expect(responseOf(await connections.send(request(server.url))).status).toBe(404);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(responseOf(await connections.send(request(server.url))).status).toBe(404);
  expect(connections.opened).toBe(2);
});
