import { headerValue, type ExchangeResponse } from '../http/exchange.ts';
import { violation, type Check } from './check-model.ts';

/** RFC 9110 §15.5.6: a 405 MUST carry Allow, listing the methods the resource supports. */
export const allowHeader: Check = (response, expectation) => {
  if (response.status !== 405) return [];
  const allow = headerValue(response, 'allow');
  const listed = allowedMethods(response);
  const missing = expectation.methodsOnPath.filter((m) => !listed.includes(m));
  if (allow !== undefined && missing.length === 0) return [];
  return [
    violation('allow-header', {
      title: allow === undefined ? '405 without an Allow header' : `Allow does not list ${missing.join(', ')}`,
      expected: `Allow: ${expectation.methodsOnPath.join(', ')}`,
      received: allow === undefined ? 'no Allow header' : `Allow: ${allow}`,
      where: 'header allow',
    }),
  ];
};

/** The methods an answer's Allow header names, upper-cased; none when it has no Allow. */
export function allowedMethods(response: ExchangeResponse): string[] {
  return (headerValue(response, 'allow') ?? '')
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter(Boolean);
}
