import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildCases } from '../../lib/cases/build-cases.ts';
import type { ConditionCase } from '../../lib/cases/case-model.ts';
import { type PlanConfig, planRun } from '../../lib/plan/plan-run.ts';
import type { PlannedCase, TargetFacts } from '../../lib/plan/plan-model.ts';
import { DEFAULT_OPERATIONS_DIR, loadOperationTables } from '../../lib/spec/operation-tables.ts';
import { deleteOperation, spec } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';

const tables = loadOperationTables(DEFAULT_OPERATIONS_DIR, spec);
const table = tables.deleteFailureJob!;
const conditions = (profile = 'doc') => buildCases(deleteOperation, table, profile).filter((c): c is ConditionCase => c.kind === 'condition');

test('the refused-identity matrix is one case per cell: every identity × every kind of id, each expecting the identity’s status', () => {
  const cells = conditions().filter((c) => c.conditionId === 'refused-identity');
  expect(cells.map((c) => c.id.replace('deleteFailureJob.refused-identity.', ''))).toEqual(
    ['none', 'invalid-token', 'other'].flatMap((who) => ['guard', 'unknown', 'malformed', 'overlong'].map((id) => `${who}.${id}`)),
  );
  for (const cell of cells) {
    expect(cell.method).toBe('DELETE');
    expect(cell.family).toBe('identities');
    expect(cell.expectedStatuses).toEqual(cell.identity === 'other' ? [403] : [401]);
    expect(cell.needs).toEqual(cell.identity === 'other' ? ['second-identity'] : []);
  }
  expect(cells.map((c) => c.job)).toContainEqual({ kind: 'literal', id: 'a'.repeat(1024) });
  // The gateway profile allows the 400 SDRS.0004 a foreign token meets, in every column alike.
  const gateway = conditions('huaweicloud').filter((c) => c.conditionId === 'refused-identity' && c.identity === 'other');
  for (const cell of gateway) expect(cell.expectedStatuses).toEqual([400, 403]);
});

test('the method sweep: every registered method safe to send and one extension method, one case each', () => {
  const methods = conditions().filter((c) => c.family === 'methods');
  expect(methods.map((c) => c.method)).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'TRACE', 'PURGE']);
  expect(methods.find((c) => c.method === 'PURGE')?.expectedStatuses).toEqual([405, 501]);
  for (const c of methods) expect(c.job).toEqual({ kind: 'guard' });
});

test('families go out in the table’s order; a guard case follows each family (each method of the sweep)', () => {
  const order = buildCases(deleteOperation, table, 'doc')
    .filter((c) => c.kind !== 'status' && c.kind !== 'state')
    .map((c) => (c.kind === 'guard' ? c.id : `${c.kind === 'condition' || c.kind === 'fuzz' ? c.family : ''}`));
  const collapsed = order.filter((entry, i) => entry !== order[i - 1]);
  expect(collapsed).toEqual([
    // The deletion first: its sequence overlaps the other operation's requests instead of ending the run.
    'deletion',
    'deleteFailureJob.guard-after-deletion',
    'identities',
    'deleteFailureJob.guard-after-identities',
    'ids',
    'deleteFailureJob.guard-after-ids',
    // The sweep is verified method by method.
    ...['get', 'head', 'options', 'put', 'post', 'patch', 'trace', 'purge'].flatMap((m) => ['methods', `deleteFailureJob.guard-after-methods.${m}`]),
    'negative-inputs',
    'deleteFailureJob.guard-after-negative-inputs',
  ]);
});

test('the concurrent delete goes out alongside own-job; the sequential delete again still follows it', () => {
  const byId = new Map(conditions().map((c) => [c.id, c]));
  expect(byId.get('deleteFailureJob.deleted-concurrently')).toMatchObject({ alongside: 'deleteFailureJob.own-job', after: undefined, expectedStatuses: [404] });
  expect(byId.get('deleteFailureJob.deleted-again')).toMatchObject({ after: 'deleteFailureJob.own-job', alongside: undefined });
});

