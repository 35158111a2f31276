import type { ConformanceCase } from '../cases/case-model.ts';
import type { NegativeInput, SegmentRules } from '../cases/negative-inputs.ts';
import type { RefusedJobId, SkipCategory } from '../run/case-outcome.ts';
import type { ListedJobs } from '../run/job-list.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import type { IdentityRef, JobSource } from '../spec/operation-tables.ts';
import type { UnknownJobId } from './job-id-shape.ts';

/**
 * The plan of a run: every case, what it will send (already resolved to URLs), and what it will not
 * do and why. Made by `planRun` from the spec, the operation tables and what the target showed before
 * any case (TargetFacts) — pure, so every safety decision can be read and tested as data.
 */

/** What the run learnt of the target before any case: its jobs, and the lists as they were. */
export interface TargetFacts {
  /** The job deleted by the case that must delete, and the one every refused request targets. */
  jobs: { victim: string | undefined; guard: string | undefined };
  /** Discovered ids the run will not send, and why. */
  refusedJobIds: RefusedJobId[];
  /** Why discovery could not find jobs, when it could not. */
  discoveryProblem: string | undefined;
  /** The jobs each list showed before any case ran (every page), for the state checks and the ledger's "vanished"; absent when it could not be read whole. */
  listedBefore: { primary?: ListedJobs; other?: ListedJobs };
}

/** One request a case sends; the credential is applied when it is sent (signing reads the clock). */
export interface PlannedRequest {
  method: string;
  url: string;
  identity: IdentityRef;
  headers: Record<string, string>;
}

export interface Skip {
  category: SkipCategory;
  reason: string;
}

/** Generated inputs of a negative-input case, and what it takes to generate them again when one fails (shrinking). */
export interface FuzzPlan {
  inputs: NegativeInput[];
  /** Path parameters that keep the caller's own value half of the time. */
  own: Record<string, string>;
  rules: SegmentRules;
  seed: number;
  runs: number;
}

/** A list read whose number of requests depends on the answers (paging): execute reads every page. */
export interface ListRead {
  request: PlannedRequest;
  source: JobSource;
}

export type GoesOut = 'steps' | 'background' | 'last';

export interface PlannedCase {
  case: ConformanceCase;
  operation: OperationModel;
  /** What execute sends, in order. Empty: nothing (a skipped case, or a status case without scenario control). */
  requests: PlannedRequest[];
  /** Decided before anything is sent: the case is reported as skipped for this reason (its requests, if any, still go: a list read finds vanished jobs). */
  skip: Skip | undefined;
  /** A status case: what it reports when no case showed the status and no probe was sent (why, and what would verify it). */
  fallback: Skip | undefined;
  /** A case that must have been executed first (delete → delete again). */
  after: string | undefined;
  /**
   * When it goes out (lib/execute/execute-run.ts): `steps` — with its family, one family at a time and a
   * guard read between two, so a vanished guard names the family (cases without a family go with the
   * last step); `background` — from the start, on slots the steps leave free: its operation names no
   * job, so nothing it sends aims at the guard; `last` — once everything else is done (the state checks
   * read what the rest left).
   */
  schedule: GoesOut;
  /**
   * For a guard read after one method of a sweep: the next method's case, which goes out in the same
   * step (it may reach the target before the read or after it); undefined with --isolate-methods, or
   * where no method follows.
   */
  sharedWith?: string | undefined;
  /** For a state case: the list it reads again, page by page (`requests` is then empty). */
  listRead?: ListRead | undefined;
  /** For a negative-input case: the generated inputs (`requests` is then empty). */
  fuzz: FuzzPlan | undefined;
  notes: string[];
}

export interface RunPlan {
  cases: PlannedCase[];
  facts: TargetFacts;
  /** The "well-formed but unknown" job id every case that needs one sends, and the shape it follows. */
  unknownJobId: UnknownJobId;
}
