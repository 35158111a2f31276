import type { PlannedCase, PlannedRequest } from '../lib/plan/plan-model.ts';
import type { IdentityRef } from '../lib/spec/operation-tables.ts';
import { inlineTerminalText } from '../lib/text/terminal-text.ts';

const AS: Record<IdentityRef, string> = {
  primary: '',
  none: ' (no credentials)',
  'invalid-token': ' (a token no IAM issued)',
  other: " (the other project's credentials)",
};

/**
 * `--list`: one line per planned case — its id, then what it sends. Paths may hold listed job ids
 * (from the wire): escaped and shortened here, like every console line.
 */
export function formatPlanLines(cases: readonly PlannedCase[]): string[] {
  return cases.map((planned) => `${inlineTerminalText(planned.case.id).padEnd(52)} ${inlineTerminalText(whatItSends(planned), 160)}`);
}

function whatItSends(planned: PlannedCase): string {
  const sends = planned.requests.map(request);
  if (planned.listRead) sends.push(`${request(planned.listRead.request)}, every page`);
  if (planned.fuzz) sends.push(`${planned.fuzz.inputs.length} generated ${planned.operation.method} requests (fast-check seed ${planned.fuzz.seed})`);
  if (planned.skip) return `${sends.length ? `${sends.join('; ')}; ` : 'nothing; '}skipped: ${planned.skip.reason}`;
  if (sends.length) return sends.join('; ');
  return planned.case.kind === 'status' ? "nothing of its own: verified by another case's answer, else not verified" : 'nothing';
}

function request(r: PlannedRequest): string {
  const { pathname, search } = new URL(r.url);
  const prefer = r.headers.prefer ? ` [Prefer: ${r.headers.prefer}]` : '';
  return `${r.method} ${pathname}${search}${AS[r.identity]}${prefer}`;
}
