import type { ConformanceCase } from '../cases/case-model.ts';
import type { CaseOutcome } from './case-outcome.ts';

export interface CaseRunner {
  execute(testCase: ConformanceCase, signal?: AbortSignal): Promise<CaseOutcome>;
}

/**
 * Runs cases with at most `concurrency` in flight. Order is kept where it matters: a case waits for
 * the case it follows (delete → delete again), and state and status cases — which read the lists and
 * the evidence the condition cases left — start only after every condition case is done. Outcomes come back in
 * case order, whatever order they finished in.
 */
export async function runCases(
  runner: CaseRunner,
  cases: readonly ConformanceCase[],
  options: { concurrency: number; signal?: AbortSignal; onOutcome?: (testCase: ConformanceCase, outcome: CaseOutcome, startedAt: number) => void },
): Promise<{ outcomes: CaseOutcome[]; notRun: ConformanceCase[] }> {
  const limit = limiter(Math.max(1, options.concurrency));
  const done = new Map<string, Promise<CaseOutcome | undefined>>();
  const run = (testCase: ConformanceCase) =>
    limit(async () => {
      if (options.signal?.aborted) return undefined;
      const startedAt = Date.now();
      const outcome = await runner.execute(testCase, options.signal);
      // A request cut short by the run stopping says nothing about the target: the case did not run —
      // unless it already had a DELETE answered 2xx, which the ledger must still show.
      if (options.signal?.aborted && outcome.status === 'broken' && outcome.deletions.length === 0) return undefined;
      options.onOutcome?.(testCase, outcome, startedAt);
      return outcome;
    });
  const conditions = cases.filter((c) => c.kind === 'condition' || c.kind === 'fuzz');
  for (const testCase of conditions) {
    const before = testCase.kind === 'condition' && testCase.after ? done.get(testCase.after) : undefined;
    done.set(testCase.id, before ? before.then(() => run(testCase)) : run(testCase));
  }
  await Promise.all(done.values());
  // State checks compare the lists with what they were before any case; status cases read the evidence.
  for (const testCase of cases.filter((c) => c.kind === 'state' || c.kind === 'status')) done.set(testCase.id, run(testCase));
  const settled = await Promise.all(cases.map((c) => done.get(c.id)));
  return {
    outcomes: settled.filter((o): o is CaseOutcome => o !== undefined),
    notRun: cases.filter((_, i) => settled[i] === undefined),
  };
}

/** A counting semaphore: `limit(task)` runs task when fewer than `max` are running. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
