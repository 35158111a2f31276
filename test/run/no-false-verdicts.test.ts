import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import type { RunSummary } from '../../reporters/summary-model.ts';
import type { ServerRequest } from '../../server/handler.ts';
import { startReferenceServer } from '../../server/http-server.ts';
import type { Handle, Mutant } from '../../server/mutants/index.ts';
import { errorAnswer, requestIdOf } from '../../server/mutants/toolkit.ts';
import type { FailureJob, Seed } from '../../server/seed.ts';
import type { FailureJobStore } from '../../server/store.ts';
import { runCli } from '../support/cli.ts';
import { seed as defaultSeed, projectA, projectB, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Issue 13, "no false verdicts": correct servers that differ from the bundled one where the doc
 * allows — ids of another shape, a list that pages, jobs that come and go — must come out
 * CONFORMANT, and a check that could not see its object must not pass. Each server is the reference
 * handler wrapped (the hook server/mutants/ uses), on a loopback port.
 */

const TEMPLATE = defaultSeed.projects[0]?.jobs[0] as FailureJob;
const job = (job_id: string, fields: Partial<FailureJob> = {}): FailureJob => ({ ...TEMPLATE, job_id, ...fields });

/** The reference seed with these job ids in project A and B (identities unchanged). */
function seedWith(a: string[], b: string[]): Seed {
  return {
    projects: [
      { ...projectA, jobs: a.map((id) => job(id)) },
      { ...projectB, jobs: b.map((id) => job(id)) },
    ],
  };
}

const ITEM = /^\/v1\/([^/?]+)\/task-center\/failure-jobs\/([^/?]+)(?:\?.*)?$/;
const LIST = /^\/v1\/([^/?]+)\/task-center\/failure-jobs(?:\?(.*))?$/;

/** The reference handler wrapped by `wrap`; every request line is recorded. */
async function server(seed: Seed, name: string, wrap: (faithful: Handle) => Handle) {
  const requests: string[] = [];
  const behaviour: Mutant = { name, family: 'ids', description: `test server: ${name}`, handler: (faithful) => wrap(faithful) };
  const running = await startReferenceServer({ seed, scenarios: false, mutant: behaviour, onRequest: (line) => requests.push(`${line.method} ${line.path}`) });
  onTestFinished(() => running.close());
  return { url: running.url, store: running.store, requests };
}

/** A server whose job ids have one format: a DELETE of an id of another format is refused as malformed (400 SDRS.0201) before any lookup. */
const validatesIds =
  (format: RegExp) =>
  (faithful: Handle): Handle =>
  (request, ctx) => {
    const response = faithful(request, ctx);
    const id = ITEM.exec(request.url)?.[2];
    return request.method === 'DELETE' && id !== undefined && response.status === 404 && !format.test(decodeURIComponent(id))
      ? errorAnswer(400, requestIdOf(response))
      : response;
  };

async function run(url: string, extra: string[] = []) {
  const dir = tempDir('no-false-verdicts');
  const result = await runCli([...tokenArgs(url), '--allow-delete', ...extra, '--summary-dir', dir, '--results-dir', join(dir, 'allure-results')]);
  expect(result.stderr).toBe('');
  const summary = JSON.parse(readFileSync(join(dir, 'conformance-summary.json'), 'utf8')) as RunSummary;
  const caseOf = (id: string) => summary.cases.find((c) => c.caseId === id);
  return { ...result, summary, caseOf };
}

const HEX_A = ['ff808082686f229a0168707b9be9013e', 'ff808082686f229a0168707b9be9013f', 'ff808082686f229a0168707b9be90140'];
const HEX_B = ['ff808082686f229a0168707b9be90141', 'ff808082686f229a0168707b9be90142'];
const UUID_DELETE = /^DELETE \/v1\/[^/]+\/task-center\/failure-jobs\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test.for<[string, { a: string[]; b: string[]; format: RegExp; foreign: string }]>([
  ['32-hex ids', { a: HEX_A, b: HEX_B, format: /^[0-9a-f]{32}$/, foreign: '897f57b2-6e94-4179-b414-9532726c59f2' }],
  [
    'job-0042-style ids',
    { a: ['job-0042', 'job-0107', 'job-0311'], b: ['job-0512', 'job-0999'], format: /^job-\d{4}$/, foreign: 'ff808082686f229a0168707b9be9013e' },
  ],
])('a server with %s, 400 SDRS.0201 for any other shape: the unknown id has its shape, 404, CONFORMANT', async ([, { a, b, format, foreign }]) => {
  const target = await server(seedWith(a, b), 'shaped-ids', validatesIds(format));
  // The server is as described: an unknown id of a foreign shape is refused as malformed.
  const refused = await fetch(`${target.url}/v1/${projectA.projectId}/task-center/failure-jobs/${foreign}`, {
    method: 'DELETE',
    headers: { 'x-auth-token': projectA.tokens[0] as string },
  });
  expect([refused.status, ((await refused.json()) as { error?: { code?: string } }).error?.code]).toEqual([400, 'SDRS.0201']);
  const result = await run(target.url, ['--discover']);
  expect(result.stdout).toMatch(/Verdict: CONFORMANT/);
  expect(result.code).toBe(0);
  expect(result.caseOf('deleteFailureJob.unknown-id')).toMatchObject({ status: 'passed', receivedStatus: 404 });
  const unknown = target.requests.filter((r) => r.startsWith('DELETE ')).map((r) => r.split('/').at(-1) as string);
  expect(unknown.filter((id) => format.test(id) && ![...a, ...b].includes(id)).length).toBeGreaterThan(0);
  if (format.source.includes('job-')) expect(target.requests.filter((r) => UUID_DELETE.test(r))).toEqual([]);
});

/** A list that shows at most two jobs a page (whatever limit asks for), honouring offset, with the total in `count`. */
const pagesOfTwo =
  (faithful: Handle): Handle =>
  (request, ctx) => {
    const match = LIST.exec(request.url);
    if (request.method !== 'GET' || !match) return faithful(request, ctx);
    const query = new URLSearchParams(match[2] ?? '');
    const asked = query.get('limit');
    // A limit the list refuses (above 1000) is still refused: only the page is shorter.
    if (asked !== null && /^\d+$/.test(asked) && Number(asked) > 2 && Number(asked) <= 1000) query.set('limit', '2');
    if (asked === null) query.set('limit', '2');
    return faithful({ ...request, url: `${request.url.split('?')[0]}?${query}` } as ServerRequest, ctx);
  };

const SIX = ['job-0001', 'job-0002', 'job-0003', 'job-0004', 'job-0005', 'job-0006'];
const FIVE_B = ['job-0101', 'job-0102', 'job-0103', 'job-0104', 'job-0105'];

test('a list that pages (two jobs a page): the victim on page 2 is found, its removal seen, and nothing else "disappears"', async () => {
  const target = await server(seedWith(SIX, FIVE_B), 'pages-of-two', pagesOfTwo);
  const result = await run(target.url, ['--failure-job-id', 'job-0003', '--failure-job-id', 'job-0005']);
  expect(result.stdout).toMatch(/Verdict: CONFORMANT/);
  expect(result.caseOf('deleteFailureJob.list-after-delete')).toMatchObject({ status: 'passed' });
  expect(result.caseOf('deleteFailureJob.other-project-untouched')).toMatchObject({ status: 'passed' });
  expect(result.summary.vanished ?? []).toEqual([]);
  // Each list was read to its end, two at a time, before and after.
  const pagesOfA = target.requests.filter((r) => r.startsWith(`GET /v1/${projectA.projectId}/task-center/failure-jobs?limit=100&offset=`));
  expect(pagesOfA).toContain(`GET /v1/${projectA.projectId}/task-center/failure-jobs?limit=100&offset=4`);
});

test('the same list, and a delete that answers 204 but keeps the job (on page 3): the job still listed is seen', async () => {
  const keepsJob6 =
    (faithful: Handle): Handle =>
    (request, ctx) =>
      pagesOfTwo(faithful)(request, {
        ...ctx,
        store: {
          list: (p) => ctx.store.list(p),
          deleteAll: (p) => ctx.store.deleteAll(p),
          delete: (p, id) => (id === 'job-0006' ? 'deleted' : ctx.store.delete(p, id)),
        },
      });
  const target = await server(seedWith(SIX, FIVE_B), 'pages-of-two-keeps', keepsJob6);
  const result = await run(target.url, ['--failure-job-id', 'job-0006', '--failure-job-id', 'job-0001']);
  expect(result.stdout).toMatch(/Verdict: NOT CONFORMANT/);
  expect(result.caseOf('deleteFailureJob.list-after-delete')?.violations.map((v) => v.checkId)).toEqual(['state-job-removed']);
});

/** After each delete that succeeds, `then` changes the jobs of the projects (the store the handler reads). */
const afterDelete =
  (then: (store: FailureJobStore, request: ServerRequest) => void) =>
  (faithful: Handle): Handle =>
  (request, ctx) => {
    const response = faithful(request, ctx);
    if (request.method === 'DELETE' && response.status === 204) then(ctx.store as FailureJobStore, request);
    return response;
  };

test('jobs appearing during the run in both projects are fine: CONFORMANT', async () => {
  let added = 0;
  const target = await server(
    seedWith(SIX, FIVE_B),
    'new-jobs',
    afterDelete((store) => {
      added += 1;
      store.add(projectA.projectId, job(`job-${String(7000 + added)}`));
      store.add(projectB.projectId, job(`job-${String(8000 + added)}`));
    }),
  );
  const result = await run(target.url, ['--discover']);
  expect(added).toBeGreaterThan(0);
  expect(result.stdout).toMatch(/Verdict: CONFORMANT/);
  expect(result.caseOf('deleteFailureJob.list-after-delete')).toMatchObject({ status: 'passed' });
  expect(result.caseOf('deleteFailureJob.other-project-untouched')).toMatchObject({ status: 'passed' });
});

test("the other project's job still listed but with another failure_status: state-tenant-intact", async () => {
  const target = await server(
    seedWith(SIX, FIVE_B),
    'other-changes',
    afterDelete((store) => {
      const [first] = store.list(projectB.projectId);
      if (first) store.add(projectB.projectId, { ...first, failure_status: 'deleteFail' });
    }),
  );
  const result = await run(target.url, ['--discover']);
  expect(result.code).toBe(1);
  const untouched = result.caseOf('deleteFailureJob.other-project-untouched');
  expect(untouched?.status).toBe('failed');
  expect(untouched?.violations).toEqual([
    expect.objectContaining({ checkId: 'state-tenant-intact', received: 'changed: job-0101 (failure_status: "createFail" → "deleteFail")' }),
  ]);
});

test('a list that never shows the victim: list-after-delete is not passed but not observed, and the verdict is INCOMPLETE', async () => {
  const hidesVictim =
    (faithful: Handle): Handle =>
    (request, ctx) => {
      const response = faithful(request, ctx);
      if (request.method !== 'GET' || !LIST.test(request.url) || response.status !== 200 || !response.body) return response;
      const body = JSON.parse(response.body) as { failure_jobs: FailureJob[]; count: number };
      const shown = body.failure_jobs.filter((j) => j.job_id !== 'job-0002');
      return { ...response, body: JSON.stringify({ failure_jobs: shown, count: body.count - (body.failure_jobs.length - shown.length) }) };
    };
  const target = await server(seedWith(SIX, FIVE_B), 'hides-victim', hidesVictim);
  const result = await run(target.url, ['--failure-job-id', 'job-0002', '--failure-job-id', 'job-0004']);
  expect(result.code).toBe(4);
  expect(result.stdout).toMatch(/Verdict: INCOMPLETE/);
  expect(result.caseOf('deleteFailureJob.own-job')).toMatchObject({ status: 'passed', receivedStatus: 204 });
  expect(result.caseOf('deleteFailureJob.list-after-delete')).toMatchObject({
    status: 'skipped',
    skip: { category: 'not-observed', reason: expect.stringMatching(/^The list never showed job "job-0002" before the delete, so its removal cannot be seen/) },
  });
});

test('the other list cannot be read whole before the run (it ignores offset): other-project-untouched is not observed, never passed', async () => {
  const otherIgnoresOffset =
    (faithful: Handle): Handle =>
    (request, ctx) => {
      const match = LIST.exec(request.url);
      if (request.method !== 'GET' || match?.[1] !== projectB.projectId) return faithful(request, ctx);
      return faithful({ ...request, url: `${request.url.split('?')[0]}?limit=2` }, ctx);
    };
  const target = await server(seedWith(SIX, FIVE_B), 'other-list-repeats', otherIgnoresOffset);
  const result = await run(target.url, ['--discover']);
  expect(result.code).toBe(4);
  expect(result.stdout).toMatch(/Verdict: INCOMPLETE/);
  expect(result.caseOf('deleteFailureJob.list-after-delete')).toMatchObject({ status: 'passed' });
  expect(result.caseOf('deleteFailureJob.other-project-untouched')).toMatchObject({
    status: 'skipped',
    skip: { category: 'not-observed', reason: expect.stringMatching(/^No list of the other project could be read before the run/) },
  });
});
