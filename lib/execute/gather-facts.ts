import { reservedJobSegments } from '../cases/job-id-safety.ts';
import type { TargetFacts } from '../plan/plan-model.ts';
import { operationUrl } from '../run/build-request.ts';
import { jobListOf } from '../run/job-list.ts';
import { assignJobs, namedJobIdsError } from '../run/job-roles.ts';
import { JOBS_NEEDED, type RunConfig } from '../run/run-config.ts';
import type { SpecModel } from '../spec/operation-model.ts';
import type { OperationTables } from '../spec/operation-tables.ts';
import { readListPages } from './read-list.ts';
import type { FirstListPages } from './preflight.ts';
import type { Send } from './sender.ts';

/**
 * Before any case: which jobs the run may use (named ones first, then discovered ones, every id judged
 * before it is used), and each project's list as it is, every page of it — for the state checks and
 * "vanished" jobs.
 * Where the jobs are listed is the operation tables' `jobs`, not a name in the engine.
 */
export async function gatherFacts(
  spec: SpecModel,
  tables: OperationTables,
  config: RunConfig,
  send: Send,
  signal?: AbortSignal,
  /** The lists' first pages the preflight read: each project's read goes on from its own. */
  firstPages: FirstListPages = {},
): Promise<TargetFacts> {
  const reserved = reservedJobSegments(spec.operations);
  const named = namedJobIdsError(config.deletableJobs, reserved);
  if (named) throw named;
  const facts: TargetFacts = { jobs: { victim: undefined, guard: undefined }, refusedJobIds: [], discoveryProblem: undefined, listedBefore: {} };
  const consumer = Object.values(tables).find((t) => t.jobs);
  const source = consumer?.jobs;
  const list = source ? spec.operations.find((op) => op.operationId === source.list) : undefined;
  const listTable = source ? tables[source.list] : undefined;
  if (!source || !list) {
    facts.jobs = assignJobs(config.deletableJobs, undefined, reserved);
    facts.discoveryProblem = 'no operation table names where jobs are listed (jobs.list)';
    return facts;
  }
  const read = async (identity: 'primary' | 'other', projectId: string) => {
    const params = Object.fromEntries(
      Object.entries(listTable?.params ?? {})
        .filter(([, role]) => role === 'project')
        .map(([name]) => [name, projectId]),
    );
    const request = { method: list.method, url: operationUrl(config.baseUrl, list, params), identity, headers: {} };
    return jobListOf(await readListPages({ request, source }, (r) => send(r, signal), firstPages[identity]), source);
  };
  // Both lists at once: they are independent reads, and each costs a round trip before any case can start.
  const [primary, other] = await Promise.all([read('primary', config.primary.projectId), config.other ? read('other', config.other.projectId) : undefined]);
  let listed: string[] | undefined;
  if (config.discover && config.deletableJobs.length < JOBS_NEEDED) {
    // Not fatal when the list fails: the deletion cases are held back and say why; every other case still runs.
    if (primary.ok) listed = primary.ids;
    else facts.discoveryProblem = primary.problem;
  }
  const roles = assignJobs(config.deletableJobs, listed, reserved);
  facts.jobs = { victim: roles.victim, guard: roles.guard };
  facts.refusedJobIds = roles.refused;
  if (primary.ok) facts.listedBefore.primary = { ids: primary.ids, records: primary.records };
  // Snapshotted whenever there is a second identity: a job of its project that vanishes is reported, deletion allowed or not.
  if (other?.ok) facts.listedBefore.other = { ids: other.ids, records: other.records };
  return facts;
}
