import { expect, test } from 'vitest';
import { jobIdProblem, patternCharacters, reservedJobSegments } from '../../lib/cases/job-id-safety.ts';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { unknownJobIdFor } from '../../lib/plan/job-id-shape.ts';
import { assignJobs, fixedIdHold, mayDelete, namedJobIdsError } from '../../lib/run/job-roles.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';

const BATCH = reservedJobSegments((await loadSpec(DEFAULT_SPEC)).operations);

test.for<[string, { named: string[]; want: RegExp | undefined }]>([
  ['two distinct ids', { named: ['job-1', 'job-2'], want: undefined }],
  ['three distinct ids', { named: ['job-1', 'job-2', 'job-3'], want: undefined }],
  ['batch', { named: ['job-1', 'batch'], want: /^--failure-job-id "batch": the id is the path segment of another operation/ }],
  [
    'an id repeated',
    {
      named: ['job-1', 'job-1'],
      want: /^--failure-job-id "job-1": the id is given twice: the job deleted and the guard that must survive would be one job; name another job$/,
    },
  ],
  ['a case variant', { named: ['job-1', 'Job-1'], want: /^--failure-job-id "Job-1": the id names the same job as "job-1"/ }],
  [
    'a control character shown escaped, a long id shortened',
    { named: [`a/\u001b[2J${'x'.repeat(60)}`], want: /^--failure-job-id "a\/\\x1b\[2Jx{30}…": the id holds "\/"/u },
  ],
])('namedJobIdsError: %s', ([, { named, want }]) => {
  const error = namedJobIdsError(named, BATCH);
  if (!want) return expect(error).toBeUndefined();
  expect(error?.code).toBe('CFG_USAGE');
  expect(error?.message).toMatch(want);
});

test.for<[string, { named: string[]; listed: string[] | undefined; want: { victim?: string; guard?: string; refused: string[] } }]>([
  ['named ids only', { named: ['a1', 'b2'], listed: undefined, want: { victim: 'a1', guard: 'b2', refused: [] } }],
  ['the list fills the guard', { named: ['a1'], listed: ['a1', 'b2', 'c3'], want: { victim: 'a1', guard: 'b2', refused: [] } }],
  ['discovered only, in list order', { named: [], listed: ['c3', 'b2', 'a1'], want: { victim: 'c3', guard: 'b2', refused: [] } }],
  [
    'unsafe listed ids are skipped and said',
    { named: [], listed: ['batch', '..', 'a/b', 'a1', 'b2'], want: { victim: 'a1', guard: 'b2', refused: ['batch', '..', 'a/b'] } },
  ],
  ['another spelling of a chosen job is skipped and said', { named: ['a1'], listed: ['A1', 'b2'], want: { victim: 'a1', guard: 'b2', refused: ['A1'] } }],
  ['a job listed twice is not both roles', { named: [], listed: ['a1', 'a1', 'b2'], want: { victim: 'a1', guard: 'b2', refused: ['a1'] } }],
  ['once two are chosen the rest is not looked at', { named: [], listed: ['a1', 'b2', 'batch'], want: { victim: 'a1', guard: 'b2', refused: [] } }],
  ['too few safe ids leave the guard empty', { named: [], listed: ['a1', 'BATCH'], want: { victim: 'a1', refused: ['BATCH'] } }],
])('assignJobs: %s', ([, { named, listed, want }]) => {
  const roles = assignJobs(named, listed, BATCH);
  expect({ victim: roles.victim, guard: roles.guard, refused: roles.refused.map((r) => r.id) }).toEqual({ victim: undefined, guard: undefined, ...want });
});

test.for<[string, { id: string; deletionAllowed: boolean; want: RegExp | undefined }]>([
  ['a plain id, deletion not allowed', { id: 'bad id<>"{}|^`', deletionAllowed: false, want: undefined }],
  ['a % id, deletion allowed', { id: '50%-ü-✓', deletionAllowed: true, want: undefined }],
  [
    'a % id, deletion not allowed',
    { id: '50%-ü-✓', deletionAllowed: false, want: /^Its job id "50%-ü-✓" holds "%", .* add --allow-delete with --failure-job-id or --discover/ },
  ],
  [
    'batch, deletion allowed: never',
    { id: 'batch', deletionAllowed: true, want: /^Its job id "batch" is the path segment of another operation.*; the run never sends it\.$/ },
  ],
  ['a dot segment, deletion allowed: never', { id: '..', deletionAllowed: true, want: /dot segment/ }],
])('fixedIdHold: %s', ([, { id, deletionAllowed, want }]) => {
  const held = fixedIdHold(id, BATCH, deletionAllowed);
  if (!want) return expect(held).toBeUndefined();
  expect(held).toMatch(want);
});

test('the seeded unknown id with no sample is always sendable: a UUID, safe, with no pattern character, for any seed', () => {
  for (let seed = 0; seed < 2000; seed += 1) {
    const { id } = unknownJobIdFor(seed, []);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(jobIdProblem(id, BATCH)).toBeUndefined();
    expect(patternCharacters(id, 'value')).toEqual([]);
  }
});

test.for<[string, { endpointClass: 'bundled' | 'external'; deletableJobs: string[]; discover: boolean; want: boolean }]>([
  ['the bundled server', { endpointClass: 'bundled', deletableJobs: [], discover: true, want: true }],
  ['named jobs (only with --allow-delete)', { endpointClass: 'external', deletableJobs: ['a1', 'b2'], discover: false, want: true }],
  ['discovery (only with --allow-delete)', { endpointClass: 'external', deletableJobs: [], discover: true, want: true }],
  ['neither', { endpointClass: 'external', deletableJobs: [], discover: false, want: false }],
])('mayDelete: %s', ([, { want, ...config }]) => {
  expect(mayDelete(config)).toBe(want);
});
