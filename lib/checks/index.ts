import type { ExchangeResponse } from '../http/exchange.ts';
import { allowHeader } from './allow-header.ts';
import type { Check, Expectation, ResponseCheckId, StateCheckId, Violation } from './check-model.ts';
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
  'http-framing': httpFraming,
} satisfies Record<ResponseCheckId, Check>;

export const CHECK_IDS = Object.keys(CHECKS) as ResponseCheckId[];

/** Every public check id, response and state, for reports and the mutation matrix. */
export const STATE_CHECK_IDS: readonly StateCheckId[] = ['state-job-removed', 'state-jobs-kept', 'state-tenant-intact'];

export function runChecks(response: ExchangeResponse, expectation: Expectation): Violation[] {
  return CHECK_IDS.flatMap((id) => CHECKS[id](response, expectation));
}
