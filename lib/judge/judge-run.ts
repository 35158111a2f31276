import type { Scrubber } from '../auth/scrubber.ts';
import { violation, type Expectation, type Violation } from '../checks/check-model.ts';
import { runChecks } from '../checks/index.ts';
import { deletedOnly, unchanged } from '../checks/state-checks.ts';
import type { ConditionCase, ConformanceCase, FuzzCase, StateCase, StatusCase } from '../cases/case-model.ts';
import type { FuzzObservation, Observation } from '../execute/execute-run.ts';
import { headerValue, type Exchange } from '../http/exchange.ts';
import type { PlannedCase, RunPlan } from '../plan/plan-model.ts';
import type { CaseOutcome, DeletionRecord, ListMissing } from '../run/case-outcome.ts';
import { deletionRecord } from '../run/deletion-ledger.ts';
import { jobListOf } from '../run/job-list.ts';
import { shownId } from '../run/job-roles.ts';
import { redactExchange, redactViolations } from '../run/redact-exchange.ts';
import { reproduceLine } from '../run/reproduce-line.ts';
import type { OperationTables } from '../spec/operation-tables.ts';

/** What any response of an operation is checked against, before a case adds the statuses it expects. */
export type OperationExpectation = Omit<Expectation, 'expectedStatuses'>;

export interface JudgeContext {
  /** Per operationId (compiled once by the caller: judging stays pure). */
  expectations: Record<string, OperationExpectation>;
  tables: OperationTables;
  scrubber: Scrubber;
  baseUrl: string;
}

/**
 * Pure: the plan and what execute observed → one outcome per case that ran, in case order. Condition
 * and negative-input cases are judged from their own answers; state cases from the lists before and
 * after; status cases are a pass over the condition outcomes (evidence), then the probe, then the
 * plan's fallback. Every outcome leaves scrubbed and redacted.
 */
export function judgeRun(plan: RunPlan, observations: ReadonlyMap<string, Observation>, context: JudgeContext): CaseOutcome[] {
  const judgeCase = caseJudge(plan, context);
  const byStage = [
    ...plan.cases.filter((p) => p.case.kind === 'condition' || p.case.kind === 'fuzz'),
    ...plan.cases.filter((p) => p.case.kind === 'state'),
    ...plan.cases.filter((p) => p.case.kind === 'status'),
  ];
  const judged = new Map<string, CaseOutcome>();
  for (const planned of byStage) {
    const observation = observations.get(planned.case.id);
    if (observation) judged.set(planned.case.id, judgeCase(planned, observation));
  }
  return plan.cases.flatMap((p) => judged.get(p.case.id) ?? []);
}

/**
 * Judges one case at a time, remembering each outcome for the cases that rest on it (delete → delete
 * again; status cases over the condition outcomes). Fed in execution order — which the plan's stages
 * and `after` links make dependency order — it gives each case's outcome as it finishes (live
 * progress); `judgeRun` feeds it the whole run.
 */
export function caseJudge(plan: RunPlan, context: JudgeContext): (planned: PlannedCase, observation: Observation) => CaseOutcome {
  const judged = new Map<string, CaseOutcome>();
  const judge = new Judge(plan, context, judged);
  return (planned, observation) => {
    const outcome = judge.case(planned, observation);
    const deletions = observation.sent.flatMap(
      (sent) => deletionRecord(sent, { caseId: planned.case.id, expectedStatuses: expectedOf(planned.case), operation: planned.operation }) ?? [],
    );
    const scrubbed = context.scrubber.deep({
      ...outcome,
      deletions: [...outcome.deletions, ...deletions],
      startedAt: observation.startedAt,
      durationMs: observation.durationMs,
    });
    judged.set(planned.case.id, scrubbed);
    return scrubbed;
  };
}

class Judge {
  constructor(
    private readonly plan: RunPlan,
    private readonly context: JudgeContext,
    private readonly judged: ReadonlyMap<string, CaseOutcome>,
  ) {}

  case(planned: PlannedCase, observation: Observation): CaseOutcome {
    const testCase = planned.case;
    switch (testCase.kind) {
      case 'condition':
        return this.condition(testCase, planned, observation);
      case 'fuzz':
        return this.negativeInputs(testCase, planned, observation.fuzz);
      case 'state':
        return this.state(testCase, planned, observation);
      case 'status':
        return this.status(testCase, planned, observation);
    }
  }

  private condition(testCase: ConditionCase, planned: PlannedCase, observation: Observation): CaseOutcome {
    const refused =
      testCase.job?.kind === 'victim' && !testCase.after && this.plan.facts.refusedJobIds.length ? { refusedJobIds: this.plan.facts.refusedJobIds } : {};
    const base = { ...outcomeBase(testCase, planned), ...refused };
    const held = planned.skip ?? this.dependency(testCase.after);
    if (held) return { ...base, status: 'skipped', skip: held };
    return this.response(base, observation.exchanges[0], { ...this.expectationOf(planned), expectedStatuses: testCase.expectedStatuses });
  }

