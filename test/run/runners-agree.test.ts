import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { CASE_COUNT } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';

interface Step {
  name: string;
  attachments: Array<{ name: string }>;
  steps?: Step[];
}
interface Result {
  historyId: string;
  status: string;
  labels: Array<{ name: string; value: string }>;
  statusDetails?: { message?: string };
  steps: Step[];
  attachments: Array<{ name: string }>;
}

/** allure-vitest files an attachment as a step of its own; the direct writer attaches it to its step or the result. Same evidence. */
const isAttachmentStep = (step: Step) => !step.steps?.length && step.attachments.length === 1 && step.attachments[0]?.name === step.name;
const attachmentsOf = (step: Step): string[] => [...step.attachments.map((a) => a.name), ...(step.steps ?? []).flatMap(attachmentsOf)];

async function runWith(args: string[]): Promise<{ stdout: string; results: Result[] }> {
  const work = tempDir('runner');
  const dir = join(work, 'allure-results');
  const run = await runCli(['run', '--results-dir', dir, '--summary-dir', work, ...args]);
  expect(run.code, run.stderr).toBe(0);
  const results = readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Result);
  return { stdout: run.stdout, results: results.sort((a, b) => a.historyId.localeCompare(b.historyId)) };
}

/** What must not depend on the runner or the concurrency: per case, the outcome and what Allure shows. */
function essence(run: { stdout: string; results: Result[] }) {
  // Sorted: cases print as they finish, in the scheduler's order.
  const caseLines = run.stdout
    .split('\n')
    .filter((l) => /^(PASS|FAIL|SKIP|ERR )/.test(l))
    .sort();
  const results = run.results.map((r) => ({
    id: r.historyId,
    status: r.status,
    labels: r.labels
      .filter((l) => ['epic', 'feature', 'story', 'severity', 'tag', 'profile', 'endpoint'].includes(l.name))
      .map((l) => `${l.name}=${l.value}`)
      .sort(),
    extras: [...r.attachments.map((a) => a.name), ...r.steps.filter(isAttachmentStep).map((s) => s.name)].sort(),
    steps: r.steps.filter((s) => !isAttachmentStep(s)).map((s) => `${s.name.replace(/[0-9a-f-]{36}|[0-9a-f]{32}/g, 'ID')}: ${attachmentsOf(s).join(', ')}`),
    message: r.statusDetails?.message ?? null,
  }));
  return { caseLines, results };
}

// 3, not 1: the concurrent delete needs its three requests in flight at once (with 1 it is skipped, saying so).
test('--concurrency 3 and --concurrency 16 give identical results', async () => {
  const [one, many] = await Promise.all([runWith(['--concurrency', '3']), runWith(['--concurrency', '16'])]);
  expect(essence(many)).toEqual(essence(one));
});

test('the vitest runner (allure-vitest) and the direct runner give identical cases, outcomes and Allure labels', async () => {
  const [direct, vitest] = await Promise.all([runWith([]), runWith(['--runner', 'vitest'])]);
  expect(essence(vitest)).toEqual(essence(direct));
  expect(direct.results).toHaveLength(CASE_COUNT);
});
