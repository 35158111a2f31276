import { expect, test } from 'vitest';
import { MUTANTS } from '../../server/mutants/index.ts';
import { FREE_JOB, jobUrl, listPath, projectA, send, testServer, TOKEN_A, TOKEN_B, type Answer } from './support.ts';

/**
 * The list's mutants break the list in exactly one way each: the request of the list case meant to
 * catch it gets the documented answer from the faithful server and the broken one from the mutant,
 * while the delete keeps working. (The mutation matrix proves the suite catches them.)
 */
interface Row {
  /** The list case whose request this is. */
  caseId: string;
  method?: string;
  query?: string;
  headers?: Record<string, string>;
  faithful: (answer: Answer) => void;
  mutant: (answer: Answer) => void;
}

const errorCode = (answer: Answer) =>
  (answer.json as { error?: { code: string }; error_code?: string } | undefined)?.error?.code ?? (answer.json as { error_code?: string }).error_code;

const ROWS: Record<string, Row> = {
  'list-auth-skipped': {
    caseId: 'listFailureJobs.no-credentials',
    headers: {},
    faithful: (a) => expect(a.status).toBe(401),
    mutant: (a) => expect([a.status, (a.json as { count: number }).count]).toEqual([200, projectA.jobs.length]),
  },
  'list-foreign-token-reads': {
    caseId: 'listFailureJobs.other-project-token',
    headers: { 'x-auth-token': TOKEN_B },
    faithful: (a) => expect(a.status).toBe(403),
    mutant: (a) => expect([a.status, (a.json as { count: number }).count]).toEqual([200, projectA.jobs.length]),
  },
  'list-wrong-method-404': {
    caseId: 'listFailureJobs.wrong-method.put',
    method: 'PUT',
    faithful: (a) => expect([a.status, a.headers.allow]).toEqual([405, 'GET']),
    mutant: (a) => expect([a.status, errorCode(a)]).toEqual([404, 'APIG.0101']),
  },
  'list-wrong-method-no-allow': {
    caseId: 'listFailureJobs.wrong-method.post',
    method: 'POST',
    faithful: (a) => expect([a.status, a.headers.allow]).toEqual([405, 'GET']),
    mutant: (a) => expect([a.status, a.headers.allow]).toEqual([405, undefined]),
  },
  'list-error-html': {
    caseId: 'listFailureJobs.invalid-token',
    headers: { 'x-auth-token': 'MIInot-issued-by-any-iam' },
    faithful: (a) => expect([a.status, a.headers['content-type']]).toEqual([401, 'application/json;charset=UTF-8']),
    mutant: (a) => expect([a.status, a.headers['content-type'], a.body.startsWith('<html>')]).toEqual([401, 'text/html;charset=UTF-8', true]),
  },
  'list-limit-unchecked': {
    caseId: 'listFailureJobs.invalid-limit',
    query: 'limit=-1',
    faithful: (a) => expect([a.status, errorCode(a)]).toEqual([400, 'SDRS.0221']),
    mutant: (a) => expect([a.status, (a.json as { count: number }).count]).toEqual([200, projectA.jobs.length]),
  },
  'list-limit-type-500': {
    caseId: 'listFailureJobs.invalid-limit-type',
    query: 'limit=abc',
    faithful: (a) => expect([a.status, errorCode(a)]).toEqual([400, 'SDRS.0221']),
    mutant: (a) => expect([a.status, errorCode(a)]).toEqual([500, 'SDRS.0013']),
  },
  'list-offset-negative-slices': {
    caseId: 'listFailureJobs.invalid-offset',
    query: 'offset=-1',
    faithful: (a) => expect([a.status, errorCode(a)]).toEqual([400, 'SDRS.0222']),
    mutant: (a) => expect(a.json).toEqual({ failure_jobs: [expect.objectContaining({ job_id: projectA.jobs.at(-1)?.job_id })], count: projectA.jobs.length }),
  },
  'list-limit-500-sdrs-0221': {
    caseId: 'listFailureJobs.limit-too-large',
    query: 'limit=1001',
    faithful: (a) => expect([a.status, errorCode(a)]).toEqual([400, 'SDRS.0221']),
    mutant: (a) => expect([a.status, errorCode(a)]).toEqual([500, 'SDRS.0221']),
  },
  'list-count-string': {
    caseId: 'listFailureJobs.own-project',
    faithful: (a) => expect((a.json as { count: unknown }).count).toBe(projectA.jobs.length),
    mutant: (a) => expect([a.status, (a.json as { count: unknown }).count]).toEqual([200, String(projectA.jobs.length)]),
  },
};

test('every mutant of the list has a row here', () => {
  expect(
    MUTANTS.filter((m) => m.name.startsWith('list-'))
      .map((m) => m.name)
      .sort(),
  ).toEqual(Object.keys(ROWS).sort());
});

test.for(Object.entries(ROWS).map(([name, row]) => [name, row.caseId, row] as const))('%s, as %s sees it', async ([name, , row]) => {
  const faithful = await testServer();
  const mutant = await testServer({ mutant: name });
  const ask = (server: { url: string }) =>
    send(`${server.url}${listPath()}${row.query ? `?${row.query}` : ''}`, { method: row.method ?? 'GET', headers: row.headers ?? { 'x-auth-token': TOKEN_A } });
  row.faithful(await ask(faithful));
  row.mutant(await ask(mutant));
  // Broken in one way only: the delete and the list of one's own project still work.
  expect((await send(jobUrl(mutant, FREE_JOB))).status).toBe(204);
  if (row.caseId !== 'listFailureJobs.own-project') {
    const own = await send(`${mutant.url}${listPath()}`, { method: 'GET' });
    expect([own.status, (own.json as { count: number }).count]).toEqual([200, projectA.jobs.length - 1]);
  }
});
