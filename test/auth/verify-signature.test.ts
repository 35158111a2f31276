import { expect, test } from 'vitest';
import { sha256Hex, signRequest, type SignableRequest, type SignOptions } from '../../lib/auth/sign-request.ts';
import { verifySignature, type ReceivedRequest, type SignatureVerdict } from '../../lib/auth/verify-signature.ts';

// Distinctive secrets, so "detail never contains the SK" is a meaningful assertion.
const SK = 'SecretKey-must-not-leak';
const OTHER_SK = 'OtherSecret-must-not-leak-either';
const AK = 'AccessKey';
const PROJECT = '0123456789abcdef0123456789abcdef';
const JOB = '897f57b2-6e94-4179-b414-9532726c59f2';
const T0 = new Date(Date.UTC(2024, 0, 1));
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

const BASE: SignableRequest = {
  method: 'DELETE',
  url: `https://sdrs.example.com:8443/v1/${PROJECT}/task-center/failure-jobs/${JOB}?limit=10&offset=0&name=a%20b`,
  headers: { 'content-type': 'application/json', 'X-Project-Id': PROJECT },
};
const POST: Partial<SignableRequest> = { method: 'POST', body: '{"server_group_id":"decf224d"}' };

/** What node's http server hands the handler for a request undici sent with these headers. */
function received(req: SignableRequest, opts: SignOptions): { incoming: ReceivedRequest; authorization: string } {
  const { headers } = signRequest(req, { ak: AK, sk: SK }, opts);
  const url = new URL(req.url);
  return {
    incoming: {
      method: req.method,
      url: url.pathname + url.search,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      body: typeof req.body === 'string' ? new TextEncoder().encode(req.body) : (req.body ?? new Uint8Array()),
    },
    authorization: headers.Authorization ?? '',
  };
}

type Row = {
  req?: Partial<SignableRequest>;
  signedHeaders?: SignOptions['signedHeaders'];
  /** what happens between the client's signer and our handler */
  tamper?: (r: ReceivedRequest) => void;
  secrets?: Record<string, string>;
  /** server clock; the client always signs at T0 */
  now?: Date;
  want: 'ok' | Exclude<SignatureVerdict, { ok: true }>['reason'];
};
const setUrl = (from: string | RegExp, to: string) => (r: ReceivedRequest) => void (r.url = r.url.replace(from, to));

