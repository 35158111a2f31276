import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadSeed, validateSeed } from '../../server/seed.ts';
import { seed } from './support.ts';

const project = (overrides: object = {}) => ({
  projectId: 'p1',
  name: 'p',
  tokens: ['t1'],
  aksk: [{ ak: 'AK1', sk: 'SK1' }],
  jobs: [{ job_id: 'job-1' }],
  ...overrides,
});

test.for<[string, { given: unknown; want: RegExp | 'ok' }]>([
  ['the default seed', { given: seed, want: 'ok' }],
  ['one minimal project', { given: { projects: [project()] }, want: 'ok' }],
  ['a busy flag', { given: { projects: [project({ jobs: [{ job_id: 'j', busy: true }] })] }, want: 'ok' }],
  ['not an object', { given: null, want: /#\/projects: expected an array of at least one project/ }],
  ['no projects', { given: { projects: [] }, want: /#\/projects: expected/ }],
  ['a project without an id', { given: { projects: [project({ projectId: '' })] }, want: /#\/projects\/0\/projectId: expected a non-empty string/ }],
  ['a token that is not a string', { given: { projects: [project({ tokens: [1] })] }, want: /#\/projects\/0\/tokens: expected/ }],
  ['an AK without SK', { given: { projects: [project({ aksk: [{ ak: 'x' }] })] }, want: /#\/projects\/0\/aksk: expected/ }],
  [
    'the same token in two projects',
    { given: { projects: [project(), project({ projectId: 'p2', aksk: [] })] }, want: /#\/projects\/1\/tokens\/0: .*"t1" appears twice/ },
  ],
  ['the same AK in two projects', { given: { projects: [project(), project({ projectId: 'p2', tokens: [] })] }, want: /#\/projects\/1\/aksk\/0\/ak: .*"AK1"/ }],
  ['a job id the server would refuse', { given: { projects: [project({ jobs: [{ job_id: 'has space' }] })] }, want: /#\/projects\/0\/jobs\/0\/job_id/ }],
  ['a job named batch', { given: { projects: [project({ jobs: [{ job_id: 'batch' }] })] }, want: /not "batch"/ }],
  ['a job id twice', { given: { projects: [project({ jobs: [{ job_id: 'a' }, { job_id: 'a' }] })] }, want: /#\/projects\/0\/jobs\/1\/job_id/ }],
  [
    'busy that is not a boolean',
    { given: { projects: [project({ jobs: [{ job_id: 'a', busy: 'yes' }] })] }, want: /#\/projects\/0\/jobs\/0\/busy: expected true or false/ },
  ],
])('seed: %s', ([, { given, want }]) => {
  if (want === 'ok') expect(validateSeed(given, 'seed.json')).toBe(given);
  else expect(() => validateSeed(given, 'seed.json')).toThrow(want);
});

test('a seed file that is not JSON names the file and the way out', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sdrs-seed-')), 'seed.json');
  writeFileSync(file, '{ not json');
  expect(() => loadSeed(file)).toThrow(/cannot read the seed file .*seed\.json: .*Start from server\/default-seed\.json/);
});
