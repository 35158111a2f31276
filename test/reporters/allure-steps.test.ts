/**
 * What Allure shows of a failing request, from a real run: the request's step is as red as its case,
 * and bytes a 204 was followed by on the wire are shown, not only counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { startReferenceServer } from '../../server/http-server.ts';
import { runCli } from '../support/cli.ts';
import { seed, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

interface Step {
  name: string;
  status: string;
  attachments: { name: string; source: string }[];
  steps?: Step[];
}
/** A request's step ("DELETE /v1/… → 204"); allure-vitest nests attachments as steps of their own, and adds attachment steps beside. */
const requestSteps = (steps: Step[]) => steps.filter((s) => s.name.includes(' → '));
const attachmentsOf = (step: Step): Step['attachments'] => [...step.attachments, ...(step.steps ?? []).flatMap(attachmentsOf)];
interface Result {
  historyId: string;
  status: string;
  steps: Step[];
}

test.for(['direct', 'vitest'])(
  '%s runner — a 204 followed by a JSON body: the case and its request step fail, and the stray bytes are in the response attachment',
  async (runner) => {
    const work = tempDir('allure-steps');
    const server = await startReferenceServer({ seed, scenarios: true, mutant: 'success-204-json-body' });
    onTestFinished(() => server.close());
    const results = join(work, 'allure-results');
    const run = await runCli([
      ...tokenArgs(server.url),
      '--allow-delete',
      '--discover',
      '--fuzz-runs',
      '5',
      '--runner',
      runner,
      '--results-dir',
      results,
      '--summary-dir',
      work,
    ]);
    expect(run.code).toBe(1);
    const all = readdirSync(results)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')) as Result);
    const own = all.find((r) => r.historyId === 'deleteFailureJob.own-job') as Result;
    expect(own.status).toBe('failed');
    expect(requestSteps(own.steps).map((s) => s.status)).toEqual(['failed']);
    const response = attachmentsOf(requestSteps(own.steps)[0] as Step).find((a) => a.name === 'response (HTTP)') as { source: string };
    const text = readFileSync(join(results, response.source), 'utf8');
    expect(text).toMatch(/^HTTP\/1\.1 204/);
    expect(text).toMatch(/\(the \d+ bytes on the wire after the head:\)\n.*\{/);
    // A case that passed keeps green steps.
    const passed = all.find((r) => r.historyId === 'deleteFailureJob.refused-identity.none.guard') as Result;
    expect(passed.status).toBe('passed');
    expect(requestSteps(passed.steps).map((s) => s.status)).toEqual(['passed']);
  },
);