const VICTIM = 'job-victim';
const GUARD = 'job-guard';
const facts = (listed: string[] | undefined): TargetFacts => ({
  jobs: { victim: VICTIM, guard: GUARD },
  refusedJobIds: [],
  discoveryProblem: undefined,
  listedBefore: listed ? { primary: { ids: listed, records: new Map() } } : {},
});
const config = (overrides: Partial<PlanConfig> = {}): PlanConfig => ({
  baseUrl: 'http://127.0.0.1:9',
  profile: 'doc',
  shard: undefined,
  seed: 1,
  scenarioControl: false,
  fuzz: { runs: 0, seed: 1 },
  endpointClass: 'external',
  deletableJobs: [VICTIM, GUARD],
  discover: false,
  primary: { projectId: 'p1', credential: { kind: 'token', token: 't' } },
  other: undefined,
  concurrency: 8,
  ...overrides,
});
const planned = (id: string, c = config(), f = facts([VICTIM, GUARD])) => planRun(spec, tables, c, f).cases.find((p) => p.case.id === `deleteFailureJob.${id}`);

test('K requests at once: K-1 copies of the victim’s DELETE beside own-job’s; capped by --concurrency, skipped below 2', () => {
  const race = planned('deleted-concurrently');
  expect(race?.requests).toHaveLength(2);
  for (const r of race?.requests ?? [])
    expect(r).toMatchObject({ method: 'DELETE', url: expect.stringMatching(/\/failure-jobs\/job-victim$/), identity: 'primary' });
  expect(planned('deleted-concurrently', config({ concurrentDeletes: 5 }))?.requests).toHaveLength(4);
  const capped = planned('deleted-concurrently', config({ concurrentDeletes: 5, concurrency: 2 }));
  expect(capped?.requests).toHaveLength(1);
  expect(capped?.notes.join('\n')).toMatch(/2 DELETE requests of the victim at once .*not 5: --concurrency 2 allows no more/);
  expect(planned('deleted-concurrently', config({ concurrency: 1 }))?.skip).toEqual({
    category: 'missing-input',
    reason: expect.stringMatching(/at least 2 requests in flight.*--concurrency 1/),
  });
  // Without jobs it may delete, the race is held back like the delete itself.
  expect(planned('deleted-concurrently', config({ deletableJobs: [] }), { ...facts([]), jobs: { victim: undefined, guard: undefined } })?.skip?.category).toBe(
    'safety-guard',
  );
});

test('a guard case reads the primary list; without a guard it is held back, with a guard the list never showed it is not observed', () => {
  expect(planned('guard-after-methods.head')?.listRead?.request).toMatchObject({
    method: 'GET',
    identity: 'primary',
    url: expect.stringMatching(/\/v1\/p1\/task-center\/failure-jobs$/),
  });
  expect(planned('guard-after-methods.head', config(), { ...facts([]), jobs: { victim: undefined, guard: undefined } })?.skip?.category).toBe('safety-guard');
  expect(planned('guard-after-methods.head', config(), facts([VICTIM]))?.skip).toEqual({
    category: 'not-observed',
    reason: expect.stringMatching(/never showed the guard job .*job-guard.* its survival cannot be seen/),
  });
  expect(planned('guard-after-methods.head', config(), facts(undefined))?.skip?.category).toBe('not-observed');
});

/** A copy of the tables with one edit to deleteFailureJob.yaml. */
function editedTables(edit: (yaml: string) => string): string {
  const dir = tempDir('tables');
  for (const name of ['deleteFailureJob.yaml', 'listFailureJobs.yaml']) {
    const text = readFileSync(join(DEFAULT_OPERATIONS_DIR, name), 'utf8');
    writeFileSync(join(dir, name), name === 'deleteFailureJob.yaml' ? edit(text) : text);
  }
  return dir;
}

test.for([
  [
    'a row in an undeclared family',
    (t: string) => t.replace('    family: ids\n', '    family: idz\n'),
    /#\/conditions\/0\/family: "idz" is not one of the declared families/,
  ],
  [
    'a row without its family',
    (t: string) => t.replace('    family: deletion\n    request', '    request'),
    /#\/conditions\/\d+\/family: required one of the declared families/,
  ],
  [
    'a race beside a row with another request',
    (t: string) =>
      t.replace(
        '    alongside: own-job\n    request: { identity: primary, job: victim }',
        '    alongside: own-job\n    request: { identity: primary, job: guard }',
      ),
    /#\/conditions\/\d+\/alongside: "own-job" must name another condition with the same request/,
  ],
  [
    'a matrix expectation for an undeclared profile',
    (t: string) =>
      t.replace('none: { title: no credentials, expect: { doc: [401] } }', 'none: { title: no credentials, expect: { doc: [401], staging: [401] } }'),
    /#\/matrices\/0\/identities\/none\/expect\/staging: profile "staging" is not declared/,
  ],
] as const)('a table with %s is SPEC_INVALID, naming the place', ([, edit, want]) => {
  expect(() => loadOperationTables(editedTables(edit), spec)).toThrow(expect.objectContaining({ code: 'SPEC_INVALID', message: expect.stringMatching(want) }));
});

