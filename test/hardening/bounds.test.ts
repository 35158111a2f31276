import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEFAULT_HTTP_OPTIONS } from '../../lib/http/http-options.ts';
import { sendExchange } from '../../lib/http/send-exchange.ts';
import { BIN, runCli } from '../support/cli.ts';
import { hostileEndpoint, streamChunks } from '../support/hostile-endpoint.ts';
import { delayingRelay } from '../support/network-peers.ts';
import { referenceServer, tokenArgs } from '../support/reference.ts';
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

const NOT_FOUND =
  'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 52\r\nConnection: close\r\n\r\n{"error":{"code":"SDRS.0201","message":"not found"}}';

interface Reports {
  summary: {
    verdict: string;
    verdictReason: string;
    cases: Array<{ caseId: string; status: string; skip: { category: string; reason: string } | null }>;
    matrix: Array<{ operationId: string; status: number; caseId: string | null; why: string }>;
  };
  junitCases: number;
  allureResults: number;
}

/** A run's artefacts, read back: the summary JSON, the JUnit test cases and the Allure result files. */
function reportsIn(dir: string): Reports {
  return {
    summary: JSON.parse(readFileSync(join(dir, 'conformance-summary.json'), 'utf8')),
    junitCases: (readFileSync(join(dir, 'junit.xml'), 'utf8').match(/<testcase /g) ?? []).length,
    allureResults: readdirSync(join(dir, 'allure-results')).filter((f) => f.endsWith('-result.json')).length,
  };
}

const outputs = (dir: string) => ['--results-dir', join(dir, 'allure-results'), '--summary-dir', dir, '--junit', join(dir, 'junit.xml')];
const target = (url: string) => ['run', '--endpoint', url, '--project-id', 'p', '--token', 't', '--fuzz-runs', '10'];

/** Every case a run plans against such an endpoint: a full run against one that answers at once. */
async function plannedCaseIds(): Promise<string[]> {
  const fast = await hostileEndpoint((socket) => void socket.end(NOT_FOUND));
  const dir = tempDir('fast');
  const run = await runCli([...target(fast.url), ...outputs(dir)]);
  expect(run.stdout).toMatch(/Verdict: /);
  return reportsIn(dir).summary.cases.map((c) => c.caseId);
}

test('the run deadline against a slow endpoint: every planned case is reported — the unfinished ones "not run" — INCOMPLETE naming the cause, exit 4', async () => {
  // The planned cases: a full run against a reference server that answers at once.
  const fastDir = tempDir('fast');
  const fast = await runCli([...tokenArgs((await referenceServer()).url), '--allow-delete', '--discover', '--fuzz-runs', '10', ...outputs(fastDir)]);
  expect(fast.code, fast.stdout + fast.stderr).toBe(0);
  const planned = reportsIn(fastDir).summary.cases.map((c) => c.caseId);
  // Another reference server, each of its answers held 300 ms by a relay: the 1 s deadline cuts the run mid-way.
  const slow = await delayingRelay((await referenceServer()).url, 300);
  const dir = tempDir('deadline');
  const run = await runCli([...tokenArgs(slow), '--allow-delete', '--discover', '--fuzz-runs', '10', '--run-timeout', '1000', ...outputs(dir)]);
  expect(run.code, run.stdout + run.stderr).toBe(4);
  expect(run.stderr).toMatch(/stopped early: the run deadline \(--run-timeout 1000 ms\) passed; \d+ case\(s\) finished/);
  const { summary, junitCases, allureResults } = reportsIn(dir);
  expect(summary.cases.map((c) => c.caseId)).toEqual(planned);
  const notRun = summary.cases.filter((c) => c.skip?.category === 'not-run');
  expect(notRun.length).toBeGreaterThan(0);
  expect(new Set(notRun.map((c) => `${c.status}: ${c.skip?.reason}`))).toEqual(new Set(['skipped: not run: the run deadline (--run-timeout 1000 ms) passed']));
  expect(summary.verdict).toBe('INCOMPLETE');
  expect(summary.verdictReason).toBe(
    `The run deadline (--run-timeout 1000 ms) passed after ${planned.length - notRun.length} of ${planned.length} cases; ${notRun.length} not run.`,
  );
  expect(run.stdout).toMatch(new RegExp(`${planned.length} cases: .* skipped \\(${notRun.length} not run\\)\\. Verdict: INCOMPLETE — The run deadline`));
  // A status whose case simply did not run is "not run", never "the suite generated none".
  for (const row of summary.matrix) if (planned.some((id) => id === row.caseId)) expect(row.why).not.toMatch(/generated none/);
  const notRunIds = new Set(notRun.map((c) => c.caseId));
  for (const row of summary.matrix) if (row.caseId && notRunIds.has(row.caseId)) expect(row.why).toMatch(/^not run: /);
  expect(junitCases).toBe(planned.length);
  expect(allureResults).toBe(planned.length);
  expect(run.ms).toBeLessThan(10_000);
});

test('Ctrl-C: the cases in flight stop, every planned case and the deletion ledger are still reported, exit 130', async () => {
  const planned = await plannedCaseIds();
  let child: ReturnType<typeof spawn> | undefined;
  // Interrupt the moment the endpoint sees its first request after the list: the run is then certainly mid-way.
  let interrupted = false;
  const endpoint = await hostileEndpoint(() => {
    if (interrupted) return;
    interrupted = true; // once: a second Ctrl-C is a user insisting, and ends the process at once
    child?.kill('SIGINT');
  });
  const cwd = tempDir('sigint');
  child = spawn(process.execPath, [BIN, ...target(endpoint.url), ...outputs(cwd)], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => (stdout += c));
  child.stderr?.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child?.on('close', resolve));
  expect(code).toBe(130);
  expect(stderr).toMatch(/stopped early: the run was interrupted \(Ctrl-C\)/);
  expect(stdout).toMatch(/Deletion ledger: no job was deleted\./);
  expect(stdout).toMatch(/skipped \(\d+ not run\)\. Verdict: INCOMPLETE — The run was interrupted \(Ctrl-C\) after \d+ of \d+ cases; \d+ not run\./);
  const { summary, junitCases, allureResults } = reportsIn(cwd);
  expect(summary.cases.map((c) => c.caseId)).toEqual(planned);
  expect(summary.cases.filter((c) => c.skip?.reason === 'not run: the run was interrupted (Ctrl-C)').length).toBeGreaterThan(0);
  expect(summary.verdictReason).toMatch(new RegExp(`^The run was interrupted \\(Ctrl-C\\) after \\d+ of ${planned.length} cases`));
  expect(junitCases).toBe(planned.length);
  expect(allureResults).toBe(planned.length);
});
