import type { PlannedCase, RunPlan } from '../plan/plan-model.ts';
import type { CaseOutcome } from './case-outcome.ts';

/**
 * What a run tells its watchers while it goes on — live progress, the NDJSON event stream, fail-fast.
 * Watchers only listen: the run's outcomes and verdict come from the engine's result, never from here.
 */
export interface RunListener {
  /** The plan is made (facts gathered, nothing of a case sent yet). */
  planned?(plan: RunPlan): void;
  /** A case's first request is about to go. */
  caseStarted?(planned: PlannedCase): void;
  /** A case's requests are done and judged; the final report may still differ if the run stopped (its cause then marks it "not run"). */
  caseFinished?(outcome: CaseOutcome): void;
}
