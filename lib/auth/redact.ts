/**
 * Credentials never reach a report, a log or an error message. Headers are redacted by name; any
 * other text (bodies, messages) is scrubbed of the run's known secret values.
 */
const SECRET_HEADERS = new Set(['x-auth-token', 'authorization', 'proxy-authorization', 'x-security-token', 'cookie', 'set-cookie', 'x-subject-token']);

export const REDACTED = '***';

/** A header whose value is a credential: the known ones, and any name that says so (`-H` may add such headers). */
export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  // X-Sdrs-Session names a reference server's copy of its fake jobs: an id to show, not a secret.
  if (lower === 'x-sdrs-session') return false;
  return SECRET_HEADERS.has(lower) || /token|secret|passw|auth|cookie|session|signature|credential|api-?key|access-?key/.test(lower);
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? redactHeaderValue(name, value) : value;
  return out;
}

export function redactHeaderPairs(headers: Array<[string, string]>): Array<[string, string]> {
  return headers.map(([name, value]) => [name, SECRET_HEADERS.has(name.toLowerCase()) ? redactHeaderValue(name, value) : value]);
}

/** Keeps the scheme and the signed-header list of an AK/SK Authorization — useful when debugging, not secret. */
function redactHeaderValue(name: string, value: string): string {
  if (name.toLowerCase() === 'authorization') {
    const signed = /SignedHeaders=([^,\s]+)/.exec(value)?.[1];
    const scheme = value.split(' ')[0];
    if (scheme === 'SDK-HMAC-SHA256') return `SDK-HMAC-SHA256 Access=${REDACTED}, SignedHeaders=${signed ?? REDACTED}, Signature=${REDACTED}`;
    return scheme && scheme !== value ? `${scheme} ${REDACTED}` : REDACTED;
  }
  return REDACTED;
}

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is scrubbed whole.
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  return out;
}
