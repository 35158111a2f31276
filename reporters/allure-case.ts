import * as allure from 'allure-js-commons';
import type { ConformanceCase } from '../lib/cases/case-model.ts';
import { bodyText, type Exchange } from '../lib/http/exchange.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';

const SEVERITY: Record<string, string> = { blocker: 'blocker', critical: 'critical', normal: 'normal', minor: 'minor', trivial: 'trivial' };

/**
 * Labels and evidence for one case, written from inside the test (allure-vitest's runtime API).
 * History and test-case ids derive from the case id alone, never from a title, so history survives renames.
 */
export async function describeCase(testCase: ConformanceCase, context: { profile: string; docUrl: string | undefined; endpointClass: string }): Promise<void> {
  await allure.historyId(testCase.id);
  await allure.testCaseId(testCase.id);
  await allure.epic('SDRS task center');
  await allure.feature(testCase.operationId);
  await allure.story(testCase.kind === 'condition' ? testCase.conditionId : 'documented responses');
  await allure.severity(SEVERITY[testCase.severity] ?? 'normal');
  await allure.label('profile', context.profile);
  await allure.label('endpoint', context.endpointClass);
  if (testCase.kind === 'status') await allure.tag(String(testCase.status));
  else for (const status of testCase.expectedStatuses) await allure.tag(String(status));
  if (context.docUrl) await allure.link(context.docUrl, 'sdrs_05_0902 (返回值)');
}

export async function recordOutcome(outcome: CaseOutcome): Promise<void> {
  for (const exchange of outcome.exchanges) {
    await allure.step(stepTitle(exchange), async () => {
      await allure.attachment('request (curl)', curlOf(exchange), 'text/plain');
      await allure.attachment('request (HTTP)', requestText(exchange), 'text/plain');
      await allure.attachment('response (HTTP)', responseText(exchange), 'text/plain');
    });
  }
  if (outcome.violations.length) {
    await allure.attachment('violations.json', JSON.stringify(outcome.violations, null, 2), 'application/json');
  }
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
  const notes = [`(${response.wireBodyBytes} body bytes on the wire${response.bodyTruncated ? '; body truncated at the read limit' : ''})`];
  return [...head, '', bodyText(response.body), '', ...notes].join('\n');
}

function curlOf(exchange: Exchange): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const headers = Object.entries(exchange.request.headers).map(([n, v]) => `-H ${quote(`${n}: ${v}`)}`);
  return ['curl -i', `-X ${exchange.request.method}`, ...headers, quote(exchange.request.url)].join(' ');
}
