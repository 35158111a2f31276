import { Client } from 'undici';
import { expect, onTestFinished, test } from 'vitest';
import { VARIANTS } from '../../server/variants/index.ts';
import {
  BUSY_JOB,
  FREE_JOB,
  jobUrl,
  listPath,
  projectA,
  projectB,
  send,
  testServer,
  TOKEN_A,
  TIMEOUTS,
  TOKEN_B,
  UNKNOWN_JOB,
  type Answer,
  type TestServer,
} from './support.ts';

/**
 * Each faithful variant differs from the reference server only where the doc or the gateway allows:
 * the request that shows the difference gets the faithful answer from the reference server and the
 * variant's from the variant. (The mutation matrix proves the suite passes every variant.)
 */
interface Row {
  /** The exchange that shows the difference, against a server (faithful or the variant). */
  exchange: (server: TestServer) => Promise<Answer>;
  faithful: (answer: Answer) => void;
  variant: (answer: Answer) => void;
}

type Json = Record<string, Record<string, unknown> | string | number>;
const json = (answer: Answer) => answer.json as Json;
const sdrsError = (answer: Answer) => (json(answer).error ?? json(answer).itemNotFound) as { code: string; message: string };
const jobIds = (answer: Answer) => (json(answer).failure_jobs as unknown as Array<{ job_id: string }>).map((job) => job.job_id);
const listA = (server: TestServer, query = '') => send(`${server.url}${listPath()}${query}`, { method: 'GET' });
/** The first job the server lists for project A: its own id format. */
const firstJob = async (server: TestServer) => (jobIds(await listA(server))[0] as string) ?? FREE_JOB;

