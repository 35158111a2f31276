import type { Credential, Identity } from '../auth/credentials.ts';
import { compileBodyValidators } from '../checks/body-validators.ts';
import { ConformanceError } from '../errors.ts';
import type { Exchange, NetworkCause } from '../http/exchange.ts';
import type { HttpOptions } from '../http/http-options.ts';
import { sendExchange } from '../http/send-exchange.ts';
import { judgePreconditions, type ListProbe } from '../judge/preconditions.ts';
import { buildRequest, operationUrl } from '../run/build-request.ts';
import { jobIdsOf } from '../run/job-list.ts';
import type { RunConfig } from '../run/run-config.ts';
import type { SpecModel } from '../spec/operation-model.ts';
import { pageUrl } from './read-list.ts';
import { readOnlyProbe, type OperationTables } from '../spec/operation-tables.ts';

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
 * The TLS errors of a client whose handshake met a plain-HTTP answer (OpenSSL reads "HTTP/1.1 400" as
 * a record header): worth one more, credential-free, request to say "did you mean http://".
 */
const PLAIN_HTTP_TLS_ERROR = /wrong version number|packet length too long|http request|unknown protocol|record layer failure/i;

/**
 * The preconditions, before any case: the list operation (the one the tables name under `jobs.list`)
 * asked once per identity, each on its own project, bounded by the connect timeout. No answer at all
 * ends the run with NET_UNREACHABLE (exit 3); an answer that shows a setup mistake — not this API, a
 * refused identity — ends it with one PRE_* line (exit 2), judged in lib/judge/preconditions.ts. The
 * run's verdict is about the server; these are about the setup, and never become case verdicts. Each
 * probe asks for the list's first page exactly as the run's snapshot would: the run reads on from it
 * (`firstPages`) instead of asking again.
 */
export async function checkPreconditions(
  spec: SpecModel,
  tables: OperationTables,
  config: RunConfig,
): Promise<{ warnings: string[]; firstPages: FirstListPages }> {
  const primary = readOnlyProbe(spec, tables, config.primary.projectId);
  if (!primary) return { warnings: [], firstPages: {} };
  const identities: Array<[ListProbe['identity'], Identity]> = [['primary', config.primary]];
  if (config.other) identities.push(['other', config.other]);
  // Both identities are asked at once (one round trip, not two); their answers are judged in order, primary first.
  const asked = identities.map(([identity, who]) => {
    const list = readOnlyProbe(spec, tables, who.projectId);
    const url = list && operationUrl(config.baseUrl, list.operation, list.params);
    const firstPage = list?.paging && url ? pageUrl(url, list.paging, 0) : url;
    return { identity, who, answer: firstPage && send(firstPage, who.credential, config.http, config.headers) };
  });
  // Compiled while the probes are on the wire (after one turn of the event loop, in which their connections start).
  await new Promise((resolve) => setImmediate(resolve));
  const table = tables[primary.operation.operationId];
  const success = table?.success ?? 200;
  const schema = primary.operation.responses.find((r) => r.status === success)?.bodySchema as { required?: unknown } | undefined;
  const shape = {
    success,
    validator: compileBodyValidators(primary.operation)(success),
    required: Array.isArray(schema?.required) ? (schema.required as string[]) : [],
  };
  const probes: ListProbe[] = [];
  const firstPages: FirstListPages = {};
  for (const { identity, who, answer } of asked) {
    const exchange = await answer;
    if (!exchange) continue;
    if (exchange.kind === 'network-error') throw await unreachable(config, exchange);
    probes.push({ identity, projectId: who.projectId, exchange });
    firstPages[identity] = exchange;
    // A refused primary identity decides the one line: the other's answer would say nothing more.
    const judged = judgePreconditions(probes, shape);
    if (!judged.ok) throw judged.error;
  }
  const judged = judgePreconditions(probes, shape);
  if (!judged.ok) throw judged.error;
  return { warnings: [...judged.warnings, ...emptyListWarning(probes[0], tables, config)], firstPages };
}

/** The first page of each project's list, as the preflight read it. */
export type FirstListPages = Partial<Record<ListProbe['identity'], Exchange>>;

/** Not a failure: a project with no failed job is a valid answer; the run just has nothing to discover. */
function emptyListWarning(probe: ListProbe | undefined, tables: OperationTables, config: RunConfig): string[] {
  const source = Object.values(tables).find((t) => t.jobs)?.jobs;
  if (!probe || !source || !config.discover) return [];
  const listed = jobIdsOf(probe.exchange, source);
  if (!listed.ok || listed.ids.length > 0) return [];
  return [
    `warning: the list of --project-id ${probe.projectId} shows no job: --discover finds nothing to delete, so the cases that need a job are skipped — name jobs with --failure-job-id, or create failed tasks first.`,
  ];
}

function send(url: string, credential: Credential, http: HttpOptions, headers?: Record<string, string>): Promise<Exchange> {
  const bound = http.connectTimeoutMs;
  const request = buildRequest('GET', url, credential, new Date(), headers);
  return sendExchange(request, { ...http, headersTimeoutMs: bound, bodyTimeoutMs: bound, deadlineMs: bound });
}

async function unreachable(config: RunConfig, exchange: Exchange & { kind: 'network-error' }): Promise<ConformanceError> {
  const origin = new URL(config.baseUrl).origin;
  const { cause, code, message } = exchange.error;
  if (cause === 'tls' && PLAIN_HTTP_TLS_ERROR.test(message) && origin.startsWith('https:')) {
    // Asked again in plain HTTP, without credentials: a token is never sent unencrypted.
    const plain = config.baseUrl.replace(/^https:/i, 'http:');
    const answer = await send(`${origin.replace(/^https:/, 'http:')}/`, { kind: 'none' }, config.http);
    if (answer.kind === 'response') {
      return new ConformanceError(
        'NET_UNREACHABLE',
        `${origin} answers in plain HTTP, not TLS (${code}: ${message}) — did you mean ${plain}? Change the scheme of --endpoint.`,
      );
    }
  }
  const hint =
    cause === 'tls'
      ? ' — trust its CA with --ca-file (or NODE_EXTRA_CA_CERTS), or accept any certificate with --insecure'
      : ' — check the URL, the network and any proxy (--proxy, HTTPS_PROXY)';
  return new ConformanceError('NET_UNREACHABLE', `${origin} did not answer: ${CAUSE_TEXT[cause]} (${code}: ${message})${hint}`);
}
