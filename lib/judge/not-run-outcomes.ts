import type { PlannedCase } from '../plan/plan-model.ts';
import { NOT_RUN_PREFIX, type CaseOutcome } from '../run/case-outcome.ts';
import { outcomeBase } from './judge-run.ts';

/**
 * Pure: the cases a stopped run never ran, as outcomes of their own — skipped, category `not-run`,
 * the reason naming the cause ("not run: the run was interrupted (Ctrl-C)") — so every report lists
 * every planned case, and no report mistakes "did not run" for "the suite has no such case".
 */
export function notRunOutcomes(notRun: readonly PlannedCase[], cause: string): CaseOutcome[] {
  return notRun.map((planned) => ({
    ...outcomeBase(planned.case, planned),
    status: 'skipped',
    skip: { category: 'not-run', reason: `${NOT_RUN_PREFIX}${cause}` },
  }));
}
