import { violation, type Violation } from './check-model.ts';

/**
 * The delete's effect on state, judged from the list operation before and after the run's cases.
 * Pure: job ids in, violations out. Only what the lists can show is judged — a victim the list never
 * showed (the list filters by protection group) cannot be checked for removal.
 */
/** `where`: the list and the place of its jobs, e.g. `listFailureJobs body#/failure_jobs`. */
export function deletedOnly(before: readonly string[], after: readonly string[], victim: string, where: string): Violation[] {
  const found: Violation[] = [];
  if (before.includes(victim) && after.includes(victim)) {
    found.push(
      violation('state-job-removed', {
        title: 'The deleted job is still listed',
        expected: `${victim} absent from the list after its deletion`,
        received: `${victim} listed`,
        where,
      }),
    );
  }
  const lost = before.filter((id) => id !== victim && !after.includes(id));
  if (lost.length) {
    found.push(
      violation('state-jobs-kept', {
        title: 'Jobs other than the deleted one disappeared',
        expected: 'every other job listed before is still listed',
        received: `missing: ${lost.join(', ')}`,
        where,
      }),
    );
  }
  return found;
}

export function unchanged(before: readonly string[], after: readonly string[], where: string): Violation[] {
  const lost = before.filter((id) => !after.includes(id));
  return lost.length
    ? [
        violation('state-tenant-intact', {
          title: "The other project's jobs changed",
          expected: "the other project's list as it was before the run",
          received: `missing: ${lost.join(', ')}`,
          where: `${where} (other project)`,
        }),
      ]
    : [];
}
