import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * One ajv for the whole process. Each new instance compiles the 2020-12 meta-schemas again — most of
 * a run's schema cost — and the schemas compiled here are trusted: the spec's were validated by
 * swagger-parser, the expectation table's schema is ours. Strict mode is off because OpenAPI adds
 * keywords (example, x-*) that ajv does not know.
 */
export const ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
