import { list, violation, type Check } from './check-model.ts';
import { errorCodeOf, parseJsonBody } from './error-body.ts';

/**
 * A documented error code belongs to a status (SDRS appendix; API gateway table): SDRS.0201 with a
 * 404 tells a client the wrong story. Codes in neither catalogue are not judged here.
 */
export const errorCodeStatus: Check = (response, expectation) => {
  const parsed = parseJsonBody(response.body);
  if (!parsed.ok) return [];
  const found = errorCodeOf(parsed.value);
  if (!found) return [];
  const documented = expectation.errorCodes.statusesOf(found.code);
  if (!documented || documented.statuses.includes(response.status)) return [];
  return [
    violation('error-code-status', {
      title: 'Error code sent with the wrong status',
      expected: `${found.code} with ${list(documented.statuses)} (${documented.source})`,
      received: `${found.code} with ${response.status}`,
      where: `body#${found.pointer}`,
    }),
  ];
};
