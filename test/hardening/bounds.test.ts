import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEFAULT_HTTP_OPTIONS } from '../../lib/http/http-options.ts';
import { sendExchange } from '../../lib/http/send-exchange.ts';
import { BIN, runCli } from '../support/cli.ts';
import { hostileEndpoint, streamChunks } from '../support/hostile-endpoint.ts';
import { tempDir } from '../support/temp-dir.ts';

const TWO_GIB = 2 * 1024 ** 3;
const HEAD_400 = 'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';

/** A chunked 400 whose body would be 2 GiB; the server stops when the client leaves. */
function endlessBody(written: number[]) {
  return hostileEndpoint((socket) => {
    socket.write(HEAD_400);
    // One HTTP chunk of 64 KiB, repeated: the body is never held in memory, on either side.
    streamChunks(socket, `${(64 * 1024).toString(16)}\r\n${'a'.repeat(64 * 1024)}\r\n`, TWO_GIB, (sent) => written.push(sent));
  });
}

test('a 2 GiB body: at most the cap is read, the exchange says so, and the server is cut off early', async () => {
  const written: number[] = [];
  const endpoint = await endlessBody(written);
  const before = process.memoryUsage().rss;
  const exchange = await sendExchange({ method: 'DELETE', url: `${endpoint.url}/v1/p/task-center/failure-jobs/j`, headers: {} }, DEFAULT_HTTP_OPTIONS);
  expect(exchange.kind).toBe('response');
  if (exchange.kind !== 'response') return;
  expect(exchange.response.body.length).toBe(DEFAULT_HTTP_OPTIONS.maxBodyBytes);
  expect(exchange.response.bodyTruncated).toBe(true);
  expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 ** 2);
  await expect.poll(() => written.length).toBe(1);
  expect(written[0]).toBeLessThan(256 * 1024 ** 2);
});

/** Peak resident memory of a child process, read from /proc while it runs (VmHWM is the high-water mark). */
function peakRssOf(pid: number): () => number {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb * 1024);
    } catch {
      clearInterval(timer);
    }
  }, 20);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

test('the whole run against 2 GiB error bodies stays under 400 MB resident and reports the cap', async () => {
  const endpoint = await endlessBody([]);
  const cwd = tempDir('2gib');
  const child = spawn(
    process.execPath,
    [BIN, 'run', '--endpoint', endpoint.url, '--project-id', 'p', '--token', 't', '--results-dir', join(cwd, 'allure-results')],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const peak = peakRssOf(child.pid as number);
  let stdout = '';
  child.stdout.on('data', (c) => (stdout += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const peakBytes = peak();
  console.log(`peak RSS of the suite process against 2 GiB bodies: ${(peakBytes / 1024 ** 2).toFixed(0)} MB`);
  expect(code).toBe(1);
  expect(stdout).toMatch(/\[error-body-schema\] Error body exceeds the read limit — Received: more than 1048576 bytes/);
  expect(peakBytes).toBeGreaterThan(0);
  // The cap: the run's own footprint (~175 MB), plus 8 exchanges in flight reading up to the 1 MiB body cap each, plus GC slack — never the 2 GiB.
  expect(peakBytes).toBeLessThan(400 * 1024 ** 2);
});

test('the run deadline: the whole run ends by --run-timeout, finished cases reported, verdict INCOMPLETE, exit 4', async () => {
  const endpoint = await hostileEndpoint(() => {});
  const result = await runCli(['run', '--endpoint', endpoint.url, '--project-id', 'p', '--token', 't', '--timeout', '20000', '--run-timeout', '1500']);
  expect(result.code).toBe(4);
  expect(result.stderr).toMatch(/stopped early: the run deadline \(--run-timeout 1500 ms\) passed/);
  expect(result.stdout).toMatch(/Deletion ledger: no job was deleted\./);
  expect(result.stdout).toMatch(/\d+ not run\. Verdict: INCOMPLETE/);
  expect(result.ms).toBeLessThan(10_000);
});

test('Ctrl-C: the cases in flight stop, the finished ones and the deletion ledger are still reported, exit 130', async () => {
  let child: ReturnType<typeof spawn> | undefined;
  // Interrupt the moment the endpoint sees its first DELETE: the run is then certainly mid-way.
  let interrupted = false;
  const endpoint = await hostileEndpoint(() => {
    if (interrupted) return;
    interrupted = true; // once: a second Ctrl-C is a user insisting, and ends the process at once
    child?.kill('SIGINT');
  });
  const cwd = tempDir('sigint');
  child = spawn(process.execPath, [BIN, 'run', '--endpoint', endpoint.url, '--project-id', 'p', '--token', 't', '--results-dir', join(cwd, 'allure-results')], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => (stdout += c));
  child.stderr?.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child?.on('close', resolve));
  expect(code).toBe(130);
  expect(stderr).toMatch(/stopped early: interrupted \(Ctrl-C\)/);
  expect(stdout).toMatch(/Deletion ledger: no job was deleted\./);
  expect(stdout).toMatch(/\d+ not run\. Verdict: INCOMPLETE/);
});