const ROWS: Record<string, Row> = {
  'job-ids-hex32': {
    exchange: async (server) => {
      const ids = jobIds(await listA(server));
      const [uuid, ownShape] = [await send(jobUrl(server, UNKNOWN_JOB)), await send(jobUrl(server, 'f'.repeat(32)))];
      return { ...uuid, json: { ids, uuid: uuid.status, uuidCode: sdrsError(uuid).code, ownShape: ownShape.status } };
    },
    faithful: (a) => expect(a.json).toMatchObject({ uuid: 404, ownShape: 404 }),
    variant: (a) => {
      expect(a.json).toMatchObject({ uuid: 400, uuidCode: 'SDRS.0201', ownShape: 404 });
      for (const id of (a.json as { ids: string[] }).ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    },
  },
  'job-ids-base36': {
    exchange: async (server) => {
      const ids = jobIds(await listA(server));
      const [uuid, ownShape] = [await send(jobUrl(server, UNKNOWN_JOB)), await send(jobUrl(server, 'z'.repeat(20)))];
      return { ...uuid, json: { ids, uuid: uuid.status, ownShape: ownShape.status } };
    },
    faithful: (a) => expect(a.json).toMatchObject({ uuid: 404, ownShape: 404 }),
    variant: (a) => {
      expect(a.json).toMatchObject({ uuid: 400, ownShape: 404 });
      for (const id of (a.json as { ids: string[] }).ids) expect(id).toMatch(/^[0-9a-z]{20}$/);
    },
  },
  'public-gateway': {
    exchange: async (server) => {
      const [put, foreign, unknown] = [
        await send(jobUrl(server, BUSY_JOB), { method: 'PUT' }),
        await send(jobUrl(server, BUSY_JOB), { headers: { 'x-auth-token': TOKEN_B } }),
        await send(jobUrl(server, UNKNOWN_JOB)),
      ];
      return { ...put, json: { put: [put.status, put.headers.allow, json(put).error_code], foreign: [foreign.status], unknown: [unknown.status] } };
    },
    faithful: (a) => expect(a.json).toEqual({ put: [405, 'DELETE', undefined], foreign: [403], unknown: [404] }),
    variant: (a) => expect(a.json).toEqual({ put: [404, undefined, 'APIG.0101'], foreign: [400], unknown: [400] }),
  },
  throttled: {
    exchange: async (server) => {
      const answers: Answer[] = [];
      for (let i = 0; i < 10; i += 1) answers.push(await listA(server));
      const tenth = answers[9] as Answer;
      return { ...tenth, json: { statuses: answers.map((a) => a.status), retryAfter: tenth.headers['retry-after'], code: json(tenth).error_code } };
    },
    faithful: (a) => expect((a.json as { statuses: number[] }).statuses).toEqual(Array(10).fill(200)),
    variant: (a) => expect(a.json).toEqual({ statuses: [...Array(9).fill(200), 429], retryAfter: '1', code: 'APIG.0308' }),
  },
  'connection-close': {
    // A client that keeps connections (undici's default, unlike send()): the faithful server keeps it too.
    exchange: async (server) => {
      const client = new Client(server.url, { connectTimeout: TIMEOUTS.connectTimeout });
      onTestFinished(() => client.close());
      const answer = await client.request({ method: 'GET', path: listPath(), headers: { 'x-auth-token': TOKEN_A }, ...TIMEOUTS });
      await answer.body.dump();
      return { status: answer.statusCode, headers: { connection: String(answer.headers.connection) }, body: '', json: undefined };
    },
    faithful: (a) => expect([a.status, a.headers.connection]).toEqual([200, 'keep-alive']),
    variant: (a) => expect([a.status, a.headers.connection]).toEqual([200, 'close']),
  },
  'error-body-extras': {
    exchange: (server) => send(jobUrl(server, UNKNOWN_JOB)),
    faithful: (a) => expect(Object.keys(json(a))).toEqual(['itemNotFound']),
    variant: (a) => {
      expect(json(a)).toMatchObject({ request_id: a.headers['x-request-id'], itemNotFound: { code: 'SDRS.9404', details: expect.any(Array) } });
    },
  },
  'chinese-messages': {
    exchange: (server) => send(jobUrl(server, UNKNOWN_JOB)),
    faithful: (a) => expect(sdrsError(a).message).toMatch(/^The failure job does not exist/),
    variant: (a) => expect(sdrsError(a)).toEqual({ code: 'SDRS.9404', message: '失败任务不存在' }),
  },
  'content-length-zero-204': {
    exchange: (server) => send(jobUrl(server, FREE_JOB)),
    faithful: (a) => expect([a.status, a.headers['content-length']]).toEqual([204, undefined]),
    variant: (a) => expect([a.status, a.headers['content-length'], a.body]).toEqual([204, '0', '']),
  },
  'slow-answers': {
    exchange: async (server) => {
      const started = performance.now();
      const answer = await listA(server);
      return { ...answer, json: { status: answer.status, ms: performance.now() - started } };
    },
    faithful: (a) => expect((a.json as { ms: number }).ms).toBeLessThan(150),
    variant: (a) => expect((a.json as { ms: number }).ms).toBeGreaterThanOrEqual(195),
  },
  'list-paged': {
    exchange: async (server) => {
      const [page, all] = [await listA(server), await listA(server, '?limit=100')];
      return { ...page, json: { page: jobIds(page).length, count: json(page).count, all: jobIds(all).length } };
    },
    faithful: (a) => expect(a.json).toEqual({ page: projectA.jobs.length, count: projectA.jobs.length, all: projectA.jobs.length }),
    variant: (a) => expect(a.json).toEqual({ page: 2, count: projectA.jobs.length, all: projectA.jobs.length }),
  },
  'list-grows': {
    exchange: async (server) => {
      const before = jobIds(await listA(server)).length;
      await send(jobUrl(server, await firstJob(server)));
      const afterA = jobIds(await listA(server)).length;
      const afterB = (await send(`${server.url}${listPath(projectB.projectId)}`, { method: 'GET', headers: { 'x-auth-token': TOKEN_B } })).json as Json;
      return { status: 200, headers: {}, body: '', json: { before, afterA, afterB: afterB.count } };
    },
    faithful: (a) => expect(a.json).toEqual({ before: projectA.jobs.length, afterA: projectA.jobs.length - 1, afterB: projectB.jobs.length }),
    variant: (a) => expect(a.json).toEqual({ before: projectA.jobs.length, afterA: projectA.jobs.length, afterB: projectB.jobs.length + 1 }),
  },
};

test('every variant has a row here, and every row is a variant', () => {
  expect(Object.keys(ROWS).sort()).toEqual(VARIANTS.map((v) => v.name).sort());
});

test.for(VARIANTS.map((v) => [v.name, v] as const))('%s: the faithful answer, and the variant’s', async ([name, variant]) => {
  const row = ROWS[name] as Row;
  row.faithful(await row.exchange(await testServer({ scenarios: false })));
  row.variant(await row.exchange(await testServer({ scenarios: false, variant })));
});
