import { violation, type Violation } from './check-model.ts';

/**
 * Several DELETEs of one job sent at the same moment: the job is deleted once (RFC 9110 §9.2.2 — an
 * idempotent method's identical requests have the effect of one), so exactly one request gets the
 * success status. Two successes mean two clients each believe they deleted it (check-then-act).
 */
export function deleteOnce(statuses: readonly (number | undefined)[], success: number, othersExpected: readonly number[]): Violation[] {
  const successes = statuses.filter((s) => s !== undefined && s >= 200 && s < 300).length;
  if (successes <= 1) return [];
  return [
    violation('delete-once', {
      title: `${successes} of ${statuses.length} DELETE requests of one job sent at the same moment succeeded`,
      expected: `exactly one ${success}; the others ${othersExpected.join(' or ')} (the job is gone)`,
      received: `statuses ${statuses.map((s) => s ?? 'no answer').join(', ')}`,
      where: 'statuses of the requests sent at once',
    }),
  ];
}

/** Which answer of a race is the success: the one with a 2xx (the first, in send order), else none. */
export function raceWinner(statuses: readonly (number | undefined)[]): number | undefined {
  const at = statuses.findIndex((s) => s !== undefined && s >= 200 && s < 300);
  return at < 0 ? undefined : at;
}
