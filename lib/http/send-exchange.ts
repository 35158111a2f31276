import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { Client } from './undici-client.ts';
import { tappedConnector } from './connect.ts';
import type { Exchange, ExchangeRequest, ExchangeResponse, NetworkCause } from './exchange.ts';
import type { HttpOptions } from './http-options.ts';
import { deadline } from './deadline.ts';
import { parseRawHead, tapSocket, wireBodyAfterHead, wireBytesAfterHead, type WireTap } from './wire-tap.ts';

/**
 * Sends one request on its own connection and records what came back (`--fresh-connections`). One
 * connection per exchange means bytes on the wire belong to exactly one response, so stray bytes after
 * a 204 are attributed to it — within the linger window; the connection is closed after it. The
 * default is the run's pool (lib/http/connection-pool.ts), which keeps watching idle connections.
 * Never throws: failures become a 'network-error'.
 */
export async function sendExchange(request: ExchangeRequest, options: HttpOptions, signal?: AbortSignal): Promise<Exchange> {
  let tap: WireTap | undefined;
  let socket: Socket | undefined;
  const client = new Client(new URL(request.url).origin, {
    connect: tappedConnector(options, (connected) => {
      socket = connected;
      tap = tapSocket(connected);
    }),
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    pipelining: 1,
  });
  // A connection whose answer was read to its end is closed gracefully (FIN, then the peer's FIN); any other is cut.
  let complete = false;
  try {
    const sent = await exchangeOn(client, request, options, () => tap, { lingerAfterNoContent: true }, signal);
    complete = sent.complete;
    return sent.exchange;
  } finally {
    await closed(client, complete ? socket : undefined);
  }
}

/**
 * One exchange on `client`, whose connection `tap` watches. `complete`: the answer was read to its
 * framed end, so the connection may be closed gracefully (or, in a pool, used again).
 * `lingerAfterNoContent`: after a 204, wait the linger window for stray bytes before returning — a
 * pool watches the idle connection instead, without holding the exchange.
 */
