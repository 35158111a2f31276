import { expect, test } from 'vitest';
import { advertisedButRefused, type PathAnswer } from '../../lib/checks/allow-consistent.ts';
import { deleteOnce, raceWinner } from '../../lib/checks/race-checks.ts';
import { guardKept } from '../../lib/checks/state-checks.ts';

test.for([
  [[204, 404, 404], 0, []],
  [[404, 204, 404], 1, []],
  [[404, 404, 404], undefined, []],
  [[204, undefined, 404], 0, []],
  [[204, 204, 404], 0, ['2 of 3 DELETE requests of one job sent at the same moment succeeded']],
  [[202, 204, 200], 0, ['3 of 3 DELETE requests of one job sent at the same moment succeeded']],
] as const)('a race answered %j: the winner is #%s; %j', ([statuses, winner, titles]) => {
  expect(raceWinner(statuses)).toBe(winner);
  const found = deleteOnce(statuses, 204, [404]);
  expect(found.map((v) => v.title)).toEqual(titles);
  for (const v of found) expect(v).toMatchObject({ checkId: 'delete-once', severity: 'error', expected: 'exactly one 204; the others 404 (the job is gone)' });
});

test('the guard still listed passes; gone, the violation names the step that ended it', () => {
  const head = { step: "HEAD on the job's path" };
  expect(guardKept(['a', 'guard', 'b'], 'guard', head, 'listFailureJobs body#/failure_jobs')).toEqual([]);
  expect(guardKept(['a', 'b'], 'guard', head, 'listFailureJobs body#/failure_jobs')).toEqual([
    {
      checkId: 'state-guard-kept',
      severity: 'error',
      title: "The guard job vanished after HEAD on the job's path",
      expected: "guard still listed: no request of HEAD on the job's path may delete it",
      received: "guard no longer listed after HEAD on the job's path",
      where: 'listFailureJobs body#/failure_jobs',
    },
  ]);
});

test('a read that went out alongside the next method names both methods, and how to tell them apart', () => {
  const shared = { step: "HEAD on the job's path", alongside: "OPTIONS on the job's path" };
  expect(guardKept(['guard'], 'guard', shared, 'where')).toEqual([]);
  expect(guardKept([], 'guard', shared, 'where')).toEqual([
    expect.objectContaining({
      title: "The guard job vanished after HEAD on the job's path or OPTIONS on the job's path",
      received: expect.stringMatching(/no longer listed after HEAD .* or OPTIONS .*--isolate-methods tells them apart/),
    }),
  ]);
});

const answer = (method: string, status: number, allow: string[] = [], pathTemplate = '/jobs/{id}'): PathAnswer => ({ pathTemplate, method, status, allow });

test('an advertised method and its 405 contradict each other, whichever came first; the later answer says so, once', () => {
  const put = answer('PUT', 405, ['DELETE', 'GET']);
  const get = answer('GET', 405, ['DELETE']);
  // GET refused first, then PUT's Allow advertises it …
  expect(advertisedButRefused(put, [get]).map((v) => [v.checkId, v.title])).toEqual([
    ['allow-consistent', 'Allow advertises GET, which answered 405 when the run sent it'],
  ]);
  // … or PUT's Allow first, then GET refused.
  expect(advertisedButRefused(get, [put]).map((v) => [v.checkId, v.title])).toEqual([
    ['allow-consistent', 'GET answered 405, though the 405 to PUT advertised it in Allow'],
  ]);
  // Another path says nothing of this one; an answer that is not a 405 advertises nothing here.
  expect(advertisedButRefused(put, [answer('GET', 405, [], '/jobs')])).toEqual([]);
  expect(advertisedButRefused(answer('DELETE', 204, ['GET']), [get])).toEqual([]);
  expect(advertisedButRefused(put, [answer('DELETE', 204), answer('GET', 200, [], '/jobs')])).toEqual([]);
  // The method refused by this very answer is the per-response check's business, not counted twice.
  expect(advertisedButRefused(answer('GET', 405, ['GET']), [])).toEqual([]);
});
