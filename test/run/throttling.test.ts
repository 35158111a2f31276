import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { referenceServer, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';
import { throttlingRelay } from '../support/throttling-relay.ts';

interface Summary {
  verdict: string;
  throttling: { throttled: number; retried: number; waitedMs: number; gaveUp: number } | null;
  cases: Array<{ caseId: string; status: string; skip: { category: string; reason: string } | null }>;
  ledger: Array<{ caseId: string; status: number; intended: boolean }>;
}

// The relay judges a connection by its first request (test/support/throttling-relay.ts): one request per connection.
const runThrough = async (url: string, ...extra: string[]) => {
  const work = tempDir('throttling');
  const args = [...tokenArgs(url), '--allow-delete', '--discover', '--fresh-connections', '--summary-dir', work, '--results-dir', join(work, 'results')];
  const result = await runCli([...args, ...extra], {
    timeoutMs: 60_000,
  });
  return { ...result, summary: JSON.parse(readFileSync(join(work, 'conformance-summary.json'), 'utf8')) as Summary };
};

test('a faithful target behind a gateway that throttles every 10th request: retried, CONFORMANT, the throttles and the wait reported', async () => {
  const server = await referenceServer();
  // The preflight passes; every 10th request after it gets 429 APIG.0308 — the first with Retry-After: 1, the rest 0.
  const relay = await throttlingRelay(server.url, (n) => (n % 10 === 0 ? (n === 10 ? '1' : '0') : undefined));
  const run = await runThrough(relay.url);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/Verdict: CONFORMANT/);
  expect(relay.throttled()).toBeGreaterThanOrEqual(10);
  expect(run.summary.throttling).toMatchObject({ throttled: relay.throttled(), retried: relay.throttled(), gaveUp: 0 });
  expect(run.summary.throttling?.waitedMs).toBeGreaterThanOrEqual(900);
  expect(run.stdout).toMatch(new RegExp(`^Throttling: ${relay.throttled()} throttled answers .*${relay.throttled()} requests sent again after \\d`, 'm'));
  // The job was deleted once, and the ledger has it, whichever attempt it took.
  expect(run.summary.ledger.filter((d) => d.status === 204)).toHaveLength(1);
});

test('every DELETE throttled the first time it is sent: each is sent again, and the ledger has the deletion the retry made', async () => {
  const server = await referenceServer();
  const seen = new Set<string>();
  const relay = await throttlingRelay(server.url, (_, line) => {
    if (!line.startsWith('DELETE ') || seen.has(line)) return undefined;
    seen.add(line);
    return '0';
  });
  const run = await runThrough(relay.url, '--fuzz-runs', '5');
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.summary.throttling).toMatchObject({ throttled: relay.throttled(), retried: relay.throttled(), gaveUp: 0 });
  // The race's copies are the same request line: whichever of them went through first may have deleted it.
  expect(run.summary.ledger).toEqual([
    expect.objectContaining({ caseId: expect.stringMatching(/^deleteFailureJob\.(own-job|deleted-concurrently)$/), status: 204, intended: true }),
  ]);
  expect(run.summary.cases.find((c) => c.caseId === 'deleteFailureJob.deleted-again')?.status).toBe('passed');
});

test('a target that throttles every request but the list reads: not verified (throttled), INCOMPLETE (exit 4), never NOT CONFORMANT', async () => {
  const server = await referenceServer();
  // Reads of the list pass (the preconditions, the facts); everything else is throttled, always.
  const relay = await throttlingRelay(server.url, (_, line) => (/^GET \S+\/failure-jobs(\?\S*)? HTTP/.test(line) ? undefined : '0'));
  const run = await runThrough(relay.url, '--max-retries', '2', '--fuzz-runs', '5');
  expect(run.code, run.stdout + run.stderr).toBe(4);
  expect(run.summary.verdict).toBe('INCOMPLETE');
  expect(run.stdout).not.toMatch(/^(FAIL|ERR )/m);
  const throttled = run.summary.cases.filter((c) => c.skip?.category === 'throttled');
  expect(throttled.map((c) => c.caseId)).toContain('deleteFailureJob.unknown-id');
  expect(throttled[0]?.skip?.reason).toMatch(/^Not verified \(throttled\)/);
  expect(run.summary.cases.every((c) => c.status !== 'failed' && c.status !== 'broken')).toBe(true);
  // Each request went out three times (two retries), and every one of them was throttled.
  expect(run.summary.throttling).toMatchObject({ throttled: relay.throttled(), gaveUp: relay.throttled() / 3, retried: (relay.throttled() * 2) / 3 });
});

test('--rate-limit 20/s: request starts are paced, N requests take at least (N - 2) / 20 s', async () => {
  const server = await referenceServer();
  const relay = await throttlingRelay(server.url, () => undefined);
  const run = await runThrough(relay.url, '--rate-limit', '20/s', '--fuzz-runs', '5');
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(relay.connections()).toBeGreaterThan(30);
  expect(run.ms).toBeGreaterThan(((relay.connections() - 2) / 20) * 1000);
});
