import { expect, test } from 'vitest';
import {
  jobIdProblem,
  mentionsReserved,
  movesPath,
  patternCharacters,
  reservedJobSegments,
  reservedSegments,
  sameJobKey,
  type JobIdRule,
} from '../../lib/cases/job-id-safety.ts';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';
import type { OperationModel } from '../../lib/spec/operation-model.ts';

const spec = await loadSpec(DEFAULT_SPEC);
const BATCH = reservedJobSegments(spec.operations);

test('the spec reserves exactly the batch path at the job-id position — derived from its paths, not written down', () => {
  expect(BATCH.map((r) => [r.literal, r.method, r.operationId])).toEqual([['batch', 'DELETE', 'deleteAllServerGroupFailureJobs']]);
});

const op = (pathTemplate: string, operationId = pathTemplate, method: OperationModel['method'] = 'DELETE'): OperationModel => ({
  operationId,
  method,
  pathTemplate,
  pathParams: [...pathTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
  summary: '',
  docUrl: undefined,
  docSection: undefined,
  role: 'contract',
  responses: [],
  methodsOnPath: [method],
});

test.for<[string, { others: string[]; want: Record<string, string[]> }]>([
  ['a literal sibling at the job position is reserved', { others: ['/v1/{p}/jobs/batch'], want: { p: [], id: ['batch'] } }],
  ['whatever its method (the id would not reach the job either)', { others: ['/v1/{p}/jobs/count'], want: { p: [], id: ['count'] } }],
  ['a sibling one segment deeper still claims its literal', { others: ['/v1/{p}/jobs/export/csv'], want: { p: [], id: ['export'] } }],
  ['a parameter at that position reserves nothing', { others: ['/v1/{p}/jobs/{other}'], want: { p: [], id: [] } }],
  ['the parent path reserves nothing', { others: ['/v1/{p}/jobs'], want: { p: [], id: [] } }],
  ['another prefix reserves nothing', { others: ['/v1/{p}/tasks/batch', '/v2/{p}/jobs/batch'], want: { p: [], id: [] } }],
  ['a literal where the project goes is reserved for the project', { others: ['/v1/global/jobs/{id}'], want: { p: ['global'], id: [] } }],
])('reservedSegments: %s', ([, { others, want }]) => {
  const mine = op('/v1/{p}/jobs/{id}');
  const reserved = reservedSegments([mine, ...others.map((path) => op(path))], mine);
  expect(Object.fromEntries(Object.entries(reserved).map(([name, list]) => [name, list.map((r) => r.literal)]))).toEqual(want);
});

test.for<[string, { id: string; want: JobIdRule | undefined }]>([
  ['a list id (32 characters)', { id: 'ff808082686f229a0168707b9be9013f', want: undefined }],
  ['a UUID', { id: '897f57b2-6e94-4179-b414-9532726c59f2', want: undefined }],
  ['an id that contains the word', { id: 'mybatchjob', want: undefined }],
  ['an id with dots inside', { id: 'a..b', want: undefined }],
  ['an id with an escape that decodes to nothing odd', { id: 'job%41', want: undefined }],
  ['empty', { id: '', want: 'empty' }],
  ['blank', { id: '  \t', want: 'empty' }],
  ['an encoded NUL', { id: '%00', want: 'empty' }],
  ['.', { id: '.', want: 'dot-segment' }],
  ['..', { id: '..', want: 'dot-segment' }],
  ['%2e%2e', { id: '%2e%2e', want: 'dot-segment' }],
  ['.. encoded twice', { id: '%252E%252E', want: 'dot-segment' }],
  ['fullwidth ．．', { id: '．．', want: 'dot-segment' }],
  ['a/b', { id: 'a/b', want: 'separator' }],
  ['a\\b', { id: 'a\\b', want: 'separator' }],
  ['an encoded slash', { id: 'a%2Fb', want: 'separator' }],
  ['a fullwidth slash', { id: 'a／b', want: 'separator' }],
  ['batch', { id: 'batch', want: 'reserved' }],
  ['BATCH', { id: 'BATCH', want: 'reserved' }],
  ['%62atch', { id: '%62atch', want: 'reserved' }],
  ['%2562atch (encoded twice)', { id: '%2562atch', want: 'reserved' }],
  ['batch with blanks around', { id: ' batch\t', want: 'reserved' }],
  ['batch cut by a NUL', { id: 'batch%00.json', want: 'reserved' }],
  ['fullwidth ｂａｔｃｈ', { id: 'ｂａｔｃｈ', want: 'reserved' }],
])('jobIdProblem: %s', ([, { id, want }]) => {
  expect(jobIdProblem(id, BATCH)?.rule).toBe(want);
});

test.for<[string, { value: string; form: 'value' | 'segment'; want: string[] }]>([
  ['a plain id', { value: 'ff808082686f229a0168707b9be9013f', form: 'value', want: [] }],
  ['a percent sign in a value', { value: '50%-ü-✓', form: 'value', want: ['%'] }],
  ['an underscore and a star', { value: 'a_b*', form: 'value', want: ['_', '*'] }],
  ['glob characters', { value: 'job?[0-9]', form: 'value', want: ['?', '['] }],
  ['a fullwidth star', { value: 'job＊', form: 'value', want: ['*'] }],
  ['the % of a valid escape in a segment is not a character', { value: '%C3%BC', form: 'segment', want: [] }],
  ['an encoded percent sign in a segment is', { value: '50%25', form: 'segment', want: ['%'] }],
  ['an invalid escape in a segment is a literal %', { value: '%ZZ', form: 'segment', want: ['%'] }],
  ['a lone % in a segment', { value: '%', form: 'segment', want: ['%'] }],
  ['an encoded star in a segment', { value: '%2A', form: 'segment', want: ['*'] }],
  ['an encoded underscore, encoded twice', { value: '%255F', form: 'segment', want: ['%', '_'] }],
])('patternCharacters: %s', ([, { value, form, want }]) => {
  expect(patternCharacters(value, form)).toEqual(want);
});

test.for<[string, { a: string; b: string; same: boolean }]>([
  ['the same id', { a: 'job-1', b: 'job-1', same: true }],
  ['other capitals', { a: 'job-1', b: 'JOB-1', same: true }],
  ['encoded', { a: 'job-1', b: 'job%2D1', same: true }],
  ['blanks around', { a: 'job-1', b: ' job-1 ', same: true }],
  ['two jobs', { a: 'job-1', b: 'job-2', same: false }],
  ['a prefix', { a: 'job-1', b: 'job-10', same: false }],
])('sameJobKey: %s', ([, { a, b, same }]) => {
  expect(sameJobKey(a) === sameJobKey(b)).toBe(same);
});

test.for<[string, { segment: string; moves: boolean; mentions: boolean }]>([
  ['an odd but harmless segment', { segment: '%7B%7D', moves: false, mentions: false }],
  ['a dot segment', { segment: '..', moves: true, mentions: false }],
  ['an encoded separator', { segment: '%5C', moves: true, mentions: false }],
  ['a blank', { segment: '%20', moves: true, mentions: false }],
  ['a path to batch', { segment: 'x%2F..%2Fbatch', moves: true, mentions: true }],
  ['the word in a longer segment', { segment: 'my%20BATCH%20job', moves: false, mentions: true }],
])('generated segments — movesPath and mentionsReserved: %s', ([, { segment, moves, mentions }]) => {
  expect(movesPath(segment)).toBe(moves);
  expect(mentionsReserved(segment, BATCH)).toBe(mentions);
});