test.for<[string, Row]>([
  ['a request signed by signRequest', { want: 'ok' }],
  ['POST with a JSON body', { req: POST, want: 'ok' }],
  ['GO-style client: host and content-type left unsigned', { signedHeaders: (n) => n !== 'host' && n !== 'content-type', want: 'ok' }],
  ['an unsigned header added in transit', { tamper: (r) => void (r.headers['user-agent'] = 'proxy/1.0'), want: 'ok' }],
  ['query reordered, space sent as `+`', { tamper: setUrl(/\?.*$/, '?name=a+b&offset=0&limit=10'), want: 'ok' }],
  ['an unreserved character sent percent-encoded', { req: { url: 'https://sdrs.example.com/v1/~x' }, tamper: setUrl('~', '%7E'), want: 'ok' }],
  [
    'UNSIGNED-PAYLOAD leaves the body out of the signature',
    {
      req: { ...POST, headers: { ...BASE.headers, 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' } },
      tamper: (r) => void (r.body = new TextEncoder().encode('{}')),
      want: 'ok',
    },
  ],
  ['clock skew 14 min 59 s (server ahead)', { now: at(14 * MIN + 59_000), want: 'ok' }],
  ['clock skew 14 min 59 s (server behind)', { now: at(-(14 * MIN + 59_000)), want: 'ok' }],
  ['clock skew exactly 15 min', { now: at(15 * MIN), want: 'ok' }],
  ['clock skew 15 min 1 s (server ahead)', { now: at(15 * MIN + 1000), want: 'expired' }],
  ['clock skew 15 min 1 s (server behind)', { now: at(-(15 * MIN + 1000)), want: 'expired' }],
  ['wrong SK', { secrets: { [AK]: OTHER_SK }, want: 'bad-signature' }],
  ['unknown AK', { secrets: {}, want: 'unknown-ak' }],
  ['tampered path', { tamper: setUrl(JOB, JOB.replace('8', '9')), want: 'bad-signature' }],
  ['tampered query', { tamper: setUrl('limit=10', 'limit=11'), want: 'bad-signature' }],
  ['query parameter added', { tamper: setUrl('offset=0', 'offset=0&offset=1'), want: 'bad-signature' }],
  ['tampered signed header', { tamper: (r) => void (r.headers['x-project-id'] = PROJECT.replace('0', '1')), want: 'bad-signature' }],
  ['tampered Host', { tamper: (r) => void (r.headers.host = 'evil.example.com'), want: 'bad-signature' }],
  ['signed header dropped', { tamper: (r) => void delete r.headers['x-project-id'], want: 'bad-signature' }],
  ['tampered method', { tamper: (r) => void (r.method = 'GET'), want: 'bad-signature' }],
  ['tampered body', { req: POST, tamper: (r) => void (r.body = new TextEncoder().encode('{"server_group_id":"x"}')), want: 'bad-signature' }],
  [
    'X-Sdk-Content-Sha256 that is not the body hash',
    {
      req: { ...POST, headers: { ...BASE.headers, 'X-Sdk-Content-Sha256': sha256Hex('{}') } },
      want: 'bad-signature',
    },
  ],
  ['missing Authorization', { tamper: (r) => void delete r.headers.authorization, want: 'missing' }],
  ['garbage Authorization', { tamper: (r) => void (r.headers.authorization = 'Bearer eyJhbGciOi.garbage'), want: 'malformed' }],
  ['truncated signature', { tamper: (r) => void (r.headers.authorization = String(r.headers.authorization).slice(0, -1)), want: 'malformed' }],
  [
    'another algorithm',
    {
      tamper: (r) => void (r.headers.authorization = String(r.headers.authorization).replace('SDK-HMAC-SHA256', 'AWS4-HMAC-SHA256')),
      want: 'malformed',
    },
  ],
  ['X-Sdk-Date not among SignedHeaders', { signedHeaders: (n) => n !== 'x-sdk-date', want: 'malformed' }],
  ['X-Sdk-Date not in the SDK format', { tamper: (r) => void (r.headers['x-sdk-date'] = T0.toISOString()), want: 'malformed' }],
  ['X-Sdk-Date missing', { tamper: (r) => void delete r.headers['x-sdk-date'], want: 'missing-date' }],
])('%s', ([, row]) => {
  const { incoming, authorization } = received({ ...BASE, ...row.req }, { now: T0, signedHeaders: row.signedHeaders });
  row.tamper?.(incoming);
  const secrets = row.secrets ?? { [AK]: SK };
  const verdict = verifySignature(incoming, (ak) => secrets[ak], row.now ?? T0);

  if (row.want === 'ok') expect(verdict).toEqual({ ok: true, ak: AK });
  else expect(verdict).toMatchObject({ ok: false, reason: row.want });
  if (!verdict.ok) {
    for (const secret of [SK, OTHER_SK, authorization.slice(-64)]) expect(verdict.detail).not.toContain(secret);
  }
});

test('the expiry detail says by how much and against which limit', () => {
  const { incoming } = received(BASE, { now: T0 });
  expect(verifySignature(incoming, () => SK, at(15 * MIN + 1000))).toMatchInlineSnapshot(`
    {
      "detail": "X-Sdk-Date 20240101T000000Z is 901 s behind server time 2024-01-01T00:15:01.000Z; allowed ±900 s",
      "ok": false,
      "reason": "expired",
    }
  `);
});
