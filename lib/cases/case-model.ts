import type { HttpMethod } from '../spec/operation-model.ts';
import type { IdentityRef, Severity } from '../spec/load-expectations.ts';

/** Which job a request targets; resolved to a concrete id only when the run knows its jobs. */
export type JobRef =
  | { kind: 'victim' }
  | { kind: 'guard' }
  | { kind: 'unknown' }
  | { kind: 'literal'; id: string };

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
  method: HttpMethod;
  identity: IdentityRef;
  job: JobRef;
  expectedStatuses: number[];
  /** Case id that must have run first (ordered sequences such as delete → delete again). */
  after: string | undefined;
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

export type ConformanceCase = ConditionCase | StatusCase;
