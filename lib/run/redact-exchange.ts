import { redactHeaderPairs, redactHeaders, redactText } from '../auth/redact.ts';
import type { Violation } from '../checks/check-model.ts';
import { bodyText, type Exchange, type ExchangeResponse } from '../http/exchange.ts';

/** A recorded body keeps its first 64 KiB: enough evidence for a report, and a 2 GiB answer costs no memory. */
export const RECORDED_BODY_BYTES = 64 * 1024;

/**
 * The only form of an exchange that leaves the session: secret headers masked, secret values
 * scrubbed, the body cut to what a report needs. Checks run on the exchange as received, before this.
 */
export function redactExchange(exchange: Exchange, secrets: readonly string[]): Exchange {
  const request = {
    ...exchange.request,
    url: redactText(exchange.request.url, secrets),
    headers: redactHeaders(exchange.request.headers),
  };
  if (exchange.kind === 'network-error') {
    return { ...exchange, request, error: { ...exchange.error, message: redactText(exchange.error.message, secrets) } };
  }
  const kept = exchange.response.body.subarray(0, RECORDED_BODY_BYTES);
  const response: ExchangeResponse = {
    ...exchange.response,
    headers: redactHeaderPairs(exchange.response.headers).map(([n, v]) => [n, redactText(v, secrets)]),
    // A copy, so the full read buffer can be collected.
    body: Buffer.from(redactText(bodyText(kept), secrets)),
    bodyTruncated: exchange.response.bodyTruncated || kept.length < exchange.response.body.length,
  };
  return { ...exchange, request, response };
}

/** Violations quote the response (`received`): scrub them like the exchange. */
export function redactViolations(violations: readonly Violation[], secrets: readonly string[]): Violation[] {
  return violations.map((v) => ({ ...v, received: redactText(v.received, secrets), expected: redactText(v.expected, secrets) }));
}
