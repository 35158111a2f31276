import { createVitest } from 'vitest/node';
import { SdrsAllureReporter } from '../reporters/allure-reporter.ts';
import { ConsoleSummaryReporter } from '../reporters/console-summary.ts';
import { ConformanceError } from '../lib/errors.ts';
import { PROJECT_ROOT } from '../lib/project-paths.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import type { RunConfig } from '../lib/run/run-config.ts';
import type { ThrottleCounts } from '../lib/execute/sender.ts';
import type { FirstListPages } from '../lib/execute/preflight.ts';
import type { RunListener } from '../lib/run/run-listener.ts';
import type { RunPlan } from '../lib/plan/plan-model.ts';
import type { LiveTerminal } from '../reporters/console-progress.ts';

const projectRoot = PROJECT_ROOT;

export interface SuiteRunOptions {
  resultsDir: string;
  environment: Record<string, string>;
  write?: (line: string) => void;
  /** Aborting (Ctrl-C, the run deadline) cancels the cases not yet run; the ones done are kept. */
  signal?: AbortSignal;
  /** The direct runner only: watchers of the run as it goes (the event stream, --max-failures). */
  listeners?: RunListener[];
  /** The direct runner only: a TTY to draw the progress line on. */
  terminal?: LiveTerminal | undefined;
  /** The direct runner only: plan, print the cases, send nothing beyond what planning needs. */
  planOnly?: boolean;
  /** The direct runner only: the lists' first pages the preflight read (the run reads on from them). */
  firstListPages?: FirstListPages;
}

/** What a runner hands back. Throttling and a dead target are seen by the direct runner only (vitest runs the engine in its worker). */
export interface RunnerResult {
  outcomes: CaseOutcome[];
  cancelled: boolean;
  notRun: string[];
  throttling?: ThrottleCounts | undefined;
  unresponsive?: string | undefined;
  /** With `planOnly`: the plan (`--list`). */
  plan?: RunPlan | undefined;
  /** Settles once every Allure result file is written (rejects with the first that could not be). */
  written?: Promise<void> | undefined;
}

/**
 * Runs the generated suites under vitest, in this process's control: the config travels to the
 * worker with `provide`, outcomes come back through task meta. One worker: the cases are a few
 * dozen I/O-bound requests, and ordered sequences share state.
 */
export async function runSuites(config: RunConfig, options: SuiteRunOptions): Promise<RunnerResult> {
  const summary = new ConsoleSummaryReporter(options.write);
  const sigintBefore = new Set(process.listeners('SIGINT'));
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: projectRoot,
      include: ['suites/**/*.suite.ts'],
      reporters: [summary, new SdrsAllureReporter({ resultsDir: options.resultsDir, environment: options.environment })],
      provide: { sdrsRun: config },
      watch: false,
      pool: 'threads',
      maxWorkers: 1,
      fileParallelism: false,
      // Cases bound their own waits (HTTP timeouts); this only stops a runaway worker.
      testTimeout: 10 * 60_000,
      passWithNoTests: false,
    },
    { logLevel: 'silent' },
  );
  // vitest's logger exits the process on SIGINT; this run owns Ctrl-C, so that finished cases and the
  // deletion ledger are still reported.
  for (const listener of process.listeners('SIGINT')) if (!sigintBefore.has(listener)) process.off('SIGINT', listener);
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    void vitest.cancelCurrentRun('keyboard-input');
  };
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    if (options.signal?.aborted) cancel();
    else await vitest.start();
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    await vitest.close();
    process.exitCode = undefined;
  }
  if (summary.collectionErrors.length) {
    throw new ConformanceError('RUN_FAILED', `the suite could not run: ${summary.collectionErrors.join('; ')}`);
  }
  return { outcomes: summary.outcomes, cancelled, notRun: summary.notRun };
}
