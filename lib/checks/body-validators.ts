import { ajv } from './ajv.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import type { BodyValidator } from './check-model.ts';

/**
 * Keyed by content: the 14 error statuses share one schema, whether or not they share one object, and
 * the preflight and the run compile the same spec (loaded twice, as two sets of objects) only once.
 */
const compiled = new Map<string, BodyValidator>();

/** Compiles each documented body schema once per process (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
export function compileBodyValidators(operation: OperationModel): (status: number) => BodyValidator | undefined {
  const byStatus = new Map<number, BodyValidator>();
  for (const response of operation.responses) {
    const schema = response.bodySchema;
    if (!schema) continue;
    const key = JSON.stringify(schema);
    let validator = compiled.get(key);
    if (!validator) {
      const validate = ajv.compile(schema);
      validator = (value) => {
        if (validate(value)) return { valid: true };
        const first = validate.errors?.[0];
        return {
          valid: false,
          pointer: first?.instancePath || '/',
          message: `${first?.message ?? 'invalid'}${first?.params ? ` ${JSON.stringify(first.params)}` : ''}`,
        };
      };
      compiled.set(key, validator);
    }
    byStatus.set(response.status, validator);
  }
  return (status) => byStatus.get(status);
}
