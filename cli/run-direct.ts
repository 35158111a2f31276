import { AllureResultsWriter } from '../reporters/allure-writer.ts';
import { ConsoleProgress } from '../reporters/console-progress.ts';
import type { RunConfig } from '../lib/run/run-config.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import type { RunListener } from '../lib/run/run-listener.ts';
import { notRunOutcomes } from '../lib/judge/not-run-outcomes.ts';
import { runEngine } from '../lib/run/run-engine.ts';
import type { RunnerResult, SuiteRunOptions } from './run-suites.ts';

/**
 * The default runner: the engine runs the cases in this process (plan → execute → judge) while the
 * console shows each case as it finishes (and, on a TTY, a progress line); then Allure results are
 * written in one batch. Cases the run never reached are shown last, as "not run".
 */
export async function runDirect(config: RunConfig, options: SuiteRunOptions): Promise<RunnerResult> {
  const progress = new ConsoleProgress(options.write ?? (() => {}), options.terminal);
  const listeners: RunListener[] = [progress, ...(options.listeners ?? [])];
  const reported = new Set<string>();
  const finished = (outcome: CaseOutcome) => {
    reported.add(outcome.caseId);
    for (const l of listeners) l.caseFinished?.(outcome);
  };
  const listener: RunListener = {
    planned: (plan) => {
      for (const l of listeners) l.planned?.(plan);
    },
    caseStarted: (planned) => {
      for (const l of listeners) l.caseStarted?.(planned);
    },
    caseFinished: finished,
  };
  const run = await runEngine(config, { signal: options.signal, listener, planOnly: options.planOnly, firstListPages: options.firstListPages });
  if (options.planOnly) return { outcomes: [], cancelled: false, notRun: [], plan: run.plan };
  // Every planned case is reported: the ones a stopped run never reached as "not run", with the cause.
  const cause = run.unresponsive
    ? `target unresponsive (${run.unresponsive})`
    : options.signal?.reason instanceof Error
      ? options.signal.reason.message
      : 'the run stopped';
  const stopped = notRunOutcomes(run.notRun, cause);
  const order = new Map(run.plan.cases.map((p, index) => [p.case.id, index]));
  const outcomes = [...run.outcomes, ...stopped].sort((a, b) => (order.get(a.caseId) ?? 0) - (order.get(b.caseId) ?? 0));
  // What the live lines did not show: cases never reached, and those a dead target's streak made "not run" after all.
  const final = new Map(outcomes.map((o) => [o.caseId, o]));
  for (const id of reported) if (final.get(id)?.skip?.category === 'not-run') reported.delete(id);
  for (const outcome of outcomes) if (!reported.has(outcome.caseId)) finished(outcome);
  progress.close();
  const allure = new AllureResultsWriter(options.resultsDir, options.environment);
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
  }
  // The not-run cases are outcomes now: `notRun` is for runners that cannot say which cases they missed.
  // The Allure files are written while the caller renders its own reports.
  const written = allure.flush();
  // Awaited by the caller once its reports are out; a caller that fails first must not leave it unhandled.
  written.catch(() => {});
  return { outcomes, cancelled: run.cancelled, notRun: [], throttling: run.throttling, unresponsive: run.unresponsive, written };
}
