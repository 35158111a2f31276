import type { Exchange } from '../http/exchange.ts';
import type { RequestLimiter } from '../http/request-limiter.ts';
import { sendExchange } from '../http/send-exchange.ts';
import type { PlannedRequest } from '../plan/plan-model.ts';
import { buildRequest, credentialFor } from '../run/build-request.ts';
import type { RunConfig } from '../run/run-config.ts';

/** A planned request is sent through the run's one limiter, its credential applied at the last moment. */
export type Send = (request: PlannedRequest, signal: AbortSignal | undefined) => Promise<Exchange>;

export function createSender(config: RunConfig, limiter: RequestLimiter): Send {
  return (planned, signal) =>
    limiter.run(() => {
      // Signing reads the clock: only now, so a request waiting for its slot is not signed stale.
      const credential = credentialFor(planned.identity, config) ?? { kind: 'none' as const };
      return sendExchange(buildRequest(planned.method, planned.url, credential, new Date(), planned.headers), config.http, signal);
    });
}
