import type { Scrubber } from '../auth/scrubber.ts';
import { violation, type Expectation, type Violation } from '../checks/check-model.ts';
import { runChecks } from '../checks/index.ts';
import { advertisedButRefused, type PathAnswer } from '../checks/allow-consistent.ts';
import { allowedMethods } from '../checks/allow-header.ts';
import { deleteOnce, raceWinner } from '../checks/race-checks.ts';
import { deletedOnly, guardKept, unchanged } from '../checks/state-checks.ts';
import { methodStep } from '../cases/build-cases.ts';
import type { ConditionCase, ConformanceCase, FuzzCase, GuardCase, StateCase, StatusCase } from '../cases/case-model.ts';
import { deletedSomething, type FuzzObservation, type Observation } from '../execute/execute-run.ts';
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
    ...plan.cases.filter((p) => p.case.kind === 'condition' || p.case.kind === 'fuzz' || p.case.kind === 'guard'),
    ...plan.cases.filter((p) => p.case.kind === 'state'),
    ...plan.cases.filter((p) => p.case.kind === 'status'),
  ];
  const judged = new Map<string, CaseOutcome>();
  for (const planned of byStage) {
    const observation = observations.get(planned.case.id);
    if (observation) judged.set(planned.case.id, judgeCase(planned, observation, observations));
  }
  return plan.cases.flatMap((p) => judged.get(p.case.id) ?? []);
}

/**
 * Judges one case at a time, remembering each outcome for the cases that rest on it (delete → delete
 * again; status cases over the condition outcomes). Fed in execution order — which the plan's stages
 * and `after` links make dependency order — it gives each case's outcome as it finishes (live
 * progress); `judgeRun` feeds it the whole run. `observations`: every observation so far — a race's
 * members are judged over each other's answers (execute delivers a race's members together).
 */
