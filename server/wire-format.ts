import { STATUS_CODES } from 'node:http';

/**
 * Raw HTTP/1.1 bytes, for the two places where no ServerResponse can be used: answers to requests
 * Node's parser or timers rejected ('clientError' hands over only the socket), and a stalled answer
 * whose head must stop half-way, which ServerResponse cannot do.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body?: string | undefined;
}

/** Status line and header fields, each line ending CRLF; the blank line that ends a head is the caller's. */
export function head(status: number, headers: Record<string, string>): string {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return lines.map((line) => `${line}\r\n`).join('');
}

/** A complete message that ends the connection: after a parse error or a timeout nothing else can follow. */
export function completeResponse(response: RawResponse, date: Date): Buffer {
  const body = Buffer.from(response.body ?? '', 'utf8');
  const headers = { ...response.headers, date: date.toUTCString(), 'content-length': String(body.length), connection: 'close' };
  return Buffer.concat([Buffer.from(`${head(response.status, headers)}\r\n`, 'latin1'), body]);
}

/**
 * The `stall` fault: the head announces the whole body (Content-Length) and only its first half
 * follows. A response without a body has nothing to withhold, so its head is cut before the blank
 * line that would end it: either way the client sees a response that starts and never finishes.
 */
export function stalledResponse(response: RawResponse, date: Date): Buffer {
  const withDate = { ...response.headers, date: date.toUTCString() };
  if (response.body === undefined) return Buffer.from(head(response.status, withDate), 'latin1');
  const body = Buffer.from(response.body, 'utf8');
  const announced = head(response.status, { ...withDate, 'content-length': String(body.length) });
  return Buffer.concat([Buffer.from(`${announced}\r\n`, 'latin1'), body.subarray(0, Math.floor(body.length / 2))]);
}