  private negativeInputs(testCase: FuzzCase, planned: PlannedCase, fuzz: FuzzObservation | undefined): CaseOutcome {
    const base = outcomeBase(testCase, planned);
    if (planned.skip || !fuzz || !planned.fuzz)
      return { ...base, status: 'skipped', skip: planned.skip ?? { category: 'missing-input', reason: 'No negative input was generated.' } };
    const { seed, runs } = planned.fuzz;
    const summary = `${fuzz.total} generated inputs, fast-check seed ${seed}`;
    const failure = fuzz.shrunk ?? fuzz.firstFailure;
    if (!failure && fuzz.throttled > 0)
      return {
        ...base,
        status: 'skipped',
        skip: throttledSkip(`${fuzz.throttled} of ${fuzz.total} generated inputs`),
        notes: [...(base.notes ?? []), summary],
      };
    if (!failure) return { ...base, status: 'passed', notes: [...(base.notes ?? []), summary] };
    const exchange = redactExchange(failure.exchange, this.context.scrubber);
    const where = Object.entries(failure.input.segments)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    const shrinks = fuzz.shrunk
      ? `failed after ${fuzz.shrunk.numShrinks} shrink step(s)`
      : fuzz.failed === fuzz.total
        ? 'every input failed; the shortest is shown (not shrunk)'
        : 'failed (not shrunk)';
    const notes = [
      `${summary}: ${shrinks} on ${where}`,
      `${fuzz.failed} of ${fuzz.total} inputs failed`,
      `reproduce: ${reproduceLine(exchange.request) ?? 'not with curl: the request was signed with AK/SK, and the signature covers the time; use the replay line'}`,
      `replay: sdrs-conformance run … --fuzz-seed ${seed} --fuzz-runs ${runs}`,
    ];
    if (failure.exchange.kind === 'network-error') {
      return {
        ...base,
        status: 'broken',
        exchanges: [exchange],
        transportError: `${failure.exchange.error.cause} (${failure.exchange.error.code}) for ${where}: ${failure.exchange.error.message}`,
        notes,
      };
    }
    const violations = this.violationsOf(failure.exchange, this.fuzzExpectation(testCase, planned))
      .filter((v) => v.severity === 'error')
      .map((v) => ({ ...v, where: `${v.where} (input ${where})` }));
    return { ...base, status: 'failed', receivedStatus: failure.exchange.response.status, exchanges: [exchange], violations, notes };
  }

  private state(testCase: StateCase, planned: PlannedCase, observation: Observation): CaseOutcome {
    const base = outcomeBase(testCase, planned);
    const before = this.plan.facts.listedBefore[testCase.list];
    const pages = observation.exchanges;
    const source = planned.listRead?.source ?? this.context.tables[testCase.operationId]?.jobs;
    const after = pages.length > 0 && source ? jobListOf(pages, source) : undefined;
    const projectId = projectOf(pages[0]?.request.url ?? '', planned);
    const missing = before && after?.ok ? { listMissing: listMissing(testCase.list, projectId, before.ids, after.ids) } : {};
    const held = planned.skip ?? this.dependency(testCase.after);
    if (held) {
      const unreadable = after && !after.ok ? { notes: [`The list was read again to find jobs that vanished, and could not be: ${after.problem}.`] } : {};
      return { ...base, status: 'skipped', skip: held, ...missing, ...unreadable };
    }
    const list = source ? this.plan.cases.find((p) => p.operation.operationId === source.list)?.operation : undefined;
    const expectation = { ...(this.context.expectations[list?.operationId ?? ''] ?? this.expectationOf(planned)), expectedStatuses: [200] };
    const judged = this.pages(base, pages, expectation);
    if (!before || !after || judged.skip) return judged;
    if (!after.ok && after.truncated && judged.status === 'passed') {
      return {
        ...judged,
        status: 'skipped',
        skip: { category: 'not-observed', reason: `The list was read again, but ${after.problem}: what changed cannot be seen whole.` },
      };
    }
    if (!after.ok) {
      const unreadable = violation(testCase.expect === 'deleted-only' ? 'state-jobs-kept' : 'state-tenant-intact', {
        title: 'The list could not be read after the run',
        expected: `${list?.method ?? 'GET'} ${list?.pathTemplate ?? 'the list'} → 200 with the jobs`,
        received: after.problem,
        where: source?.list ?? 'the list',
      });
      return { ...judged, status: judged.status === 'broken' ? 'broken' : 'failed', violations: [...judged.violations, unreadable] };
    }
    const where = `${source?.list} body#${source?.items}`;
    const victim = this.plan.facts.jobs.victim as string;
    const found = testCase.expect === 'deleted-only' ? deletedOnly(before.ids, after.ids, victim, where) : unchanged(before.records, after.records, where);
    const all = [...judged.violations, ...redactViolations(found, this.context.scrubber)];
    const status = all.some((v) => v.severity === 'error') ? 'failed' : judged.status;
    // Nothing wrong was seen — but a check that could not see its object verified nothing.
    const unseen =
      status !== 'passed'
        ? undefined
        : testCase.expect === 'deleted-only'
          ? before.ids.includes(victim)
            ? undefined
            : `The list never showed job ${shownId(victim)} before the delete, so its removal cannot be seen (the list may filter, e.g. by protection group).`
          : before.ids.length > 0
            ? undefined
            : `The ${testCase.list} project's list showed no job before the run, so nothing of it can be seen to disappear or change.`;
    if (unseen) return { ...judged, violations: all, status: 'skipped', skip: { category: 'not-observed', reason: unseen }, ...missing };
    return { ...judged, violations: all, status, ...missing };
  }