export async function exchangeOn(
  client: Dispatcher,
  request: ExchangeRequest,
  options: HttpOptions,
  tap: () => WireTap | undefined,
  behaviour: { lingerAfterNoContent: boolean },
  signal?: AbortSignal,
): Promise<{ exchange: Exchange; complete: boolean }> {
  const startedAt = Date.now();
  const timings = () => ({ startedAt, durationMs: Date.now() - startedAt });
  const time = deadline(options.deadlineMs, signal);
  const abort = time.signal;
  try {
    const response = await client.request({
      method: request.method,
      // As given, not as WHATWG URL would normalise it: dot segments and odd escapes must reach the server.
      path: rawPath(request.url),
      headers: request.headers,
      body: request.body,
      signal: abort,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let bodyTruncated = false;
    for await (const chunk of response.body) {
      const room = options.maxBodyBytes - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (chunk.length > room) {
        bodyTruncated = true;
        response.body.destroy();
        break;
      }
    }
    const wire = tap();
    // A 204 and an answer to HEAD end with their head: bytes a broken server writes after it may arrive a moment later.
    if ((response.statusCode === 204 || request.method === 'HEAD') && wire && behaviour.lingerAfterNoContent) await wire.watch(options.lingerAfterNoContentMs);
    const headers: Array<[string, string]> = [];
    const raw = response.headers;
    for (const [name, value] of Object.entries(raw)) {
      for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) headers.push([name.toLowerCase(), v]);
    }
    const body = Buffer.concat(chunks);
    const bytes = wire?.wire();
    const wireBodyBytes = bytes ? wireBytesAfterHead(bytes) : 0;
    const exchange: Exchange = {
      kind: 'response',
      request,
      response: {
        status: response.statusCode,
        headers,
        body,
        bodyTruncated,
        wireBodyBytes,
        // Bytes the parser did not take as a body (after a 204): kept, so a report can show them.
        ...(bytes && wireBodyBytes > 0 && body.length === 0 ? { wireBody: wireBodyAfterHead(bytes, WIRE_BODY_SHOWN_BYTES) } : {}),
      },
      timings: timings(),
    };
    return { exchange, complete: !bodyTruncated };
  } catch (error) {
    // Cut short by the caller (Ctrl-C, the run deadline, a target given up on): whatever arrived says nothing.
    if (signal?.aborted && !time.passed()) {
      const message = 'the run stopped before the answer was complete';
      return { exchange: { kind: 'network-error', request, error: { cause: 'aborted', code: 'ABORTED', message }, timings: timings() }, complete: false };
    }
    const described = time.passed()
      ? { cause: 'deadline' as const, code: 'DEADLINE', message: `no complete response within ${options.deadlineMs} ms` }
      : describeNetworkError(error);
    // Only a message the client rejected is rebuilt; a timeout is the transport's story, not the response's.
    const rejected = described.cause === 'protocol' || described.cause === 'reset' || described.cause === 'other';
    const wire = tap();
    const fromWire = rejected && wire ? responseFromWire(wire.wire(), described, options.maxBodyBytes) : undefined;
    if (fromWire) return { exchange: { kind: 'response', request, response: fromWire, timings: timings() }, complete: false };
    return { exchange: { kind: 'network-error', request, error: described, timings: timings() }, complete: false };
  } finally {
    time.dispose();
  }
}

/**
 * The connection is closed before the exchange counts as done, so a limiter's slot is a connection
 * too — also as the server counts it: after a complete answer we send FIN and wait for the peer's,
 * so the peer has let go before the next connection opens. A peer that never lets go is cut after
 * a bounded wait; an answer cut short (a read cap, an error) is cut at once.
 */
export async function closed(client: Dispatcher, graceful: Socket | undefined): Promise<void> {
  if (graceful && !graceful.destroyed) {
    // undici unrefs an idle socket: ref it, so the process waits for the close instead of leaving mid-run.
    graceful.ref();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
    const gone = once(graceful, 'close').then(
      () => undefined,
      () => undefined,
    );
    graceful.end();
    // Read on, so the peer's FIN (and TLS close_notify) is seen even on a socket the client paused.
    graceful.resume();
    await Promise.race([gone, bound]);
    clearTimeout(timer);
  }
  await client.destroy().catch(() => {});
}

const CLOSE_WAIT_MS = 1000;

/** What an exchange keeps of stray bytes after a bodiless response: enough to recognise them. */
const WIRE_BODY_SHOWN_BYTES = 4096;

/**
 * When undici gives up after a complete head arrived, the response still happened: rebuild it from
 * the wire so the checks can say what was wrong with it, instead of reporting a vague transport error.
 * undici also refuses unsolicited 1xx interim responses, which RFC 9110 §15.2 allows — that is no fault.
 */
function responseFromWire(wire: Buffer, error: { code: string; message: string }, maxBodyBytes: number): ExchangeResponse | undefined {
  const head = parseRawHead(wire);
  if (!head) return undefined;
  const body = wire.subarray(head.end, head.end + maxBodyBytes);
  const interimOnly = head.interim && error.message === 'bad response';
  return {
    status: head.status,
    headers: head.headers,
    body,
    bodyTruncated: wire.length - head.end > maxBodyBytes,
    wireBodyBytes: wire.length - head.end,
    ...(interimOnly ? {} : { framingError: `${error.code}: ${error.message}` }),
  };
}

function rawPath(url: string): string {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(url)?.[1] ?? '';
  return path.startsWith('/') ? path : `/${path}`;
}

const causeByCode: Record<string, NetworkCause> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  ECONNREFUSED: 'refused',
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  ETIMEDOUT: 'connect-timeout',
  UND_ERR_HEADERS_TIMEOUT: 'headers-timeout',
  UND_ERR_BODY_TIMEOUT: 'body-timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_ABORTED: 'aborted',
  ABORT_ERR: 'aborted',
};

export function describeNetworkError(error: unknown): { cause: NetworkCause; code: string; message: string } {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code ?? 'UNKNOWN';
  const message = e.cause?.message && e.cause.message !== e.message ? `${e.message}: ${e.cause.message}` : (e.message ?? String(error));
  let cause = causeByCode[code];
  if (!cause && (code.startsWith('HPE_') || /parse|protocol/i.test(message))) cause = 'protocol';
  if (!cause && (/CERT|SSL|TLS/i.test(code) || /certificate|ssl|tls/i.test(message))) cause = 'tls';
  return { cause: cause ?? 'other', code, message };
}
