import { isError, violation, type Check } from './check-model.ts';
import { parseJsonBody, preview } from './error-body.ts';

/** An error body must be JSON valid against the status's documented schema (ErrorBody). */
export const errorBodySchema: Check = (response, expectation) => {
  if (!isError(response.status)) return [];
  const validate = expectation.bodyValidator(response.status);
  if (!validate) return [];
  if (response.bodyTruncated) {
    return [
      violation('error-body-schema', {
        title: 'Error body exceeds the read limit',
        expected: 'an error body within the body-size cap',
        received: `more than ${response.body.length} bytes (the rest was not read)`,
        where: 'body',
      }),
    ];
  }
  const parsed = parseJsonBody(response.body);
  if (!parsed.ok) {
    return [violation('error-body-schema', { title: 'Error body is not JSON', expected: 'JSON matching ErrorBody', received: parsed.reason, where: 'body' })];
  }
  const result = validate(parsed.value);
  if (result.valid) return [];
  return [
    violation('error-body-schema', {
      title: 'Error body does not match the documented schema',
      expected: `ErrorBody: ${result.message}`,
      received: preview(response.body),
      where: `body#${result.pointer}`,
    }),
  ];
};
