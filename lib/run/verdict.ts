import type { CaseOutcome } from './case-outcome.ts';

export type Verdict = 'CONFORMANT' | 'NOT CONFORMANT' | 'INCOMPLETE';

/**
 * Failed or broken cases → NOT CONFORMANT. Skips the user could remove (safety guard, missing input,
 * a dependency that did not pass), cases a stopped run never ran, or a vacuous run → INCOMPLETE.
 * Skips of statuses no client can provoke on a healthy target do not block a verdict: the matrix
 * reports them as "not verified".
 */
export function verdictOf(outcomes: readonly CaseOutcome[], notRun = 0): Verdict {
  if (outcomes.some((o) => o.status === 'failed' || o.status === 'broken')) return 'NOT CONFORMANT';
  if (outcomes.length === 0 || notRun > 0) return 'INCOMPLETE';
  if (outcomes.some((o) => o.status === 'skipped' && o.skip?.category !== 'not-provokable')) return 'INCOMPLETE';
  if (vacuityOf(outcomes)) return 'INCOMPLETE';
  return 'CONFORMANT';
}

/**
 * Why a run that failed nothing still proved nothing, if it did: an operation's success path (a
 * condition expecting a 2xx answered with it) was never reached, or every response was the same
 * authentication error — the suite never got past the front door.
 */
export function vacuityOf(outcomes: readonly CaseOutcome[]): string | undefined {
  const success = (o: CaseOutcome) => o.kind === 'condition' && o.expectedStatuses.some(isSuccess);
  const operations = [...new Set(outcomes.filter(success).map((o) => o.operationId))];
  const unreached = operations.filter(
    (op) => !outcomes.some((o) => success(o) && o.operationId === op && o.status === 'passed' && isSuccess(o.receivedStatus ?? 0)),
  );
  if (operations.length === 0 || unreached.length)
    return `the success path was never reached: no case of ${unreached.join(', ') || 'any operation'} that expects a 2xx got one`;
  const received = new Set(outcomes.flatMap((o) => (o.receivedStatus === undefined ? [] : [o.receivedStatus])));
  const [only] = [...received];
  if (received.size === 1 && (only === 401 || only === 403)) return `every response was ${only}: the suite never got past authentication`;
  return undefined;
}

const isSuccess = (status: number) => status >= 200 && status < 300;

export const EXIT_CODE: Record<Verdict, number> = { CONFORMANT: 0, 'NOT CONFORMANT': 1, INCOMPLETE: 4 };
