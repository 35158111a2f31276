import { deleteAllServerGroupFailureJobs } from './deleteAllServerGroupFailureJobs.ts';
import { deleteFailureJob } from './deleteFailureJob.ts';
import { listFailureJobs } from './listFailureJobs.ts';
import type { OperationAdapter } from './operation-model.ts';

export type { OperationAdapter, OperationInput } from './operation-model.ts';

/**
 * What the server does per operationId. Routes come from the spec (server/routes.ts); an operation
 * the spec routes and this map lacks answers 501 saying so — the server never guesses a behaviour.
 */
const OPERATIONS: Readonly<Record<string, OperationAdapter>> = {
  deleteFailureJob,
  listFailureJobs,
  deleteAllServerGroupFailureJobs,
};

export function adapterFor(operationId: string): OperationAdapter | undefined {
  return Object.hasOwn(OPERATIONS, operationId) ? OPERATIONS[operationId] : undefined;
}
