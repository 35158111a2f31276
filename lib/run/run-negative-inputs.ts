import fc from 'fast-check';
import type { Expectation, Violation } from '../checks/check-model.ts';
import { runChecks } from '../checks/index.ts';
import { negativeInputs, type NegativeInput } from '../cases/negative-inputs.ts';
import type { FuzzCase } from '../cases/case-model.ts';
import type { Exchange } from '../http/exchange.ts';
import { sendExchange } from '../http/send-exchange.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import { buildRequest } from './build-request.ts';
import type { CaseOutcome } from './case-outcome.ts';
import { redactExchange } from './redact-exchange.ts';
import type { RunConfig } from './run-config.ts';

interface Probe {
  exchange: Exchange;
  violations: Violation[];
}

/**
 * Sends `config.fuzz.runs` generated requests (fast-check, fixed seed) and judges each like any other
 * response, against the documented refusals. A failure is shrunk to the smallest input that still
 * fails, and the outcome says how to replay it: the seed, and a curl line for the one request.
 */
export async function runNegativeInputs(
  testCase: FuzzCase,
  context: { config: RunConfig; operation: OperationModel; expectation: Omit<Expectation, 'expectedStatuses'>; secrets: readonly string[]; signal: AbortSignal | undefined },
  base: CaseOutcome,
): Promise<CaseOutcome> {
  const { config, operation } = context;
  const expectation: Expectation = { ...context.expectation, documentedStatuses: [...context.expectation.documentedStatuses, ...testCase.expectedStatuses], expectedStatuses: testCase.expectedStatuses };
  const probes = new Map<string, Probe>();
  const probe = async (input: NegativeInput): Promise<Probe> => {
    const request = buildRequest(operation.method, rawUrl(config.baseUrl, operation, input), config.primary.credential, new Date());
    const exchange = redactExchange(await sendExchange(request, config.http, context.signal), context.secrets);
    const violations = exchange.kind === 'response' ? runChecks(exchange.response, expectation) : [];
    const result = { exchange, violations: violations.filter((v) => v.severity === 'error') };
    probes.set(JSON.stringify(input.segments), result);
    return result;
  };
  const failed = (p: Probe) => p.exchange.kind === 'network-error' || p.violations.length > 0;
  const details = await fc.check(
    fc.asyncProperty(negativeInputs(operation.pathParams, config.primary.projectId), async (input) => !failed(await probe(input))),
    { seed: config.fuzz.seed, numRuns: config.fuzz.runs, interruptAfterTimeLimit: config.http.deadlineMs * 4, markInterruptAsFailure: false },
  );
  const replay = `replay: sdrs-conformance run … --fuzz-seed ${config.fuzz.seed} --fuzz-runs ${config.fuzz.runs}`;
  const summary = `${details.numRuns} generated inputs, fast-check seed ${config.fuzz.seed}`;
  if (!details.failed || !details.counterexample) return { ...base, status: 'passed', notes: [summary] };
  const [input] = details.counterexample;
  const shrunk = probes.get(JSON.stringify(input.segments)) ?? (await probe(input));
  const where = Object.entries(input.segments).map(([name, value]) => `${name}=${value}`).join(', ');
  const notes = [`${summary}: failed after ${details.numShrinks} shrink step(s) on ${where}`, `reproduce: ${curlLine(shrunk.exchange)}`, replay];
  if (shrunk.exchange.kind === 'network-error') {
    return { ...base, status: 'broken', exchanges: [shrunk.exchange], transportError: `${shrunk.exchange.error.cause} (${shrunk.exchange.error.code}) for ${where}: ${shrunk.exchange.error.message}`, notes };
  }
  const violations = shrunk.violations.map((v) => ({ ...v, where: `${v.where} (input ${where})` }));
  return { ...base, status: 'failed', receivedStatus: shrunk.exchange.response.status, exchanges: [shrunk.exchange], violations, notes };
}

/** The path template filled with segments as given — already encoded, dot segments and all. */
function rawUrl(baseUrl: string, operation: OperationModel, input: NegativeInput): string {
  return baseUrl.replace(/\/+$/, '') + operation.pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => input.segments[name] ?? '');
}

function curlLine(exchange: Exchange): string {
  const headers = Object.entries(exchange.request.headers).map(([n, v]) => `-H '${n}: ${v}'`).join(' ');
  return `curl -i --path-as-is -X ${exchange.request.method} ${headers} '${exchange.request.url}'`;
}
