import type { ExchangeResponse } from '../http/exchange.ts';
import { type CheckId, type Expectation, type Violation, violation } from './check-model.ts';
import { parseJsonBody, preview } from './error-body.ts';

/**
 * A body against the schema its status documents — shared by the error and the success checks, which
 * differ only in which statuses they look at and in the words they use.
 */
export function bodySchemaViolations(
  checkId: CheckId,
  response: ExchangeResponse,
  expectation: Expectation,
  words: { body: string; schema: string },
): Violation[] {
  const validate = expectation.bodyValidator(response.status);
  if (!validate) return [];
  if (response.bodyTruncated) {
    return [
      violation(checkId, {
        title: `${words.body} exceeds the read limit`,
        expected: `${words.body.toLowerCase()} within the body-size cap`,
        received: `more than ${response.body.length} bytes (the rest was not read)`,
        where: 'body',
      }),
    ];
  }
  const parsed = parseJsonBody(response.body);
  if (!parsed.ok)
    return [violation(checkId, { title: `${words.body} is not JSON`, expected: `JSON matching ${words.schema}`, received: parsed.reason, where: 'body' })];
  const result = validate(parsed.value);
  if (result.valid) return [];
  return [
    violation(checkId, {
      title: `${words.body} does not match the documented schema`,
      expected: `${words.schema}: ${result.message}`,
      received: preview(response.body),
      where: `body#${result.pointer}`,
    }),
  ];
}
