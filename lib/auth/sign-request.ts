/**
 * Huawei Cloud "SDK-HMAC-SHA256" AK/SK request signing — sdrs-api-notes §3.2 steps 1–11
 * (NODE `core/auth/AKSKSigner.ts`, GO `core/auth/signer/signer.go`, PY `signer.py`).
 *
 * Pure: the clock comes in through `opts.now`, nothing is read or sent. The canonicalisation is
 * exported so the server side (`verify-signature.ts`) recomputes exactly what a client signed.
 */
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'SDK-HMAC-SHA256';
/** Hex SHA-256 of the empty string — the payload hash of a request without a body (§3.2 step 7). */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}
export interface SigningKey {
  ak: string;
  sk: string;
}
export interface SignOptions {
  now: Date;
  /** which header names to sign; default: every header given plus host and x-sdk-date (the Node SDK's behaviour) */
  signedHeaders?: (lowercaseName: string) => boolean;
}

/** What the signature covers, in the form it travels on the wire. */
export interface CanonicalParts {
  method: string;
  /** the request path as sent, still percent-encoded (decoded per segment before re-encoding) */
  path: string;
  /** the raw query string, with or without its leading `?` */
  query: string;
  /** lowercase name → value, only the headers being signed */
  headers: ReadonlyMap<string, string>;
  payloadHash: string;
}

export interface Signature {
  canonicalRequest: string;
  stringToSign: string;
  /** the `;`-joined lowercase names, as they appear in `SignedHeaders=` */
  signedHeaders: string;
  /** lowercase hex HMAC-SHA256 */
  signature: string;
}

/** `YYYYMMDDTHHmmssZ` in UTC (§3.2 step 1); sub-second precision is dropped, as all SDKs do. */
export function formatSdkDate(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** The inverse of `formatSdkDate`; `undefined` for anything that is not exactly that shape. */
export function parseSdkDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  // Date.UTC rolls 20240230 over to 1 March; a date that does not round-trip is not a date.
  return formatSdkDate(date) === s ? date : undefined;
}

/**
 * RFC 3986 unreserved characters stay literal, everything else becomes uppercase `%XX` of its UTF-8.
 * Stricter than `encodeURIComponent`, which leaves `!'()*` alone: the §3.2 step 4 vector wants
 * `%21 %2A %28 %29`, and so does the Node SDK's own `urlEncode` table.
 */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLeniently(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a stray `%` is data, not an escape: it gets encoded as `%25`
  }
}

/**
 * §3.2 step 3. Segments are decoded before encoding (GO signs `URL.Path`, PY `quote(unquote(path))`)
 * so `/a%20b` and `/a b` canonicalise alike and the server can recompute from the raw path it got.
 */
export function canonicalUri(rawPath: string): string {
  const uri = rawPath
    .split('/')
    .map((seg) => percentEncode(decodeLeniently(seg)))
    .join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/**
 * §3.2 step 4. Parsed as a form query (`+` is a space) because that is how axios and
 * `URLSearchParams` serialise one. Raw keys sort by UTF-16 code unit, then get encoded — the SDK order.
 */
export function canonicalQuery(rawQuery: string): string {
  const params = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(rawQuery)) params.set(k, [...(params.get(k) ?? []), v]);
  return [...params.keys()]
    .sort()
    .flatMap((k) => (params.get(k) ?? []).sort().map((v) => `${percentEncode(k)}=${percentEncode(v)}`))
    .join('&');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** §3.2 step 7: a caller-supplied `X-Sdk-Content-Sha256` (e.g. `UNSIGNED-PAYLOAD`) wins over the body. */
export function payloadHash(contentSha256: string | undefined, body: string | Uint8Array | undefined): string {
  return contentSha256 || sha256Hex(body ?? '');
}

/** §3.2 steps 5, 6 and 8; header values are trimmed as GO and PY do (and as any HTTP server sees them). */
export function canonicalRequest(p: CanonicalParts): { canonicalRequest: string; signedHeaders: string } {
  const names = [...p.headers.keys()].sort();
  const block = names.map((n) => `${n}:${(p.headers.get(n) ?? '').trim()}\n`).join('');
  const signedHeaders = names.join(';');
  const text = [p.method, canonicalUri(p.path), canonicalQuery(p.query), block, signedHeaders, p.payloadHash];
  return { canonicalRequest: text.join('\n'), signedHeaders };
}

/** §3.2 steps 9–10. The SK is the HMAC key as is — no SigV4-style key derivation. */
export function computeSignature(parts: CanonicalParts, sdkDate: string, sk: string): Signature {
  const { canonicalRequest: cr, signedHeaders } = canonicalRequest(parts);
  const stringToSign = [ALGORITHM, sdkDate, sha256Hex(cr)].join('\n');
  const signature = createHmac('sha256', sk).update(stringToSign).digest('hex');
  return { canonicalRequest: cr, stringToSign, signedHeaders, signature };
}

/** §3.2 step 11, byte for byte: one space after the algorithm, `, ` between the fields. */
export function authorizationHeader(ak: string, signedHeaders: string, signature: string): string {
  return `${ALGORITHM} Access=${ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

function findHeader(headers: Record<string, string>, lowercaseName: string): string | undefined {
  const name = Object.keys(headers).find((n) => n.toLowerCase() === lowercaseName);
  return name === undefined ? undefined : headers[name];
}

export function signRequest(
  req: SignableRequest,
  key: SigningKey,
  opts: SignOptions,
): { headers: Record<string, string>; canonicalRequest: string; stringToSign: string } {
  const url = new URL(req.url);
  // A stale Authorization (a retried request) must neither be signed nor survive next to the new one.
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([n]) => n.toLowerCase() !== 'authorization'));
  let sdkDate = findHeader(headers, 'x-sdk-date');
  if (sdkDate === undefined) {
    sdkDate = formatSdkDate(opts.now);
    headers['X-Sdk-Date'] = sdkDate;
  }
  // WHATWG `host` drops a default port, as undici does when it writes the Host header.
  if (findHeader(headers, 'host') === undefined) headers.Host = url.host;

  const wanted = opts.signedHeaders ?? (() => true);
  const signed = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) if (wanted(name.toLowerCase())) signed.set(name.toLowerCase(), value);

  const parts: CanonicalParts = {
    method: req.method,
    path: url.pathname,
    query: url.search,
    headers: signed,
    payloadHash: payloadHash(findHeader(headers, 'x-sdk-content-sha256'), req.body),
  };
  const sig = computeSignature(parts, sdkDate, key.sk);
  headers.Authorization = authorizationHeader(key.ak, sig.signedHeaders, sig.signature);
  return { headers, canonicalRequest: sig.canonicalRequest, stringToSign: sig.stringToSign };
}