export function caseJudge(
  plan: RunPlan,
  context: JudgeContext,
): (planned: PlannedCase, observation: Observation, observations: ReadonlyMap<string, Observation>) => CaseOutcome {
  const judged = new Map<string, CaseOutcome>();
  return (planned, observation, observations) => {
    const outcome = new Judge(plan, context, judged, observations).case(planned, observation);
    const deletions = observation.sent.flatMap(
      (sent) =>
        deletionRecord(sent, { caseId: planned.case.id, expectedStatuses: ledgerExpected(plan, planned, observations), operation: planned.operation }) ?? [],
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

/** A race's companion may win it: its 2xx is then the intended deletion — when it is the race's only one. */
function ledgerExpected(plan: RunPlan, planned: PlannedCase, observations: ReadonlyMap<string, Observation>): number[] {
  const testCase = planned.case;
  if (testCase.kind !== 'condition' || !testCase.alongside) return expectedOf(testCase);
  const partner = plan.cases.find((p) => p.case.id === testCase.alongside)?.case;
  const successes = raceMembers(plan, testCase.alongside)
    .flatMap((id) => observations.get(id)?.sent ?? [])
    .filter(deletedSomething).length;
  return successes === 1 && partner ? [...expectedOf(testCase), ...expectedOf(partner)] : expectedOf(testCase);
}

/** The cases of the race `partnerId` leads, in send order: itself, then those sent alongside it (held-back ones sent nothing). */
function raceMembers(plan: RunPlan, partnerId: string): string[] {
  const companions = plan.cases.filter((p) => p.case.kind === 'condition' && p.case.alongside === partnerId && !p.skip);
  return companions.length ? [partnerId, ...companions.map((p) => p.case.id)] : [];
}

class Judge {
  constructor(
    private readonly plan: RunPlan,
    private readonly context: JudgeContext,
    private readonly judged: ReadonlyMap<string, CaseOutcome>,
    private readonly observations: ReadonlyMap<string, Observation>,
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
      case 'guard':
        return this.guard(testCase, planned, observation);
    }
  }

  private condition(testCase: ConditionCase, planned: PlannedCase, observation: Observation): CaseOutcome {
    const refused =
      testCase.job?.kind === 'victim' && !testCase.after && !testCase.alongside && this.plan.facts.refusedJobIds.length
        ? { refusedJobIds: this.plan.facts.refusedJobIds }
        : {};
    const base = { ...outcomeBase(testCase, planned), ...refused };
    const held = planned.skip ?? this.dependency(testCase.after ?? testCase.alongside);
    if (held) return { ...base, status: 'skipped', skip: held };
    const expectation = { ...this.expectationOf(planned), expectedStatuses: testCase.expectedStatuses };
    const race = this.race(testCase.alongside ?? testCase.id);
    if (testCase.alongside && race) return this.raceLosers(base, race, expectation);
    // The partner of a race is judged on the request that won it, whichever of the group that was.
    const winner = race?.winner !== undefined ? race.exchanges[race.winner] : undefined;
    return this.withAdvertisedMethods(this.response(base, winner ?? observation.exchanges[0], expectation), planned);
  }

  /** What this answer's Allow (or its 405) says against the answers judged before it on the same path. */
  private withAdvertisedMethods(outcome: CaseOutcome, planned: PlannedCase): CaseOutcome {
    const pathTemplate = planned.operation.pathTemplate;
    const answersOf = (o: CaseOutcome, path: string): PathAnswer[] =>
      o.exchanges.flatMap((e) =>
        e.kind === 'response' ? [{ pathTemplate: path, method: e.request.method, status: e.response.status, allow: allowedMethods(e.response) }] : [],
      );
    const earlier = this.plan.cases.flatMap((p) => {
      const o = p.case.kind === 'condition' ? this.judged.get(p.case.id) : undefined;
      return o ? answersOf(o, p.operation.pathTemplate) : [];
    });
    const found = answersOf(outcome, pathTemplate).flatMap((answer) => advertisedButRefused(answer, earlier));
    return found.length ? { ...outcome, status: outcome.status === 'broken' ? 'broken' : 'failed', violations: [...outcome.violations, ...found] } : outcome;
  }

  /** A race's requests in send order (the partner's, then its companions'), and which one got the success. */
  private race(partnerId: string): { exchanges: Exchange[]; winner: number | undefined; success: number[] } | undefined {
    const members = raceMembers(this.plan, partnerId);
    if (members.length === 0) return undefined;
    const exchanges = members.flatMap((id) => this.observations.get(id)?.exchanges ?? []);
    const partner = this.plan.cases.find((p) => p.case.id === partnerId)?.case;
    const statuses = exchanges.map((e) => (e.kind === 'response' ? e.response.status : undefined));
    return { exchanges, winner: raceWinner(statuses), success: partner ? expectedOf(partner) : [] };
  }

  /** Every request of the race but the one that won must find the job gone; more than one success is a double delete. */
  private raceLosers(base: CaseOutcome, race: NonNullable<ReturnType<Judge['race']>>, expectation: Expectation): CaseOutcome {
    const losers = race.exchanges.filter((_, i) => i !== race.winner);
    const judged = this.pages(base, losers, expectation);
    const statuses = race.exchanges.map((e) => (e.kind === 'response' ? e.response.status : undefined));
    const twice = deleteOnce(statuses, race.success[0] ?? 204, expectation.expectedStatuses ?? []);
    const notes = [...(base.notes ?? []), `${race.exchanges.length} requests at once: ${statuses.map((s) => s ?? 'no answer').join(', ')}`];
    if (twice.length === 0) return { ...judged, notes };
    return { ...judged, status: judged.status === 'broken' ? 'broken' : 'failed', violations: [...judged.violations, ...twice], notes };
  }

  /** Between two families: the list still shows the guard their refused requests aimed at. */
  private guard(testCase: GuardCase, planned: PlannedCase, observation: Observation): CaseOutcome {
    const base = outcomeBase(testCase, planned);
    if (planned.skip) return { ...base, status: 'skipped', skip: planned.skip };
    // The family that ended the guard was named once; a later family cannot be blamed for it too.
    const ended = [...this.judged.values()].find((o) => o.kind === 'guard' && o.violations.some((v) => v.checkId === 'state-guard-kept'));
    if (ended) return { ...base, status: 'skipped', skip: { category: 'dependency', reason: `The guard job vanished already (${ended.caseId}).` } };
    const source = planned.listRead?.source;
    const expectation = { ...(this.context.expectations[source?.list ?? ''] ?? this.expectationOf(planned)), expectedStatuses: [200] };
    const judged = this.pages(base, observation.exchanges, expectation);
    if (judged.status !== 'passed' || !source) return judged;
    const after = jobListOf(observation.exchanges, source);
    if (!after.ok) return { ...judged, status: 'skipped', skip: { category: 'not-observed', reason: `The list was read, but ${after.problem}.` } };
    const shared = this.plan.cases.find((p) => p.case.id === planned.sharedWith)?.case;
    const alongside = shared?.kind === 'condition' ? methodStep(shared.method) : undefined;
    const found = guardKept(after.ids, this.plan.facts.jobs.guard as string, { step: testCase.step, alongside }, `${source.list} body#${source.items}`);
    return found.length ? { ...judged, status: 'failed', violations: [...judged.violations, ...redactViolations(found, this.context.scrubber)] } : judged;
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
    // A synthesised answer refuses nothing: its Allow says what the path supports, not what the probe's method is.
    const synthesised = { ...this.expectationOf(planned), expectedStatuses: [testCase.status], requestMethod: undefined };
    return {
      ...this.response(base, probe, synthesised),
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
    const requestMethod = 'requestMethod' in expectation ? expectation.requestMethod : exchange.request.method;
    return redactViolations(runChecks(exchange.response, { ...expectation, requestMethod }), this.context.scrubber);
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
