import { redactHeaderPairs, redactHeaders, redactText } from '../auth/redact.ts';
import { bodyText, type Exchange } from '../http/exchange.ts';

/** The only form of an exchange that leaves the session: secret headers masked, secret values scrubbed. */
export function redactExchange(exchange: Exchange, secrets: readonly string[]): Exchange {
  const request = {
    ...exchange.request,
    url: redactText(exchange.request.url, secrets),
    headers: redactHeaders(exchange.request.headers),
  };
  if (exchange.kind === 'network-error') {
    return { ...exchange, request, error: { ...exchange.error, message: redactText(exchange.error.message, secrets) } };
  }
  const text = bodyText(exchange.response.body);
  const scrubbed = redactText(text, secrets);
  return {
    ...exchange,
    request,
    response: {
      ...exchange.response,
      headers: redactHeaderPairs(exchange.response.headers).map(([n, v]) => [n, redactText(v, secrets)]),
      body: scrubbed === text ? exchange.response.body : Buffer.from(scrubbed),
    },
  };
}
