import { violation, type Check } from './check-model.ts';
import { parseJsonBody, preview } from './error-body.ts';

/** A 2xx whose status documents a body must carry JSON valid against that schema (the list's FailureJobList). */
export const successBodySchema: Check = (response, expectation) => {
  if (response.status < 200 || response.status >= 300) return [];
  const validate = expectation.bodyValidator(response.status);
  if (!validate) return [];
  if (response.bodyTruncated) {
    return [
      violation('success-body-schema', {
        title: 'Body exceeds the read limit',
        expected: 'a body within the body-size cap',
        received: `more than ${response.body.length} bytes (the rest was not read)`,
        where: 'body',
      }),
    ];
  }
  const parsed = parseJsonBody(response.body);
  if (!parsed.ok) {
    return [
      violation('success-body-schema', {
        title: 'Body is not JSON',
        expected: `JSON matching the schema documented for ${response.status}`,
        received: parsed.reason,
        where: 'body',
      }),
    ];
  }
  const result = validate(parsed.value);
  if (result.valid) return [];
  return [
    violation('success-body-schema', {
      title: 'Body does not match the documented schema',
      expected: `the schema documented for ${response.status}: ${result.message}`,
      received: preview(response.body),
      where: `body#${result.pointer}`,
    }),
  ];
};
