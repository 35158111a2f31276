import type { Scrubber } from '../auth/scrubber.ts';
import { compileBodyValidators } from '../checks/body-validators.ts';
import { violation, type Expectation, type Violation } from '../checks/check-model.ts';
import { runChecks } from '../checks/index.ts';
import { deletedOnly, unchanged } from '../checks/state-checks.ts';
import { buildCases } from '../cases/build-cases.ts';
import { selectShard, type Shard } from '../cases/shard.ts';
import type { ConditionCase, ConformanceCase, StateCase, StatusCase } from '../cases/case-model.ts';
import { headerValue, type Exchange } from '../http/exchange.ts';
import { sendExchange } from '../http/send-exchange.ts';
import { loadErrorCodeCatalog, type ErrorCodeCatalog } from '../spec/error-codes.ts';
import { loadExpectations, type ExpectationTable } from '../spec/load-expectations.ts';
import { loadSpec } from '../spec/load-spec.ts';
import { documentedStatuses, type OperationModel, type SpecModel } from '../spec/operation-model.ts';
import { reservedJobSegments, reservedSegments, resourceParam, sameJobKey, type ReservedSegment } from '../cases/job-id-safety.ts';
import { buildRequest, credentialFor, operationUrl, resolveJobId, unknownJobId, type AssignedJobs } from './build-request.ts';
import type { CaseOutcome, DeletionRecord, ListMissing, RefusedJobId, SkipCategory } from './case-outcome.ts';
import { recordingDeletions, type Send } from './deletion-ledger.ts';
import { assignJobs, fixedIdHold, mayDelete, namedJobIdsError, shownId } from './job-roles.ts';
import { listJobIds } from './list-jobs.ts';
import { runNegativeInputs } from './run-negative-inputs.ts';
import { scrubberFor } from './run-scrubber.ts';
import { redactExchange, redactViolations } from './redact-exchange.ts';
import { JOBS_NEEDED, type RunConfig } from './run-config.ts';

interface OperationPlan {
  operation: OperationModel;
  expectation: Omit<Expectation, 'expectedStatuses'>;
  cases: ConformanceCase[];
  /** Per path parameter: the literal segments of other operations no value of it may reach. */
  reserved: Record<string, ReservedSegment[]>;
}

/**
 * One conformance run: the spec, the table, the cases, and what the target has shown so far.
 * Cases run in order; status cases look at the evidence the condition cases gathered.
 */
export class RunSession {
  private readonly outcomes = new Map<string, CaseOutcome>();
  /** Responses condition cases saw, for status cases; read in case order, so concurrency cannot change which one counts. */
  private readonly evidence: Array<{ caseId: string; operationId: string; order: number; exchange: Exchange & { kind: 'response' }; violations: Violation[] }> = [];
  private jobs: AssignedJobs = { victim: undefined, guard: undefined };
  private discoveryProblem: string | undefined;
  /** Discovered ids the run will not send; reported by the case that deletes. */
  private refusedJobIds: RefusedJobId[] = [];
  /** Why the seeded unknown id must not be sent (it names a job this run knows), if it must not. */
  private unknownIdHold: string | undefined;
  /** Job ids each list showed before any case ran, for the state checks. */
  private readonly listedBefore: { primary?: string[]; other?: string[] } = {};
  /** Everything that leaves a case passes it (see execute). */
  private readonly secrets: Scrubber;

  private constructor(
    readonly config: RunConfig,
    readonly spec: SpecModel,
    readonly plans: OperationPlan[],
    private readonly errorCodes: ErrorCodeCatalog,
  ) {
    this.secrets = scrubberFor(config);
  }

  static async create(config: RunConfig): Promise<RunSession> {
    const spec = await loadSpec(config.specFile);
    const table = loadExpectations(config.expectationsFile);
    const catalog = loadErrorCodeCatalog();
    const plans = spec.operations.filter((op) => op.role === 'contract').map((operation) => planFor(spec, operation, table, config.profile, catalog, config.shard));
    return new RunSession(config, spec, plans, catalog);
  }

  get cases(): ConformanceCase[] {
    return this.plans.flatMap((plan) => plan.cases);
  }

