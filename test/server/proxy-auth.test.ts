import { expect, test } from 'vitest';
import { ConformanceError } from '../../lib/errors.ts';
import { checkProxyAuthorization, parseProxyAuth, type ProxyVerdict } from '../../server/proxy-auth.ts';
import { createRateLimiter } from '../../server/rate-limit.ts';

const PROXY = parseProxyAuth('alice:s3cret:with-colon');
const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

test('USER:PASS becomes the Basic credential; the password may hold colons', () => {
  expect(PROXY).toEqual({ user: 'alice', expected: basic('alice:s3cret:with-colon') });
});

test.for(['', 'alice', ':pass'])('--proxy-auth "%s" is a usage error', (spec) => {
  expect(() => parseProxyAuth(spec)).toThrow(ConformanceError);
  expect(() => parseProxyAuth(spec)).toThrow(/expects USER:PASS/);
});

test.for<[string, { given: string | undefined; want: ProxyVerdict }]>([
  ['the right credentials', { given: basic('alice:s3cret:with-colon'), want: { ok: true } }],
  ['scheme in another case, extra spaces', { given: `  bAsIc  ${basic('alice:s3cret:with-colon').slice(6)}`, want: { ok: true } }],
  ['absent', { given: undefined, want: { ok: false, why: 'missing' } }],
  ['empty', { given: '', want: { ok: false, why: 'missing' } }],
  ['wrong password', { given: basic('alice:nope'), want: { ok: false, why: 'wrong' } }],
  ['another scheme', { given: `Bearer ${basic('alice:s3cret:with-colon').slice(6)}`, want: { ok: false, why: 'wrong' } }],
])('Proxy-Authorization: %s', ([, { given, want }]) => {
  expect(checkProxyAuthorization(PROXY, given)).toEqual(want);
});

test('rate limit: N per key per clock minute, keys apart, a new minute starts over', () => {
  const limiter = createRateLimiter(2);
  const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s));
  expect([limiter.take('a', at(0)), limiter.take('a', at(10)), limiter.take('a', at(59))]).toEqual([true, true, false]);
  expect(limiter.take('b', at(59))).toBe(true);
  expect(limiter.take('a', at(60))).toBe(true);
});
