import fc from 'fast-check';
import { buildCases, methodStep } from '../cases/build-cases.ts';
import type { ConditionCase, ConformanceCase, FuzzCase, GuardCase, StateCase, StatusCase } from '../cases/case-model.ts';
import { reservedSegments, resourceParam } from '../cases/job-id-safety.ts';
import { negativeInputs } from '../cases/negative-inputs.ts';
import { selectShard } from '../cases/shard.ts';
import { operationUrl, resolveJobId } from '../run/build-request.ts';
import { fixedIdHold, mayDelete, shownId } from '../run/job-roles.ts';
import { DEFAULT_CONCURRENT_DELETES, JOBS_NEEDED, type RunConfig } from '../run/run-config.ts';
import type { OperationModel, SpecModel } from '../spec/operation-model.ts';
import type { IdentityRef, OperationTable, OperationTables } from '../spec/operation-tables.ts';
import { type UnknownJobId, unknownJobIdFor } from './job-id-shape.ts';
import type { FuzzPlan, PlannedCase, PlannedRequest, RunPlan, Skip, TargetFacts } from './plan-model.ts';

export type PlanConfig = Pick<
  RunConfig,
  | 'baseUrl'
  | 'profile'
  | 'shard'
  | 'seed'
  | 'scenarioControl'
  | 'fuzz'
  | 'endpointClass'
  | 'deletableJobs'
  | 'discover'
  | 'primary'
  | 'other'
  | 'concurrentDeletes'
  | 'concurrency'
  | 'isolateMethods'
>;

/** The cases of every contract operation, in spec order (before any target fact is known: `--list`, `merge`). */
export function casesOf(spec: Pick<SpecModel, 'operations'>, tables: OperationTables, profile: string, shard?: RunConfig['shard']): ConformanceCase[] {
  return spec.operations.filter((op) => op.role === 'contract').flatMap((op) => selectShard(buildCases(op, tables[op.operationId], profile), shard));
}

/**
 * Pure: spec + operation tables + what the target showed → every case with the requests it will
 * send, and what it will not do and why. Every safety decision of the run is made here, as data:
 * which case may target which job, which fixed id may travel, what needs a second identity.
 */
export function planRun(spec: SpecModel, tables: OperationTables, config: PlanConfig, facts: TargetFacts): RunPlan {
  const planned: PlannedCase[] = [];
  const unknown = unknownJobIdOf(config, facts);
  for (const operation of spec.operations.filter((op) => op.role === 'contract')) {
    const table = tables[operation.operationId];
    const planner = new OperationPlanner(spec, tables, operation, config, facts, unknown);
    for (const testCase of selectShard(buildCases(operation, table, config.profile), config.shard)) planned.push(planner.plan(testCase));
  }
  return { cases: config.isolateMethods ? planned : withSharedSweepReads(planned), facts, unknownJobId: unknown };
}

/**
 * A guard read after one method of a sweep shares its step with the next method: the read still goes
 * out only after its method was answered (the guard is verified after every method), and the sweep
 * costs one round trip per method, not two. Where that read finds the guard gone, either method may
 * have ended it, and the judge names both (--isolate-methods keeps them apart).
 */
function withSharedSweepReads(cases: PlannedCase[]): PlannedCase[] {
  return cases.map((planned, i) => {
    const read = planned.case;
    const next = cases[i + 1];
    const nextCase = next?.case;
    if (read.kind !== 'guard' || !read.method || planned.skip || nextCase?.kind !== 'condition') return planned;
    if (nextCase.operationId !== read.operationId || nextCase.family !== read.family || next?.skip) return planned;
    const note = `read as ${methodStep(nextCase.method)} went out (--isolate-methods reads it first)`;
    return { ...planned, sharedWith: nextCase.id, notes: [...planned.notes, note] };
  });
}

/**
 * The run's "well-formed but unknown" id: of the shape of the ids it was given or shown (both
 * projects' lists; ids the run refuses to send say nothing of the shape), named by none of them.
 */
function unknownJobIdOf(config: Pick<PlanConfig, 'seed' | 'deletableJobs'>, facts: TargetFacts): UnknownJobId {
  const listed = [...(facts.listedBefore.primary?.ids ?? []), ...(facts.listedBefore.other?.ids ?? [])];
  const refused = new Set(facts.refusedJobIds.map((r) => r.id));
  return unknownJobIdFor(config.seed, [...config.deletableJobs, ...listed.filter((id) => !refused.has(id))], [...config.deletableJobs, ...listed]);
}

