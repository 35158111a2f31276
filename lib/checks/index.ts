import type { ExchangeResponse } from '../http/exchange.ts';
import { allowConsistent } from './allow-consistent.ts';
import { allowHeader } from './allow-header.ts';
import type { Check, Expectation, GroupCheckId, ResponseCheckId, StateCheckId, Violation } from './check-model.ts';
import { errorBodySchema } from './error-body-schema.ts';
import { errorCodeStatus } from './error-code-status.ts';
import { errorMediaType } from './error-media-type.ts';
import { httpFraming } from './http-framing.ts';
import { noContentBody } from './no-content-body.ts';
import { statusDocumented } from './status-documented.ts';
import { statusExpected } from './status-expected.ts';
import { successBodySchema } from './success-body-schema.ts';

/** The registry. Ids are public (reports, config): never rename one. */
export const CHECKS = {
  'status-documented': statusDocumented,
  'status-expected': statusExpected,
  'no-content-body': noContentBody,
  'success-body-schema': successBodySchema,
  'error-media-type': errorMediaType,
  'error-body-schema': errorBodySchema,
  'error-code-status': errorCodeStatus,
  'allow-header': allowHeader,
  'allow-consistent': allowConsistent,
  'http-framing': httpFraming,
} satisfies Record<ResponseCheckId, Check>;

export const CHECK_IDS = Object.keys(CHECKS) as ResponseCheckId[];

/** The public ids of the checks that read lists (state-checks.ts, the guard between families) and several answers at once. */
export const STATE_CHECK_IDS: readonly StateCheckId[] = ['state-job-removed', 'state-jobs-kept', 'state-tenant-intact', 'state-guard-kept'];
export const GROUP_CHECK_IDS: readonly GroupCheckId[] = ['delete-once'];

/** What these checks read is the content, which an answer to HEAD never has (RFC 9110 §9.3.2). */
const CONTENT_CHECKS: ReadonlySet<ResponseCheckId> = new Set(['success-body-schema', 'error-media-type', 'error-body-schema', 'error-code-status']);

export function runChecks(response: ExchangeResponse, expectation: Expectation): Violation[] {
  const head = expectation.requestMethod?.toUpperCase() === 'HEAD';
  return CHECK_IDS.flatMap((id) => (head && CONTENT_CHECKS.has(id) ? [] : CHECKS[id](response, expectation)));
}
