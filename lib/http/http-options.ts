/**
 * Every wait is explicit: undici's defaults (300 s) would let a stalled endpoint hang a run.
 * Each option is documented with its default in the README and in `--help`.
 */
export interface HttpOptions {
  /** TCP + TLS connect, ms. Default 5000. */
  connectTimeoutMs: number;
  /** From request sent to full response head, ms. Default 10000. */
  headersTimeoutMs: number;
  /** Longest silence while reading the body, ms. Default 10000. */
  bodyTimeoutMs: number;
  /** The whole exchange — connect, head, body — ends by then, ms: a server dripping a byte a second
   * never trips the silence timeouts. Default 10000. */
  deadlineMs: number;
  /** Body bytes read at most; the rest is discarded and the exchange says so. Default 1 MiB. */
  maxBodyBytes: number;
  /** With fresh connections: after a 204, how long the connection is watched for stray bytes before it is closed, ms. Default 20. */
  lingerAfterNoContentMs: number;
  /** With kept-alive connections: after a 204, its connection rests, watched, this long before it carries
   * another request or is closed — a late body still lands on its 204, ms. Default 100. */
  watchAfterNoContentMs: number;
  /** 'pool' (default): kept-alive connections, watched while idle (lib/http/connection-pool.ts);
   * 'fresh': one connection per exchange, closed after it (`--fresh-connections`). */
  connections: 'pool' | 'fresh';
  /** Extra trusted CAs are appended to the system roots by the CLI; rejectUnauthorized false = --insecure. */
  tls: { ca?: string[] | undefined; rejectUnauthorized: boolean };
  /** HTTP proxy URL (CONNECT tunnel); undefined = direct. */
  proxy?: string | undefined;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  connectTimeoutMs: 5000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  deadlineMs: 10_000,
  maxBodyBytes: 1024 * 1024,
  lingerAfterNoContentMs: 20,
  watchAfterNoContentMs: 100,
  connections: 'pool',
  tls: { rejectUnauthorized: true },
};
