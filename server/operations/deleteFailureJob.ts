import { ERROR_TEMPLATES, errorResponse, noContentResponse, type ErrorTemplate } from '../error-responses.ts';
import { JOB_ID_PATTERN } from '../seed.ts';
import type { OperationAdapter } from './operation-model.ts';

const template = (status: number) => ERROR_TEMPLATES[status] as ErrorTemplate;

/**
 * DELETE …/failure-jobs/{failure_job_id} (sdrs_05_0902): a malformed id → 400 SDRS.0201; a job whose
 * protection group is busy → 409 and it stays; unknown or already deleted → 404; otherwise deleted → 204.
 */
export const deleteFailureJob: OperationAdapter = {
  handle({ projectId, params, store, requestId }) {
    const jobId = params.failure_job_id;
    if (jobId === undefined || !JOB_ID_PATTERN.test(jobId)) return errorResponse(400, requestId, template(400));
    switch (store.delete(projectId, jobId)) {
      case 'deleted':
        return noContentResponse(requestId);
      case 'busy':
        return errorResponse(409, requestId, template(409));
      case 'not-found':
        return errorResponse(404, requestId, template(404));
    }
  },
};
