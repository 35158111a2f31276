import { describe, expect, test } from 'vitest';
import type { ResponseCheckId } from '../../lib/checks/check-model.ts';
import { deletedOnly, unchanged } from '../../lib/checks/state-checks.ts';
import { CHECK_IDS, CHECKS } from '../../lib/checks/index.ts';
import type { ExchangeResponse } from '../../lib/http/exchange.ts';
import { expectationFor, listOperation, response } from '../support/fixtures.ts';

const sdrs400 = { error: { code: 'SDRS.0201', message: 'Invalid request parameters' } };
const gateway401 = {
  error_code: 'APIG.0301',
  error_msg: 'Incorrect IAM authentication information: x-auth-token not found',
  request_id: 'd58d1fe6196832aebb76f1c43c169128',
};
const json = (extra: Array<[string, string]> = []): Array<[string, string]> => [['content-type', 'application/json;charset=UTF-8'], ...extra];

const framed = (status: number, framingError: string | undefined): ExchangeResponse => ({ ...response(status), ...(framingError ? { framingError } : {}) });

type Row = [string, { response: ExchangeResponse; expected?: number[]; list?: boolean; method?: string; want: Array<{ severity: 'error' | 'warning' }> }];

/** Every check has passing and failing rows; rows are [name, { given, want }]. */
const TABLE: Record<ResponseCheckId, Row[]> = {
  'status-documented': [
    ['404 is documented', { response: response(404, { body: sdrs400 }), want: [] }],
    ['200 is not documented for the DELETE', { response: response(200), want: [{ severity: 'error' }] }],
    ['422 is not documented', { response: response(422, { body: sdrs400 }), want: [{ severity: 'error' }] }],
  ],
  'status-expected': [
    ['401 expected and received', { response: response(401, { body: gateway401 }), expected: [401], want: [] }],
    ['either of 400/404 accepted', { response: response(404, { body: sdrs400 }), expected: [400, 404], want: [] }],
    ['204 where 401 was expected', { response: response(204), expected: [401], want: [{ severity: 'error' }] }],
    ['no condition: nothing to compare', { response: response(500, { body: sdrs400 }), want: [] }],
  ],
  'success-body-schema': [
    ['the list with its jobs', { list: true, response: response(200, { body: { failure_jobs: [{ job_id: 'j1', job_status: 'FAIL' }], count: 1 } }), want: [] }],
    ['an empty list', { list: true, response: response(200, { body: { failure_jobs: [], count: 0 } }), want: [] }],
    ['count as a string', { list: true, response: response(200, { body: { failure_jobs: [], count: '0' } }), want: [{ severity: 'error' }] }],
    ['no failure_jobs', { list: true, response: response(200, { body: { count: 0 } }), want: [{ severity: 'error' }] }],
    ['not JSON', { list: true, response: response(200, { body: '<html>ok</html>' }), want: [{ severity: 'error' }] }],
    ['a 204 documents no body: nothing to validate', { response: response(204), want: [] }],
    ["an error status is the other check's business", { list: true, response: response(400, { body: 'x' }), want: [] }],
  ],
  'no-content-body': [
    ['clean 204', { response: response(204), want: [] }],
    ['204 with Content-Type is accepted', { response: response(204, { headers: [['content-type', 'application/json']] }), want: [] }],
    ['204 with body bytes on the wire', { response: response(204, { wireBodyBytes: 5 }), want: [{ severity: 'error' }] }],
    [
      '204 with Transfer-Encoding',
      { response: response(204, { headers: [['transfer-encoding', 'chunked']], wireBodyBytes: 0 }), want: [{ severity: 'error' }] },
    ],
    ['204 with Content-Length: 12', { response: response(204, { headers: [['content-length', '12']] }), want: [{ severity: 'error' }] }],
    ['204 with Content-Length: 0 is a warning', { response: response(204, { headers: [['content-length', '0']] }), want: [{ severity: 'warning' }] }],
    ['not a 204: not this check', { response: response(400, { body: sdrs400 }), want: [] }],
  ],
  'error-media-type': [
    ['application/json with charset', { response: response(400, { body: sdrs400 }), want: [] }],
    ['problem+json counts as JSON', { response: response(400, { body: sdrs400, headers: [['content-type', 'application/problem+json']] }), want: [] }],
    [
      'text/html error page',
      { response: response(502, { body: '<html>bad gateway</html>', headers: [['content-type', 'text/html']] }), want: [{ severity: 'error' }] },
    ],
    ['no Content-Type', { response: response(500, { body: sdrs400, headers: [] }), want: [{ severity: 'error' }] }],
    [
      'two Content-Type fields',
      {
        response: response(400, {
          body: sdrs400,
          headers: [
            ['content-type', 'application/json'],
            ['content-type', 'text/html'],
          ],
        }),
        want: [{ severity: 'error' }],
      },
    ],
    ['204 needs none', { response: response(204), want: [] }],
  ],
  'error-body-schema': [
    ['SDRS wrapped form', { response: response(400, { body: sdrs400 }), want: [] }],
    ['itemNotFound wrapper', { response: response(404, { body: { itemNotFound: { code: 'SDRS.9404', message: 'gone' } } }), want: [] }],
    ['gateway flat form', { response: response(401, { body: gateway401 }), want: [] }],
    ['empty error body', { response: response(500, { headers: json() }), want: [{ severity: 'error' }] }],
    ['not JSON', { response: response(400, { body: 'oops', headers: json() }), want: [{ severity: 'error' }] }],
    ['wrapper without code', { response: response(400, { body: { error: { message: 'no code' } } }), want: [{ severity: 'error' }] }],
    ['unknown shape', { response: response(403, { body: { message: 'Forbidden' } }), want: [{ severity: 'error' }] }],
    ['gateway code of the wrong form', { response: response(401, { body: { error_code: 'IAM.0001', error_msg: 'x' } }), want: [{ severity: 'error' }] }],
    ['truncated body', { response: response(400, { body: sdrs400, bodyTruncated: true }), want: [{ severity: 'error' }] }],
  ],
  'error-code-status': [
    ['SDRS.0201 with 400', { response: response(400, { body: sdrs400 }), want: [] }],
    ['SDRS.0201 with 404', { response: response(404, { body: sdrs400 }), want: [{ severity: 'error' }] }],
    [
      'SDRS.0013 (500 code) with 400',
      { response: response(400, { body: { error: { code: 'SDRS.0013', message: 'Internal error' } } }), want: [{ severity: 'error' }] },
    ],
    ['APIG.0301 with 401', { response: response(401, { body: gateway401 }), want: [] }],
    ['APIG.0301 with 403', { response: response(403, { body: gateway401 }), want: [{ severity: 'error' }] }],
    ['APIGW.0201 with 504', { response: response(504, { body: { error_code: 'APIGW.0201', error_msg: 'Backend timeout.' } }), want: [] }],
    ['a code in neither catalogue is not judged', { response: response(404, { body: { itemNotFound: { code: 'SDRS.9404', message: 'x' } } }), want: [] }],
  ],
  'allow-header': [
    ['405 with Allow: DELETE', { response: response(405, { body: sdrs400, headers: json([['allow', 'DELETE']]) }), want: [] }],
    ['405 with Allow listing more', { response: response(405, { body: sdrs400, headers: json([['allow', 'GET, delete']]) }), want: [] }],
    ['405 without Allow', { response: response(405, { body: sdrs400 }), want: [{ severity: 'error' }] }],
    ['405 with Allow not listing DELETE', { response: response(405, { body: sdrs400, headers: json([['allow', 'GET']]) }), want: [{ severity: 'error' }] }],
  ],
  'allow-consistent': [
    ['Allow: DELETE for a PUT', { method: 'PUT', response: response(405, { body: sdrs400, headers: json([['allow', 'DELETE']]) }), want: [] }],
    ['no Allow: the other check says so', { method: 'PUT', response: response(405, { body: sdrs400 }), want: [] }],
    [
      'HEAD goes with a documented GET',
      { list: true, method: 'PUT', response: response(405, { body: sdrs400, headers: json([['allow', 'GET, HEAD']]) }), want: [] },
    ],
    [
      'Allow advertises an undocumented GET',
      { method: 'PUT', response: response(405, { body: sdrs400, headers: json([['allow', 'DELETE, GET']]) }), want: [{ severity: 'error' }] },
    ],
    [
      'the 405 for GET advertises GET (and GET is undocumented)',
      {
        method: 'GET',
        response: response(405, { body: sdrs400, headers: json([['allow', 'DELETE, GET']]) }),
        want: [{ severity: 'error' }, { severity: 'error' }],
      },
    ],
    [
      'the 405 for a documented GET advertises GET',
      { list: true, method: 'GET', response: response(405, { body: sdrs400, headers: json([['allow', 'GET']]) }), want: [{ severity: 'error' }] },
    ],
    ['not a 405: not this check', { method: 'GET', response: response(404, { body: sdrs400, headers: json([['allow', 'PUT']]) }), want: [] }],
  ],
  'http-framing': [
    ['a well-framed response', { response: framed(204, undefined), want: [] }],
    [
      'a body longer than Content-Length',
      {
        response: framed(204, 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH: Response body length does not match content-length header'),
        want: [{ severity: 'error' }],
      },
    ],
    ['an answer to HEAD that ends with its head', { method: 'HEAD', response: response(405, { headers: json([['content-length', '120']]) }), want: [] }],
    ['an answer to HEAD with bytes after its head', { method: 'HEAD', response: response(405, { wireBodyBytes: 120 }), want: [{ severity: 'error' }] }],
  ],
};

describe.for(CHECK_IDS)('check %s', (checkId) => {
  test('has a passing and a failing row', () => {
    const rows = TABLE[checkId];
    expect(rows.some(([, row]) => row.want.length === 0)).toBe(true);
    expect(rows.some(([, row]) => row.want.length > 0)).toBe(true);
  });

  test.for(TABLE[checkId])('%s', ([, { response: given, expected, list, method, want }]) => {
    const found = CHECKS[checkId](given, { ...expectationFor(expected, list ? listOperation : undefined), requestMethod: method });
    expect(found.map((v) => ({ severity: v.severity }))).toEqual(want);
    for (const v of found) {
      expect(v.checkId).toBe(checkId);
      expect(v.expected).not.toBe('');
      expect(v.received).not.toBe('');
      expect(v.where).not.toBe('');
    }
  });
});

test('a violation renders as Received / Expected, at where', () => {
  const [v] = CHECKS['status-documented'](response(200), expectationFor());
  expect(v).toMatchInlineSnapshot(`
    {
      "checkId": "status-documented",
      "expected": "one of 204, 400, 401, 403, 404, 405, 406, 407, 408, 409, 500, 501, 502, 503, 504",
      "received": "200",
      "severity": "error",
      "title": "Status not documented for this operation",
      "where": "status",
    }
  `);
});

describe('state checks (list before and after the run)', () => {
  test.for([
    ['only the victim is gone', ['v', 'g', 'x'], ['g', 'x'], []],
    ['a new job appeared meanwhile', ['v', 'g'], ['g', 'n'], []],
    ['the victim was never listed (filtered list)', ['g'], ['g'], []],
    ['the victim is still listed', ['v', 'g'], ['v', 'g'], ['state-job-removed']],
    ['the guard disappeared too', ['v', 'g', 'x'], ['x'], ['state-jobs-kept']],
    ['nothing was deleted and another job vanished', ['v', 'g', 'x'], ['v', 'g'], ['state-job-removed', 'state-jobs-kept']],
  ] as const)('deleted-only: %s', ([, before, after, want]) => {
    expect(deletedOnly(before, after, 'v', 'list body#/jobs').map((v) => v.checkId)).toEqual(want);
  });

  type Job = [string, Record<string, unknown>];
  const job = (id: string, fields: Record<string, unknown> = {}): Job => [id, { job_id: id, failure_status: 'createFail', job_status: 'FAIL', ...fields }];
  test.for<[string, Job[], Job[], string[]]>([
    [
      'the same jobs, in another order, fields in another order',
      [job('a'), job('b')],
      [job('b'), ['a', { job_status: 'FAIL', failure_status: 'createFail', job_id: 'a' }]],
      [],
    ],
    ['a new job appeared meanwhile', [job('a')], [job('a'), job('n')], []],
    ['a job gone from the other project', [job('a'), job('b')], [job('a')], ['state-tenant-intact']],
    ['a job still listed with another failure_status', [job('a'), job('b')], [job('a'), job('b', { failure_status: 'deleteFail' })], ['state-tenant-intact']],
    ['a job that lost a field', [job('a')], [['a', { job_id: 'a', failure_status: 'createFail' }]], ['state-tenant-intact']],
  ])('unchanged: %s', ([, before, after, want]) => {
    expect(unchanged(new Map(before), new Map(after), 'list body#/jobs').map((v) => v.checkId)).toEqual(want);
  });

  test('unchanged says what changed, field by field', () => {
    const [found] = unchanged(new Map([job('a'), job('b')]), new Map([job('b', { job_status: 'RUNNING' })]), 'list body#/jobs');
    expect(found?.received).toBe('missing: a; changed: b (job_status: "FAIL" → "RUNNING")');
  });
});
