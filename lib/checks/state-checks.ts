import { violation, type Violation } from './check-model.ts';

/**
 * The delete's effect on state, judged from the list operation before and after the run's cases.
 * Pure: jobs in, violations out. Only what the lists can show is judged — a victim the list never
 * showed (the list filters by protection group) cannot be checked for removal (the judge reports that
 * case as not observed, never as passed).
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

/** One job as a list showed it, by id. */
export type JobRecords = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

/**
 * The other project judged by "nothing of it disappeared or changed": every job listed before is
 * still listed, with the same fields. Jobs that appeared meanwhile are fine — the system lives.
 */
export function unchanged(before: JobRecords, after: JobRecords, where: string): Violation[] {
  const lost = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...before].flatMap(([id, was]) => {
    const now = after.get(id);
    const fields = now ? changedFields(was, now) : [];
    return fields.length ? [`${id} (${fields.join(', ')})`] : [];
  });
  const received = [lost.length ? `missing: ${lost.join(', ')}` : '', changed.length ? `changed: ${changed.join('; ')}` : ''].filter(Boolean).join('; ');
  return received
    ? [
        violation('state-tenant-intact', {
          title: "The other project's jobs changed",
          expected: 'every job of the other project listed before the run still listed, with the same fields',
          received,
          where: `${where} (other project)`,
        }),
      ]
    : [];
}

/** Fields whose value differs (compared as JSON, key order aside), shown as `name: before → after`. */
function changedFields(was: Readonly<Record<string, unknown>>, now: Readonly<Record<string, unknown>>): string[] {
  const names = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort();
  return names.flatMap((name) => {
    const [a, b] = [canonical(was[name]), canonical(now[name])];
    return a === b ? [] : [`${name}: ${a ?? 'absent'} → ${b ?? 'absent'}`];
  });
}

function canonical(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v) ?? 'null').join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v) ?? 'null'}`).join(',')}}`;
}

/** After a step of refused requests (a family, or one method): the guard they aimed at is still listed, else `step` ended it. */
export function guardKept(after: readonly string[], guard: string, read: { step: string; alongside?: string | undefined }, where: string): Violation[] {
  const { step, alongside } = read;
  // A read that went out alongside the next method cannot tell which of the two ended the guard: both are named.
  const suspects = alongside ? `${step} or ${alongside} (sent as the list was read; --isolate-methods tells them apart)` : step;
  return after.includes(guard)
    ? []
    : [
        violation('state-guard-kept', {
          title: `The guard job vanished after ${alongside ? `${step} or ${alongside}` : step}`,
          expected: `${guard} still listed: no request of ${alongside ? `${step} or ${alongside}` : step} may delete it`,
          received: `${guard} no longer listed after ${suspects}`,
          where,
        }),
      ];
}
