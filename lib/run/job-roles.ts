import { jobIdProblem, patternCharacters, sameJobKey, type ReservedSegment } from '../cases/job-id-safety.ts';
import { ConformanceError } from '../errors.ts';
import { inlineTerminalText } from '../text/terminal-text.ts';
import type { RefusedJobId } from './case-outcome.ts';
import { JOBS_NEEDED, type RunConfig } from './run-config.ts';

/**
 * Which jobs a run may touch, and in which role: the victim (deleted by the case that must delete) and
 * the guard (targeted by every request that must be refused, and that must survive). Named ids come
 * first, then discovered ones; every id is judged by `job-id-safety` before any request is sent.
 */

export interface JobRoles {
  victim: string | undefined;
  guard: string | undefined;
  refused: RefusedJobId[];
}

/** How an id is shown in a message: escaped (it may hold controls) and shortened. */
export const shownId = (id: string) => `"${inlineTerminalText(id, 40)}"`;

/** The run may delete: the bundled server, or --allow-delete with jobs named or to discover. */
export function mayDelete(config: Pick<RunConfig, 'endpointClass' | 'deletableJobs' | 'discover'>): boolean {
  return config.endpointClass === 'bundled' || config.deletableJobs.length > 0 || config.discover;
}

/** What enables what a run without deletion holds back — said in every such skip reason. */
export const DELETION_FLAGS = 'add --allow-delete with --failure-job-id or --discover (the bundled server always may)';

/**
 * The usage error for the first named id that is unsafe, or that names the same job as an earlier one
 * (the job deleted and the guard would be one); undefined when all are fine.
 */
export function namedJobIdsError(ids: readonly string[], reserved: readonly ReservedSegment[]): ConformanceError | undefined {
  for (const [i, id] of ids.entries()) {
    const problem = jobIdProblem(id, reserved)?.why ?? sameAs(id, ids.slice(0, i), 'is given twice');
    if (problem) return new ConformanceError('CFG_USAGE', `--failure-job-id ${shownId(id)}: the id ${problem}; name another job`);
  }
  return undefined;
}

function sameAs(id: string, earlier: readonly string[], repeated: string): string | undefined {
  const twin = earlier.find((other) => sameJobKey(other) === sameJobKey(id));
  if (twin === undefined) return undefined;
  const how = twin === id ? repeated : `names the same job as ${shownId(twin)} (ids are compared decoded and case-insensitively)`;
  return `${how}: the job deleted and the guard that must survive would be one job`;
}

/**
 * Victim and guard: the named ids, then listed ones while fewer than `needed`. A listed id that is
 * unsafe, or that names a job already chosen in another spelling, is skipped and reported; the named
 * job showing up in the list is no news and is skipped silently.
 */
export function assignJobs(
  named: readonly string[],
  listed: readonly string[] | undefined,
  reserved: readonly ReservedSegment[],
  needed = JOBS_NEEDED,
): JobRoles {
  const chosen = named.slice(0, needed);
  const refused: RefusedJobId[] = [];
  for (const id of listed ?? []) {
    if (chosen.length >= needed) break;
    if (chosen.includes(id) && named.includes(id)) continue;
    const why = jobIdProblem(id, reserved)?.why ?? sameAs(id, chosen, 'is listed twice');
    if (why) refused.push({ id, source: 'discovered', why });
    else chosen.push(id);
  }
  return { victim: chosen[0], guard: chosen[1], refused };
}

/**
 * Why a fixed id of the table (or the seeded unknown id) must not be sent by this run, or undefined:
 * unsafe ids never travel; ids with pattern characters only where the run may delete.
 */
export function fixedIdHold(id: string, reserved: readonly ReservedSegment[], deletionAllowed: boolean): string | undefined {
  const problem = jobIdProblem(id, reserved);
  if (problem) return `Its job id ${shownId(id)} ${problem.why}; the run never sends it.`;
  const patterns = patternCharacters(id, 'value');
  if (patterns.length && !deletionAllowed) {
    return `Its job id ${shownId(id)} holds ${patterns.map((c) => `"${c}"`).join(', ')}, which a server that matches ids as patterns (SQL LIKE % _, glob * ? [) could expand to real jobs, so it is sent only where the run may delete: ${DELETION_FLAGS}.`;
  }
  return undefined;
}
