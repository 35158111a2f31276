import type { FailureJob, Seed } from '../seed.ts';
import type { JobStore } from '../store.ts';
import { fromOperation, isList, queryOf } from '../mutants/toolkit.ts';
import type { Variant } from './variant-model.ts';

/** Jobs per page when the caller gives no `limit`: a service may page by default (sdrs-api-notes.md §7 gives limit/offset). */
const DEFAULT_PAGE = 2;

/** The job that appears in a project once the run has listed (another task failed meanwhile). */
function lateJob(index: number): FailureJob {
  return {
    job_id: `0f1e2d3c-4b5a-4968-8776-${(0x5a5a00 + index).toString(16).padStart(12, '0')}`,
    job_type: 'reprotectServerGroup',
    resource_id: 'decf224d-87fe-403a-8721-037a1a45c287',
    resource_name: 'group-late',
    resource_type: 'server_groups',
    failure_status: 'reprotectFail',
    error_code: 'SDRS.0405',
    fail_reason: 'ReprotectTask-fail:replication pair is not ready',
    begin_time: '2019-01-25T11:00:00.000Z',
  };
}

/** The store plus jobs that arrived later: listed after the seed's, deletable like them. */
function withLateJobs(store: JobStore, late: Map<string, FailureJob[]>): JobStore {
  return {
    list: (p) => [...store.list(p), ...(late.get(p) ?? [])],
    delete: (p, id) => {
      const jobs = late.get(p) ?? [];
      const at = jobs.findIndex((job) => job.job_id === id);
      if (at < 0) return store.delete(p, id);
      jobs.splice(at, 1);
      return 'deleted';
    },
    deleteAll: (p) => {
      const count = late.get(p)?.length ?? 0;
      late.set(p, []);
      return store.deleteAll(p) + count;
    },
  };
}

export const LIST_VARIANTS: Variant[] = [
  {
    name: 'list-paged',
    description: `the list answers at most ${DEFAULT_PAGE} jobs per page unless limit is given (count is still every job): a client must page with offset`,
    runFlags: [],
    handler: (faithful) => (request, ctx) =>
      isList(request, ctx) && !queryOf(request).has('limit')
        ? faithful({ ...request, url: `${request.url}${request.url.includes('?') ? '&' : '?'}limit=${DEFAULT_PAGE}` }, ctx)
        : faithful(request, ctx),
  },
  {
    name: 'list-grows',
    description: 'once the first job is deleted, a new failed job appears in every project (other tasks fail while the run goes on)',
    runFlags: [],
    handler: (faithful, seed: Seed) => {
      const late = new Map<string, FailureJob[]>();
      return (request, ctx) => {
        const response = faithful(request, { ...ctx, store: withLateJobs(ctx.store, late) });
        // Not on the first list: a client's preflight or discovery is one, and the job would be in every snapshot it takes.
        if (late.size === 0 && fromOperation(request, response, 204, ctx)) {
          for (const [index, project] of seed.projects.entries()) late.set(project.projectId, [{ ...lateJob(index), job_status: 'FAIL' }]);
        }
        return response;
      };
    },
  },
];
