import { expect, test } from 'vitest';
import { formatLogLine, type RequestLogLine } from '../../server/request-log.ts';

const base: RequestLogLine = { method: 'DELETE', path: '/v1/p/task-center/failure-jobs/j', status: 204, ms: 3, requestId: 'abc', outcome: { kind: 'sent' } };

test.for<[string, { given: Partial<RequestLogLine>; want: string }]>([
  ['a plain request', { given: {}, want: 'DELETE /v1/p/task-center/failure-jobs/j 204 3ms abc' }],
  [
    'a reset',
    {
      given: { fault: 'reset', outcome: { kind: 'reset' } },
      want: 'DELETE /v1/p/task-center/failure-jobs/j 204 3ms abc scenario=reset (connection reset, nothing sent)',
    },
  ],
  [
    'a hang the client ended',
    {
      given: { fault: 'hang', outcome: { kind: 'abandoned', closedBy: 'client' } },
      want: 'DELETE /v1/p/task-center/failure-jobs/j 204 3ms abc scenario=hang (answer not completed: client closed the connection)',
    },
  ],
  ['a parse error', { given: { method: '-', path: '-', status: 400, ms: 0 }, want: '- - 400 0ms abc' }],
  ['a long path is cut', { given: { path: `/${'a'.repeat(300)}` }, want: `DELETE /${'a'.repeat(199)}… 204 3ms abc` }],
])('%s', ([, { given, want }]) => {
  expect(formatLogLine({ ...base, ...given })).toBe(want);
});
