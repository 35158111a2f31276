import { compileBodyValidators } from '../checks/body-validators.ts';
import { executeRun } from '../execute/execute-run.ts';
import { gatherFacts } from '../execute/gather-facts.ts';
import type { FirstListPages } from '../execute/preflight.ts';
import { createSender, type ThrottleCounts } from '../execute/sender.ts';
import { createRequestLimiter } from '../http/request-limiter.ts';
import { caseJudge, judgeRun, negativeInputFailed, type OperationExpectation } from '../judge/judge-run.ts';
import type { PlannedCase, RunPlan } from '../plan/plan-model.ts';
import { planRun } from '../plan/plan-run.ts';
import { selectCases } from '../plan/select-cases.ts';
import { loadErrorCodeCatalog } from '../spec/error-codes.ts';
import { loadSpec } from '../spec/load-spec.ts';
import { documentedStatuses, type SpecModel } from '../spec/operation-model.ts';
import { loadOperationTables } from '../spec/operation-tables.ts';
import type { CaseOutcome } from './case-outcome.ts';
import type { RunConfig } from './run-config.ts';
import type { RunListener } from './run-listener.ts';
import { scrubberFor } from './run-scrubber.ts';

/** The longest a failing negative input is shrunk for. */
const MAX_SHRINK_MS = 10_000;

export interface EngineResult {
  plan: RunPlan;
  outcomes: CaseOutcome[];
  /** Cases the run stopped before (Ctrl-C, the run deadline). */
  notRun: PlannedCase[];
  cancelled: boolean;
  /** What throttling cost: answers that said "later", requests sent again, time waited. */
  throttling: ThrottleCounts;
  /** Why the run stopped sending before the end (the target stopped answering), if it did. */
  unresponsive: string | undefined;
}

/**
 * One run, in its phases: what the target shows before any case (facts) → plan (pure) → execute (the
 * only I/O, one limiter for every request) → judge (pure). Reporters render what comes back; nothing
 * here writes a report.
 */
export async function runEngine(
  config: RunConfig,
  options: { signal?: AbortSignal; listener?: RunListener; planOnly?: boolean; firstListPages?: FirstListPages | undefined } = {},
): Promise<EngineResult> {
  const spec = await loadSpec(config.specFile);
  const tables = loadOperationTables(config.operationsDir, spec);
  const sender = createSender(config, createRequestLimiter(config.concurrency), options.signal);
  const { send, signal } = sender;
  const expectations = expectationsOf(spec);
  const judgeContext = { expectations, tables, scrubber: scrubberFor(config), baseUrl: config.baseUrl };
  const { listener } = options;
  let executed: Awaited<ReturnType<typeof executeRun>>;
  let plan: RunPlan;
  try {
    const facts = await gatherFacts(spec, tables, config, send, signal, options.firstListPages);
    plan = selectCases(planRun(spec, tables, config, facts), config.only);
    listener?.planned?.(plan);
    if (options.planOnly) return { plan, outcomes: [], notRun: [], cancelled: false, throttling: sender.throttling(), unresponsive: undefined };
    // A second judge, fed as cases finish, for whoever watches; the verdict comes from judging the whole run below
    // (after the connections settled: bytes that arrive late on an idle connection can still change it).
    const liveJudge = caseJudge(plan, judgeContext);
    executed = await executeRun(plan, {
      send,
      group: sender.group,
      baseUrl: config.baseUrl,
      signal,
      unanswered: sender.unanswered,
      fuzzFailed: (planned, exchange) => negativeInputFailed(planned, exchange, expectations[planned.operation.operationId] as OperationExpectation),
      onCaseStarted: listener?.caseStarted ? (planned) => listener.caseStarted?.(planned) : undefined,
      onObservation: listener?.caseFinished ? (planned, observation, all) => listener.caseFinished?.(liveJudge(planned, observation, all)) : undefined,
      // Shrinking is a courtesy to whoever reads the failure: bounded, so a slow target cannot hold the run.
      shrinkTimeLimitMs: Math.min(config.http.deadlineMs * 4, MAX_SHRINK_MS),
    });
  } finally {
    // Late bytes on an idle connection still belong to the answer before them: judged only once the connections are closed.
    await sender.settle();
  }
  const { observations, notRun } = executed;
  const outcomes = judgeRun(plan, observations, judgeContext);
  const skippedRun = new Set(notRun);
  return {
    plan,
    outcomes,
    notRun: plan.cases.filter((p) => skippedRun.has(p.case.id)),
    cancelled: options.signal?.aborted ?? false,
    throttling: sender.throttling(),
    unresponsive: sender.unresponsive(),
  };
}

/** What any response of each operation is checked against; compiled once, so judging stays pure. */
function expectationsOf(spec: SpecModel): Record<string, OperationExpectation> {
  const errorCodes = loadErrorCodeCatalog();
  return Object.fromEntries(
    spec.operations.map((op) => [
      op.operationId,
      { documentedStatuses: documentedStatuses(op), bodyValidator: compileBodyValidators(op), errorCodes, methodsOnPath: op.methodsOnPath },
    ]),
  );
}
