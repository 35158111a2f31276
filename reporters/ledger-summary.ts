import type { CaseOutcome, DeletionRecord } from '../lib/run/case-outcome.ts';
import type { RunSummary } from './summary-model.ts';

/**
 * The deletion ledger of the summary, pure, from the outcomes alone (so a merged run has it too):
 * every DELETE answered 2xx, the jobs that vanished without one, the discovered ids not sent — and
 * the grouped rows and headline every renderer (console, Markdown, HTML, JUnit) shows.
 */

export interface LedgerTotals {
  /** DELETE requests answered 2xx. */
  requests: number;
  /** Distinct jobs (project and job id) among them. */
  jobs: number;
  /** Requests among them that should have been refused. */
  unexpected: number;
  vanished: number;
}

/** A job that left a list during the run although no DELETE of it was answered 2xx — a pattern match, a sibling path, or someone else. */
export interface VanishedJob {
  list: 'primary' | 'other';
  projectId: string;
  jobId: string;
  /** The state case whose reading of the list showed it gone. */
  seenBy: string;
}

/** The ledger as people read it: requests alike (job, case, status, intent) on one row, with their number. */
interface LedgerRow {
  jobId: string;
  projectId: string;
  caseId: string;
  status: number;
  intended: boolean;
  requests: number;
}

/** The ledger, what vanished, what was refused — all from the outcomes, so a merged run has them too. */
export function ledgerOf(outcomes: readonly CaseOutcome[]): Pick<RunSummary, 'ledger' | 'ledgerTotals' | 'vanished' | 'refusedJobIds'> {
  const ledger = outcomes.flatMap((o) => o.deletions.map((d) => ({ ...d })));
  const jobKey = (projectId: string, jobId: string) => `${projectId}\u0000${jobId}`;
  const deleted = new Set(ledger.map((d) => jobKey(d.projectId, d.jobId)));
  const vanished = new Map<string, VanishedJob>();
  for (const o of outcomes) {
    const missing = o.listMissing;
    if (!missing) continue;
    for (const jobId of missing.jobIds) {
      const key = jobKey(missing.projectId, jobId);
      if (!deleted.has(key) && !vanished.has(`${missing.list} ${key}`))
        vanished.set(`${missing.list} ${key}`, { list: missing.list, projectId: missing.projectId, jobId, seenBy: o.caseId });
    }
  }
  const refused = new Map(outcomes.flatMap((o) => o.refusedJobIds ?? []).map((r) => [r.id, { ...r }]));
  return {
    ledger,
    ledgerTotals: { requests: ledger.length, jobs: deleted.size, unexpected: ledger.filter((d) => !d.intended).length, vanished: vanished.size },
    vanished: [...vanished.values()],
    refusedJobIds: [...refused.values()],
  };
}

/** Ledger entries alike grouped, in first-seen order: what the console, Markdown, HTML and JUnit list. */
export function ledgerRows(ledger: readonly DeletionRecord[]): LedgerRow[] {
  const rows = new Map<string, LedgerRow>();
  for (const d of ledger) {
    const key = JSON.stringify([d.projectId, d.jobId, d.caseId, d.status, d.intended]);
    const row = rows.get(key);
    if (row) row.requests += 1;
    else rows.set(key, { jobId: d.jobId, projectId: d.projectId, caseId: d.caseId, status: d.status, intended: d.intended, requests: 1 });
  }
  return [...rows.values()];
}

/** "3 DELETE requests answered 2xx (1 UNEXPECTED), 2 distinct jobs; 1 job vanished" — or "no job was deleted". */
export function ledgerHeadline(totals: LedgerTotals): string {
  if (totals.requests === 0 && totals.vanished === 0) return 'no job was deleted';
  const requests =
    totals.requests === 0
      ? 'no DELETE was answered 2xx'
      : `${plural(totals.requests, 'DELETE request')} answered 2xx${totals.unexpected ? ` (${totals.unexpected} UNEXPECTED)` : ''}, ${plural(totals.jobs, 'distinct job')}`;
  return `${requests}${totals.vanished ? `; ${plural(totals.vanished, 'job')} vanished` : ''}`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
