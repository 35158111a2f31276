import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { headerValue, type Exchange, type ExchangeRequest, type Throttling } from '../http/exchange.ts';
import type { Group, Lane, RequestLimiter } from '../http/request-limiter.ts';
import { createConnectionPool } from '../http/connection-pool.ts';
import { sendExchange } from '../http/send-exchange.ts';
import type { PlannedRequest } from '../plan/plan-model.ts';
import { buildRequest, credentialFor } from '../run/build-request.ts';
import type { Pace, RunConfig } from '../run/run-config.ts';

/**
 * A planned request is sent through the run's one limiter — in the given lane (a step's by default), and
 * with the other members of its group in the same tick (a race) — its credential applied at the last moment.
 */
export type Send = (request: PlannedRequest, signal: AbortSignal | undefined, how?: SendHow) => Promise<Exchange>;

export interface SendHow {
  lane?: Lane | undefined;
  /** From `Sender.group`: the first attempt leaves with the group's other members (a retry after a throttle, alone). */
  group?: Group | undefined;
}

/** What throttling cost the run: answers that said "later", requests sent again, time spent waiting (summed over requests). */
export interface ThrottleCounts {
  throttled: number;
  retried: number;
  waitedMs: number;
  /** Requests still throttled when their retries ran out: never processed, their cases not verified. */
  gaveUp: number;
}

export interface Sender {
  send: Send;
  /** Aborts with the run's signal, or when the target stopped answering: pass it to whatever sends. */
  signal: AbortSignal;
  throttling(): ThrottleCounts;
  /** Why the run stopped sending, once it did: the target failed `maxTransportErrors` requests in a row. */
  unresponsive(): string | undefined;
  /** Once the run stopped sending: an exchange left without an answer, which tells nothing about its case's contract. */
  unanswered(exchange: Exchange): boolean;
  /**
   * After the last request, before judging: bytes that reach an idle connection later still belong to
   * the answer before them, so the connections are watched out and closed first (lib/http/connection-pool.ts).
   */
  settle(): Promise<void>;
  /** Connections opened so far. */
  connectionsOpened(): number;
  /** `size` requests that must leave together (at most --concurrency). */
  group(size: number): Group;
}

/** Transport failures that are no sign of a dead target: the target (or we) acted at once. */
const ANSWERED_BADLY: ReadonlySet<string> = new Set(['aborted', 'protocol', 'reset']);

export const DEFAULT_PACE: Pace = { maxRetries: 3, ratePerSecond: undefined, maxTransportErrors: 5 };
/** A Retry-After asking for longer than this is not waited out: the request counts as throttled out. */
export const MAX_RETRY_WAIT_MS = 60_000;
/** A 429 without Retry-After is sent again after 1 s, then 2 s, 4 s… */
const FIRST_BACKOFF_MS = 1000;

/**
 * Every request of the run goes out here. A throttle — 429, or 503 with Retry-After (RFC 9110 §10.2.3,
 * RFC 6585 §4: the request was not processed) — is waited out and the same request sent again, signed
 * anew, at most `maxRetries` times; nothing else is ever sent twice (a 5xx, a 503 without Retry-After
 * and a transport error are answers). Each throttle lowers the limiter's pace. `maxTransportErrors`
 * requests in a row without an answer (a timeout, a stall, a refused connection — not a reset or bytes
 * that are not HTTP, which a live target sends at once) mean the target stopped answering: the rest of
 * the run is aborted.
 */