  /**
   * Assigns the jobs deletion cases may use (named ones first, then discovered ones) and snapshots the
   * lists. Every id is judged before any request: a bad named id stops the run (the CLI refuses it
   * earlier still), a bad discovered one is skipped and reported.
   */
  async prepare(): Promise<void> {
    const reserved = reservedJobSegments(this.spec.operations);
    const named = namedJobIdsError(this.config.deletableJobs, reserved);
    if (named) throw named;
    const list = this.listOperation;
    const primary = list ? await listJobIds(this.config, list, this.config.primary) : undefined;
    let listed: string[] | undefined;
    if (this.config.discover && this.config.deletableJobs.length < JOBS_NEEDED) {
      // Not fatal when the list fails: the deletion cases are held back and say why; every other case still runs.
      if (primary?.ok) listed = primary.ids;
      else this.discoveryProblem = primary?.problem ?? 'the spec has no listFailureJobs operation';
    }
    const roles = assignJobs(this.config.deletableJobs, listed, reserved);
    this.jobs = { victim: roles.victim, guard: roles.guard };
    this.refusedJobIds = roles.refused;
    if (primary?.ok) this.listedBefore.primary = primary.ids;
    // Snapshotted whenever there is a second identity: a job of its project that vanishes is reported, deletion allowed or not.
    if (list && this.config.other) {
      const other = await listJobIds(this.config, list, this.config.other);
      if (other.ok) this.listedBefore.other = other.ids;
    }
    const unknown = unknownJobId(this.config.seed);
    const known = [...this.config.deletableJobs, ...(this.listedBefore.primary ?? [])];
    const twin = known.find((id) => sameJobKey(id) === sameJobKey(unknown));
    if (twin !== undefined) this.unknownIdHold = `The id this run derives from --seed ${this.config.seed} for "a job that does not exist", ${shownId(unknown)}, names a job of the project (${shownId(twin)}); it is not sent. Choose another --seed.`;
  }

  private get listOperation(): OperationModel | undefined {
    return this.spec.operations.find((op) => op.operationId === 'listFailureJobs');
  }

  /** `signal` aborts the case's request when the run is cancelled (Ctrl-C, run deadline). */
  async execute(testCase: ConformanceCase, signal?: AbortSignal): Promise<CaseOutcome> {
    const plan = this.plans.find((p) => p.operation.operationId === testCase.operationId) as OperationPlan;
    const started = Date.now();
    const outcome = await this.dispatch(testCase, plan, signal);
    // The one exit of a case: whatever it holds (job ids, skip reasons, violations, notes) is scrubbed here.
    const finished = this.secrets.deep({ ...outcome, durationMs: Date.now() - started });
    this.outcomes.set(testCase.id, finished);
    return finished;
  }

  /** Every request of the case goes through one `send` that records each DELETE answered 2xx (the ledger). */
  private async dispatch(testCase: ConformanceCase, plan: OperationPlan, signal: AbortSignal | undefined): Promise<CaseOutcome> {
    const deletions: DeletionRecord[] = [];
    const expectedStatuses = testCase.kind === 'status' ? [testCase.status] : testCase.expectedStatuses;
    const send = recordingDeletions((request, s) => sendExchange(request, this.config.http, s), deletions, { caseId: testCase.id, expectedStatuses, operation: plan.operation });
    const outcome = await this.run(testCase, plan, signal, send);
    return { ...outcome, deletions: [...outcome.deletions, ...deletions] };
  }

  private run(testCase: ConformanceCase, plan: OperationPlan, signal: AbortSignal | undefined, send: Send): Promise<CaseOutcome> {
    switch (testCase.kind) {
      case 'condition':
        return this.runCondition(testCase, plan, signal, send);
      case 'state':
        return this.runState(testCase, signal);
      case 'status':
        return this.runStatus(testCase, plan, signal, send);
      case 'fuzz': {
        const base = outcomeBase(testCase, testCase.expectedStatuses);
        if (this.config.fuzz.runs === 0) return Promise.resolve({ ...base, status: 'skipped', skip: { category: 'missing-input', reason: 'Negative inputs are off (--fuzz-runs 0).' } });
        const rules = { reserved: plan.reserved, mayDelete: mayDelete(this.config) };
        return runNegativeInputs(testCase, { config: this.config, operation: plan.operation, expectation: plan.expectation, secrets: this.secrets, signal, concurrency: this.config.concurrency, send, rules }, base);
      }
    }
  }

