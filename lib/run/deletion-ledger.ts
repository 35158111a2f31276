import { deletedSomething, type SentRecord } from '../execute/execute-run.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import type { DeletionRecord } from './case-outcome.ts';

export interface LedgerContext {
  caseId: string;
  /** The statuses the case expects: a 2xx among them makes its deletions intended. */
  expectedStatuses: readonly number[];
  /** The operation the case exercises: its path template says which segment is the job. */
  operation: Pick<OperationModel, 'pathTemplate' | 'pathParams'>;
}

/**
 * The one place deletions are recognised: a request of any case — whatever its kind, however many it
 * sends — that was a DELETE answered 2xx. Pure: from what execute recorded of every request it sent.
 */
export function deletionRecord(sent: SentRecord, context: LedgerContext): DeletionRecord | undefined {
  if (!deletedSomething(sent)) return undefined;
  const path = requestPath(sent.url);
  const params = paramsOf(context.operation.pathTemplate, path);
  const [first, last] = [context.operation.pathParams[0], context.operation.pathParams.at(-1)];
  // The resource is the last parameter of the path, its scope the first (…/{project_id}/…/{failure_job_id}).
  const jobId = params && last !== undefined ? decodeOnce(params[last] ?? '') : path;
  const projectId = params && first !== undefined && first !== last ? decodeOnce(params[first] ?? '') : '';
  return { caseId: context.caseId, jobId, projectId, path, status: sent.status as number, intended: context.expectedStatuses.some((s) => s >= 200 && s < 300) };
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
