import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { runCli } from '../support/cli.ts';
import { CASE_COUNT } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';

const DOC_STATUSES = [204, 400, 401, 403, 404, 405, 406, 407, 408, 409, 500, 501, 502, 503, 504];

function allureResults(dir: string): Array<{
  name: string;
  status: string;
  historyId: string;
  labels: Array<{ name: string; value: string }>;
  links: unknown[];
  statusDetails?: { message?: string };
}> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

test('the main command runs the whole suite against the bundled reference server: all pass, one Allure result per case', async () => {
  const work = tempDir('run');
  const run = await runCli(['run', '--results-dir', join(work, 'allure-results')], { cwd: work });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`${CASE_COUNT} cases: ${CASE_COUNT} passed, 0 failed, 0 broken, 0 skipped\\. Verdict: CONFORMANT`));
  for (const status of DOC_STATUSES) expect(run.stdout).toMatch(new RegExp(`^PASS deleteFailureJob\\.status-${status} +${status} `, 'm'));

  const results = allureResults(join(work, 'allure-results'));
  expect(results).toHaveLength(CASE_COUNT);
  // The second operation runs in the default run, from its table alone.
  expect(results.filter((r) => r.historyId.startsWith('listFailureJobs.')).length).toBeGreaterThanOrEqual(5);
  for (const result of results) {
    expect(result.status).toBe('passed');
    const labels = Object.fromEntries(result.labels.map((l) => [l.name, l.value]));
    expect(labels).toMatchObject({ epic: 'SDRS task center', profile: 'doc' });
    expect(['deleteFailureJob', 'listFailureJobs']).toContain(labels.feature);
    expect(labels.severity).toBeDefined();
    expect(labels.story).toBeDefined();
    expect(result.historyId).toMatch(/^(deleteFailureJob|listFailureJobs)\./);
    expect(result.links).toHaveLength(1);
  }
  const statusTags = results.flatMap((r) => r.labels.filter((l) => l.name === 'tag').map((l) => Number(l.value)));
  for (const status of DOC_STATUSES) expect(statusTags).toContain(status);
  // No credential reaches a report.
  for (const file of readdirSync(join(work, 'allure-results')))
    expect(readFileSync(join(work, 'allure-results', file), 'utf8')).not.toContain('MIIreference-token');
});

test('a status added to the spec becomes a case; one the target cannot produce is skipped with the reason and how to verify it', async () => {
  const work = tempDir('run');
  const spec = join(work, 'with-418.openapi.yaml');
  writeFileSync(
    spec,
    readFileSync(DEFAULT_SPEC, 'utf8').replace(
      "        '409': { $ref: '#/components/responses/Conflict' }",
      "        '409': { $ref: '#/components/responses/Conflict' }\n        '418': { $ref: '#/components/responses/Conflict' }",
    ),
  );
  const run = await runCli(['run', '--spec', spec, '--results-dir', join(work, 'allure-results')], { cwd: work });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`${CASE_COUNT + 1} cases: ${CASE_COUNT} passed, 0 failed, 0 broken, 1 skipped`));
  expect(run.stdout).toMatch(/^SKIP deleteFailureJob\.status-418/m);
  const skipped = allureResults(join(work, 'allure-results')).find((r) => r.status === 'skipped');
  expect(skipped?.historyId).toBe('deleteFailureJob.status-418');
  expect(skipped?.statusDetails?.message).toMatch(/No case made .* answer 418.*To verify it: /);
});
