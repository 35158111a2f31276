import type { FailureJob, Seed } from './seed.ts';

/** What the handler needs of a store: a mutant (server/mutants/) can change what delete does. */
export type JobStore = Pick<FailureJobStore, 'list' | 'delete' | 'deleteAll'>;

/** The in-memory task center: failed tasks per project. A fresh copy of the seed, never the seed itself. */
export class FailureJobStore {
  private readonly jobsByProject = new Map<string, Map<string, FailureJob>>();

  constructor(private readonly seed: Seed) {
    this.reset();
  }

  /** Every job of the seed again, and nothing else (`POST /__sdrs/reset`). */
  reset(): void {
    this.jobsByProject.clear();
    for (const project of this.seed.projects) {
      this.jobsByProject.set(project.projectId, new Map(project.jobs.map((job) => [job.job_id, { ...job, job_status: 'FAIL' as const }])));
    }
  }

  hasProject(projectId: string): boolean {
    return this.jobsByProject.has(projectId);
  }

  list(projectId: string): FailureJob[] {
    return [...(this.jobsByProject.get(projectId)?.values() ?? [])];
  }

  /** Deletes once: a second delete of the same id finds nothing. */
  delete(projectId: string, jobId: string): 'deleted' | 'not-found' | 'busy' {
    const jobs = this.jobsByProject.get(projectId);
    const job = jobs?.get(jobId);
    if (!jobs || !job) return 'not-found';
    if (job.busy) return 'busy';
    jobs.delete(jobId);
    return 'deleted';
  }

  /** DELETE …/failure-jobs/batch: every job of the project that is not busy. */
  deleteAll(projectId: string): number {
    const jobs = this.jobsByProject.get(projectId);
    let count = 0;
    for (const [id, job] of jobs ?? []) {
      if (!job.busy) {
        jobs?.delete(id);
        count += 1;
      }
    }
    return count;
  }

  add(projectId: string, job: FailureJob): void {
    this.jobsByProject.get(projectId)?.set(job.job_id, { ...job, job_status: 'FAIL' });
  }
}
