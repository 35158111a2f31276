import { AllureResultsWriter } from '../reporters/allure-writer.ts';
import { formatOutcomeLines } from '../reporters/console-summary.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import { runCases } from '../lib/run/run-cases.ts';
import type { RunConfig } from '../lib/run/run-config.ts';
import type { SuiteRunOptions } from './run-suites.ts';
import { RunSession } from '../lib/run/session.ts';

/**
 * The default runner: the generated cases run in this process, concurrently, with Allure results
 * written by allure-js-commons. Same session, same checks, same evidence as the vitest runner
 * (`--runner vitest`), without vitest's start-up — most of a run's wall time.
 */
export async function runDirect(config: RunConfig, options: SuiteRunOptions): Promise<{ outcomes: CaseOutcome[]; cancelled: boolean; notRun: string[] }> {
  const session = await RunSession.create(config);
  await session.prepare();
  const allure = new AllureResultsWriter(options.resultsDir, options.environment);
  const write = options.write ?? (() => {});
  const docUrl = (operationId: string) => session.plans.find((p) => p.operation.operationId === operationId)?.operation.docUrl;
  const { outcomes, notRun } = await runCases(session, session.cases, {
    concurrency: config.concurrency,
    signal: options.signal,
    onOutcome: (testCase, outcome, startedAt) => {
      allure.write(testCase, outcome, { profile: config.profile, docUrl: docUrl(testCase.operationId), endpointClass: config.endpointClass }, startedAt);
    },
  });
  // Printed in case order once all are in, so the console reads the same at any concurrency.
  for (const outcome of outcomes) for (const line of formatOutcomeLines(outcome)) write(line);
  return { outcomes, cancelled: options.signal?.aborted ?? false, notRun: notRun.map((c) => `[${c.id}] ${c.title}`) };
}
