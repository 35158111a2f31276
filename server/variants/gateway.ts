import { errorBody, errorHeaders, type ErrorTemplate } from '../error-responses.ts';
import type { ServerResponse } from '../handler.ts';
import { appendixError } from '../appendix.ts';
import { errorAnswer, fromOperation, mapResponse, requestIdOf, synthesised } from '../mutants/toolkit.ts';
import type { Variant } from './variant-model.ts';

/** The public gateway's answer to a method it has no API for (sdrs-api-notes.md §2: 404, not 405). */
const NO_SUCH_API: ErrorTemplate = { shape: 'gateway', code: 'APIG.0101', message: 'The API does not exist.' };

/** Every Nth request is throttled: deterministic, whatever the timing of the run. */
const THROTTLE_EVERY = 10;
/** Seconds a throttled client is told to wait (RFC 9110 §10.2.3). */
const RETRY_AFTER_S = 1;

export const GATEWAY_VARIANTS: Variant[] = [
  {
    name: 'public-gateway',
    description:
      'what the public gateway is documented to do: a wrong method → 404 APIG.0101 (no Allow), a foreign token → 400 SDRS.0004, an unknown job → 400 SDRS.0201',
    runFlags: ['--profile', 'huaweicloud'],
    handler: mapResponse((response, request, ctx): ServerResponse => {
      if (synthesised(response)) return response;
      const requestId = requestIdOf(response);
      if (response.status === 405) return { status: 404, headers: errorHeaders(requestId), body: errorBody(NO_SUCH_API, requestId) };
      // SDRS.0004 "Incorrect API invoking permissions" is a 400 in the appendix (sdrs-api-notes.md §1.3, §2).
      if (response.status === 403) return errorAnswer(400, requestId, appendixError('SDRS.0004').template);
      // Not found is a 400 with an SDRS code on the real service (sdrs-api-notes.md §1.1, TF's conversions).
      if (fromOperation(request, response, 404, ctx)) return errorAnswer(400, requestId);
      return response;
    }),
  },
  {
    name: 'throttled',
    description: `gateway throttling: every ${THROTTLE_EVERY}th request → 429 APIG.0308 with Retry-After: ${RETRY_AFTER_S}, not processed`,
    runFlags: [],
    handler: (faithful) => {
      let requests = 0;
      return (request, ctx) => {
        requests += 1;
        if (requests % THROTTLE_EVERY !== 0) return faithful(request, ctx);
        const requestId = ctx.newRequestId();
        const template: ErrorTemplate = {
          shape: 'gateway',
          code: 'APIG.0308',
          message: 'The throttling threshold has been reached: policy api over ratelimit,limit:2000,time:1 minute',
        };
        return { status: 429, headers: { ...errorHeaders(requestId), 'retry-after': String(RETRY_AFTER_S) }, body: errorBody(template, requestId) };
      };
    },
  },
  {
    name: 'connection-close',
    description: 'every answer carries Connection: close and the server closes the connection after it (a gateway without keep-alive)',
    runFlags: [],
    handler: mapResponse((response) => ({ ...response, headers: { ...response.headers, connection: 'close' } })),
  },
];
