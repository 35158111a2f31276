import { bodySchemaViolations } from './body-schema.ts';
import { type Check, isError } from './check-model.ts';

/** An error body must be JSON valid against the status's documented schema (ErrorBody). */
export const errorBodySchema: Check = (response, expectation) =>
  isError(response.status) ? bodySchemaViolations('error-body-schema', response, expectation, { body: 'Error body', schema: 'ErrorBody' }) : [];
