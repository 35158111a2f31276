import { secretsOf } from '../auth/credentials.ts';
import { compileBodyValidators } from '../checks/body-validators.ts';
import type { Expectation, Violation } from '../checks/check-model.ts';
import { runChecks } from '../checks/index.ts';
import { buildCases } from '../cases/build-cases.ts';
import type { ConditionCase, ConformanceCase, StatusCase } from '../cases/case-model.ts';
import { headerValue, type Exchange } from '../http/exchange.ts';
import { sendExchange } from '../http/send-exchange.ts';
import { loadErrorCodeCatalog, type ErrorCodeCatalog } from '../spec/error-codes.ts';
import { loadExpectations, type ExpectationTable } from '../spec/load-expectations.ts';
import { loadSpec } from '../spec/load-spec.ts';
import { documentedStatuses, type OperationModel, type SpecModel } from '../spec/operation-model.ts';
import { buildRequest, credentialFor, operationUrl, resolveJobId, unknownJobId, type AssignedJobs } from './build-request.ts';
import type { CaseOutcome, SkipCategory } from './case-outcome.ts';
import { discoverJobs } from './discover-jobs.ts';
import { redactExchange } from './redact-exchange.ts';
import { JOBS_NEEDED, type RunConfig } from './run-config.ts';

interface OperationPlan {
  operation: OperationModel;
  expectation: Omit<Expectation, 'expectedStatuses'>;
  cases: ConformanceCase[];
}

/**
 * One conformance run: the spec, the table, the cases, and what the target has shown so far.
 * Cases run in order; status cases look at the evidence the condition cases gathered.
 */
export class RunSession {
  private readonly outcomes = new Map<string, CaseOutcome>();
  /** Responses condition cases saw, for status cases; read in case order, so concurrency cannot change which one counts. */
  private readonly evidence: Array<{ caseId: string; order: number; exchange: Exchange & { kind: 'response' }; violations: Violation[] }> = [];
  private jobs: AssignedJobs = { victim: undefined, guard: undefined };
  private discoveryProblem: string | undefined;
  private readonly secrets: string[];

  private constructor(
    readonly config: RunConfig,
    readonly spec: SpecModel,
    readonly plans: OperationPlan[],
  ) {
    this.secrets = secretsOf([config.primary, config.other]);
  }

  static async create(config: RunConfig): Promise<RunSession> {
    const spec = await loadSpec(config.specFile);
    const table = loadExpectations(config.expectationsFile);
    const catalog = loadErrorCodeCatalog();
    const plans = spec.operations.filter((op) => op.role === 'contract').map((operation) => planFor(operation, table, config.profile, catalog));
    return new RunSession(config, spec, plans);
  }

  get cases(): ConformanceCase[] {
    return this.plans.flatMap((plan) => plan.cases);
  }

  /** Assigns the jobs deletion cases may use: named ones first, then discovered ones. */
  async prepare(): Promise<void> {
    let candidates = [...this.config.deletableJobs];
    if (this.config.discover && candidates.length < JOBS_NEEDED) {
      const list = this.spec.operations.find((op) => op.operationId === 'listFailureJobs');
      try {
        if (list) candidates = [...candidates, ...(await discoverJobs(this.config, list)).filter((id) => !candidates.includes(id))];
      } catch (error) {
        // Not fatal: the deletion cases are held back and say why; every other case still runs.
        this.discoveryProblem = (error as Error).message;
      }
    }
    this.jobs = { victim: candidates[0], guard: candidates[1] };
  }

  /** `signal` aborts the case's request when the run is cancelled (Ctrl-C, run deadline). */
  async execute(testCase: ConformanceCase, signal?: AbortSignal): Promise<CaseOutcome> {
    const plan = this.plans.find((p) => p.operation.operationId === testCase.operationId) as OperationPlan;
    const started = Date.now();
    const outcome = testCase.kind === 'condition' ? await this.runCondition(testCase, plan, signal) : await this.runStatus(testCase, plan, signal);
    const finished = { ...outcome, durationMs: Date.now() - started };
    this.outcomes.set(testCase.id, finished);
    return finished;
  }

