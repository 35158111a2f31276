import { expect, test } from 'vitest';
import { readListPages } from '../../lib/execute/read-list.ts';
import type { Exchange } from '../../lib/http/exchange.ts';
import type { PlannedRequest } from '../../lib/plan/plan-model.ts';

const LIST = 'http://127.0.0.1:9/v1/p/task-center/failure-jobs';
const source = { list: 'listFailureJobs', items: '/failure_jobs', id: 'job_id', paging: { limit: 'limit', offset: 'offset', count: '/count' } };
const request: PlannedRequest = { method: 'GET', url: LIST, identity: 'primary', headers: {} };

function page(url: string, status: number, ids: string[], count = ids.length): Exchange {
  const body = Buffer.from(JSON.stringify({ failure_jobs: ids.map((job_id) => ({ job_id })), count }));
  return {
    kind: 'response',
    request: { method: 'GET', url, headers: {} },
    response: { status, headers: [['content-type', 'application/json']], body, bodyTruncated: false, wireBodyBytes: body.length },
    timings: { startedAt: 0, durationMs: 0 },
  };
}

/** A list of `total` jobs answered page by page, recording what was asked. */
function server(total: number) {
  const asked: string[] = [];
  const send = async (r: PlannedRequest) => {
    asked.push(r.url);
    const offset = Number(new URL(r.url).searchParams.get('offset'));
    const ids = Array.from({ length: total }, (_, i) => `job-${i}`).slice(offset, offset + 100);
    return page(r.url, 200, ids, total);
  };
  return { asked, send };
}

test('the first page the preflight read is not asked for again; the read goes on from it', async () => {
  const target = server(150);
  const first = page(
    `${LIST}?limit=100&offset=0`,
    200,
    Array.from({ length: 100 }, (_, i) => `job-${i}`),
    150,
  );
  const pages = await readListPages({ request, source }, target.send, first);
  expect(target.asked).toEqual([`${LIST}?limit=100&offset=100`]);
  expect(pages[0]).toBe(first);
  expect(pages).toHaveLength(2);
});

test('a first page that is not a 200, or not that page, is read again', async () => {
  for (const first of [page(`${LIST}?limit=100&offset=0`, 429, []), page(`${LIST}?limit=10&offset=0`, 200, ['job-0'])]) {
    const target = server(3);
    const pages = await readListPages({ request, source }, target.send, first);
    expect(target.asked).toEqual([`${LIST}?limit=100&offset=0`]);
    expect(pages).toHaveLength(1);
    expect(pages[0]).not.toBe(first);
  }
});
