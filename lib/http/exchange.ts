/** What one HTTP request/response pair looked like — the record every check and report reads. */

export interface ExchangeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ExchangeResponse {
  status: number;
  /** Header fields in wire order, names lowercased, duplicates kept. */
  headers: Array<[string, string]>;
  /** The body as undici decoded it (de-chunked), at most maxBodyBytes. A Uint8Array, not a Buffer:
   * outcomes cross from the vitest worker to the reporters by structured clone. */
  body: Uint8Array;
  bodyTruncated: boolean;
  /** Bytes that followed the header block on the connection, framing included — what a 204 must not have. */
  wireBodyBytes: number;
  /** The first of those bytes (at most 4 KiB) when they are not the body — a 204 followed by bytes: reports show them, not only their count. */
  wireBody?: Uint8Array;
  /** The HTTP client rejected the message after its head arrived (e.g. a body longer than Content-Length);
   * status and headers then come from the wire itself. */
  framingError?: string;
}

/** Why no response came back; names the layer so a report can tell transport from contract. */
export type NetworkCause =
  | 'dns'
  | 'refused'
  | 'connect-timeout'
  | 'headers-timeout'
  | 'body-timeout'
  | 'tls'
  | 'reset'
  | 'protocol'
  | 'deadline'
  | 'aborted'
  | 'other';

export interface Timings {
  startedAt: number;
  durationMs: number;
}

/**
 * Throttled answers (429, or 503 with Retry-After: "not processed, come back later") the request met
 * before this exchange, each waited out and the request sent again (lib/execute/sender.ts).
 */
export interface Throttling {
  /** The status of each throttled attempt, in order. */
  statuses: number[];
  waitedMs: number;
  /** This exchange is itself still a throttle: the retries ran out, the request was never processed. */
  gaveUp: boolean;
}

export type Exchange =
  | { kind: 'response'; request: ExchangeRequest; response: ExchangeResponse; timings: Timings; throttling?: Throttling }
  | {
      kind: 'network-error';
      request: ExchangeRequest;
      error: { cause: NetworkCause; code: string; message: string };
      timings: Timings;
      throttling?: Throttling;
    };

export function headerValues(response: ExchangeResponse, name: string): string[] {
  const lower = name.toLowerCase();
  return response.headers.filter(([n]) => n === lower).map(([, v]) => v);
}

export function headerValue(response: ExchangeResponse, name: string): string | undefined {
  const values = headerValues(response, name);
  return values.length ? values.join(', ') : undefined;
}

export function bodyText(body: Uint8Array): string {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}