  private async runCondition(testCase: ConditionCase, plan: OperationPlan, signal: AbortSignal | undefined, send: Send): Promise<CaseOutcome> {
    // The case that consumes the chosen jobs says which discovered ids were passed over, and why.
    const choosing = testCase.needs.includes('deletable-job') && !testCase.after && this.refusedJobIds.length > 0;
    const base = { ...outcomeBase(testCase, testCase.expectedStatuses), ...(choosing ? { refusedJobIds: this.refusedJobIds, notes: this.refusedJobIds.map((r) => `discovered id ${shownId(r.id)} not used: the id ${r.why}`) } : {}) };
    const blocked = this.blockedBy(testCase, plan);
    if (blocked) return { ...base, status: 'skipped', skip: blocked };
    const credential = credentialFor(testCase.identity, this.config) ?? { kind: 'none' as const };
    const jobId = resolveJobId(testCase.job, this.jobs, this.config.seed) as string;
    const url = operationUrl(this.config.baseUrl, plan.operation, { project_id: this.config.primary.projectId, failure_job_id: jobId });
    const exchange = await send(buildRequest(testCase.method, url, credential, new Date()), signal);
    return this.judge(base, exchange, { ...plan.expectation, expectedStatuses: testCase.expectedStatuses }, testCase.id);
  }

  /** A documented status is verified by evidence already seen, else on demand (scenario control), else skipped. */
  private async runStatus(testCase: StatusCase, plan: OperationPlan, signal: AbortSignal | undefined, send: Send): Promise<CaseOutcome> {
    const base = outcomeBase(testCase, [testCase.status]);
    const seen = this.evidence.filter((e) => e.operationId === plan.operation.operationId && e.exchange.response.status === testCase.status);
    const clean = seen.find((e) => !e.violations.some((v) => v.severity === 'error' && v.checkId !== 'status-expected'));
    if (clean) {
      const warnings = clean.violations.filter((v) => v.severity === 'warning');
      return { ...base, status: 'passed', receivedStatus: testCase.status, exchanges: [clean.exchange], violations: warnings, verifiedBy: clean.caseId };
    }
    const held = this.config.scenarioControl ? this.idHold({ kind: 'unknown' }, plan) : undefined;
    if (held) return { ...base, status: 'skipped', skip: { category: 'safety-guard', reason: held } };
    if (this.config.scenarioControl) {
      const url = operationUrl(this.config.baseUrl, plan.operation, { project_id: this.config.primary.projectId, failure_job_id: unknownJobId(this.config.seed) });
      // The unknown id keeps this safe even on a target that ignores Prefer: nothing can be deleted.
      const exchange = await send(buildRequest(plan.operation.method, url, this.config.primary.credential, new Date(), { prefer: `code=${testCase.status}` }), signal);
      if (!preferenceApplied(exchange, testCase.status)) {
        // The target's scenario control has no response for this status: that says nothing about the contract.
        return { ...base, status: 'skipped', exchanges: [redactExchange(exchange, this.secrets)], skip: { category: 'not-provokable', reason: `No case made ${this.config.baseUrl} answer ${testCase.status}, and its scenario control did not apply Prefer: code=${testCase.status} (no Preference-Applied in the answer). To verify it: add a response for ${testCase.status} to the reference server's error templates, or use a target that answers ${testCase.status}.` } };
      }
      return { ...this.judge(base, exchange, { ...plan.expectation, expectedStatuses: [testCase.status] }, undefined), verifiedBy: 'scenario' };
    }
    const malformed = seen[0];
    if (malformed) {
      return { ...base, status: 'failed', receivedStatus: testCase.status, exchanges: [malformed.exchange], violations: malformed.violations.filter((v) => v.checkId !== 'status-expected'), verifiedBy: malformed.caseId };
    }
    return {
      ...base,
      status: 'skipped',
      skip: {
        category: 'not-provokable',
        reason: `No case made ${this.config.baseUrl} answer ${testCase.status}, and it has no scenario control (Prefer: code=${testCase.status}). ` +
          `To verify it: run against the bundled reference server (sdrs-conformance run, no --endpoint) or a \`serve\` reference server with --scenario-control, or against a target in a state that answers ${testCase.status}${testCase.descriptionZh ? ` (${testCase.descriptionZh})` : ''}.`,
      },
    };
  }

