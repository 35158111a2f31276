import { headerValue, type ExchangeResponse } from '../http/exchange.ts';
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

/** The methods an answer's Allow header names, upper-cased; none when it has no Allow. */
export function allowedMethods(response: ExchangeResponse): string[] {
  return (headerValue(response, 'allow') ?? '')
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter(Boolean);
}

/** An answer sent on a path: the method asked, the status, and what Allow said (the judge collects them). */
export interface PathAnswer {
  pathTemplate: string;
  method: string;
  status: number;
  allow: string[];
}

/** Across the run: a method a 405 on a path advertises, that got 405 itself when the run sent it on that path. */
export function advertisedButRefused(answer: PathAnswer, all: readonly PathAnswer[]): Violation[] {
  if (answer.status !== 405) return [];
  const refusedHere = new Set(all.filter((a) => a.pathTemplate === answer.pathTemplate && a.status === 405).map((a) => a.method.toUpperCase()));
  const contradicted = answer.allow.filter((m) => m !== answer.method.toUpperCase() && refusedHere.has(m));
  return contradicted.length
    ? [
        violation('allow-consistent', {
          title: `Allow advertises ${contradicted.join(', ')}, which answered 405 when the run sent it`,
          expected: `a method named in Allow is not refused with 405 (RFC 9110 §10.2.1)`,
          received: `Allow: ${answer.allow.join(', ')}; ${contradicted.join(', ')} on the same path → 405`,
          where: 'header allow',
        }),
      ]
    : [];
}
