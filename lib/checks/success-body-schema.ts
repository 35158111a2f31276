import { bodySchemaViolations } from './body-schema.ts';
import type { Check } from './check-model.ts';

/** A 2xx whose status documents a body must carry JSON valid against that schema (the list's FailureJobList). */
export const successBodySchema: Check = (response, expectation) =>
  response.status >= 200 && response.status < 300
    ? bodySchemaViolations('success-body-schema', response, expectation, { body: 'Body', schema: `the schema documented for ${response.status}` })
    : [];