export function createSender(config: RunConfig, limiter: RequestLimiter, runSignal?: AbortSignal): Sender {
  const pace = config.pace ?? DEFAULT_PACE;
  const stop = new AbortController();
  const signal = runSignal ? AbortSignal.any([runSignal, stop.signal]) : stop.signal;
  // Every request in flight (and every throttle wait) listens to it: dozens at once is the design, not a leak.
  setMaxListeners(0, signal, stop.signal);
  const counts: ThrottleCounts = { throttled: 0, retried: 0, waitedMs: 0, gaveUp: 0 };
  const streak = new Set<Exchange>();
  let unresponsive: string | undefined;
  const startNoSoonerThan = pace.ratePerSecond ? pacer(pace.ratePerSecond) : undefined;
  // As many connections as requests may be in flight: the limiter caps requests, the pool connections.
  const pool = config.http.connections === 'pool' ? createConnectionPool(config.http, limiter.max) : undefined;
  let fresh = 0;
  const exchange = (request: ExchangeRequest, abort: AbortSignal) => {
    if (pool) return pool.send(request, abort);
    fresh += 1;
    return sendExchange(request, config.http, abort);
  };

  const once = (planned: PlannedRequest, abort: AbortSignal, lane: Lane | undefined, group: Group | undefined) =>
    limiter.run(
      async () => {
        await startNoSoonerThan?.(abort);
        // Signing reads the clock: only now, so a request waiting for its slot (or a retry) is not signed stale.
        const credential = credentialFor(planned.identity, config) ?? { kind: 'none' as const };
        return exchange(buildRequest(planned.method, planned.url, credential, new Date(), { ...config.headers, ...planned.headers }), abort);
      },
      lane,
      group,
    );

  const watch = (exchange: Exchange, abort: AbortSignal) => {
    if (exchange.kind === 'response') {
      if (!unresponsive) streak.clear();
      return;
    }
    // Our own abort says nothing of the target; bytes that are not HTTP are an answer, a broken one; a reset comes
    // back at once from a target that is alive (Prism resets on a malformed escape) and costs the run no time.
    if (ANSWERED_BADLY.has(exchange.error.cause) || (abort.aborted && !unresponsive)) return;
    streak.add(exchange);
    if (unresponsive || pace.maxTransportErrors === 0 || streak.size < pace.maxTransportErrors) return;
    unresponsive = `${streak.size} requests in a row got no answer (the last: ${exchange.error.cause}, ${exchange.error.message})`;
    stop.abort(new Error(`the target stopped answering: ${unresponsive}`));
  };

  const send: Send = async (planned, caseSignal, how = {}) => {
    const abort = caseSignal && caseSignal !== signal ? AbortSignal.any([caseSignal, signal]) : signal;
    const statuses: number[] = [];
    let waitedMs = 0;
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      const exchange = await once(planned, abort, how.lane, statuses.length === 0 ? how.group : undefined);
      watch(exchange, abort);
      const wait = throttleWait(exchange, backoff);
      if (wait === undefined) {
        if (exchange.kind === 'response') limiter.unthrottled();
        return withThrottling(exchange, statuses, waitedMs, false);
      }
      counts.throttled += 1;
      limiter.throttled();
      if (statuses.length >= pace.maxRetries || wait > MAX_RETRY_WAIT_MS || abort.aborted) {
        counts.gaveUp += 1;
        return withThrottling(exchange, statuses, waitedMs, true);
      }
      const started = Date.now();
      const waited = await sleep(wait, true, { signal: abort }).catch(() => false);
      waitedMs += Date.now() - started;
      counts.waitedMs += Date.now() - started;
      if (!waited) {
        counts.gaveUp += 1;
        return withThrottling(exchange, statuses, waitedMs, true);
      }
      statuses.push((exchange as Exchange & { kind: 'response' }).response.status);
      counts.retried += 1;
      backoff *= 2;
    }
  };

  return {
    send,
    signal,
    throttling: () => ({ ...counts }),
    unresponsive: () => unresponsive,
    // Once the target is given up on, every request it left without an answer is attributed to that, not to a case:
    // which of them fell inside the final streak depends on timing (an answered list read in between resets it).
    unanswered: (exchange) => unresponsive !== undefined && exchange.kind === 'network-error' && !ANSWERED_BADLY.has(exchange.error.cause),
    settle: async () => pool?.settle(),
    connectionsOpened: () => pool?.opened ?? fresh,
    group: (size) => limiter.group(size),
  };
}

/** How long a throttled answer asks to wait (ms), or undefined when the answer is not a throttle. */
export function throttleWait(exchange: Exchange, backoffMs: number, now = Date.now()): number | undefined {
  if (exchange.kind !== 'response') return undefined;
  const { status } = exchange.response;
  const retryAfter = headerValue(exchange.response, 'retry-after')?.trim();
  if (status !== 429 && !(status === 503 && retryAfter !== undefined)) return undefined;
  if (retryAfter === undefined) return backoffMs;
  // delay-seconds or an HTTP-date (RFC 9110 §10.2.3); anything else: the backoff.
  if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const at = Date.parse(retryAfter);
  return Number.isNaN(at) ? backoffMs : Math.max(0, at - now);
}

function withThrottling(exchange: Exchange, statuses: number[], waitedMs: number, gaveUp: boolean): Exchange {
  return statuses.length || gaveUp ? { ...exchange, throttling: { statuses, waitedMs, gaveUp } satisfies Throttling } : exchange;
}

/** `--rate-limit N/s`: request starts at least 1/N s apart (a token bucket holding one token). */
function pacer(perSecond: number): (signal: AbortSignal) => Promise<void> {
  let next = 0;
  return async (signal) => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + 1000 / perSecond;
    if (at > now) await sleep(at - now, undefined, { signal }).catch(() => {});
  };
}