class OperationPlanner {
  private readonly reserved: ReturnType<typeof reservedSegments>;
  private readonly operations: readonly OperationModel[];

  private readonly table: OperationTable | undefined;

  constructor(
    spec: SpecModel,
    private readonly tables: OperationTables,
    private readonly operation: OperationModel,
    private readonly config: PlanConfig,
    private readonly facts: TargetFacts,
    private readonly unknown: UnknownJobId,
  ) {
    this.reserved = reservedSegments(spec.operations, operation);
    this.operations = spec.operations;
    this.table = tables[operation.operationId];
  }

  plan(testCase: ConformanceCase): PlannedCase {
    const base: PlannedCase = {
      case: testCase,
      operation: this.operation,
      requests: [],
      skip: undefined,
      fallback: undefined,
      after: undefined,
      schedule: this.scheduleOf(testCase),
      fuzz: undefined,
      notes: [],
    };
    switch (testCase.kind) {
      case 'condition':
        return this.condition(testCase, base);
      case 'fuzz':
        return this.negativeInputs(testCase, base);
      case 'state':
        return this.state(testCase, base);
      case 'status':
        return this.status(testCase, base);
      case 'guard':
        return this.guard(testCase, base);
    }
  }

  /**
   * A request of an operation whose path names no job, with a safe method (RFC 9110 §9.2.1), cannot aim at
   * the guard: it needs no step of its own. Any other — the list's PUT, POST, PATCH included, which a broken
   * collection could act on — goes with its family's step, so a guard read after it covers it.
   */
  private scheduleOf(testCase: ConformanceCase): PlannedCase['schedule'] {
    const method = testCase.kind === 'condition' ? testCase.method : this.operation.method;
    return !this.hasJobParam() && SAFE_METHODS.has(method.toUpperCase()) ? 'background' : 'steps';
  }

  private condition(testCase: ConditionCase, base: PlannedCase): PlannedCase {
    const after = testCase.after;
    // The case that picks the victim says which discovered ids it passed over.
    const notes = testCase.job?.kind === 'victim' && !after ? this.facts.refusedJobIds.map((r) => `discovered id "${r.id}" not used: the id ${r.why}`) : [];
    const skip = this.needsUnmet(testCase.needs) ?? this.idHold(testCase);
    if (skip) return { ...base, skip, after, notes };
    const jobId = testCase.job ? resolveJobId(testCase.job, this.facts.jobs, this.unknown.id) : undefined;
    const request = this.request(testCase.method, testCase.identity, jobId, testCase.query);
    if (testCase.alongside) return this.alongside(testCase, { ...base, after, notes }, request);
    return { ...base, requests: [request], after, notes: [...notes, ...this.unknownNote(jobId)] };
  }

  /** K requests at once in all: its partner's one and K-1 copies of its own (--concurrent-deletes, within --concurrency). */
  private alongside(testCase: ConditionCase, base: PlannedCase, request: PlannedRequest): PlannedCase {
    const asked = this.config.concurrentDeletes ?? DEFAULT_CONCURRENT_DELETES;
    const { concurrency } = this.config;
    const at = Math.min(asked, concurrency);
    if (at < 2) {
      const reason = `Needs at least 2 requests in flight at once; --concurrency ${concurrency} allows ${at}.`;
      return { ...base, skip: { category: 'missing-input', reason } };
    }
    const notes = [
      `${at} DELETE requests of the victim at once (this case's ${at - 1} and ${testCase.alongside}'s)${at < asked ? `, not ${asked}: --concurrency ${concurrency} allows no more` : ''}.`,
    ];
    return { ...base, requests: Array.from({ length: at - 1 }, () => ({ ...request })), notes: [...base.notes, ...notes] };
  }