  /** Every page of a list read, judged as answers of the list: the first page that did not pass decides; every page's exchange is kept. */
  private pages(base: CaseOutcome, pages: readonly Exchange[], expectation: Expectation): CaseOutcome {
    if (pages.length === 0) return this.response(base, undefined, expectation);
    const judged = pages.map((page) => this.response(base, page, expectation));
    const decisive = judged.find((j) => j.status !== 'passed') ?? (judged.at(-1) as CaseOutcome);
    const seen = new Set<string>();
    const violations = judged
      .flatMap((j) => j.violations)
      .filter((v) => {
        const key = JSON.stringify(v);
        return !seen.has(key) && Boolean(seen.add(key));
      });
    return { ...decisive, violations, exchanges: judged.flatMap((j) => j.exchanges) };
  }

  /**
   * A documented status is verified by a passed case that received it, else by the probe (scenario
   * control), else the plan's fallback says why not and what would verify it. A case that received it
   * malformed fails it; a transport error on the probe is never a skip.
   */
  private status(testCase: StatusCase, planned: PlannedCase, observation: Observation): CaseOutcome {
    // The plan's notes are about the probe (the unknown id it sends): only an answer to the probe carries them.
    const base = outcomeBase(testCase, { ...planned, notes: [] });
    const evidence = this.conditionOutcomes(testCase.operationId).filter((o) => o.receivedStatus === testCase.status);
    const verified = evidence.find((o) => o.status === 'passed');
    if (verified) {
      return {
        ...base,
        status: 'passed',
        receivedStatus: testCase.status,
        exchanges: verified.exchanges.slice(0, 1),
        violations: verified.violations.filter((v) => v.severity === 'warning'),
        verifiedBy: verified.caseId,
      };
    }
    const malformed = evidence.find((o) => o.status === 'failed' && o.violations.some((v) => v.severity === 'error' && v.checkId !== 'status-expected'));
    if (malformed) {
      return {
        ...base,
        status: 'failed',
        receivedStatus: testCase.status,
        exchanges: malformed.exchanges.slice(0, 1),
        violations: malformed.violations.filter((v) => v.checkId !== 'status-expected'),
        verifiedBy: malformed.caseId,
      };
    }
    const probe = observation.exchanges[0];
    if (!probe)
      return {
        ...base,
        status: 'skipped',
        skip: planned.fallback ?? { category: 'not-provokable', reason: `No case made ${this.context.baseUrl} answer ${testCase.status}.` },
      };
    if (probe.kind === 'network-error' || probe.throttling?.gaveUp)
      return this.response(base, probe, { ...this.expectationOf(planned), expectedStatuses: [testCase.status] });
    const applied = preferenceApplied(probe, testCase.status);
    if (applied === 'no') {
      const reason = `No case made ${this.context.baseUrl} answer ${testCase.status}, and its scenario control did not apply Prefer: code=${testCase.status} (no Preference-Applied, and it answered ${probe.response.status}). To verify it: add a response for ${testCase.status} to the reference server's error templates, or use a target that answers ${testCase.status}.`;
      return { ...base, status: 'skipped', exchanges: [redactExchange(probe, this.context.scrubber)], skip: { category: 'not-provokable', reason } };
    }
    const notes =
      applied === 'assumed'
        ? [`The target sent no Preference-Applied; it answered exactly the requested ${testCase.status}, so the preference counts as applied.`]
        : [];
    return {
      ...this.response(base, probe, { ...this.expectationOf(planned), expectedStatuses: [testCase.status] }),
      verifiedBy: 'scenario',
      notes: [...planned.notes, ...notes],
    };
  }

