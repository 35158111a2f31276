import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from './undici-client.ts';
import { tappedConnector } from './connect.ts';
import type { Exchange, ExchangeRequest, ExchangeResponse } from './exchange.ts';
import type { HttpOptions } from './http-options.ts';
import { closed, exchangeOn } from './send-exchange.ts';
import { tapSocket, type WireTap } from './wire-tap.ts';

/**
 * The run's kept-alive connections: at most `max` open at once, busy, idle or closing. A connection
 * carries one exchange at a time and is used again only once its last answer is framed to its end.
 * Wire attribution stays exact:
 * - an idle connection is watched: any byte that arrives on it belongs to its last answer, whenever it
 *   arrives — added to a 204's body bytes (`no-content-body`), or a framing error of any other answer
 *   (`http-framing`) — and the connection is retired;
 * - on a reused connection, bytes ahead of the next answer's status line are the last answer's too;
 * - after a 204 (whose body no HTTP parser shows) the connection rests, watched, `watchAfterNoContentMs`
 *   before it carries another request — the next one to come, which waits for it (bytes a server holds
 *   back until its next write show there); the requests after that one go on other connections meanwhile;
 * - a connection the server closes, that ended a message early or said `Connection: close` is retired.
 * An answer's record may thus grow until `settle()` has run: the run judges only after it.
 */
export interface ConnectionPool {
  send(request: ExchangeRequest, signal?: AbortSignal): Promise<Exchange>;
  /** Waits out the rest after every 204, then closes every connection, reading until the peer lets go. */
  settle(): Promise<void>;
  /** Connections opened so far. */
  readonly opened: number;
}

interface Connection {
  origin: string;
  client: Client;
  tap: WireTap | undefined;
  socket: Socket | undefined;
  state: 'busy' | 'idle' | 'closing';
  /** The last answer on this connection: stray bytes are its. */
  last: ExchangeResponse | undefined;
  /** Not used again before (performance.now()): the watch after a 204. */
  restsUntil: number;
  /** When it last went idle, for the choice of which to reuse. */
  idleSince: number;
  gone: Promise<void> | undefined;
  /** Stray bytes came on it: its framing can no longer be trusted. */
  strayed: boolean;
  /** Its last answer was a 204 and no request has ridden it since. */
  awaitsReuse: boolean;
  /** The request that will ride it once its rest is over (the next one after its 204; the others go elsewhere meanwhile). */
  claimed: boolean;
  /** Answers it carried: from the second on, the server is known to keep it open after answering. */
  answers: number;
}

