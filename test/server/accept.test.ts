import { expect, test } from 'vitest';
import { acceptsJson } from '../../server/accept.ts';

test.for<[string, { given: string | string[] | undefined; want: boolean }]>([
  ['no Accept', { given: undefined, want: true }],
  ['empty Accept, read leniently', { given: '', want: true }],
  ['application/json', { given: 'application/json', want: true }],
  ['with a charset parameter', { given: 'application/json; charset=utf-8', want: true }],
  ['application/*', { given: 'application/*', want: true }],
  ['*/*', { given: '*/*', want: true }],
  ['a browser Accept', { given: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', want: true }],
  ['upper case', { given: 'APPLICATION/JSON', want: true }],
  ['a malformed weight counts as 1', { given: 'application/json;q=abc', want: true }],
  ['a repeated header', { given: ['text/html', 'application/json'], want: true }],
  ['text/html only', { given: 'text/html', want: false }],
  ['application/xml only', { given: 'application/xml', want: false }],
  ['application/problem+json is another type', { given: 'application/problem+json', want: false }],
  ['json refused with q=0', { given: 'application/json;q=0', want: false }],
  ['the most specific range decides: json q=0 beats */*', { given: '*/*, application/json;q=0', want: false }],
  ['application/* q=0 beats */*', { given: '*/*;q=1, application/*;q=0', want: false }],
])('Accept: %s', ([, { given, want }]) => {
  expect(acceptsJson(given)).toBe(want);
});
