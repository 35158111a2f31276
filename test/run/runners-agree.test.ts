import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';

interface Step { name: string; attachments: Array<{ name: string }>; steps?: Step[] }
interface Result { historyId: string; status: string; labels: Array<{ name: string; value: string }>; statusDetails?: { message?: string }; steps: Step[] }

/** allure-vitest files an attachment made inside a step as a sub-step; the direct writer attaches it to the step. Same evidence. */
const attachmentsOf = (step: Step): string[] => [...step.attachments.map((a) => a.name), ...(step.steps ?? []).flatMap(attachmentsOf)];

async function runWith(args: string[]): Promise<{ stdout: string; results: Result[] }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'sdrs-runner-')), 'allure-results');
  const run = await runCli(['run', '--results-dir', dir, ...args]);
  expect(run.code, run.stderr).toBe(0);
  const results = readdirSync(dir).filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Result);
  return { stdout: run.stdout, results: results.sort((a, b) => a.historyId.localeCompare(b.historyId)) };
}

/** What must not depend on the runner or the concurrency: per case, the outcome and what Allure shows. */
function essence(run: { stdout: string; results: Result[] }) {
  const caseLines = run.stdout.split('\n').filter((l) => /^(PASS|FAIL|SKIP|ERR )/.test(l));
  const results = run.results.map((r) => ({
    id: r.historyId,
    status: r.status,
    labels: r.labels.filter((l) => ['epic', 'feature', 'story', 'severity', 'tag', 'profile', 'endpoint'].includes(l.name)).map((l) => `${l.name}=${l.value}`).sort(),
    steps: r.steps.map((s) => `${s.name.replace(/[0-9a-f-]{36}|[0-9a-f]{32}/g, 'ID')}: ${attachmentsOf(s).join(', ')}`),
    message: r.statusDetails?.message ?? null,
  }));
  return { caseLines, results };
}

test('--concurrency 1 and --concurrency 16 give identical results', async () => {
  const [one, many] = await Promise.all([runWith(['--concurrency', '1']), runWith(['--concurrency', '16'])]);
  expect(essence(many)).toEqual(essence(one));
});

test('the vitest runner (allure-vitest) and the direct runner give identical cases, outcomes and Allure labels', async () => {
  const [direct, vitest] = await Promise.all([runWith([]), runWith(['--runner', 'vitest'])]);
  expect(essence(vitest)).toEqual(essence(direct));
  expect(direct.results).toHaveLength(29);
});
