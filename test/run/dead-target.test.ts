import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { serveForTest } from '../support/network-peers.ts';
import { tempDir } from '../support/temp-dir.ts';

const LIST_OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{"failure_jobs":[],"count":0}\n';
const NOT_FOUND = JSON.stringify({ error: { code: 'SDRS.1060', message: 'The failure job does not exist.' } });

/**
 * A target that answers the first read of the list (the preflight, whose page the run reads on from),
 * then — per `silent(n)` for the n-th request after that — accepts and never answers, or answers 404.
 * Request lines are kept in order.
 */
async function dyingTarget(silent: (n: number) => boolean): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  let listed = false;
  const server = createServer((socket) => {
    socket.on('error', () => {});
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const line = head.split('\r\n')[0] ?? '';
      if (!listed && /^GET \S*\/task-center\/failure-jobs(\?\S*)? HTTP/.test(line)) {
        listed = true;
        return void socket.end(LIST_OK);
      }
      requests.push(line);
      if (silent(requests.length)) return;
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${NOT_FOUND.length}\r\nConnection: close\r\n\r\n${NOT_FOUND}`);
    };
    socket.on('data', onData);
  });
  return { url: await serveForTest(server), requests };
}

const run = async (url: string, ...extra: string[]) => {
  const work = tempDir('dead-target');
  const result = await runCli(
    [
      'run',
      '--endpoint',
      url,
      '--project-id',
      'p',
      '--token',
      't0ken-of-the-run',
      '--timeout',
      '500',
      '--fuzz-runs',
      '0',
      '--summary-dir',
      work,
      '--results-dir',
      join(work, 'results'),
      ...extra,
    ],
    { timeoutMs: 30_000 },
  );
  const summary = JSON.parse(readFileSync(join(work, 'conformance-summary.json'), 'utf8')) as {
    verdict: string;
    cases: Array<{ caseId: string; status: string; skip: { category: string; reason: string } | null }>;
  };
  return { ...result, summary };
};

test('a target that goes silent after the preflight: the run stops after 5 requests in a row without an answer, exit 3, the rest "not run"', async () => {
  const target = await dyingTarget(() => true);
  const result = await run(target.url);
  expect(result.code, result.stdout + result.stderr).toBe(3);
  expect(result.stderr).toMatch(/^stopped early: the target stopped answering — \d+ requests in a row got no answer \(the last: (headers-timeout|deadline), /m);
  // One wave of 8 requests (--concurrency 8) waits out its 500 ms deadline; each of the first 4 failures
  // frees a slot for one more request, the 5th stops the run: nothing after it is sent.
  expect(target.requests.length).toBeLessThanOrEqual(8 + 4);
  expect(result.ms).toBeLessThan(5 * 500 + 4000);
  expect(result.summary.verdict, result.stdout).toBe('INCOMPLETE');
  const notRun = result.summary.cases.filter((c) => c.skip?.category === 'not-run');
  expect(notRun.length).toBeGreaterThan(10);
  expect(notRun[0]?.skip?.reason).toMatch(/^not run: target unresponsive \(/);
  // The failures that showed the target was gone are no verdict on their cases either.
  expect(
    result.summary.cases.filter((c) => c.status === 'broken' || c.status === 'failed'),
    result.stdout,
  ).toEqual([]);
  expect(result.stdout).toMatch(/Verdict: INCOMPLETE — Target unresponsive/);
});

test('--max-transport-errors K with --concurrency 1: exactly K requests go unanswered, then the run stops', async () => {
  const target = await dyingTarget(() => true);
  const result = await run(target.url, '--max-transport-errors', '3', '--concurrency', '1');
  expect(result.code, result.stdout + result.stderr).toBe(3);
  expect(target.requests).toHaveLength(3);
  expect(result.stderr).toMatch(/3 requests in a row got no answer/);
});

test('an answer resets the count: a target silent on every other request is run to the end, its silences reported as transport errors', async () => {
  const target = await dyingTarget((n) => n % 2 === 1);
  const result = await run(target.url, '--max-transport-errors', '2', '--concurrency', '1');
  expect(result.stderr).not.toMatch(/stopped early/);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^ERR /m);
  expect(result.summary.cases.some((c) => c.skip?.category === 'not-run')).toBe(false);
});

test('--max-transport-errors 0 never stops: every case waits out its own deadline', async () => {
  const target = await dyingTarget(() => true);
  const result = await run(target.url, '--max-transport-errors', '0');
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(/stopped early/);
  expect(target.requests.length).toBeGreaterThan(8);
});
