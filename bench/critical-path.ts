import type { ConformanceCase } from '../lib/cases/case-model.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';

interface CriticalPath {
  /** Round trips that cannot overlap, given the scheduler's order and `concurrency` slots. */
  roundTrips: number;
  /** The same with unlimited slots: only the dependencies (the lower bound any scheduler has). */
  dependencyOnly: number;
  /** How the round trips add up, for the report. */
  parts: string;
}

interface Task {
  /** Round trips the task holds a slot for (0: answered from evidence already gathered). */
  length: number;
  /** Index of the task it waits for (run-cases.ts: a case runs after the case it follows). */
  after: number | undefined;
}

/**
 * The critical path of one run, in round trips, derived from lib/run's structure:
 *   preflight (--endpoint runs only, run-command.ts)
 * → the list snapshots (session.prepare: the primary's list, then the other project's — awaited in turn)
 * → phase 1, under the case limiter: condition cases (one request each; deleted-again waits for
 *   own-job) and the negative-inputs case, which holds one slot while it sends its inputs through a
 *   sliding window of `concurrency` (run-negative-inputs.ts inWindow): ⌈runs / concurrency⌉ round trips
 * → barrier (all condition cases done)
 * → phase 2, under the same limiter: state cases (one list each) and status cases (one request when
 *   the scenario control verified them, none when evidence from phase 1 did).
 * Each phase's length is found by simulating the FIFO limiter with unit-length requests.
 */
export function criticalPath(
  cases: readonly ConformanceCase[],
  outcomes: readonly CaseOutcome[],
  options: { concurrency: number; fuzzRuns: number; preflight: boolean },
): CriticalPath {
  const byId = new Map(outcomes.map((o) => [o.caseId, o]));
  const ran = (c: ConformanceCase) => byId.get(c.id)?.status !== 'skipped';
  const fuzzBatches = (slots: number) => (options.fuzzRuns === 0 ? 0 : Math.max(1, Math.ceil(options.fuzzRuns / slots)));
  const first = cases.filter((c) => c.kind === 'condition' || c.kind === 'fuzz');
  const phase1 = (slots: number): Task[] =>
    first.map((c) => ({
      length: !ran(c) ? 0 : c.kind === 'fuzz' ? fuzzBatches(slots) : 1,
      after: c.kind === 'condition' && c.after ? first.findIndex((d) => d.id === c.after) : undefined,
    }));
  const phase2: Task[] = cases
    .filter((c) => c.kind === 'state' || c.kind === 'status')
    .map((c) => ({ length: !ran(c) ? 0 : c.kind === 'state' || byId.get(c.id)?.verifiedBy === 'scenario' ? 1 : 0, after: undefined }));
  const before = (options.preflight ? 1 : 0) + 2;
  const p1 = makespan(phase1(options.concurrency), options.concurrency);
  const p2 = makespan(phase2, options.concurrency);
  const unlimited = Number.POSITIVE_INFINITY;
  return {
    roundTrips: before + p1 + p2,
    dependencyOnly: before + makespan(phase1(unlimited), unlimited) + makespan(phase2, unlimited),
    parts: `${options.preflight ? 'preflight 1 + ' : ''}list snapshots 2 + conditions ${p1} (negative inputs: ${fuzzBatches(options.concurrency)} round trip(s) through a window of ${options.concurrency}) + state/status ${p2}`,
  };
}

/** Length of a FIFO limiter schedule: a task enters the queue when the task it follows finishes. */
function makespan(tasks: readonly Task[], slots: number): number {
  const queue = tasks.map((t, i) => (t.after === undefined ? i : -1)).filter((i) => i >= 0);
  const running: Array<{ task: number; end: number }> = [];
  let now = 0;
  // Each pass finishes at least one task, so tasks.length + 1 passes always suffice.
  for (let pass = 0; pass <= tasks.length && (queue.length || running.length); pass += 1) {
    while (queue.length && running.length < slots) {
      const task = queue.shift() as number;
      running.push({ task, end: now + (tasks[task] as Task).length });
    }
    running.sort((a, b) => a.end - b.end);
    now = (running[0] as { end: number }).end;
    // Everything ending now frees its slot and releases the tasks that follow it.
    while (running.length && (running[0] as { end: number }).end === now) {
      const { task } = running.shift() as { task: number };
      tasks.forEach((t, i) => {
        if (t.after === task) queue.push(i);
      });
    }
  }
  return now;
}
