import type { CaseOutcome } from './case-outcome.ts';

export type Verdict = 'CONFORMANT' | 'NOT CONFORMANT' | 'INCOMPLETE';

/**
 * Failed or broken cases → NOT CONFORMANT. Skips the user could remove (safety guard, missing input,
 * a dependency that did not pass) → INCOMPLETE. Skips of statuses no client can provoke on a
 * healthy target do not block a verdict: the matrix reports them as "not verified".
 */
export function verdictOf(outcomes: readonly CaseOutcome[], notRun = 0): Verdict {
  if (outcomes.some((o) => o.status === 'failed' || o.status === 'broken')) return 'NOT CONFORMANT';
  // A run stopped early (Ctrl-C, run deadline) has cases it never ran.
  if (outcomes.length === 0 || notRun > 0) return 'INCOMPLETE';
  if (outcomes.some((o) => o.status === 'skipped' && o.skip?.category !== 'not-provokable')) return 'INCOMPLETE';
  return 'CONFORMANT';
}

export const EXIT_CODE: Record<Verdict, number> = { CONFORMANT: 0, 'NOT CONFORMANT': 1, INCOMPLETE: 4 };