  /**
   * Reads the list again and compares it with the snapshot taken before any case. Held back or not,
   * the list is read again when there is a snapshot: a job that vanished is reported in the ledger.
   */
  private async runState(testCase: StateCase, signal: AbortSignal | undefined): Promise<CaseOutcome> {
    const base = outcomeBase(testCase, testCase.expectedStatuses);
    const blocked = this.blockedBy(testCase);
    const before = this.listedBefore[testCase.list];
    const list = this.listOperation;
    const identity = testCase.list === 'primary' ? this.config.primary : this.config.other;
    if (blocked) {
      if (!before || !list || !identity) return { ...base, status: 'skipped', skip: blocked };
      const again = await listJobIds(this.config, list, identity, signal);
      const found = again.ok ? { listMissing: listMissing(testCase.list, identity.projectId, before, again.ids) } : { notes: [`The list was read again to find jobs that vanished, and could not be: ${again.problem}.`] };
      return { ...base, status: 'skipped', skip: blocked, ...found };
    }
    if (!before || !list || !identity) {
      return { ...base, status: 'skipped', skip: { category: 'missing-input', reason: `No list of the ${testCase.list} project could be read before the run, so there is nothing to compare with${this.discoveryProblem ? ` (${this.discoveryProblem})` : ''}.` } };
    }
    const listed = await listJobIds(this.config, list, identity, signal);
    const expectation = { ...this.listExpectation(list), expectedStatuses: [200] };
    const judged = this.judge(base, listed.exchange, expectation, undefined);
    if (!listed.ok) {
      const unreadable = violation(testCase.expect === 'deleted-only' ? 'state-jobs-kept' : 'state-tenant-intact', { title: 'The list could not be read after the run', expected: 'GET …/failure-jobs → 200 {"failure_jobs": […]}', received: listed.problem, where: 'listFailureJobs' });
      return { ...judged, status: judged.status === 'broken' ? 'broken' : 'failed', violations: [...judged.violations, unreadable] };
    }
    const violations = testCase.expect === 'deleted-only' ? deletedOnly(before, listed.ids, this.jobs.victim as string) : unchanged(before, listed.ids);
    const all = [...judged.violations, ...violations];
    return { ...judged, violations: all, status: all.some((v) => v.severity === 'error') ? 'failed' : judged.status, listMissing: listMissing(testCase.list, identity.projectId, before, listed.ids) };
  }

  private listExpectationCache: Omit<Expectation, 'expectedStatuses'> | undefined;
  private listExpectation(list: OperationModel): Omit<Expectation, 'expectedStatuses'> {
    this.listExpectationCache ??= expectationOf(list, this.errorCodes);
    return this.listExpectationCache;
  }

  private blockedBy(testCase: ConditionCase | StateCase, plan?: OperationPlan): { category: SkipCategory; reason: string } | undefined {
    if (testCase.after) {
      const before = this.outcomes.get(testCase.after);
      if (before?.status !== 'passed') return { category: 'dependency', reason: `It follows ${testCase.after}, which ${before ? `was ${before.status}` : 'did not run'}; its result would mean nothing.` };
    }
    // Both or neither: deleting the victim without a guard to prove refusals harmless is not worth the risk.
    if (testCase.needs.includes('deletable-job') && !(this.jobs.victim && this.jobs.guard)) {
      return {
        category: 'safety-guard',
        reason: `Needs ${JOBS_NEEDED} jobs this run may delete (it has ${[this.jobs.victim, this.jobs.guard].filter(Boolean).length}). ` +
          'Name them with --failure-job-id ID (repeatable) or find them with --discover, and allow deletion with --allow-delete.' +
          (this.discoveryProblem ? ` Discovery failed: ${this.discoveryProblem}` : ''),
      };
    }
    if (testCase.needs.includes('second-identity') && !this.config.other) {
      return { category: 'missing-input', reason: 'Needs a second identity in another project: supply --other-project-id with --other-token, or --other-ak/--other-sk.' };
    }
    const held = testCase.kind === 'condition' && plan ? this.idHold(testCase.job, plan) : undefined;
    if (held) return { category: 'safety-guard', reason: held };
    return undefined;
  }