export function createConnectionPool(options: HttpOptions, max: number): ConnectionPool {
  const ceiling = Math.max(1, max);
  const connections = new Set<Connection>();
  const waiting: Array<() => void> = [];
  let opened = 0;
  const wakeAll = () => {
    for (const wake of waiting.splice(0)) wake();
  };

  const retire = (connection: Connection, graceful: boolean): Promise<void> => {
    if (connection.gone !== undefined) return connection.gone;
    connection.state = 'closing';
    // Whatever still arrives before the peer lets go belongs to the last answer.
    connection.tap?.idle();
    connection.gone = closed(connection.client, graceful ? connection.socket : undefined).then(() => {
      connections.delete(connection);
      wakeAll();
    });
    return connection.gone;
  };

  const open = (origin: string): Connection => {
    opened += 1;
    const connection: Connection = {
      origin,
      client: undefined as unknown as Client,
      tap: undefined,
      socket: undefined,
      state: 'busy',
      last: undefined,
      restsUntil: 0,
      idleSince: 0,
      gone: undefined,
      strayed: false,
      awaitsReuse: false,
      claimed: false,
      answers: 0,
    };
    connection.client = new Client(origin, {
      connect: tappedConnector(options, (socket) => {
        connection.socket = socket;
        // undici reconnects a client whose socket closed under it: answers on an earlier socket prove nothing of this one.
        connection.answers = 0;
        connection.tap = tapSocket(socket, (bytes) => {
          if (connection.last) attributeStray(connection.last, bytes.length);
          connection.strayed = true;
          if (connection.state === 'idle') void retire(connection, true);
        });
        // Closed by the server (or its idle timeout) while idle: gone, never reconnected under the same record.
        // After undici's own 'close' handling (registered later), or its destroy() would wait for a close already past.
        socket.once('close', () => setImmediate(() => connection.state === 'idle' && void retire(connection, false)));
      }),
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      pipelining: 1,
    });
    connections.add(connection);
    return connection;
  };

  /** An idle connection to `origin` that may be used now, the longest idle first: every connection is used, none goes stale. */
  const reusable = (origin: string, allowed: (c: Connection) => boolean = () => true): Connection | undefined => {
    const now = performance.now();
    let best: Connection | undefined;
    for (const c of connections) {
      if (!allowed(c)) continue;
      // A rested 204's connection is its claimant's (acquire).
      if (c.state !== 'idle' || c.origin !== origin || c.restsUntil > now || c.awaitsReuse) continue;
      // Ended by the server, its close not yet seen: never offered a request.
      if (c.tap?.ended || c.socket?.destroyed) {
        void retire(c, false);
        continue;
      }
      if (!best || c.idleSince < best.idleSince) best = c;
    }
    return best;
  };

  /**
   * A connection for one request. `unrepeatable` (a method that must not be sent twice): only a connection
   * the server is known to keep open (it answered a second request on it) and that was busy a moment ago
   * is reused — no such server closes one that soon for idleness, the race RFC 9112 §9.3.1 warns of — else
   * a new one.
   */
  const acquire = async (origin: string, unrepeatable: boolean, signal: AbortSignal | undefined): Promise<Connection | undefined> => {
    for (;;) {
      if (signal?.aborted) return undefined;
      // A 204's connection carries the next request to its origin once it has rested: bytes a broken server
      // holds back and flushes with its next write show only there (the wait is bounded by the rest). Only
      // that one request waits for it; the ones after it go on other connections.
      const now = performance.now();
      const after204 = [...connections].find(
        (c) => c.state === 'idle' && c.origin === origin && c.awaitsReuse && !c.strayed && !c.claimed && (!unrepeatable || keptOpen(c, now)),
      );
      if (after204) {
        after204.claimed = true;
        const restMs = after204.restsUntil - performance.now();
        if (restMs > 0) await sleep(restMs + 1, undefined, { signal }).catch(() => {});
        after204.claimed = false;
        // Stray bytes, a close or the run stopping while it rested: this request looks for another connection.
        if (after204.state !== 'idle' || after204.strayed || !connections.has(after204) || signal?.aborted) continue;
        after204.state = 'busy';
        after204.awaitsReuse = false;
        return after204;
      }
      const idle = reusable(origin, unrepeatable ? (c) => keptOpen(c, now) : undefined);
      if (idle) {
        idle.state = 'busy';
        return idle;
      }
      if (connections.size < ceiling) return open(origin);
      // Full: an idle connection makes room (one to another origin, or any not resting for an unrepeatable request); else wait for a release, a close, or a rest to end.
      // Never one a request has claimed to ride after its 204's rest.
      const spare = [...connections].find((c) => c.state === 'idle' && !c.claimed && (unrepeatable ? c.restsUntil <= now : c.origin !== origin));
      if (spare) void retire(spare, true);
      const resting = [...connections].filter((c) => c.state === 'idle').map((c) => c.restsUntil - performance.now());
      const restMs = resting.length ? Math.max(0, Math.min(...resting)) : undefined;
      await new Promise<void>((resolve) => {
        const timer = restMs === undefined ? undefined : setTimeout(resolve, restMs + 1);
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };

  /** One attempt on a connection; `stale`: the server had closed that kept-alive connection, and not one byte came back. */
  const sendOn = async (origin: string, request: ExchangeRequest, signal: AbortSignal | undefined): Promise<{ exchange: Exchange; stale: boolean }> => {
    const connection = await acquire(origin, !IDEMPOTENT.has(request.method.toUpperCase()), signal);
    if (!connection) {
      const error = { cause: 'aborted' as const, code: 'ABORTED', message: 'the run stopped before the request was sent' };
      return { exchange: { kind: 'network-error', request, error, timings: { startedAt: Date.now(), durationMs: 0 } }, stale: false };
    }
    const reused = connection.last !== undefined;
    connection.tap?.begin(reused);
    const { exchange, complete } = await exchangeOn(connection.client, request, options, () => connection.tap, { lingerAfterNoContent: false }, signal);
    const stale =
      reused && exchange.kind === 'network-error' && exchange.error.cause === 'reset' && connection.tap?.ended === true && connection.tap.wire().length === 0;
    const answer = exchange.kind === 'response' ? exchange.response : undefined;
    const keep = complete && answer !== undefined && connection.socket !== undefined && !connection.socket.destroyed && !connection.strayed && !closes(answer);
    if (answer) {
      connection.last = answer;
      connection.answers += 1;
    }
    if (!keep) {
      void retire(connection, complete);
      return { exchange, stale };
    }
    connection.state = 'idle';
    connection.tap?.idle();
    connection.idleSince = performance.now();
    // A 204's body, if any, is on no parser's radar: the connection rests, watched, before it carries another request.
    if (answer.status === 204) {
      connection.restsUntil = connection.idleSince + options.watchAfterNoContentMs;
      connection.awaitsReuse = true;
    }
    wakeAll();
    return { exchange, stale };
  };

  return {
    get opened() {
      return opened;
    },
    async send(request, signal) {
      const origin = new URL(request.url).origin;
      const first = await sendOn(origin, request, signal);
      // RFC 9112 §9.3.1: the server closed the kept-alive connection as the request went out and never answered
      // it. An idempotent request (RFC 9110 §9.2.2) is sent once more; any other is not sent twice, whatever
      // the reason: its first attempt may have had its effect, and the run reports what it saw.
      if (!first.stale || !IDEMPOTENT.has(request.method.toUpperCase())) return first.exchange;
      return (await sendOn(origin, request, signal)).exchange;
    },
    async settle() {
      const restMs = Math.max(0, ...[...connections].map((c) => c.restsUntil - performance.now()));
      if (restMs > 0) await sleep(restMs);
      await Promise.all([...connections].map((c) => retire(c, c.state === 'idle')));
    },
  };
}

const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/**
 * How recently a connection must have carried an answer for a request that must not be sent twice to
 * ride it: far below any keep-alive timeout in use (Node 5 s, Apache 5 s, nginx 75 s).
 */
const RECENTLY_BUSY_MS = 1000;

/** The server answered twice on this connection (it keeps it open), and it was busy a moment ago. */
function keptOpen(c: { answers: number; idleSince: number }, now: number): boolean {
  return c.answers >= 2 && now - c.idleSince < RECENTLY_BUSY_MS;
}

/** The answer says the connection ends with it (RFC 9112 §9.6). */
function closes(response: ExchangeResponse): boolean {
  return response.headers.some(([name, value]) => name === 'connection' && /(^|,)\s*close\s*(,|$)/i.test(value));
}

/** Per answer: stray bytes so far, and the framing error it had before any. */
const strays = new WeakMap<ExchangeResponse, { bytes: number; before: string | undefined }>();

/**
 * Bytes after the end of an answer, on its connection, before the next answer began: a 204's are body
 * bytes it must not have; any other answer's are bytes its framing does not account for.
 */
export function attributeStray(response: ExchangeResponse, bytes: number): void {
  if (response.status === 204) {
    response.wireBodyBytes += bytes;
    return;
  }
  const seen = strays.get(response) ?? { bytes: 0, before: response.framingError };
  seen.bytes += bytes;
  strays.set(response, seen);
  const stray = `${seen.bytes} bytes arrived on the connection after the message had ended`;
  response.framingError = seen.before === undefined ? stray : `${seen.before}; ${stray}`;
}
