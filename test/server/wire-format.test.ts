import { expect, test } from 'vitest';
import { completeResponse, stalledResponse } from '../../server/wire-format.ts';

const DATE = new Date(Date.UTC(2024, 0, 1));

test('a complete answer carries its length and closes the connection', () => {
  expect(completeResponse({ status: 408, headers: { 'content-type': 'application/json' }, body: '{"é":1}' }, DATE).toString('utf8')).toBe(
    'HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ndate: Mon, 01 Jan 2024 00:00:00 GMT\r\ncontent-length: 8\r\nconnection: close\r\n\r\n{"é":1}',
  );
});

test.for<[string, { body: string | undefined; want: string }]>([
  [
    'a body: the whole length announced, half of it sent',
    { body: '0123456789', want: 'HTTP/1.1 404 Not Found\r\nx-request-id: r\r\ndate: Mon, 01 Jan 2024 00:00:00 GMT\r\ncontent-length: 10\r\n\r\n01234' },
  ],
  [
    'no body: the head never ends (no blank line)',
    { body: undefined, want: 'HTTP/1.1 404 Not Found\r\nx-request-id: r\r\ndate: Mon, 01 Jan 2024 00:00:00 GMT\r\n' },
  ],
])('stalled: %s', ([, { body, want }]) => {
  expect(stalledResponse({ status: 404, headers: { 'x-request-id': 'r' }, body }, DATE).toString('latin1')).toBe(want);
});
