import type { Violation } from '../checks/check-model.ts';

/** "[check-id] title — Received: … / Expected: … (at where)", one line per violation. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => `[${v.checkId}]${v.severity === 'warning' ? ' (warning)' : ''} ${v.title} — Received: ${v.received} / Expected: ${v.expected} (at ${v.where})`)
    .join('\n');
}
