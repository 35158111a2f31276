import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { hostileEndpoint } from '../support/hostile-endpoint.ts';

/**
 * Without --allow-delete the run sends 30 requests the hostile endpoint misbehaves on (only the run's
 * own reads of the list get a proper answer): 19 on the job path — the refused-identity cells and the
 * wrong methods aim at an unknown id, plus the invalid and unknown ids, all but "50%-ü-✓", which could
 * match jobs as a pattern — and 11 on the list's path: its cases and its wrong methods.
 */
const run = (url: string, ...extra: string[]) =>
  runCli(['run', '--endpoint', url, '--project-id', 'p', '--token', 'hostile-secret-token', '--timeout', '600', '--fuzz-runs', '0', ...extra], {
    timeoutMs: 30_000,
  });
const JSON_400 = '{"error":{"code":"SDRS.0201","message":"Invalid request parameters"}}';

const TRANSPORT_FAILURES = [
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
] as const;

/**
 * Bytes that are not HTTP are an answer (a broken one), and a reset comes back at once from a live
 * target: neither stops the run (see "an invalid status line" below); silence and stalls do.
 */
const NO_ANSWER = TRANSPORT_FAILURES.filter(([, , cause]) => !/protocol|reset/.test(cause.source));

test.for(NO_ANSWER)('an endpoint that %s: the run stops after 5 requests in a row without an answer, naming the cause, exit 3', async ([, behave, cause]) => {
  const endpoint = await hostileEndpoint(behave);
  const result = await run(endpoint.url);
  expect(result.code, result.stdout + result.stderr).toBe(3);
  const named = cause.source.replace('transport error: ', 'the last: ').replace(/ \.\*.*$/, '');
  expect(result.stderr).toMatch(new RegExp(`^stopped early: the target stopped answering — \\d+ requests in a row got no answer \\(${named}`, 'm'));
  expect(result.stdout).toMatch(/Verdict: INCOMPLETE — Target unresponsive/);
  expect(result.stdout).not.toMatch(/^(ERR |FAIL)/m);
  expect(result.ms).toBeLessThan(20_000);
  expect(result.stdout + result.stderr).not.toContain('hostile-secret-token');
});

test.for(TRANSPORT_FAILURES)(
  'with --max-transport-errors 0, an endpoint that %s: each case ends within its deadline naming the transport cause, exit 1',
  async ([, behave, cause]) => {
    const endpoint = await hostileEndpoint(behave);
    const result = await run(endpoint.url, '--max-transport-errors', '0');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ERR {2}deleteFailureJob\.unknown-id/m);
    expect(result.stdout).toMatch(cause);
    expect(result.stdout).toMatch(/Verdict: NOT CONFORMANT/);
    expect(endpoint.requests).toHaveLength(30);
    // 30 requests × 600 ms, 8 at a time, plus start-up: far from a hang.
    expect(result.ms).toBeLessThan(20_000);
    expect(result.stdout + result.stderr).not.toContain('hostile-secret-token');
  },
);

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

test.for([429, 503])(
  'an endpoint answering %i with Retry-After, always: each request is sent again after the wait, up to --max-retries, then its case is not verified (throttled)',
  async (status) => {
    const endpoint = await hostileEndpoint((s) =>
      s.end(`HTTP/1.1 ${status} Busy\r\nRetry-After: 1\r\nContent-Type: application/json\r\nContent-Length: ${JSON_400.length}\r\n\r\n${JSON_400}`),
    );
    const result = await run(endpoint.url, '--max-retries', '1');
    // Nothing was processed, so nothing passed or failed: INCOMPLETE.
    expect(result.code, result.stdout + result.stderr).toBe(4);
    expect(result.stdout).not.toMatch(/^(FAIL|ERR )/m);
    // every request twice: once, and once more after Retry-After: 1
    expect(endpoint.requests).toHaveLength(60);
    // The refused-identity cells share their request lines with unknown-id and the malformed ids (no guard: the
    // unknown id stands in): 11 on the job path; on the list's, three cases share one (they differ in credentials only): 9.
    expect(new Set(endpoint.requests).size).toBe(20);
    expect(result.stdout).toMatch(new RegExp(`^SKIP deleteFailureJob\\.unknown-id +${status}`, 'm'));
    expect(result.stdout).toMatch(/skipped: Not verified \(throttled\)/);
    expect(result.stdout).toMatch(/^Throttling: 60 throttled answers .* 30 requests sent again after /m);
  },
);

test('an endpoint answering 503 without Retry-After: an answer, not a throttle — nothing is sent twice, the status is judged', async () => {
  const endpoint = await hostileEndpoint((s) =>
    s.end(`HTTP/1.1 503 Busy\r\nContent-Type: application/json\r\nContent-Length: ${JSON_400.length}\r\n\r\n${JSON_400}`),
  );
  const result = await run(endpoint.url);
  expect(result.code).toBe(1);
  expect(endpoint.requests).toHaveLength(30);
  expect(result.stdout).toMatch(/^FAIL deleteFailureJob\.unknown-id +503/m);
});
