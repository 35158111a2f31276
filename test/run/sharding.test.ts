import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { buildCases } from '../../lib/cases/build-cases.ts';
import { parseShard, selectShard } from '../../lib/cases/shard.ts';
import { DEFAULT_OPERATIONS_DIR, loadOperationTables } from '../../lib/spec/operation-tables.ts';
import { runCli } from '../support/cli.ts';
import { deleteOperation, spec } from '../support/fixtures.ts';

const cases = buildCases(deleteOperation, loadOperationTables(DEFAULT_OPERATIONS_DIR, spec).deleteFailureJob, 'doc');

test.for([1, 2, 3, 4, 7])('%i shards partition the cases and keep dependent cases together', (count) => {
  const shards = Array.from({ length: count }, (_, i) => selectShard(cases, { index: i + 1, count }).map((c) => c.id));
  expect(shards.flat().sort()).toEqual(cases.map((c) => c.id).sort());
  const shardOf = (id: string) => shards.findIndex((s) => s.includes(id));
  const follows = (c: (typeof cases)[number]) => (c.kind === 'condition' ? (c.after ?? c.alongside) : c.kind === 'state' ? c.after : undefined);
  const dependent = cases.flatMap((c) => (follows(c) ? [[c.id, follows(c) as string] as const] : []));
  expect(dependent.length).toBeGreaterThan(0);
  for (const [id, after] of dependent) expect(shardOf(id)).toBe(shardOf(after));
  expect(shardOf('deleteFailureJob.status-204')).toBe(shardOf('deleteFailureJob.own-job'));
  expect(shardOf('deleteFailureJob.deleted-concurrently')).toBe(shardOf('deleteFailureJob.own-job'));
  expect(shardOf('deleteFailureJob.status-401')).toBe(shardOf('deleteFailureJob.refused-identity.none.guard'));
});

test.for(['0/3', '4/3', '1', 'a/b'])('--shard %s is a usage error', (text) => {
  expect(() => parseShard(text)).toThrow(/--shard expects i\/n/);
});

function results(dir: string): Map<string, string> {
  const files = readdirSync(dir).filter((f) => f.endsWith('-result.json'));
  return new Map(files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { historyId: string; status: string }).map((r) => [r.historyId, r.status]));
}

test('three shards merged equal the full run: the same cases, outcomes, Allure results and verdict', async () => {
  const work = mkdtempSync(join(tmpdir(), 'sdrs-shards-'));
  onTestFinished(() => rmSync(work, { recursive: true, force: true }));
  const full = await runCli(['run', '--summary-dir', join(work, 'full'), '--results-dir', join(work, 'full-results')], { cwd: work });
  // A shard's results live inside its --summary-dir (by default SUMMARY-DIR/allure-results): merge reads only there.
  const shards = await Promise.all(
    [1, 2, 3].map((i) =>
      runCli(['run', '--shard', `${i}/3`, '--summary-dir', join(work, `s${i}`), ...(i === 3 ? ['--results-dir', join(work, 's3', 'results')] : [])], {
        cwd: work,
      }),
    ),
  );
  for (const shard of shards) expect(shard.code, shard.stderr).toBe(0);
  expect(readdirSync(join(work, 's1', 'allure-results')).some((f) => f.endsWith('-result.json'))).toBe(true);
  const merged = await runCli(
    [
      'merge',
      '--from',
      join(work, 's1'),
      '--from',
      join(work, 's2'),
      '--from',
      join(work, 's3'),
      '--results-dir',
      join(work, 'merged-results'),
      '--summary-dir',
      join(work, 'merged'),
    ],
    { cwd: work },
  );
  expect(merged.code, merged.stderr).toBe(0);
  const verdictLine = (out: string) => /^\d+ cases: .*$/m.exec(out)?.[0];
  expect(verdictLine(merged.stdout)).toBe(verdictLine(full.stdout));
  expect(results(join(work, 'merged-results'))).toEqual(results(join(work, 'full-results')));
  const statuses = (dir: string) =>
    (JSON.parse(readFileSync(join(work, dir, 'conformance-summary.json'), 'utf8')) as { cases: Array<{ caseId: string; status: string }> }).cases.map(
      (c) => `${c.caseId}:${c.status}`,
    );
  expect(statuses('merged')).toEqual(statuses('full'));
});
