import type { Mutant } from './mutant-model.ts';
import { mapDelete, mapResponse, probe, synthesised, targetOf } from './toolkit.ts';

/** The delete removes exactly that job, once (sdrs_05_0902 删除单个失败任务; RFC 9110 §9.3.5: the target resource only). */
export const STATE_MUTANTS: Mutant[] = [
  {
    name: 'delete-next-job',
    family: 'state',
    description: 'an off-by-one: the job listed after the requested one is deleted, and the answer is 204',
    handler: mapDelete((store, projectId, jobId) => {
      const outcome = probe(store, projectId, jobId);
      const jobs = store.list(projectId);
      const next = jobs[(jobs.findIndex((j) => j.job_id === jobId) + 1) % jobs.length];
      if (outcome === 'deleted' && next) store.delete(projectId, next.job_id);
      return outcome;
    }),
  },
  {
    name: 'delete-whole-project',
    family: 'state',
    description: 'deleting one job deletes every job of the project that is not busy (the bulk path reached by mistake)',
    handler: mapDelete((store, projectId, jobId) => {
      const outcome = store.delete(projectId, jobId);
      if (outcome === 'deleted') store.deleteAll(projectId);
      return outcome;
    }),
  },
  {
    name: 'delete-leaks-to-other-projects',
    family: 'state',
    description: 'the cleanup after a delete runs without its project filter: every other project loses a job too',
    handler: mapDelete((store, projectId, jobId, seed) => {
      const outcome = store.delete(projectId, jobId);
      if (outcome !== 'deleted') return outcome;
      for (const { projectId: other } of seed.projects.filter((p) => p.projectId !== projectId)) {
        const victim = store.list(other).find((j) => !j.busy);
        if (victim) store.delete(other, victim.job_id);
      }
      return outcome;
    }),
  },
  {
    name: 'delete-not-persisted',
    family: 'state',
    description: 'the delete answers 204 but is never committed: the job stays listed and can be deleted again',
    handler: mapDelete((store, projectId, jobId) => probe(store, projectId, jobId)),
  },
  {
    name: 'forbidden-but-deleted',
    family: 'state',
    description: "the tenant check runs after the delete: another project's token gets 403, yet the job is gone",
    handler: mapResponse((response, request, ctx) => {
      const { route, project, jobId } = targetOf(request, ctx);
      if (response.status === 403 && !synthesised(response) && request.method === 'DELETE' && route === 'item' && project && jobId)
        ctx.store.delete(project, jobId);
      return response;
    }),
  },
];
