import type { ExchangeResponse } from '../http/exchange.ts';
import type { ErrorCodeCatalog } from '../spec/error-codes.ts';

/** A violation is data: tests assert on it, reporters render it as "Received … / Expected …". */
export interface Violation {
  checkId: CheckId;
  /** 'error' fails the case; 'warning' is reported and does not. */
  severity: 'error' | 'warning';
  title: string;
  expected: string;
  received: string;
  /** Where in the response: "status", "header content-type", "body#/error/code", … */
  where: string;
}

/** What a response is checked against — resolved once per case, so checks stay pure. */
export interface Expectation {
  documentedStatuses: number[];
  /** The statuses the case's condition allows; undefined for a status case's own request. */
  expectedStatuses: number[] | undefined;
  /** The compiled body schema of a documented status, or undefined when it documents no body. */
  bodyValidator(status: number): BodyValidator | undefined;
  errorCodes: ErrorCodeCatalog;
  /** Methods the spec documents on the path — what a 405's Allow must list. */
  methodsOnPath: string[];
  /** The method of the request that got this response (HEAD answers carry no content); absent: the operation's. */
  requestMethod?: string | undefined;
}

export type BodyValidator = (value: unknown) => { valid: true } | { valid: false; pointer: string; message: string };

/** Checks of one response (registry in index.ts). */
export type ResponseCheckId =
  | 'status-documented'
  | 'status-expected'
  | 'no-content-body'
  | 'success-body-schema'
  | 'error-media-type'
  | 'error-body-schema'
  | 'error-code-status'
  | 'allow-header'
  | 'allow-consistent'
  | 'http-framing';

/** Checks of the delete's effect, from the list before and after (state-checks.ts), and of the guard between families. */
export type StateCheckId = 'state-job-removed' | 'state-jobs-kept' | 'state-tenant-intact' | 'state-guard-kept';

/** Checks of several answers together: the requests of a race (race-checks.ts). */
export type GroupCheckId = 'delete-once';

export type CheckId = ResponseCheckId | StateCheckId | GroupCheckId;

export type Check = (response: ExchangeResponse, expectation: Expectation) => Violation[];

export function violation(checkId: CheckId, fields: Omit<Violation, 'checkId' | 'severity'> & { severity?: Violation['severity'] }): Violation {
  return { checkId, severity: fields.severity ?? 'error', ...fields };
}

export const isError = (status: number) => status >= 400;
export const list = (values: readonly (string | number)[]) => values.join(', ');
