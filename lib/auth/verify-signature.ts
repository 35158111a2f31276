/**
 * Server side of "SDK-HMAC-SHA256" (sdrs-api-notes §3.2): recompute the signature over the headers the
 * client says it signed, with the canonicalisation `sign-request.ts` uses, and apply the gateway's
 * 15-minute X-Sdk-Date window (§3.2 step 12, HWDOC apig-faq-0009). Pure: secrets and clock are injected.
 */
import { timingSafeEqual } from 'node:crypto';
import { ALGORITHM, computeSignature, parseSdkDate, payloadHash, sha256Hex, type CanonicalParts } from './sign-request.ts';

export type SignatureVerdict =
  | { ok: true; ak: string }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown-ak' | 'bad-signature' | 'expired' | 'missing-date'; detail: string };

export interface ReceivedRequest {
  method: string;
  /** path + query exactly as received (node's `req.url`) */
  url: string;
  /** node's IncomingHttpHeaders: lowercase names */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

const TOKEN = "[a-z0-9!#$%&'*+.^_`|~-]+";
// §3.2 step 11, read leniently about the spaces between fields but strictly about everything else.
const AUTHORIZATION = new RegExp(`^${ALGORITHM} +Access=([^\\s,]+), *SignedHeaders=(${TOKEN}(?:;${TOKEN})*), *Signature=([0-9a-f]{64})$`);
const SHAPE = `${ALGORITHM} Access=<AK>, SignedHeaders=<a;b;c>, Signature=<64 lowercase hex>`;

function header(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v; // how node itself folds a repeated header
}

const fail = (reason: Exclude<SignatureVerdict, { ok: true }>['reason'], detail: string): SignatureVerdict => ({ ok: false, reason, detail });

/**
 * Details name what was expected and what was seen, but never the SK, the received signature or the
 * recomputed one: a verdict ends up in logs and in response bodies.
 */
export function verifySignature(req: ReceivedRequest, lookupSecret: (ak: string) => string | undefined, now: Date, maxSkewMs = 15 * 60_000): SignatureVerdict {
  const authorization = header(req.headers, 'authorization');
  if (!authorization) return fail('missing', 'no Authorization header');
  const m = AUTHORIZATION.exec(authorization.trim());
  if (!m) return fail('malformed', `Authorization is not \`${SHAPE}\``);
  const [, ak = '', signedList = '', received = ''] = m;
  const signedNames = signedList.split(';');
  // An unsigned date could be moved back into the window at will: replay protection needs it signed.
  if (!signedNames.includes('x-sdk-date')) return fail('malformed', `SignedHeaders=${signedList} does not include x-sdk-date`);

  const sdkDate = header(req.headers, 'x-sdk-date');
  if (sdkDate === undefined) return fail('missing-date', 'no X-Sdk-Date header');
  const date = parseSdkDate(sdkDate);
  if (!date) return fail('malformed', `X-Sdk-Date ${JSON.stringify(sdkDate)} is not YYYYMMDDTHHmmssZ`);

  const sk = lookupSecret(ak);
  if (sk === undefined) return fail('unknown-ak', `no secret key for Access=${ak}`);

  const skewMs = date.getTime() - now.getTime();
  if (Math.abs(skewMs) > maxSkewMs) {
    const by = `${Math.round(Math.abs(skewMs) / 1000)} s ${skewMs < 0 ? 'behind' : 'ahead of'}`;
    return fail('expired', `X-Sdk-Date ${sdkDate} is ${by} server time ${now.toISOString()}; allowed ±${maxSkewMs / 1000} s`);
  }

  const signed = new Map<string, string>();
  for (const name of signedNames) {
    const value = header(req.headers, name);
    if (value === undefined) return fail('bad-signature', `signed header ${name} is not in the request`);
    signed.set(name, value);
  }
  const contentSha256 = header(req.headers, 'x-sdk-content-sha256');
  // A declared payload hash replaces the body in the signature, so it must be the body's real hash.
  if (contentSha256 && contentSha256 !== 'UNSIGNED-PAYLOAD' && contentSha256 !== sha256Hex(req.body)) {
    return fail('bad-signature', 'body does not match X-Sdk-Content-Sha256');
  }

  const q = req.url.indexOf('?');
  const parts: CanonicalParts = {
    method: req.method,
    path: q === -1 ? req.url : req.url.slice(0, q),
    query: q === -1 ? '' : req.url.slice(q + 1),
    headers: signed,
    payloadHash: payloadHash(contentSha256, req.body),
  };
  const expected = computeSignature(parts, sdkDate, sk).signature;
  // Both are 64 lowercase hex characters here (the regex saw to the received one), so equal lengths.
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(received))) {
    return fail('bad-signature', `signature does not match for Access=${ak}, SignedHeaders=${signedList}, ${req.method} ${parts.path}`);
  }
  return { ok: true, ak };
}
