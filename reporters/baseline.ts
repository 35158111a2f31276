import type { CaseStatus } from '../lib/run/case-outcome.ts';
import { isFailing, type CaseSummary, type RunSummary } from './summary-model.ts';

/** One case that changed (or did not) between the baseline and this run, keyed by its stable case id. */
export interface BaselineEntry {
  caseId: string;
  title: string;
  /** Status in the baseline; null when the baseline did not have the case. */
  before: CaseStatus | null;
  /** Status in this run; null when this run did not have the case. */
  now: CaseStatus | null;
}

/**
 * What changed since a previous summary (`--baseline PATH`). "Failing" means failed or broken.
 * A case that failed before and was skipped or absent now is not "fixed" — nothing showed it working —
 * so it gets its own list rather than flattering the count of fixes.
 */
export interface BaselineDiff {
  source: string;
  baselineStartedAt: string;
  newFailures: BaselineEntry[];
  fixed: BaselineEntry[];
  stillFailing: BaselineEntry[];
  notRunNow: BaselineEntry[];
}

export function diffBaseline(previous: Pick<RunSummary, 'cases' | 'run'>, current: readonly CaseSummary[], source: string): BaselineDiff {
  const before = new Map(previous.cases.map((c) => [c.caseId, c]));
  const now = new Map(current.map((c) => [c.caseId, c]));
  const diff: BaselineDiff = { source, baselineStartedAt: previous.run.startedAt, newFailures: [], fixed: [], stillFailing: [], notRunNow: [] };
  for (const c of current) {
    const old = before.get(c.caseId);
    const entry = { caseId: c.caseId, title: c.title, before: old?.status ?? null, now: c.status };
    const wasFailing = old !== undefined && isFailing(old.status);
    if (isFailing(c.status)) (wasFailing ? diff.stillFailing : diff.newFailures).push(entry);
    else if (wasFailing) (c.status === 'passed' ? diff.fixed : diff.notRunNow).push(entry);
  }
  for (const old of previous.cases) {
    if (isFailing(old.status) && !now.has(old.caseId)) diff.notRunNow.push({ caseId: old.caseId, title: old.title, before: old.status, now: null });
  }
  return diff;
}
