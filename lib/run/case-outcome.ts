import type { Violation } from '../checks/check-model.ts';
import type { Exchange } from '../http/exchange.ts';

export type CaseStatus = 'passed' | 'failed' | 'skipped' | 'broken';

/** Why a case did not run; decides whether the verdict can still be "conformant". */
export type SkipCategory =
  /** The target cannot be made to answer this way (no scenario control); expected on real endpoints. */
  | 'not-provokable'
  /** Held back by the safety guard: deletion not allowed or no job named. */
  | 'safety-guard'
  /** An input the user can supply is missing (e.g. a second identity). */
  | 'missing-input'
  /** The case it follows did not pass, so its result would mean nothing. */
  | 'dependency'
  /** What the check looks at never showed (a victim the list never listed, a list that could not be read before): not verified, never passed. */
  | 'not-observed'
  /** Still throttled (429, 503 with Retry-After) when its retries ran out: the request was never processed — not verified. */
  | 'throttled'
  /** The run stopped (Ctrl-C, the run deadline) before this case ran; the reason names which. */
  | 'not-run';

/** How a not-run case's reason starts ("not run: the run was interrupted (Ctrl-C)"); reports read the cause back from it. */
export const NOT_RUN_PREFIX = 'not run: ';

/**
 * A DELETE the target answered 2xx — from any case: condition, status probe, every generated negative
 * input (shrinking replays included). Every one is listed at the end of the run.
 */
export interface DeletionRecord {
  caseId: string;
  /** The job segment of the path, percent-decoded once (as the server reads it); the whole path when it did not fit the template. */
  jobId: string;
  /** The project segment of the path, percent-decoded once; '' when the path has none. */
  projectId: string;
  /** The request path exactly as sent (no query), to match a server's own log. */
  path: string;
  status: number;
  /** false when a request that should have been refused deleted the job — a safety-relevant violation. */
  intended: boolean;
}

/** A discovered id the run will not send, and why — shown in the ledger section of every report. */
export interface RefusedJobId {
  id: string;
  source: 'discovered';
  why: string;
}

/** Jobs a list showed before any case ran and no longer showed when a state case read it again. */
export interface ListMissing {
  list: 'primary' | 'other';
  projectId: string;
  jobIds: string[];
}

/** The result model every reporter renders. Exchanges are already redacted. */
export interface CaseOutcome {
  caseId: string;
  operationId: string;
  kind: 'condition' | 'status' | 'state' | 'fuzz' | 'guard';
  title: string;
  status: CaseStatus;
  /** The documented status this case concerns (status cases) or the first expected one (conditions). */
  documentedStatus: number | undefined;
  expectedStatuses: number[];
  receivedStatus: number | undefined;
  violations: Violation[];
  exchanges: Exchange[];
  skip?: { category: SkipCategory; reason: string };
  /** For a status case: the case whose exchange showed the status, or "scenario" when synthesised. */
  verifiedBy?: string;
  /** For a broken case: the transport failure. */
  transportError?: string;
  /** Extra lines a person needs: e.g. the seed and a command that reproduces a generated failure. */
  notes?: string[];
  /** Deletions this case's requests caused (see DeletionRecord). */
  deletions: DeletionRecord[];
  /** For a state case, run or held back: what its list lost since the snapshot (see ListMissing). */
  listMissing?: ListMissing;
  /** For the case that deletes: discovered ids the run would not send (unsafe, or another spelling of a chosen job). */
  refusedJobIds?: RefusedJobId[];
  severity: string;
  source: string;
  /** When the case's first request went out (ms since the epoch); reports place it on a timeline. */
  startedAt?: number;
  durationMs: number;
}
