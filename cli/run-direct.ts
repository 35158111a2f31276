import { AllureResultsWriter } from '../reporters/allure-writer.ts';
import { formatOutcomeLines } from '../reporters/console-summary.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import type { RunConfig } from '../lib/run/run-config.ts';
import { runEngine } from '../lib/run/run-engine.ts';
import type { SuiteRunOptions } from './run-suites.ts';

/**
 * The default runner: the engine runs the cases in this process (plan → execute → judge), then the
 * reporters render its outcomes — Allure results in one batch, one console line per case in case
 * order, so the console reads the same at any concurrency.
 */
export async function runDirect(config: RunConfig, options: SuiteRunOptions): Promise<{ outcomes: CaseOutcome[]; cancelled: boolean; notRun: string[] }> {
  const run = await runEngine(config, { signal: options.signal });
  const allure = new AllureResultsWriter(options.resultsDir, options.environment);
  const write = options.write ?? (() => {});
  const byId = new Map(run.plan.cases.map((p) => [p.case.id, p]));
  for (const outcome of run.outcomes) {
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
  return { outcomes: run.outcomes, cancelled: run.cancelled, notRun: run.notRun.map((p) => `[${p.case.id}] ${p.case.title}`) };
}
