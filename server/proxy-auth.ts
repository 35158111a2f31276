import { ConformanceError } from '../lib/errors.ts';

/**
 * The server's proxy-auth mode (`--proxy-auth USER:PASS`): it then acts as a proxy that demands
 * Basic credentials in Proxy-Authorization (RFC 9110 §11.7.1, §15.5.8), so a client can see a real 407.
 */
export interface ProxyAuth {
  user: string;
  /** The exact Proxy-Authorization value accepted. */
  expected: string;
}

export const PROXY_REALM = 'sdrs-reference';

/** `USER:PASS` → the credential; the user part may not contain a colon (RFC 7617 §2). */
export function parseProxyAuth(spec: string): ProxyAuth {
  const colon = spec.indexOf(':');
  if (colon <= 0) {
    throw new ConformanceError(
      'CFG_USAGE',
      `--proxy-auth expects USER:PASS (a non-empty user, a colon, then the password); got "${spec.replace(/:.*/, ':…')}"`,
    );
  }
  return { user: spec.slice(0, colon), expected: `Basic ${Buffer.from(spec, 'utf8').toString('base64')}` };
}

export type ProxyVerdict = { ok: true } | { ok: false; why: 'missing' | 'wrong' };

export function checkProxyAuthorization(proxy: ProxyAuth, header: string | string[] | undefined): ProxyVerdict {
  if (header === undefined || header === '') return { ok: false, why: 'missing' };
  const value = Array.isArray(header) ? header.join(', ') : header;
  // The scheme is case-insensitive (RFC 9110 §11.1); the credentials are not.
  const [scheme = '', credentials = ''] = value.trim().split(/\s+/, 2);
  return scheme.toLowerCase() === 'basic' && `Basic ${credentials}` === proxy.expected ? { ok: true } : { ok: false, why: 'wrong' };
}
