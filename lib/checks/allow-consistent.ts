import { headerValue } from '../http/exchange.ts';
import { allowedMethods } from './allow-header.ts';
import { violation, type Check, type Violation } from './check-model.ts';

/**
 * RFC 9110 §10.2.1: Allow lists the methods the resource supports. So every method a 405 advertises
 * is one the spec documents on the path (HEAD goes with GET, §9.3.2), and never the method that was
 * just refused. (That an advertised method, sent, is not refused elsewhere in the run is checked
 * across cases: `advertisedButRefused`.)
 */
export const allowConsistent: Check = (response, expectation) => {
  if (response.status !== 405) return [];
  const listed = allowedMethods(response);
  const supported = new Set(expectation.methodsOnPath.map((m) => m.toUpperCase()));
  if (supported.has('GET')) supported.add('HEAD');
  const found: Violation[] = [];
  const undocumented = listed.filter((m) => !supported.has(m));
  if (undocumented.length)
    found.push(
      violation('allow-consistent', {
        title: `Allow advertises ${undocumented.join(', ')}, which the spec does not document on this path`,
        expected: `only documented methods: ${[...supported].join(', ')}`,
        received: `Allow: ${headerValue(response, 'allow')}`,
        where: 'header allow',
      }),
    );
  const refused = expectation.requestMethod?.toUpperCase();
  if (refused && listed.includes(refused))
    found.push(
      violation('allow-consistent', {
        title: `The 405 for ${refused} advertises ${refused} in Allow`,
        expected: `an Allow without ${refused}, the method this answer refuses`,
        received: `Allow: ${headerValue(response, 'allow')}`,
        where: 'header allow',
      }),
    );
  return found;
};

/** An answer sent on a path: the method asked, the status, and what Allow said (the judge collects them). */
export interface PathAnswer {
  pathTemplate: string;
  method: string;
  status: number;
  allow: string[];
}

/**
 * Across the run, judged as answers come in: this answer against the answers before it on the same path
 * — a 405 that advertises a method which got 405 there, or a 405 to a method an earlier 405 advertised.
 * The later of the two carries the violation, so it is said once, whatever the order.
 */
export function advertisedButRefused(answer: PathAnswer, earlier: readonly PathAnswer[]): Violation[] {
  if (answer.status !== 405) return [];
  const method = answer.method.toUpperCase();
  const refused = earlier.filter((a) => a.pathTemplate === answer.pathTemplate && a.status === 405 && a.method.toUpperCase() !== method);
  const contradicted = [...new Set(answer.allow.filter((m) => m !== method && refused.some((a) => a.method.toUpperCase() === m)))];
  const advertisers = refused.filter((a) => a.allow.includes(method));
  return [
    ...(contradicted.length
      ? [
          violation('allow-consistent', {
            title: `Allow advertises ${contradicted.join(', ')}, which answered 405 when the run sent it`,
            expected: 'a method named in Allow is not refused with 405 (RFC 9110 §10.2.1)',
            received: `Allow: ${answer.allow.join(', ')}; ${contradicted.join(', ')} on the same path → 405`,
            where: 'header allow',
          }),
        ]
      : []),
    ...(advertisers.length
      ? [
          violation('allow-consistent', {
            title: `${method} answered 405, though the 405 to ${advertisers[0]?.method} advertised it in Allow`,
            expected: `${method} served, as Allow: ${advertisers[0]?.allow.join(', ')} says (RFC 9110 §10.2.1)`,
            received: `405 to ${method}`,
            where: 'status',
          }),
        ]
      : []),
  ];
}
