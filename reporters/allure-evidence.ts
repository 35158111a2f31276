import type { Label, Link } from 'allure-js-commons';
import type { ConformanceCase } from '../lib/cases/case-model.ts';
import { bodyText, type Exchange } from '../lib/http/exchange.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import { formatViolations } from '../lib/run/format-violations.ts';
import { reproduceLine } from '../lib/run/reproduce-line.ts';

/**
 * What Allure shows of a case, as data — shared by both runners (the vitest suite through
 * allure-vitest, the direct runner through allure-js-commons), so their reports cannot drift.
 * History and test-case ids derive from the case id alone, never from a title.
 */
export interface CaseContext {
  profile: string;
  docUrl: string | undefined;
  endpointClass: string;
}

export function caseLabels(testCase: ConformanceCase, context: CaseContext): Label[] {
  const statuses = testCase.kind === 'status' ? [testCase.status] : testCase.expectedStatuses;
  return [
    { name: 'epic', value: 'SDRS task center' },
    { name: 'feature', value: testCase.operationId },
    { name: 'story', value: storyOf(testCase) },
    { name: 'severity', value: testCase.severity },
    { name: 'profile', value: context.profile },
    { name: 'endpoint', value: context.endpointClass },
    ...statuses.map((status) => ({ name: 'tag', value: String(status) })),
  ];
}

function storyOf(testCase: ConformanceCase): string {
  switch (testCase.kind) {
    case 'condition':
      return testCase.conditionId;
    case 'state':
      return testCase.stateId;
    case 'fuzz':
      return 'negative inputs';
    case 'guard':
      return 'guard between families';
    case 'status':
      return 'documented responses';
  }
}

export function caseLinks(context: CaseContext): Link[] {
  return context.docUrl ? [{ url: context.docUrl, name: 'sdrs_05_0902 (返回值)' }] : [];
}

export function caseTitle(testCase: ConformanceCase): string {
  return `[${testCase.id}] ${testCase.title}`;
}

/** The message Allure shows for a case that did not pass; categories match on its first words. */
export function statusMessage(outcome: CaseOutcome): string | undefined {
  switch (outcome.status) {
    case 'failed':
      return formatViolations(outcome.violations);
    case 'broken':
      return `transport error: ${outcome.transportError}`;
    case 'skipped':
      return outcome.skip?.reason;
    case 'passed':
      return undefined;
  }
}

interface Evidence {
  title: string;
  attachments: Array<{ name: string; content: string; type: string }>;
}

/** One step per exchange, with the request as curl and as raw HTTP, and the response as raw HTTP. */
export function exchangeEvidence(exchange: Exchange): Evidence {
  return {
    title: stepTitle(exchange),
    attachments: [
      { name: 'request (curl)', content: curlOf(exchange), type: 'text/plain' },
      { name: 'request (HTTP)', content: requestText(exchange), type: 'text/plain' },
      { name: 'response (HTTP)', content: responseText(exchange), type: 'text/plain' },
    ],
  };
}

export function notesAttachment(outcome: CaseOutcome): { name: string; content: string; type: string } | undefined {
  return outcome.notes?.length ? { name: 'notes.txt', content: outcome.notes.join('\n'), type: 'text/plain' } : undefined;
}

export function violationsAttachment(outcome: CaseOutcome): { name: string; content: string; type: string } | undefined {
  return outcome.violations.length ? { name: 'violations.json', content: JSON.stringify(outcome.violations, null, 2), type: 'application/json' } : undefined;
}

function stepTitle(exchange: Exchange): string {
  const target = `${exchange.request.method} ${new URL(exchange.request.url).pathname}`;
  return exchange.kind === 'response' ? `${target} → ${exchange.response.status}` : `${target} → ${exchange.error.cause}`;
}

function requestText(exchange: Exchange): string {
  const url = new URL(exchange.request.url);
  const headers = Object.entries(exchange.request.headers).map(([n, v]) => `${n}: ${v}`);
  return [`${exchange.request.method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, ...headers, '', exchange.request.body ?? ''].join('\n');
}

function responseText(exchange: Exchange): string {
  if (exchange.kind === 'network-error') return `no response: ${exchange.error.cause} (${exchange.error.code}) ${exchange.error.message}`;
  const { response } = exchange;
  const head = [`HTTP/1.1 ${response.status}`, ...response.headers.map(([n, v]) => `${n}: ${v}`)];
  const notes = [
    `(${response.wireBodyBytes} body bytes on the wire${response.bodyTruncated ? '; body truncated at the read limit' : ''}${response.framingError ? `; framing error: ${response.framingError}` : ''})`,
  ];
  // Bytes the parser did not take as the body (a 204 followed by bytes) are shown too, as they came.
  const stray = response.wireBody?.length
    ? [
        `(the ${response.wireBodyBytes} bytes on the wire after the head${response.wireBody.length < response.wireBodyBytes ? `, the first ${response.wireBody.length} shown` : ''}:)`,
        bodyText(response.wireBody),
      ]
    : [];
  return [...head, '', bodyText(response.body), '', ...notes, ...stray].join('\n');
}

/** The same line as the console's `reproduce:` — credentials as environment variables, quoted for a POSIX shell. */
function curlOf(exchange: Exchange): string {
  return (
    reproduceLine(exchange.request) ??
    '# signed with AK/SK: curl cannot sign it (the signature covers the time); run the case again with sdrs-conformance run --only'
  );
}