const steps = (c: PlanConfig) =>
  import('../../lib/execute/execute-run.ts').then(({ scheduleOf }) => {
    const schedule = scheduleOf(planRun(spec, tables, c, facts([VICTIM, GUARD])).cases);
    const name = (p: PlannedCase) =>
      p.case.kind === 'guard'
        ? p.case.id.replace('deleteFailureJob.', '')
        : `${p.case.operationId}:${'family' in p.case ? (p.case.family ?? p.case.kind) : p.case.kind}`;
    return {
      steps: schedule.steps.map((step) => [...new Set(step.map(name))].join(' + ')),
      background: [...new Set(schedule.background.map(name))],
      last: schedule.last.map((p) => p.case.id),
    };
  });
const withOther = { other: { projectId: 'p2', credential: { kind: 'token' as const, token: 'o' } }, scenarioControl: true };

test('the delete goes out family by family, a guard read between two; each method of the sweep goes out alongside the read after the one before', async () => {
  const { steps: order, background, last } = await steps(config(withOther));
  expect(order).toEqual([
    'deleteFailureJob:deletion',
    'guard-after-deletion',
    'deleteFailureJob:identities',
    'guard-after-identities',
    'deleteFailureJob:ids',
    'guard-after-ids',
    'deleteFailureJob:methods',
    ...['get', 'head', 'options', 'put', 'post', 'patch'].map((m) => `guard-after-methods.${m} + deleteFailureJob:methods`),
    // The list's PUT, POST, PATCH (a broken collection could act on them) go with the sweep's last method: the read after it covers them.
    'guard-after-methods.trace + deleteFailureJob:methods + listFailureJobs:methods',
    'guard-after-methods.purge',
    'deleteFailureJob:negative-inputs',
  ]);
  // The list names no job: its safe requests never aim at the guard and fill the slots the steps leave idle; so
  // do the status probes, which only a target with scenario control gets (it answers them from the Prefer header).
  expect(background).toEqual([
    'deleteFailureJob:status',
    'listFailureJobs:identities',
    'listFailureJobs:query',
    'listFailureJobs:negative-inputs',
    'listFailureJobs:status',
  ]);
  // The guard read after the last family goes out with the state reads, once everything else is done.
  expect(last).toEqual(['deleteFailureJob.guard-after-negative-inputs', 'deleteFailureJob.list-after-delete', 'deleteFailureJob.other-project-untouched']);
});

test('--isolate-methods: each method of the sweep waits for the read after the one before; a shared read says which method went with it', async () => {
  const { steps: order } = await steps(config({ ...withOther, isolateMethods: true }));
  expect(order.slice(6, 22)).toEqual(
    ['get', 'head', 'options', 'put', 'post', 'patch', 'trace', 'purge'].flatMap((m) => [
      m === 'purge' ? 'deleteFailureJob:methods + listFailureJobs:methods' : 'deleteFailureJob:methods',
      `guard-after-methods.${m}`,
    ]),
  );
  expect(planned('guard-after-methods.head', config({ isolateMethods: true }))?.sharedWith).toBeUndefined();
  const shared = planned('guard-after-methods.head');
  expect(shared?.sharedWith).toBe('deleteFailureJob.wrong-method.options');
  expect(shared?.notes).toContain("read as OPTIONS on the job's path went out (--isolate-methods reads it first)");
  // The last method has nothing to share with; a read that is held back shares nothing.
  expect(planned('guard-after-methods.purge')?.sharedWith).toBeUndefined();
  expect(planned('guard-after-methods.head', config(), facts([VICTIM]))?.sharedWith).toBeUndefined();
});
