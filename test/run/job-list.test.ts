import { describe, expect, test } from 'vitest';
import type { Exchange } from '../../lib/http/exchange.ts';
import { jobIdsOf, jobListOf, LIST_MAX_PAGES, nextOffset } from '../../lib/run/job-list.ts';
import type { JobSource } from '../../lib/spec/operation-tables.ts';

const SOURCE: JobSource = { list: 'listFailureJobs', items: '/failure_jobs', id: 'job_id', paging: { limit: 'limit', offset: 'offset', count: '/count' } };

/** One page of the list as the wire would bring it. */
function page(ids: string[], count?: number, status = 200): Exchange {
  const body = JSON.stringify({ failure_jobs: ids.map((job_id) => ({ job_id, failure_status: 'createFail' })), ...(count === undefined ? {} : { count }) });
  return {
    kind: 'response',
    request: { method: 'GET', url: 'http://127.0.0.1:1/v1/p/task-center/failure-jobs?limit=2&offset=0', headers: {} },
    response: {
      status,
      headers: [['content-type', 'application/json']],
      body: new TextEncoder().encode(body),
      bodyTruncated: false,
      wireBodyBytes: body.length,
    },
    timings: { startedAt: 0, durationMs: 0 },
  };
}

describe('paging: where the next page starts, or that the list is read', () => {
  test.for<[string, { pages: Array<[string[], number | undefined]>; want: number | undefined }]>([
    ['count not reached: the next offset is what was shown so far', { pages: [[['a', 'b'], 5]], want: 2 }],
    [
      'a short page (the server caps it), count not reached: go on',
      {
        pages: [
          [['a', 'b'], 5],
          [['c', 'd'], 5],
        ],
        want: 4,
      },
    ],
    [
      'count reached',
      {
        pages: [
          [['a', 'b'], 5],
          [['c', 'd'], 5],
          [['e'], 5],
        ],
        want: undefined,
      },
    ],
    [
      'an empty page ends it, whatever count says',
      {
        pages: [
          [['a', 'b'], 5],
          [[], 5],
        ],
        want: undefined,
      },
    ],
    [
      'a page of nothing new (offset ignored) ends it',
      {
        pages: [
          [['a', 'b'], 5],
          [['a', 'b'], 5],
        ],
        want: undefined,
      },
    ],
    ['no count: a full page goes on', { pages: [[['a', 'b'], undefined]], want: 2 }],
  ])('%s', ([, { pages, want }]) => {
    expect(
      nextOffset(
        pages.map(([ids, count]) => jobIdsOf(page(ids, count), SOURCE)),
        2,
      ),
    ).toBe(want);
  });

  test('no count: a page shorter than asked for is the last', () => {
    expect(nextOffset([jobIdsOf(page(['a'], undefined), SOURCE)], 2)).toBeUndefined();
  });
});

describe('jobListOf: every page → the list, or why it is not the whole list', () => {
  test('pages merge in order, each id once, with its record', () => {
    const list = jobListOf([page(['a', 'b'], 4), page(['b', 'c'], 4), page(['d'], 4)], SOURCE);
    expect(list.ok && list.ids).toEqual(['a', 'b', 'c', 'd']);
    expect(list.ok && list.records.get('c')).toEqual({ job_id: 'c', failure_status: 'createFail' });
  });

  test('a page that failed makes the list unreadable, saying which', () => {
    expect(jobListOf([page(['a', 'b'], 4), page([], undefined, 500)], SOURCE)).toEqual({
      ok: false,
      problem: 'GET /v1/p/task-center/failure-jobs answered 500, expected 200 with {"failure_jobs": […]}',
    });
  });

  test('pages that repeat themselves before count is reached: truncated, not "jobs disappeared"', () => {
    const list = jobListOf([page(['a', 'b'], 5), page(['a', 'b'], 5)], SOURCE);
    expect(list).toEqual({ ok: false, truncated: true, problem: expect.stringMatching(/repeat themselves .*; 2 jobs seen of 5$/) });
  });

  test('more pages than the cap: truncated', () => {
    const pages = Array.from({ length: LIST_MAX_PAGES }, (_, i) => page([`j${2 * i}`, `j${2 * i + 1}`], 10 * LIST_MAX_PAGES));
    expect(jobListOf(pages, SOURCE, 2)).toMatchObject({ ok: false, truncated: true });
  });
});
