import { compileBodyValidators } from '../../lib/checks/body-validators.ts';
import type { Expectation } from '../../lib/checks/check-model.ts';
import type { ExchangeResponse } from '../../lib/http/exchange.ts';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { loadErrorCodeCatalog } from '../../lib/spec/error-codes.ts';
import { casesOf } from '../../lib/plan/plan-run.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';
import { documentedStatuses, findOperation } from '../../lib/spec/operation-model.ts';
import { DEFAULT_OPERATIONS_DIR, loadOperationTables } from '../../lib/spec/operation-tables.ts';

/** The real spec's deleteFailureJob, so check tests exercise the transcribed schemas, not copies. */
export const spec = await loadSpec(DEFAULT_SPEC);
export const deleteOperation = findOperation(spec, 'deleteFailureJob');

export const listOperation = findOperation(spec, 'listFailureJobs');

/** The cases a full run has (profile doc), from the spec and the tables: tests never hard-code the count. */
export const CASE_COUNT = casesOf(spec, loadOperationTables(DEFAULT_OPERATIONS_DIR, spec), 'doc').length;
/** Of them, the documented statuses no client can provoke without scenario control (both operations). */
export const UNPROVOKABLE = 19;

const errorCodes = loadErrorCodeCatalog();
const validators = new Map([deleteOperation, listOperation].map((op) => [op, compileBodyValidators(op)]));

/** What a response of `operation` (the delete unless said) is checked against. */
export function expectationFor(expectedStatuses?: number[], operation = deleteOperation): Expectation {
  return {
    documentedStatuses: documentedStatuses(operation),
    expectedStatuses,
    bodyValidator: validators.get(operation) ?? compileBodyValidators(operation),
    errorCodes,
    methodsOnPath: operation.methodsOnPath,
  };
}

export function response(
  status: number,
  fields: { headers?: Array<[string, string]>; body?: string | object; wireBodyBytes?: number; bodyTruncated?: boolean } = {},
): ExchangeResponse {
  const body = fields.body === undefined ? '' : typeof fields.body === 'string' ? fields.body : JSON.stringify(fields.body);
  return {
    status,
    headers: fields.headers ?? (body ? [['content-type', 'application/json']] : []),
    body: Buffer.from(body),
    bodyTruncated: fields.bodyTruncated ?? false,
    wireBodyBytes: fields.wireBodyBytes ?? Buffer.byteLength(body),
  };
}
