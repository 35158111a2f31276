import type { IdentityRef, Severity } from '../spec/operation-tables.ts';

/** Which job a request targets; resolved to a concrete id only when the run knows its jobs. */
export type JobRef = { kind: 'victim' } | { kind: 'guard' } | { kind: 'unknown' } | { kind: 'literal'; id: string };

/** What a case needs from the target before it can run; a missing need skips it with a reason. */
export type Need = 'deletable-job' | 'second-identity';

/** A condition from the expectation table: a request and the statuses it may answer with. */
export interface ConditionCase {
  kind: 'condition';
  id: string;
  operationId: string;
  conditionId: string;
  title: string;
  source: string;
  severity: Severity;
  /** The table's family of requests it goes out with; undefined where the table declares none. */
  family: string | undefined;
  /** The method sent: the operation's, or another one (the method sweep). */
  method: string;
  identity: IdentityRef;
  /** The job the request targets; undefined where no path parameter is a job (the list). */
  job: JobRef | undefined;
  /** Query parameters, sent as given (percent-encoded). */
  query: Record<string, string>;
  expectedStatuses: number[];
  /** Case id that must have run first (ordered sequences such as delete → delete again). */
  after: string | undefined;
  /** Case id whose request this case's copies go out together with, at the same moment (a race). */
  alongside: string | undefined;
  needs: Need[];
}

/** After a family (one method of a sweep): the guard job is still listed, else that family ended it. */
export interface GuardCase {
  kind: 'guard';
  id: string;
  operationId: string;
  family: string;
  /** What it follows, in words: "the identities family of requests", "HEAD on the job's path". */
  step: string;
  /** After one method of a sweep: that method (its read may share a step with the next one). */
  method: string | undefined;
  title: string;
  source: string;
  severity: Severity;
  expectedStatuses: number[];
  needs: Need[];
}

/** One documented response of the operation, which the run must show the target produce, well formed. */
export interface StatusCase {
  kind: 'status';
  id: string;
  operationId: string;
  status: number;
  title: string;
  descriptionZh: string | undefined;
  severity: Severity;
}

/** After the deletion, what the list operation must show (the delete's effect on state). */
export interface StateCase {
  kind: 'state';
  id: string;
  operationId: string;
  stateId: string;
  title: string;
  source: string;
  severity: Severity;
  /** Whose list is read: the primary project's, or the second identity's own. */
  list: 'primary' | 'other';
  /** deleted-only: the victim is gone and every other job listed before is still there; unchanged: nothing listed before is gone. */
  expect: 'deleted-only' | 'unchanged';
  expectedStatuses: number[];
  after: string;
  needs: Need[];
}

/** Generated hostile path parameters (fast-check, fixed seed): never a 2xx, never a 5xx, never a hang. */
export interface FuzzCase {
  kind: 'fuzz';
  id: string;
  operationId: string;
  title: string;
  source: string;
  severity: Severity;
  family: string | undefined;
  /** Documented refusals, plus 414/431 which HTTP servers send for over-long input. */
  expectedStatuses: number[];
}

export type ConformanceCase = ConditionCase | StatusCase | StateCase | FuzzCase | GuardCase;
