import { expect, test } from 'vitest';
import type { Exchange } from '../../lib/http/exchange.ts';
import { throttleWait } from '../../lib/execute/sender.ts';

const answer = (status: number, headers: Array<[string, string]> = []): Exchange => ({
  kind: 'response',
  request: { method: 'DELETE', url: 'http://127.0.0.1/x', headers: {} },
  response: { status, headers, body: new Uint8Array(), bodyTruncated: false, wireBodyBytes: 0 },
  timings: { startedAt: 0, durationMs: 0 },
});
const NOW = Date.parse('2026-12-01T12:00:00Z');

test.for([
  ['429 with Retry-After seconds', { given: answer(429, [['retry-after', '2']]), want: 2000 }],
  ['429 with Retry-After 0', { given: answer(429, [['retry-after', '0']]), want: 0 }],
  ['429 with an HTTP-date 3 s ahead', { given: answer(429, [['retry-after', 'Tue, 01 Dec 2026 12:00:03 GMT']]), want: 3000 }],
  ['429 with an HTTP-date in the past', { given: answer(429, [['retry-after', 'Tue, 01 Dec 2026 11:00:00 GMT']]), want: 0 }],
  ['429 without Retry-After: the backoff', { given: answer(429), want: 1000 }],
  ['429 with a Retry-After that is neither: the backoff', { given: answer(429, [['retry-after', 'soon']]), want: 1000 }],
  ['503 with Retry-After', { given: answer(503, [['retry-after', '1']]), want: 1000 }],
  ['503 without Retry-After: an answer', { given: answer(503), want: undefined }],
  ['500 with Retry-After: an answer', { given: answer(500, [['retry-after', '1']]), want: undefined }],
  ['204: an answer', { given: answer(204), want: undefined }],
  [
    'a transport error: not retried here',
    {
      given: { ...answer(0), kind: 'network-error', error: { cause: 'reset', code: 'ECONNRESET', message: 'reset' } } as Exchange,
      want: undefined,
    },
  ],
] as const)('%s', ([, { given, want }]) => {
  expect(throttleWait(given, 1000, NOW)).toBe(want);
});