  /** A list read of the primary project, looking for the guard that the family's refused requests aimed at. */
  private guard(testCase: GuardCase, base: PlannedCase): PlannedCase {
    const skip = this.needsUnmet(testCase.needs);
    if (skip) return { ...base, skip };
    const before = this.facts.listedBefore.primary;
    const guard = this.facts.jobs.guard as string;
    const list = this.listOperation();
    const source = this.table?.jobs;
    if (!before || !list || !source || !before.ids.includes(guard)) {
      const why = !before
        ? `No list of the primary project could be read before the run${this.facts.discoveryProblem ? ` (${this.facts.discoveryProblem})` : ''}`
        : `The list never showed the guard job ${shownId(guard)} before the run (it may filter, e.g. by protection group)`;
      return { ...base, skip: { category: 'not-observed', reason: `${why}, so its survival cannot be seen.` } };
    }
    return { ...base, listRead: { request: this.listRequest(list, 'primary', this.config.primary.projectId), source } };
  }

  private negativeInputs(_testCase: FuzzCase, base: PlannedCase): PlannedCase {
    if (this.config.fuzz.runs === 0) return { ...base, skip: { category: 'missing-input', reason: 'Negative inputs are off (--fuzz-runs 0).' } };
    const hasJob = Object.values(this.table?.params ?? {}).includes('job');
    // The caller's project stays right half of the time only where another parameter carries the hostile value.
    const own = hasJob ? Object.fromEntries(this.paramsWithRole('project').map((name) => [name, this.config.primary.projectId])) : {};
    const rules = { reserved: this.reserved, mayDelete: mayDelete(this.config) };
    const inputs = fc.sample(negativeInputs(this.operation.pathParams, own, rules), { seed: this.config.fuzz.seed, numRuns: this.config.fuzz.runs });
    const fuzz: FuzzPlan = { inputs, own, rules, seed: this.config.fuzz.seed, runs: this.config.fuzz.runs };
    return { ...base, fuzz };
  }

  private state(testCase: StateCase, base: PlannedCase): PlannedCase {
    const identity = testCase.list === 'primary' ? this.config.primary : this.config.other;
    const before = this.facts.listedBefore[testCase.list];
    const list = this.listOperation();
    const staged = { ...base, schedule: 'last' as const, after: testCase.after };
    const skip = this.needsUnmet(testCase.needs);
    const source = this.table?.jobs;
    if (!identity) return { ...staged, skip: skip ?? { category: 'missing-input', reason: `No identity of the ${testCase.list} project was given.` } };
    if (!before || !list || !source) {
      // Not something the user left out: the target did not show what the check would observe.
      const why = `No list of the ${testCase.list} project could be read before the run, so nothing of it can be seen to change${this.facts.discoveryProblem ? ` (${this.facts.discoveryProblem})` : ''}.`;
      return { ...staged, skip: skip ?? { category: 'not-observed', reason: why } };
    }
    // Held back or not, the list is read again (every page): a job that vanished is reported in the ledger.
    return { ...staged, skip, listRead: { request: this.listRequest(list, testCase.list, identity.projectId), source } };
  }

  /** A read of `projectId`'s list, as `identity` (every page is read from it by execute). */
  private listRequest(list: OperationModel, identity: 'primary' | 'other', projectId: string): PlannedRequest {
    const url = operationUrl(this.config.baseUrl, list, projectParams(this.tables[list.operationId], projectId, list));
    return { method: list.method, url, identity, headers: {} };
  }

  private status(testCase: StatusCase, planned: PlannedCase): PlannedCase {
    // A probe goes only to a target with scenario control, which answers it from the Prefer header: no step waits for it.
    const base = { ...planned, schedule: 'background' as const };
    const describe = testCase.descriptionZh ? ` (${testCase.descriptionZh})` : '';
    if (!this.config.scenarioControl) {
      const reason =
        `No case made ${this.config.baseUrl} answer ${testCase.status}, and it has no scenario control (Prefer: code=${testCase.status}). ` +
        `To verify it: run against the bundled reference server (sdrs-conformance run, no --endpoint) or a \`serve\` reference server with --scenario-control, or against a target in a state that answers ${testCase.status}${describe}.`;
      return { ...base, fallback: { category: 'not-provokable', reason } };
    }
    if (testCase.status < 400) {
      // A synthesised success says nothing: only the case that does what the operation is for can show it.
      return {
        ...base,
        fallback: {
          category: 'not-provokable',
          reason: `No case made ${this.config.baseUrl} answer ${testCase.status}; a success is shown by a request that succeeds, never synthesised (Prefer).`,
        },
      };
    }
    // The unknown id keeps a probe safe even on a target that ignores Prefer: nothing can be deleted.
    const job = this.hasJobParam() ? ({ kind: 'unknown' } as const) : undefined;
    const held = job ? this.fixedIdHold(this.unknown.id) : undefined;
    if (held) return { ...base, fallback: { category: 'safety-guard', reason: held } };
    const jobId = job ? this.unknown.id : undefined;
    const request = this.request(this.operation.method, 'primary', jobId, {}, { prefer: `code=${testCase.status}` });
    return { ...base, requests: [request], notes: this.unknownNote(jobId) };
  }

