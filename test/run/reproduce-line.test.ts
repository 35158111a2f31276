/**
 * A `reproduce:` line is pasted into a shell: it must send the bytes the run sent — quoting that
 * survives `'`, `$`, backquotes and globbing characters — and read credentials from the environment.
 * Each line here is run with `sh -c` against a raw server that records what arrived.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { reproduceLine } from '../../lib/run/reproduce-line.ts';
import { startRawServer } from '../support/raw-server.ts';

const HOSTILE_PATHS = [
  "/v1/p/task-center/failure-jobs/it's",
  '/v1/p/task-center/failure-jobs/$(touch%20pwned)',
  '/v1/p/task-center/failure-jobs/`id`',
  '/v1/p/task-center/failure-jobs/a!b*c?',
  '/v1/p/task-center/failure-jobs/[0-9]{a,b}',
  '/v1/p/task-center/failure-jobs/..',
  '/v1/p/task-center/failure-jobs/%2e%2E/%ZZ',
  "/v1/p/task-center/failure-jobs/'\\''",
];

test.for(HOSTILE_PATHS)('the line for %s, run by sh, sends that path byte for byte, with the token from $SDRS_AUTH_TOKEN', async (path) => {
  const seen: string[] = [];
  const { url } = await startRawServer((socket, request) => {
    seen.push(request);
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  const line = reproduceLine({
    method: 'DELETE',
    url: `${url}${path}`,
    headers: { accept: 'application/json', 'user-agent': "sdrs-conformance/0.1.0 (it's)", 'x-auth-token': '***' },
  }) as string;
  expect(line).toContain('-H "x-auth-token: $SDRS_AUTH_TOKEN"');
  expect(line).not.toContain('***');
  // Asynchronously: the raw server answering it lives in this process.
  const { stdout: out } = await promisify(execFile)('sh', ['-c', line], {
    env: { ...process.env, SDRS_AUTH_TOKEN: 'tok-from-env' },
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(out).toMatch(/^HTTP\/1\.1 404/);
  const [requestLine, ...headers] = (seen[0] ?? '').split('\r\n');
  expect(requestLine).toBe(`DELETE ${path} HTTP/1.1`);
  expect(headers).toEqual(expect.arrayContaining(['accept: application/json', "user-agent: sdrs-conformance/0.1.0 (it's)", 'x-auth-token: tok-from-env']));
});

test('a request signed with AK/SK has no curl line: its signature covers the time', () => {
  expect(
    reproduceLine({ method: 'DELETE', url: 'http://h/x', headers: { authorization: 'SDK-HMAC-SHA256 Access=***, SignedHeaders=host, Signature=***' } }),
  ).toBeUndefined();
});
