import type { Exchange, ExchangeRequest } from '../http/exchange.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import type { DeletionRecord } from './case-outcome.ts';

/** How a case sends a request; the session hands every case one that records (see recordingDeletions). */
export type Send = (request: ExchangeRequest, signal: AbortSignal | undefined) => Promise<Exchange>;

export interface LedgerContext {
  caseId: string;
  /** The statuses the case expects: a 2xx among them makes its deletions intended. */
  expectedStatuses: readonly number[];
  /** The operation the case exercises: its path template says which segment is the job. */
  operation: Pick<OperationModel, 'pathTemplate' | 'pathParams'>;
}

/**
 * The one place deletions are recorded: wraps a case's `send` so that every DELETE answered 2xx —
 * whatever the case kind, however many requests it sends — lands in `ledger`.
 */
export function recordingDeletions(send: Send, ledger: DeletionRecord[], context: LedgerContext): Send {
  return async (request, signal) => {
    const exchange = await send(request, signal);
    const record = deletionRecord(exchange, context);
    if (record) ledger.push(record);
    return exchange;
  };
}

/** The ledger entry for one exchange: a DELETE answered 2xx, or undefined. */
export function deletionRecord(exchange: Exchange, context: LedgerContext): DeletionRecord | undefined {
  if (exchange.kind !== 'response' || exchange.request.method.toUpperCase() !== 'DELETE') return undefined;
  const { status } = exchange.response;
  if (status < 200 || status > 299) return undefined;
  const path = requestPath(exchange.request.url);
  const params = paramsOf(context.operation.pathTemplate, path);
  const [first, last] = [context.operation.pathParams[0], context.operation.pathParams.at(-1)];
  // The resource is the last parameter of the path, its scope the first (…/{project_id}/…/{failure_job_id}).
  const jobId = params && last !== undefined ? decodeOnce(params[last] ?? '') : path;
  const projectId = params && first !== undefined && first !== last ? decodeOnce(params[first] ?? '') : '';
  return { caseId: context.caseId, jobId, projectId, path, status, intended: context.expectedStatuses.some((s) => s >= 200 && s < 300) };
}

/** The path as it went on the wire: no origin, no query, no fragment, nothing normalised. */
function requestPath(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] || '/';
}

/** Template parameters → raw segments, or undefined when the path does not have the template's shape. */
function paramsOf(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const name = /^\{([^}]+)\}$/.exec(segment)?.[1];
    if (name) params[name] = got[i] as string;
    else if (segment !== got[i]) return undefined;
  }
  return params;
}

function decodeOnce(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
