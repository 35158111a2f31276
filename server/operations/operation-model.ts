import type { ErrorTemplate } from '../error-responses.ts';
import type { ServerResponse } from '../handler.ts';
import type { JobStore } from '../store.ts';

/**
 * What an operation's handler is given once the gateway has let the request through: authenticated,
 * on the caller's own project, not throttled, not answered by scenario control.
 */
export interface OperationInput {
  /** The caller's project — the path's project_id, which the gateway has matched to the credentials. */
  projectId: string;
  /** Path parameters, decoded; undefined when a value is not decodable. */
  params: Record<string, string | undefined>;
  query: URLSearchParams;
  store: JobStore;
  requestId: string;
}

/** One operation of the spec, by operationId (server/operations/index.ts). */
export interface OperationAdapter {
  handle(input: OperationInput): ServerResponse;
  /**
   * Error answers worded for this operation where the shared ones (error-responses.ts) speak of
   * another operation's resource — used when scenario control synthesises that status here.
   */
  errors?: Partial<Record<number, ErrorTemplate>>;
}
