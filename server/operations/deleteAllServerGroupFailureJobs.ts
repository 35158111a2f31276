import { noContentResponse } from '../error-responses.ts';
import type { OperationAdapter } from './operation-model.ts';

/**
 * DELETE …/failure-jobs/batch (sdrs-api-notes.md §4, §8; off limits for the suite, which never calls
 * it): every failed task of the caller's project whose protection group is not busy → 204. Another
 * project's jobs cannot be reached: the gateway has already refused a foreign project with 403.
 */
export const deleteAllServerGroupFailureJobs: OperationAdapter = {
  handle({ projectId, store, requestId }) {
    store.deleteAll(projectId);
    return noContentResponse(requestId);
  },
};
