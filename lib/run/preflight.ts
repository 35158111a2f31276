import { ConformanceError } from '../errors.ts';
import type { NetworkCause } from '../http/exchange.ts';
import { sendExchange } from '../http/send-exchange.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import { buildRequest, operationUrl } from './build-request.ts';
import type { RunConfig } from './run-config.ts';

const CAUSE_TEXT: Record<NetworkCause, string> = {
  dns: 'the host name does not resolve (DNS)',
  refused: 'the connection was refused',
  'connect-timeout': 'no connection within the connect timeout',
  'headers-timeout': 'connected, but no response head within the connect timeout',
  'body-timeout': 'the response body stalled',
  deadline: 'no complete response within the connect timeout',
  tls: 'TLS failed',
  reset: 'the connection was reset',
  protocol: 'the answer is not HTTP',
  aborted: 'the request was aborted',
  other: 'the request failed',
};

/**
 * One read-only request (the list operation) before any case: an endpoint that does not answer fails
 * the run once, within the connect timeout, instead of once per case. Any HTTP status counts as an answer.
 */
/** `list`: the read-only operation to ask, and its path parameters filled for the primary identity. */
export async function preflight(
  config: RunConfig,
  list: { operation: OperationModel; params: Record<string, string> } | undefined,
): Promise<{ warning?: string }> {
  const url = list ? operationUrl(config.baseUrl, list.operation, list.params) : config.baseUrl;
  const bound = config.http.connectTimeoutMs;
  const exchange = await sendExchange(buildRequest('GET', url, config.primary.credential, new Date()), {
    ...config.http,
    headersTimeoutMs: bound,
    bodyTimeoutMs: bound,
    deadlineMs: bound,
  });
  if (exchange.kind === 'response') {
    const { status } = exchange.response;
    // A refused identity makes most cases fail for a reason that is the user's, not the endpoint's: say so up front.
    if (status === 401 || status === 403) {
      return {
        warning: `warning: the endpoint answered ${status} to a read-only list request with the primary credentials — check --project-id and --token/--ak/--sk; cases that need them will fail for that reason.`,
      };
    }
    return {};
  }
  const hint =
    exchange.error.cause === 'tls'
      ? ' — trust its CA with --ca-file (or NODE_EXTRA_CA_CERTS), or accept any certificate with --insecure'
      : ' — check the URL, the network and any proxy (--proxy, HTTPS_PROXY)';
  throw new ConformanceError(
    'NET_UNREACHABLE',
    `${new URL(config.baseUrl).origin} did not answer: ${CAUSE_TEXT[exchange.error.cause]} (${exchange.error.code}: ${exchange.error.message})${hint}`,
  );
}