  /** A case that follows another is judged only when that one passed. */
  private dependency(after: string | undefined): CaseOutcome['skip'] {
    if (!after) return undefined;
    const before = this.judged.get(after);
    if (before?.status === 'passed') return undefined;
    return { category: 'dependency', reason: `It follows ${after}, which ${before ? `was ${before.status}` : 'did not run'}; its result would mean nothing.` };
  }

  private response(base: CaseOutcome, exchange: Exchange | undefined, expectation: Expectation): CaseOutcome {
    if (!exchange) return { ...base, status: 'broken', transportError: 'no request was sent' };
    const redacted = redactExchange(exchange, this.context.scrubber);
    if (exchange.kind === 'response' && exchange.throttling?.gaveUp) {
      const skip = throttledSkip(`its request (${exchange.throttling.statuses.length + 1} attempts)`);
      return { ...base, status: 'skipped', receivedStatus: exchange.response.status, exchanges: [redacted], skip };
    }
    if (exchange.kind === 'network-error') {
      return {
        ...base,
        status: 'broken',
        exchanges: [redacted],
        transportError: `${exchange.error.cause} (${exchange.error.code}): ${exchange.error.message}`,
      };
    }
    const violations = this.violationsOf(exchange, expectation);
    return {
      ...base,
      status: violations.some((v) => v.severity === 'error') ? 'failed' : 'passed',
      receivedStatus: exchange.response.status,
      exchanges: [redacted],
      violations,
    };
  }

  private violationsOf(exchange: Exchange & { kind: 'response' }, expectation: Expectation): Violation[] {
    return redactViolations(runChecks(exchange.response, expectation), this.context.scrubber);
  }

  private conditionOutcomes(operationId: string): CaseOutcome[] {
    return this.plan.cases.flatMap((p) => (p.case.kind === 'condition' && p.case.operationId === operationId ? (this.judged.get(p.case.id) ?? []) : []));
  }

  private expectationOf(planned: PlannedCase): OperationExpectation {
    return this.context.expectations[planned.operation.operationId] as OperationExpectation;
  }

  private fuzzExpectation(testCase: FuzzCase, planned: PlannedCase): Expectation {
    const own = this.expectationOf(planned);
    return { ...own, documentedStatuses: [...own.documentedStatuses, ...testCase.expectedStatuses], expectedStatuses: testCase.expectedStatuses };
  }
}

/** Not a verdict: a throttled request was never processed, so the case says nothing of the contract. */
function throttledSkip(what: string): NonNullable<CaseOutcome['skip']> {
  return { category: 'throttled', reason: `Not verified (throttled): the target still answered "too many requests" to ${what} when the retries ran out.` };
}

/** Pure: does this answer to a generated input break the contract? What execute shrinks on. */
export function negativeInputFailed(planned: PlannedCase, exchange: Exchange, expectation: OperationExpectation): boolean {
  if (exchange.kind === 'network-error') return true;
  const expected = planned.case.kind === 'fuzz' ? planned.case.expectedStatuses : [];
  return runChecks(exchange.response, {
    ...expectation,
    documentedStatuses: [...expectation.documentedStatuses, ...expected],
    expectedStatuses: expected,
  }).some((v) => v.severity === 'error');
}

/** `yes`: Preference-Applied says so; `assumed`: no header, but exactly the requested status; `no` otherwise. */
function preferenceApplied(exchange: Exchange & { kind: 'response' }, status: number): 'yes' | 'assumed' | 'no' {
  const header = headerValue(exchange.response, 'preference-applied');
  if (header !== undefined) return header.includes(`code=${status}`) ? 'yes' : 'no';
  return exchange.response.status === status ? 'assumed' : 'no';
}

function expectedOf(testCase: ConformanceCase): number[] {
  return testCase.kind === 'status' ? [testCase.status] : testCase.expectedStatuses;
}

function listMissing(list: ListMissing['list'], projectId: string, before: readonly string[], after: readonly string[]): ListMissing {
  return { list, projectId, jobIds: before.filter((id) => !after.includes(id)) };
}

/** The project segment of a list read's path (its first parameter), decoded. */
function projectOf(url: string, planned: PlannedCase): string {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] ?? '';
  const at = planned.operation.pathTemplate.split('/').findIndex((s) => s.startsWith('{'));
  try {
    return decodeURIComponent(path.split('/')[at] ?? '');
  } catch {
    return path.split('/')[at] ?? '';
  }
}

export function outcomeBase(testCase: ConformanceCase, planned: Pick<PlannedCase, 'notes' | 'operation'>): CaseOutcome {
  const expectedStatuses = expectedOf(testCase);
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
    deletions: [] as DeletionRecord[],
    ...(planned.notes.length ? { notes: [...planned.notes] } : {}),
    severity: testCase.severity,
    source:
      testCase.kind === 'status' ? `documented in ${planned.operation.docSection ?? planned.operation.operationId} (${testCase.status})` : testCase.source,
    durationMs: 0,
  };
}
