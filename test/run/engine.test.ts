import { expect, onTestFinished, test } from 'vitest';
import { DEFAULT_OPERATIONS_DIR, DEFAULT_SPEC } from '../../cli/run-options.ts';
import { DEFAULT_HTTP_OPTIONS } from '../../lib/http/http-options.ts';
import type { CaseOutcome } from '../../lib/run/case-outcome.ts';
import type { RunConfig } from '../../lib/run/run-config.ts';
import { runEngine } from '../../lib/run/run-engine.ts';
import { verdictOf } from '../../lib/run/verdict.ts';
import { startReferenceServer } from '../../server/http-server.ts';
import { loadSeed } from '../../server/seed.ts';

async function runAll(overrides: Partial<RunConfig>, scenarios = true): Promise<CaseOutcome[]> {
  const seed = loadSeed();
  const server = await startReferenceServer({ seed, scenarios });
  onTestFinished(() => server.close());
  const [a, b] = seed.projects;
  const run = await runEngine({
    baseUrl: server.url,
    endpointClass: 'external',
    specFile: DEFAULT_SPEC,
    operationsDir: DEFAULT_OPERATIONS_DIR,
    profile: 'doc',
    primary: { projectId: a!.projectId, credential: { kind: 'token', token: a!.tokens[0]! } },
    other: { projectId: b!.projectId, credential: { kind: 'token', token: b!.tokens[0]! } },
    deletableJobs: [a!.jobs[0]!.job_id, a!.jobs[1]!.job_id],
    discover: false,
    scenarioControl: scenarios,
    seed: 1,
    fuzz: { runs: 20, seed: 1 },
    concurrency: 4,
    http: DEFAULT_HTTP_OPTIONS,
    ...overrides,
  });
  return run.outcomes;
}

test('without scenario control, statuses no condition produced are skipped as not provokable — with the reason — and the verdict stays conformant', async () => {
  const outcomes = await runAll({}, false);
  const skipped = outcomes.filter((o) => o.status === 'skipped');
  const unprovoked = [406, 407, 408, 409, 500, 501, 502, 503, 504];
  expect(skipped.map((o) => o.caseId)).toEqual([
    ...unprovoked.map((s) => `deleteFailureJob.status-${s}`),
    ...[404, ...unprovoked].map((s) => `listFailureJobs.status-${s}`),
  ]);
  for (const o of skipped) {
    expect(o.skip?.category).toBe('not-provokable');
    expect(o.skip?.reason).toMatch(/To verify it: run against the bundled reference server/);
  }
  const verified = outcomes.filter((o) => o.kind === 'status' && o.status === 'passed');
  expect(verified.map((o) => [o.documentedStatus, o.verifiedBy])).toEqual([
    [204, 'deleteFailureJob.own-job'],
    [400, 'deleteFailureJob.invalid-id-characters'],
    [401, 'deleteFailureJob.refused-identity.none.guard'],
    [403, 'deleteFailureJob.refused-identity.other.guard'],
    [404, 'deleteFailureJob.deleted-concurrently'],
    [405, 'deleteFailureJob.wrong-method.get'],
    [200, 'listFailureJobs.own-project'],
    [400, 'listFailureJobs.invalid-limit'],
    [401, 'listFailureJobs.no-credentials'],
    [403, 'listFailureJobs.other-project-token'],
    [405, 'listFailureJobs.wrong-method.put'],
  ]);
  expect(verdictOf(outcomes)).toBe('CONFORMANT');
});

test('without jobs it may delete, deletion cases are held back by the safety guard and the verdict is INCOMPLETE', async () => {
  const outcomes = await runAll({ deletableJobs: [] });
  const held = outcomes.filter((o) => o.skip?.category === 'safety-guard').map((o) => o.caseId);
  // The id "50%-ü-✓" could match jobs on a server that reads % as a wildcard: held back too, saying what enables it.
  expect(held).toEqual([
    'deleteFailureJob.own-job',
    'deleteFailureJob.deleted-concurrently',
    'deleteFailureJob.deleted-again',
    'deleteFailureJob.guard-after-deletion',
    'deleteFailureJob.guard-after-identities',
    'deleteFailureJob.invalid-id-encodings',
    'deleteFailureJob.guard-after-ids',
    ...['get', 'head', 'options', 'put', 'post', 'patch', 'trace', 'purge'].map((m) => `deleteFailureJob.guard-after-methods.${m}`),
    'deleteFailureJob.guard-after-negative-inputs',
    'deleteFailureJob.list-after-delete',
    'deleteFailureJob.other-project-untouched',
  ]);
  expect(outcomes.find((o) => o.caseId === 'deleteFailureJob.invalid-id-encodings')?.skip?.reason).toMatch(
    /holds "%".*--allow-delete with --failure-job-id or --discover/,
  );
  // Refusal cases still run, aimed at an id that names nothing.
  for (const job of ['guard', 'unknown', 'malformed', 'overlong'])
    expect(outcomes.find((o) => o.caseId === `deleteFailureJob.refused-identity.none.${job}`)).toMatchObject({ status: 'passed', receivedStatus: 401 });
  expect(outcomes.find((o) => o.caseId === 'deleteFailureJob.own-job')?.skip?.reason).toMatch(/--failure-job-id.*--discover.*--allow-delete/);
  expect(outcomes.find((o) => o.caseId === 'deleteFailureJob.deleted-again')?.skip?.reason).toMatch(/Needs 2 jobs this run may delete/);
  expect(verdictOf(outcomes)).toBe('INCOMPLETE');
});

test('without a second identity the tenant cases are skipped naming the flags to supply', async () => {
  const outcomes = await runAll({ other: undefined });
  const tenant = outcomes.filter((o) => o.caseId.startsWith('deleteFailureJob.refused-identity.other.'));
  expect(tenant.map((o) => o.caseId.split('.').at(-1))).toEqual(['guard', 'unknown', 'malformed', 'overlong']);
  for (const o of tenant) expect(o.skip).toEqual({ category: 'missing-input', reason: expect.stringMatching(/--other-project-id.*--other-token/) });
});
