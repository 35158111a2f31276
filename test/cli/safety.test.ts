import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { projectA, projectB, referenceServer, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

const results = () => ['--results-dir', join(tempDir('safety'), 'allure-results')];
const jobIds = (list: Array<{ job_id: string }>) => list.map((j) => j.job_id).sort();
const allA = jobIds(projectA.jobs);
const allB = jobIds(projectB.jobs);

test('without --allow-delete nothing is deleted: deletion cases skipped with how to enable them, INCOMPLETE, exit 4', async () => {
  const server = await referenceServer();
  const run = await runCli([...tokenArgs(server.url), '--failure-job-id', allA[0]!, '--failure-job-id', allA[1]!, ...results()]);
  expect(run.code).toBe(4);
  expect(run.stdout).toMatch(/Deletion: not allowed \(2 job id\(s\) given, not used\)/);
  // The reason is said in full once (at the first case it holds back), then referred to.
  expect(run.stdout).toMatch(
    /^SKIP deleteFailureJob\.own-job .*\n +skipped: (Needs 2 jobs this run may delete .*--allow-delete\.|the same reason as deleteFailureJob\.\S+)$/m,
  );
  expect(run.stdout).toMatch(/skipped: Needs 2 jobs this run may delete .*--allow-delete/);
  expect(run.stdout).toMatch(/Deletion ledger: no job was deleted\./);
  expect(run.stdout).toMatch(/Verdict: INCOMPLETE/);
  expect(jobIds(server.store.list(projectA.projectId))).toEqual(allA);
  expect(jobIds(server.store.list(projectB.projectId))).toEqual(allB);
});

test('with --allow-delete and named jobs, only the first named job is deleted; the guard and every other job survive', async () => {
  const server = await referenceServer();
  const [victim, guard, third] = [projectA.jobs[1]!.job_id, projectA.jobs[0]!.job_id, projectA.jobs[2]!.job_id];
  const run = await runCli([
    ...tokenArgs(server.url),
    '--allow-delete',
    '--failure-job-id',
    victim,
    '--failure-job-id',
    guard,
    '--failure-job-id',
    third,
    ...results(),
  ]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`Deletion: allowed for at most 2 jobs .*named: ${victim}, ${guard}\\.`));
  expect(run.stdout).toMatch(
    new RegExp(`Deletion ledger: 1 DELETE request answered 2xx, 1 distinct job\\.\\n  deleted +${victim} +by deleteFailureJob\\.own-job \\(204\\)`),
  );
  expect(jobIds(server.store.list(projectA.projectId))).toEqual(allA.filter((id) => id !== victim));
  expect(jobIds(server.store.list(projectB.projectId))).toEqual(allB);
});

test('with --discover, only the first discovered job is deleted and no other project is touched', async () => {
  const server = await referenceServer();
  const firstListed = server.store.list(projectA.projectId)[0]!.job_id;
  const run = await runCli([...tokenArgs(server.url), '--allow-delete', '--discover', ...results()]);
  expect(run.code).toBe(0);
  expect(jobIds(server.store.list(projectA.projectId))).toEqual(allA.filter((id) => id !== firstListed));
  expect(jobIds(server.store.list(projectB.projectId))).toEqual(allB);
});

test('--allow-delete with a single named job: cases needing two are held back, nothing is deleted, INCOMPLETE', async () => {
  const server = await referenceServer();
  const run = await runCli([...tokenArgs(server.url), '--allow-delete', '--failure-job-id', allA[0]!, ...results()]);
  expect(run.code).toBe(4);
  expect(run.stdout).toMatch(/Needs 2 jobs this run may delete \(it has 1\)/);
  expect(jobIds(server.store.list(projectA.projectId))).toEqual(allA);
});
