import { compileBodyValidators } from '../../lib/checks/body-validators.ts';
import type { Expectation } from '../../lib/checks/check-model.ts';
import type { ExchangeResponse } from '../../lib/http/exchange.ts';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { loadErrorCodeCatalog } from '../../lib/spec/error-codes.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';
import { documentedStatuses, findOperation } from '../../lib/spec/operation-model.ts';

/** The real spec's deleteFailureJob, so check tests exercise the transcribed schemas, not copies. */
export const spec = await loadSpec(DEFAULT_SPEC);
export const deleteOperation = findOperation(spec, 'deleteFailureJob');

const bodyValidator = compileBodyValidators(deleteOperation);
const errorCodes = loadErrorCodeCatalog();

export function expectationFor(expectedStatuses?: number[]): Expectation {
  return {
    documentedStatuses: documentedStatuses(deleteOperation),
    expectedStatuses,
    bodyValidator,
    errorCodes,
    methodsOnPath: deleteOperation.methodsOnPath,
  };
}

export function response(status: number, fields: { headers?: Array<[string, string]>; body?: string | object; wireBodyBytes?: number; bodyTruncated?: boolean } = {}): ExchangeResponse {
  const body = fields.body === undefined ? '' : typeof fields.body === 'string' ? fields.body : JSON.stringify(fields.body);
  return {
    status,
    headers: fields.headers ?? (body ? [['content-type', 'application/json']] : []),
    body: Buffer.from(body),
    bodyTruncated: fields.bodyTruncated ?? false,
    wireBodyBytes: fields.wireBodyBytes ?? Buffer.byteLength(body),
  };
}
