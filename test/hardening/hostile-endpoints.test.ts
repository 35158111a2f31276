import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { hostileEndpoint } from '../support/hostile-endpoint.ts';

/**
 * Without --allow-delete the run sends 12 requests the hostile endpoint misbehaves on (its GETs of the list
 * get a proper answer): 9 on the job path — auth cases and wrong methods aim at an unknown id, plus the
 * invalid and unknown ids, all but "50%-ü-✓", which could match jobs as a pattern — and the list's 3 wrong methods.
 */
const run = (url: string, ...extra: string[]) =>
  runCli(['run', '--endpoint', url, '--project-id', 'p', '--token', 'hostile-secret-token', '--timeout', '600', '--fuzz-runs', '0', ...extra], {
    timeoutMs: 30_000,
  });
const JSON_400 = '{"error":{"code":"SDRS.0201","message":"Invalid request parameters"}}';

test.for([
  ['accepts the connection and never answers', () => {}, /transport error: (headers-timeout|deadline)/],
  [
    'answers the head, then stalls the body',
    (s: import('node:net').Socket) => s.write(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${JSON_400.length}\r\n\r\n{"err`),
    /transport error: (body-timeout|deadline)/,
  ],
  [
    'drips one byte every 100 ms, forever',
    (s: import('node:net').Socket) => {
      const text = `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
      let i = 0;
      const drip = setInterval(() => (s.destroyed ? clearInterval(drip) : s.write(i < text.length ? text[i++]! : '1\r\na\r\n')), 100);
    },
    /transport error: deadline .*no complete response within 600 ms/,
  ],
  ['answers bytes that are not HTTP', (s: import('node:net').Socket) => s.end('SSH-2.0-OpenSSH_9.6\r\n'), /transport error: protocol/],
  ['resets the connection before answering', (s: import('node:net').Socket) => s.resetAndDestroy(), /transport error: reset/],
] as const)('an endpoint that %s: each case ends within its deadline naming the transport cause, exit 1', async ([, behave, cause]) => {
  const endpoint = await hostileEndpoint(behave);
  const result = await run(endpoint.url);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^ERR {2}deleteFailureJob\.unknown-id/m);
  expect(result.stdout).toMatch(cause);
  expect(result.stdout).toMatch(/Verdict: NOT CONFORMANT/);
  expect(endpoint.requests).toHaveLength(12);
  // 12 requests × 600 ms plus start-up, far from a hang.
  expect(result.ms).toBeLessThan(20_000);
  expect(result.stdout + result.stderr).not.toContain('hostile-secret-token');
});

test('closes mid-body: the response is reported as badly framed (a contract violation), not a vague transport error', async () => {
  const endpoint = await hostileEndpoint((s) =>
    s.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${JSON_400.length}\r\n\r\n{"error":`),
  );
  const result = await run(endpoint.url);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^FAIL deleteFailureJob\.unknown-id +400/m);
  expect(result.stdout).toMatch(/\[http-framing\] Response is not well-formed HTTP\/1\.1 — Received: UND_ERR_SOCKET/);
});

test.for([
  ['an unknown 2xx status (299)', 'HTTP/1.1 299 Whatever\r\nContent-Length: 0\r\n\r\n', /\[status-documented\] .*Received: 299/],
  [
    'an unknown 5xx status (599)',
    `HTTP/1.1 599 Network Connect Timeout\r\nContent-Type: application/json\r\nContent-Length: ${JSON_400.length}\r\n\r\n${JSON_400}`,
    /\[status-documented\] .*Received: 599/,
  ],
  [
    'duplicate Content-Type fields',
    `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Type: text/html\r\nContent-Length: ${JSON_400.length}\r\n\r\n${JSON_400}`,
    /\[error-media-type\] Error response has several Content-Type fields/,
  ],
  // The HTTP parser drops a field line without a colon; the response then lacks its media type.
  [
    'a malformed header line',
    `HTTP/1.1 404 Not Found\r\nContent-Type application/json\r\nContent-Length: 2\r\n\r\n{}`,
    /\[error-media-type\] Error response is not JSON — Received: no Content-Type/,
  ],
  ['an invalid status line', 'HTTP/1.1 4O4 Not Found\r\nContent-Length: 0\r\n\r\n', /transport error: protocol/],
] as const)('an endpoint answering with %s: caught and named, exit 1', async ([, answer, want]) => {
  const endpoint = await hostileEndpoint((s) => s.end(answer));
  const result = await run(endpoint.url);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(want);
});

test.for([429, 503])('an endpoint answering %i with Retry-After: the DELETE is not retried, the status is reported', async (status) => {
  const endpoint = await hostileEndpoint((s) =>
    s.end(`HTTP/1.1 ${status} Busy\r\nRetry-After: 1\r\nContent-Type: application/json\r\nContent-Length: ${JSON_400.length}\r\n\r\n${JSON_400}`),
  );
  const result = await run(endpoint.url);
  expect(result.code).toBe(1);
  // one request per case, none repeated
  expect(endpoint.requests).toHaveLength(12);
  expect(new Set(endpoint.requests).size).toBe(10); // the auth cases and unknown-id share a request line
  expect(result.stdout).toMatch(new RegExp(`^FAIL deleteFailureJob\\.unknown-id +${status}`, 'm'));
});