  /** A case that sends the unknown id on an assumed shape says so: its answer may be about the shape. */
  private unknownNote(jobId: string | undefined): string[] {
    return jobId === this.unknown.id && this.unknown.assumed ? [`unknown job id ${shownId(this.unknown.id)}: ${this.unknown.assumed}`] : [];
  }

  private request(
    method: string,
    identity: IdentityRef,
    jobId: string | undefined,
    query: Record<string, string>,
    headers: Record<string, string> = {},
  ): PlannedRequest {
    const params = {
      ...this.projectParams(this.config.primary.projectId),
      ...Object.fromEntries(this.paramsWithRole('job').map((name) => [name, jobId ?? ''])),
    };
    const search = new URLSearchParams(query).toString();
    return { method, url: operationUrl(this.config.baseUrl, this.operation, params) + (search ? `?${search}` : ''), identity, headers };
  }

  private needsUnmet(needs: readonly string[]): Skip | undefined {
    const { victim, guard } = this.facts.jobs;
    // Both or neither: deleting the victim without a guard to prove refusals harmless is not worth the risk.
    if (needs.includes('deletable-job') && !(victim && guard)) {
      return {
        category: 'safety-guard',
        reason:
          `Needs ${JOBS_NEEDED} jobs this run may delete (it has ${[victim, guard].filter(Boolean).length}). ` +
          'Name them with --failure-job-id ID (repeatable) or find them with --discover, and allow deletion with --allow-delete.' +
          (this.facts.discoveryProblem ? ` Discovery failed: ${this.facts.discoveryProblem}` : ''),
      };
    }
    if (needs.includes('second-identity') && !this.config.other) {
      return {
        category: 'missing-input',
        reason: 'Needs a second identity in another project: supply --other-project-id with --other-token, or --other-ak/--other-sk.',
      };
    }
    return undefined;
  }

  /** A fixed id (the table's literal, the seeded unknown id — also where it stands in for a missing guard) that must not travel. */
  private idHold(testCase: ConditionCase): Skip | undefined {
    const job = testCase.job;
    if (!job || job.kind === 'victim' || (job.kind === 'guard' && this.facts.jobs.guard)) return undefined;
    const held = this.fixedIdHold(resolveJobId(job, this.facts.jobs, this.unknown.id) as string);
    return held ? { category: 'safety-guard', reason: held } : undefined;
  }

  private fixedIdHold(id: string): string | undefined {
    return fixedIdHold(id, this.reserved[resourceParam(this.operation) ?? ''] ?? [], mayDelete(this.config));
  }

  private paramsWithRole(role: 'project' | 'job'): string[] {
    return paramsWithRole(this.table, role, this.operation);
  }

  private hasJobParam(): boolean {
    return this.paramsWithRole('job').length > 0;
  }

  private projectParams(projectId: string): Record<string, string> {
    return projectParams(this.table, projectId, this.operation);
  }

  /** The list operation the table names for its jobs. */
  private listOperation(): OperationModel | undefined {
    const list = this.table?.jobs?.list;
    return this.operations.find((op) => op.operationId === list);
  }
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Path parameters of the given role, from the table; without one, the first parameter is the scope (the project) and the others name jobs. */
function paramsWithRole(table: OperationTable | undefined, role: 'project' | 'job', operation?: Pick<OperationModel, 'pathParams'>): string[] {
  const params = table?.params ?? Object.fromEntries((operation?.pathParams ?? []).map((name, i) => [name, i === 0 ? 'project' : 'job']));
  return Object.entries(params).flatMap(([name, r]) => (r === role ? [name] : []));
}

function projectParams(table: OperationTable | undefined, projectId: string, operation?: Pick<OperationModel, 'pathParams'>): Record<string, string> {
  return Object.fromEntries(paramsWithRole(table, 'project', operation).map((name) => [name, projectId]));
}
