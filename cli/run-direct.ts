import { AllureResultsWriter } from '../reporters/allure-writer.ts';
import { formatOutcomeLines } from '../reporters/console-summary.ts';
import type { RunConfig } from '../lib/run/run-config.ts';
import { notRunOutcomes } from '../lib/judge/not-run-outcomes.ts';
import { runEngine } from '../lib/run/run-engine.ts';
import type { RunnerResult, SuiteRunOptions } from './run-suites.ts';

/**
 * The default runner: the engine runs the cases in this process (plan → execute → judge), then the
 * reporters render its outcomes — Allure results in one batch, one console line per case in case
 * order, so the console reads the same at any concurrency.
 */
export async function runDirect(config: RunConfig, options: SuiteRunOptions): Promise<RunnerResult> {
  const run = await runEngine(config, { signal: options.signal });
  // Every planned case is reported: the ones a stopped run never reached as "not run", with the cause.
  const cause = run.unresponsive
    ? `target unresponsive (${run.unresponsive})`
    : options.signal?.reason instanceof Error
      ? options.signal.reason.message
      : 'the run stopped';
  const stopped = notRunOutcomes(run.notRun, cause);
  const order = new Map(run.plan.cases.map((p, index) => [p.case.id, index]));
  const outcomes = [...run.outcomes, ...stopped].sort((a, b) => (order.get(a.caseId) ?? 0) - (order.get(b.caseId) ?? 0));
  const allure = new AllureResultsWriter(options.resultsDir, options.environment);
  const write = options.write ?? (() => {});
  const byId = new Map(run.plan.cases.map((p) => [p.case.id, p]));
  for (const outcome of outcomes) {
    const planned = byId.get(outcome.caseId);
    if (!planned) continue;
    allure.write(
      planned.case,
      outcome,
      { profile: config.profile, docUrl: planned.operation.docUrl, endpointClass: config.endpointClass },
      outcome.startedAt ?? Date.now() - outcome.durationMs,
    );
    for (const line of formatOutcomeLines(outcome)) write(line);
  }
  // The not-run cases are outcomes now: `notRun` is for runners that cannot say which cases they missed.
  return { outcomes, cancelled: run.cancelled, notRun: [], throttling: run.throttling, unresponsive: run.unresponsive };
}