  private async runCondition(testCase: ConditionCase, plan: OperationPlan, signal: AbortSignal | undefined): Promise<CaseOutcome> {
    const base = outcomeBase(testCase, testCase.expectedStatuses);
    const blocked = this.blockedBy(testCase);
    if (blocked) return { ...base, status: 'skipped', skip: blocked };
    const credential = credentialFor(testCase.identity, this.config) ?? { kind: 'none' as const };
    const jobId = resolveJobId(testCase.job, this.jobs, this.config.seed) as string;
    const url = operationUrl(this.config.baseUrl, plan.operation, { project_id: this.config.primary.projectId, failure_job_id: jobId });
    const exchange = await this.send(buildRequest(testCase.method, url, credential, new Date()), signal);
    const outcome = this.judge(base, exchange, { ...plan.expectation, expectedStatuses: testCase.expectedStatuses }, testCase.id);
    const status = outcome.receivedStatus;
    if (testCase.method === 'DELETE' && status !== undefined && status >= 200 && status < 300) {
      outcome.deletions.push({ caseId: testCase.id, jobId, status, intended: testCase.expectedStatuses.includes(status) });
    }
    return outcome;
  }

  /** A documented status is verified by evidence already seen, else on demand (scenario control), else skipped. */
  private async runStatus(testCase: StatusCase, plan: OperationPlan, signal: AbortSignal | undefined): Promise<CaseOutcome> {
    const base = outcomeBase(testCase, [testCase.status]);
    const seen = this.evidence.filter((e) => e.exchange.response.status === testCase.status && e.exchange.request.url.includes(plan.operation.pathTemplate.split('{')[0] ?? ''));
    const clean = seen.find((e) => !e.violations.some((v) => v.severity === 'error' && v.checkId !== 'status-expected'));
    if (clean) {
      const warnings = clean.violations.filter((v) => v.severity === 'warning');
      return { ...base, status: 'passed', receivedStatus: testCase.status, exchanges: [clean.exchange], violations: warnings, verifiedBy: clean.caseId };
    }
    if (this.config.scenarioControl) {
      const url = operationUrl(this.config.baseUrl, plan.operation, { project_id: this.config.primary.projectId, failure_job_id: unknownJobId(this.config.seed) });
      // The unknown id keeps this safe even on a target that ignores Prefer: nothing can be deleted.
      const exchange = await this.send(buildRequest(plan.operation.method, url, this.config.primary.credential, new Date(), { prefer: `code=${testCase.status}` }), signal);
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

  private blockedBy(testCase: ConditionCase): { category: SkipCategory; reason: string } | undefined {
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
    return undefined;
  }

  private async send(request: Parameters<typeof sendExchange>[0], signal: AbortSignal | undefined): Promise<Exchange> {
    return sendExchange(request, this.config.http, signal);
  }

  private judge(base: CaseOutcome, exchange: Exchange, expectation: Expectation, evidenceFor: string | undefined): CaseOutcome {
    const redacted = redactExchange(exchange, this.secrets);
    if (redacted.kind === 'network-error') {
      return { ...base, status: 'broken', exchanges: [redacted], transportError: `${redacted.error.cause} (${redacted.error.code}): ${redacted.error.message}` };
    }
    const violations = runChecks(redacted.response, expectation);
    if (evidenceFor) {
      this.evidence.push({ caseId: evidenceFor, order: this.cases.findIndex((c) => c.id === evidenceFor), exchange: redacted, violations });
      this.evidence.sort((a, b) => a.order - b.order);
    }
    const failed = violations.some((v) => v.severity === 'error');
    return { ...base, status: failed ? 'failed' : 'passed', receivedStatus: redacted.response.status, exchanges: [redacted], violations };
  }
}

function preferenceApplied(exchange: Exchange, status: number): boolean {
  return exchange.kind === 'response' && (headerValue(exchange.response, 'preference-applied') ?? '').includes(`code=${status}`);
}

function planFor(operation: OperationModel, table: ExpectationTable, profile: string, errorCodes: ErrorCodeCatalog): OperationPlan {
  return {
    operation,
    expectation: {
      documentedStatuses: documentedStatuses(operation),
      bodyValidator: compileBodyValidators(operation),
      errorCodes,
      methodsOnPath: operation.methodsOnPath,
    },
    cases: buildCases(operation, table, profile),
  };
}

function outcomeBase(testCase: ConformanceCase, expectedStatuses: number[]): CaseOutcome {
  return {
    caseId: testCase.id,
    operationId: testCase.operationId,
    kind: testCase.kind,
    title: testCase.title,
    status: 'passed',
    documentedStatus: testCase.kind === 'status' ? testCase.status : expectedStatuses[0],
    expectedStatuses,
    receivedStatus: undefined,
    violations: [],
    exchanges: [],
    deletions: [],
    severity: testCase.severity,
    source: testCase.kind === 'condition' ? testCase.source : `documented in sdrs_05_0902 (返回值 ${testCase.status})`,
    durationMs: 0,
  };
}
