import { redactHeaderPairs, redactHeaders } from '../auth/redact.ts';
import type { Scrubber } from '../auth/scrubber.ts';
import type { Violation } from '../checks/check-model.ts';
import type { Exchange, ExchangeResponse } from '../http/exchange.ts';

/** A recorded body keeps its first 64 KiB: enough evidence for a report, and a 2 GiB answer costs no memory. */
export const RECORDED_BODY_BYTES = 64 * 1024;

/**
 * The only form of an exchange that leaves the session: secret headers masked, secret values
 * scrubbed, the body cut to what a report needs — scrubbed whole first, so no cut can split a
 * secret past the scrubber. Checks run on the exchange as received, before this.
 */
export function redactExchange(exchange: Exchange, scrubber: Scrubber): Exchange {
  const request = { ...exchange.request, headers: redactHeaders(exchange.request.headers) };
  if (exchange.kind === 'network-error') return scrubber.deep({ ...exchange, request });
  const received = exchange.response;
  const whole = scrubber.bytes(Buffer.from(received.body.buffer, received.body.byteOffset, received.body.byteLength));
  const cut = whole.length > RECORDED_BODY_BYTES;
  // Either cut — ours, or the read cap's — can fall inside a secret: its first part goes too.
  const body =
    cut || received.bodyTruncated ? Buffer.from(scrubber.trimPartial(whole.subarray(0, RECORDED_BODY_BYTES).toString('latin1')), 'latin1') : Buffer.from(whole);
  // Stray bytes after the head are cut already (send-exchange): a secret may straddle the cut.
  const wireBody = received.wireBody && {
    wireBody: Buffer.from(scrubber.trimPartial(scrubber.bytes(Buffer.from(received.wireBody)).toString('latin1')), 'latin1'),
  };
  const response: ExchangeResponse = {
    ...received,
    headers: redactHeaderPairs(received.headers),
    body,
    bodyTruncated: received.bodyTruncated || cut,
    ...wireBody,
  };
  return scrubber.deep({ ...exchange, request, response });
}

/** Violations quote the response (`received`): scrub them like the exchange. */
export function redactViolations(violations: readonly Violation[], scrubber: Scrubber): Violation[] {
  return violations.map((v) => scrubber.deep({ ...v }));
}
