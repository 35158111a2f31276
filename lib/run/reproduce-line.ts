import type { ExchangeRequest } from '../http/exchange.ts';

/** Where a paste-ready line reads the credentials from: the run's own environment variables (README). */
const CREDENTIAL_VARIABLES: Readonly<Record<string, string>> = { 'x-auth-token': 'SDRS_AUTH_TOKEN' };

/**
 * A `curl` line that sends the same request again: the method, the URL byte for byte (`--path-as-is`
 * keeps dot segments, `-g` keeps `[]{}` from curl's globbing), every header as sent. Everything is
 * single-quoted for a POSIX shell (a `'` inside becomes `'\''`), except credentials, which were masked
 * in the record and appear as `"$VARIABLE"` — so the line can be pasted and still holds no secret.
 * A request signed with AK/SK cannot be replayed by curl (the signature covers the time): undefined.
 */
export function reproduceLine(request: ExchangeRequest): string | undefined {
  if (/^SDK-HMAC-SHA256\b/.test(request.headers.authorization ?? request.headers.Authorization ?? '')) return undefined;
  const headers = Object.entries(request.headers).map(([name, value]) => `-H ${headerArgument(name, value)}`);
  return ['curl -i -g --path-as-is', `-X ${shellQuote(request.method)}`, ...headers, shellQuote(request.url)].join(' ');
}

/** A masked value (`***`) comes back as its variable: `"X-Auth-Token: $SDRS_AUTH_TOKEN"`, else `"Name: $SDRS_HEADER_NAME"`. */
function headerArgument(name: string, value: string): string {
  if (!value.includes('***')) return shellQuote(`${name}: ${value}`);
  const variable = CREDENTIAL_VARIABLES[name.toLowerCase()] ?? `SDRS_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  // The name is an HTTP token (no quote, $, ` or \), so it is safe inside double quotes.
  return `"${name}: $${variable}"`;
}

export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
