import { describe, expect, test } from 'vitest';
import { compileBodyValidators } from '../../lib/checks/body-validators.ts';
import type { Exchange } from '../../lib/http/exchange.ts';
import { judgePreconditions, type ListProbe, type ListShape } from '../../lib/judge/preconditions.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';

const spec = await loadSpec(new URL('../../spec/sdrs-failure-jobs.openapi.yaml', import.meta.url).pathname);
const list = spec.operations.find((op) => op.operationId === 'listFailureJobs')!;
const shape: ListShape = { success: 200, validator: compileBodyValidators(list)(200), required: ['failure_jobs', 'count'] };

function probe(
  identity: ListProbe['identity'],
  status: number,
  body: string,
  headers: Array<[string, string]> = [['content-type', 'application/json']],
): ListProbe {
  const exchange: Exchange & { kind: 'response' } = {
    kind: 'response',
    request: { method: 'GET', url: `http://127.0.0.1:1/sdrs/v1/${identity}-project/task-center/failure-jobs`, headers: {} },
    response: { status, headers, body: Buffer.from(body), bodyTruncated: false, wireBodyBytes: body.length },
    timings: { startedAt: 0, durationMs: 1 },
  };
  return { identity, projectId: `${identity}-project`, exchange };
}

const OK = probe('primary', 200, '{"failure_jobs":[],"count":0}');
const HTML: Array<[string, string]> = [['content-type', 'text/html']];

describe('judgePreconditions', () => {
  test.for([
    [
      'the documented list, for both identities',
      { given: [OK, probe('other', 200, '{"failure_jobs":[{"job_id":"j"}],"count":1}')], want: { ok: true, warnings: 0 } },
    ],
    [
      "this API's list with a flawed member: the list's own case reports it",
      { given: [probe('primary', 200, '{"failure_jobs":[],"count":"0"}')], want: { ok: true, warnings: 1 } },
    ],
    [
      'a gateway route miss (wrong path prefix)',
      {
        given: [probe('primary', 404, '{"error_code":"APIG.0101","error_msg":"no such API"}')],
        want: { code: 'PRE_NOT_THIS_API', text: /APIG\.0101.*check the endpoint's path/ },
      },
    ],
    [
      'a web page answering 200',
      {
        given: [probe('primary', 200, '<html>welcome</html>', HTML)],
        want: { code: 'PRE_NOT_THIS_API', text: /answered 200 \(text\/html\), not the documented list — check the endpoint's path/ },
      },
    ],
    ['JSON that is not the list', { given: [probe('primary', 200, '{"versions":[]}')], want: { code: 'PRE_NOT_THIS_API', text: /check the endpoint's path/ } }],
    [
      'the primary identity refused',
      {
        given: [probe('primary', 401, '{"error_code":"APIG.0301","error_msg":"bad token"}')],
        want: { code: 'PRE_IDENTITY', text: /refused the primary identity: .* answered 401 \(APIG\.0301.*check --token\/--ak\/--sk and --project-id/ },
      },
    ],
    [
      'the other identity refused',
      {
        given: [OK, probe('other', 403, '{"error_code":"APIG.0302","error_msg":"no"}')],
        want: { code: 'PRE_OTHER_IDENTITY', text: /check --other-token\/--other-ak\/--other-sk and --other-project-id/ },
      },
    ],
    [
      "the other project's list not found",
      { given: [OK, probe('other', 404, '{"error":{"code":"SDRS.0201","message":"x"}}')], want: { code: 'PRE_OTHER_IDENTITY', text: /--other-project-id/ } },
    ],
    [
      'a redirect',
      {
        given: [probe('primary', 301, '', [['location', 'https://elsewhere.example/x']])],
        want: { code: 'PRE_NOT_THIS_API', text: /redirects: .* to https:\/\/elsewhere\.example\/x; redirects are never followed/ },
      },
    ],
    ['a 503', { given: [probe('primary', 503, '{"error_code":"APIGW.0201","error_msg":"busy"}')], want: { code: 'PRE_UNAVAILABLE', text: /not serving now/ } }],
  ] as const)('%s', ([, { given, want }]) => {
    const result = judgePreconditions(given, shape);
    if ('ok' in want) {
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(result.warnings).toHaveLength(want.warnings);
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(want.code);
    expect(result.error.message).toMatch(want.text);
    expect(result.error.message).not.toMatch(/\n/);
  });

  test('received text in the line is inert: controls escaped, nothing from the wire starts a line', () => {
    const result = judgePreconditions([probe('primary', 302, '', [['location', 'https://x.example/\u001b[2J\nEVIL']])], shape);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).not.toMatch(/[\u001b\n]/);
  });
});