  /**
   * Why a fixed id (the table's literal, the seeded unknown id — also where it stands in for a missing
   * guard) must not be sent by this run, if it must not. Named and discovered ids were judged in prepare().
   */
  private idHold(job: ConditionCase['job'], plan: OperationPlan): string | undefined {
    if (job.kind === 'victim' || (job.kind === 'guard' && this.jobs.guard)) return undefined;
    if (job.kind !== 'literal' && this.unknownIdHold) return this.unknownIdHold;
    const id = resolveJobId(job, this.jobs, this.config.seed) as string;
    return fixedIdHold(id, plan.reserved[resourceParam(plan.operation) ?? ''] ?? [], mayDelete(this.config));
  }

  private judge(base: CaseOutcome, exchange: Exchange, expectation: Expectation, evidenceFor: string | undefined): CaseOutcome {
    const redacted = redactExchange(exchange, this.secrets);
    if (redacted.kind === 'network-error' || exchange.kind === 'network-error') {
      return { ...base, status: 'broken', exchanges: [redacted], transportError: redacted.kind === 'network-error' ? `${redacted.error.cause} (${redacted.error.code}): ${redacted.error.message}` : 'unknown' };
    }
    const violations = redactViolations(runChecks(exchange.response, expectation), this.secrets);
    if (evidenceFor) {
      const order = this.cases.findIndex((c) => c.id === evidenceFor);
      this.evidence.push({ caseId: evidenceFor, operationId: this.cases[order]?.operationId ?? '', order, exchange: redacted, violations });
      this.evidence.sort((a, b) => a.order - b.order);
    }
    const failed = violations.some((v) => v.severity === 'error');
    return { ...base, status: failed ? 'failed' : 'passed', receivedStatus: redacted.response.status, exchanges: [redacted], violations };
  }
}

function preferenceApplied(exchange: Exchange, status: number): boolean {
  return exchange.kind === 'response' && (headerValue(exchange.response, 'preference-applied') ?? '').includes(`code=${status}`);
}

function planFor(spec: SpecModel, operation: OperationModel, table: ExpectationTable, profile: string, errorCodes: ErrorCodeCatalog, shard: Shard | undefined): OperationPlan {
  return { operation, expectation: expectationOf(operation, errorCodes), cases: selectShard(buildCases(operation, table, profile), shard), reserved: reservedSegments(spec.operations, operation) };
}

function listMissing(list: ListMissing['list'], projectId: string, before: readonly string[], after: readonly string[]): ListMissing {
  return { list, projectId, jobIds: before.filter((id) => !after.includes(id)) };
}

/** What any response of `operation` is checked against, before a case adds the statuses it expects. */
function expectationOf(operation: OperationModel, errorCodes: ErrorCodeCatalog): Omit<Expectation, 'expectedStatuses'> {
  return { documentedStatuses: documentedStatuses(operation), bodyValidator: compileBodyValidators(operation), errorCodes, methodsOnPath: operation.methodsOnPath };
}

function outcomeBase(testCase: ConformanceCase, expectedStatuses: number[]): CaseOutcome {
  return {
    caseId: testCase.id,
    operationId: testCase.operationId,
    kind: testCase.kind,
    title: testCase.title,
    status: 'passed',
    documentedStatus: testCase.kind === 'status' ? testCase.status : testCase.kind === 'condition' ? expectedStatuses[0] : undefined,
    expectedStatuses,
    receivedStatus: undefined,
    violations: [],
    exchanges: [],
    deletions: [],
    severity: testCase.severity,
    source: testCase.kind === 'status' ? `documented in sdrs_05_0902 (返回值 ${testCase.status})` : testCase.source,
    durationMs: 0,
  };
}
