import { Agent, request } from 'undici';
import { expect, test } from 'vitest';
import { signRequest } from '../../lib/auth/sign-request.ts';
import type { FailureJob, Seed } from '../../server/seed.ts';
import { projectA, projectB, testServer, TIMEOUTS } from './support.ts';

/** Figures the lead quotes: bounded, loopback only, deterministic mix (seeded shuffle). */
const CONCURRENCY = 200;
const JOBS = 1000;
const BUSY = 10;

type Kind = 'delete-token' | 'delete-aksk' | 'unknown-id' | 'bad-token' | 'wrong-method' | 'other-project' | 'busy' | 'list';
const EXPECTED: Record<Kind, number[]> = {
  'delete-token': [204, 404],
  'delete-aksk': [204, 404],
  'unknown-id': [404],
  'bad-token': [401],
  'wrong-method': [405],
  'other-project': [403],
  busy: [409],
  list: [200],
};

const job = (id: string, busy = false): FailureJob => ({
  job_id: id,
  job_type: 'createProtectedInstance',
  resource_id: 'r',
  resource_name: 'n',
  resource_type: 'protected_instances',
  failure_status: 'createFail',
  error_code: 'EVS.2024',
  fail_reason: 'f',
  begin_time: '2019-01-21T12:56:35.754Z',
  busy,
});
const jobIds = Array.from({ length: JOBS }, (_, i) => `load-${i.toString().padStart(4, '0')}`);
const busyIds = Array.from({ length: BUSY }, (_, i) => `busy-${i}`);
const seed: Seed = {
  projects: [
    { ...projectA, jobs: [...jobIds.map((id) => job(id)), ...busyIds.map((id) => job(id, true))] },
    { ...projectB, jobs: [] },
  ],
};

/** mulberry32: the same mix every run. */
function random(seedValue: number): () => number {
  let a = seedValue;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planned {
  kind: Kind;
  method: string;
  path: string;
  jobId?: string;
}

function plan(): Planned[] {
  const a = projectA.projectId;
  const item = (id: string, project = a) => `/v1/${project}/task-center/failure-jobs/${id}`;
  const rows: Planned[] = [
    // Every job is deleted twice, once per credential kind: exactly one may win.
    ...jobIds.flatMap((id) => [
      { kind: 'delete-token' as const, method: 'DELETE', path: item(id), jobId: id },
      { kind: 'delete-aksk' as const, method: 'DELETE', path: item(id), jobId: id },
    ]),
    ...Array.from({ length: 1000 }, (_, i) => ({
      kind: 'unknown-id' as const,
      method: 'DELETE',
      path: item(`00000000-0000-4000-8000-${i.toString().padStart(12, '0')}`),
    })),
    ...Array.from({ length: 600 }, (_, i) => ({ kind: 'bad-token' as const, method: 'DELETE', path: item(jobIds[i % JOBS] as string) })),
    ...Array.from({ length: 600 }, (_, i) => ({
      kind: 'wrong-method' as const,
      method: ['GET', 'PUT', 'POST', 'PATCH'][i % 4] as string,
      path: item(jobIds[i % JOBS] as string),
    })),
    ...Array.from({ length: 400 }, (_, i) => ({ kind: 'other-project' as const, method: 'DELETE', path: item(jobIds[i % JOBS] as string) })),
    ...Array.from({ length: 200 }, (_, i) => ({ kind: 'busy' as const, method: 'DELETE', path: item(busyIds[i % BUSY] as string) })),
    // Project B's list: small, so the figures measure the server rather than JSON of a thousand jobs.
    ...Array.from({ length: 200 }, () => ({ kind: 'list' as const, method: 'GET', path: `/v1/${projectB.projectId}/task-center/failure-jobs` })),
  ];
  const next = random(20_241_128);
  for (let i = rows.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [rows[i], rows[j]] = [rows[j] as Planned, rows[i] as Planned];
  }
  return rows;
}

function headersFor(row: Planned, url: string): Record<string, string> {
  const base = { accept: 'application/json' };
  switch (row.kind) {
    case 'delete-aksk':
      return signRequest(
        { method: row.method, url, headers: { ...base, 'content-type': 'application/json' } },
        projectA.aksk[0] as { ak: string; sk: string },
        { now: new Date() },
      ).headers;
    case 'bad-token':
      return { ...base, 'x-auth-token': 'MIInot-issued-by-any-iam' };
    case 'other-project':
    case 'list':
      return { ...base, 'x-auth-token': projectB.tokens[0] as string };
    default:
      return { ...base, 'x-auth-token': projectA.tokens[0] as string };
  }
}

test(`load: ${CONCURRENCY} concurrent clients, mixed valid and invalid requests — no unexpected 5xx, no job deleted twice`, async () => {
  const server = await testServer({ seed });
  const dispatcher = new Agent({ connections: CONCURRENCY, connect: { timeout: TIMEOUTS.connectTimeout }, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const rows = plan();
  const results: Array<{ row: Planned; status: number | string }> = [];
  let cursor = 0;
  const started = performance.now();
  const worker = async () => {
    while (cursor < rows.length) {
      const row = rows[cursor++] as Planned;
      const url = server.url + row.path;
      try {
        const response = await request(url, { method: row.method as 'DELETE', headers: headersFor(row, url), dispatcher });
        await response.body.dump();
        results.push({ row, status: response.statusCode });
      } catch (error) {
        results.push({ row, status: (error as { code?: string }).code ?? 'network-error' });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const wallMs = Math.round(performance.now() - started);
  await dispatcher.close();

  const unexpected = results.filter(({ row, status }) => !EXPECTED[row.kind].includes(status as number));
  const fiveXx = results.filter(({ status }) => typeof status === 'number' && status >= 500);
  const byStatus: Record<string, number> = {};
  for (const { status } of results) byStatus[status] = (byStatus[status] ?? 0) + 1;
  const winners = new Map<string, number>();
  for (const { row, status } of results) if (status === 204 && row.jobId) winners.set(row.jobId, (winners.get(row.jobId) ?? 0) + 1);
  console.log(
    `load: ${results.length} requests, concurrency ${CONCURRENCY}, wall ${wallMs} ms (${Math.round((results.length / wallMs) * 1000)} req/s); ` +
      `statuses ${JSON.stringify(byStatus)}; unexpected ${unexpected.length}, 5xx ${fiveXx.length}, network errors ${results.filter((r) => typeof r.status === 'string').length}; ` +
      `jobs deleted ${winners.size}/${JOBS}, deleted twice ${[...winners.values()].filter((n) => n > 1).length}`,
  );

  expect(results).toHaveLength(rows.length);
  expect(unexpected.map(({ row, status }) => `${row.kind} ${row.method} ${row.path} → ${status}`)).toEqual([]);
  expect(fiveXx).toEqual([]);
  // Exactly one 204 per job; its twin got 404; counts add up.
  expect(jobIds.filter((id) => winners.get(id) !== 1)).toEqual([]);
  expect(byStatus[204]).toBe(JOBS);
  expect(byStatus[404]).toBe(JOBS + 1000);
  expect(Object.values(byStatus).reduce((sum, n) => sum + n, 0)).toBe(rows.length);
  expect(
    server.store
      .list(projectA.projectId)
      .map((j) => j.job_id)
      .sort(),
  ).toEqual([...busyIds].sort());
  expect(server.lines).toHaveLength(rows.length);
});
