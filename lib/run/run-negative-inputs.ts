import fc from 'fast-check';
import type { Scrubber } from '../auth/scrubber.ts';
import type { Expectation, Violation } from '../checks/check-model.ts';
import { runChecks } from '../checks/index.ts';
import { negativeInputs, type NegativeInput, type SegmentRules } from '../cases/negative-inputs.ts';
import type { FuzzCase } from '../cases/case-model.ts';
import type { Exchange } from '../http/exchange.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import { buildRequest } from './build-request.ts';
import type { CaseOutcome } from './case-outcome.ts';
import type { Send } from './deletion-ledger.ts';
import { redactExchange, redactViolations } from './redact-exchange.ts';
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
  context: { config: RunConfig; operation: OperationModel; expectation: Omit<Expectation, 'expectedStatuses'>; secrets: Scrubber; signal: AbortSignal | undefined; concurrency: number; send: Send; rules: SegmentRules },
  base: CaseOutcome,
): Promise<CaseOutcome> {
  const { config, operation } = context;
  const expectation: Expectation = { ...context.expectation, documentedStatuses: [...context.expectation.documentedStatuses, ...testCase.expectedStatuses], expectedStatuses: testCase.expectedStatuses };
  const probes = new Map<string, Probe>();
  const failed = (p: Probe) => p.exchange.kind === 'network-error' || p.violations.length > 0;
  const probe = async (input: NegativeInput): Promise<Probe> => {
    const request = buildRequest(operation.method, rawUrl(config.baseUrl, operation, input), config.primary.credential, new Date());
    // Through the session's send: a DELETE answered 2xx lands in the ledger, replays while shrinking included.
    const received = await context.send(request, context.signal);
    const violations = received.kind === 'response' ? redactViolations(runChecks(received.response, expectation), context.secrets) : [];
    const result = { exchange: redactExchange(received, context.secrets), violations: violations.filter((v) => v.severity === 'error') };
    // Only failures are kept (for the report of the shrunk one): a hundred passing answers cost no memory.
    if (failed(result)) probes.set(JSON.stringify(input.segments), result);
    return result;
  };
  const arbitrary = negativeInputs(operation.pathParams, config.primary.projectId, context.rules);
  const settings = { seed: config.fuzz.seed, numRuns: config.fuzz.runs };
  // The inputs are sent concurrently (latency is paid per window, not per input); fast-check
  // replays the same seed sequentially, with shrinking, only when one of them failed.
  const inputs = config.fuzz.runs ? fc.sample(arbitrary, settings) : [];
  const firstRound = await inWindow(inputs, context.concurrency, probe);
  const details = firstRound.some(failed)
    ? await fc.check(fc.asyncProperty(arbitrary, async (input) => !failed(await probe(input))), { ...settings, interruptAfterTimeLimit: config.http.deadlineMs * 4, markInterruptAsFailure: false })
    : { failed: false as const, numRuns: inputs.length, numShrinks: 0, counterexample: null };
  const replay = `replay: sdrs-conformance run … --fuzz-seed ${config.fuzz.seed} --fuzz-runs ${config.fuzz.runs}`;
  const summary = `${inputs.length} generated inputs, fast-check seed ${config.fuzz.seed}`;
  const firstFailure = firstRound.findIndex(failed);
  if (firstFailure < 0) return { ...base, status: 'passed', notes: [summary] };
  // fast-check's replay normally finds and shrinks it; should it not, the failing sample stands unshrunk.
  const input = details.failed && details.counterexample ? details.counterexample[0] : (inputs[firstFailure] as NegativeInput);
  const shrunk = probes.get(JSON.stringify(input.segments)) ?? (await probe(input));
  const where = Object.entries(input.segments).map(([name, value]) => `${name}=${value}`).join(', ');
  const notes = [`${summary}: failed after ${details.numShrinks} shrink step(s) on ${where}`, `reproduce: ${curlLine(shrunk.exchange)}`, replay];
  if (shrunk.exchange.kind === 'network-error') {
    return { ...base, status: 'broken', exchanges: [shrunk.exchange], transportError: `${shrunk.exchange.error.cause} (${shrunk.exchange.error.code}) for ${where}: ${shrunk.exchange.error.message}`, notes };
  }
  const violations = shrunk.violations.map((v) => ({ ...v, where: `${v.where} (input ${where})` }));
  return { ...base, status: 'failed', receivedStatus: shrunk.exchange.response.status, exchanges: [shrunk.exchange], violations, notes };
}

/** A sliding window: at most `size` in flight, the next starting as soon as one ends; results in input order. */
async function inWindow<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
  return results;
}

/** The path template filled with segments as given — already encoded, dot segments and all. */
function rawUrl(baseUrl: string, operation: OperationModel, input: NegativeInput): string {
  return baseUrl.replace(/\/+$/, '') + operation.pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => input.segments[name] ?? '');
}

function curlLine(exchange: Exchange): string {
  const headers = Object.entries(exchange.request.headers).map(([n, v]) => `-H '${n}: ${v}'`).join(' ');
  return `curl -i --path-as-is -X ${exchange.request.method} ${headers} '${exchange.request.url}'`;
}
