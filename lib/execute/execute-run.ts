import fc from 'fast-check';
import { negativeInputs, type NegativeInput } from '../cases/negative-inputs.ts';
import type { Exchange } from '../http/exchange.ts';
import type { FuzzPlan, PlannedCase, PlannedRequest, RunPlan } from '../plan/plan-model.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import { readListPages } from './read-list.ts';
import type { Send } from './sender.ts';

/** Every request a case sent and what came back (the status, or none) — the ledger is derived from these. */
export interface SentRecord {
  method: string;
  url: string;
  status: number | undefined;
}

/** A negative-input case: how many inputs went out, the failing ones (judged by the caller's pure predicate), the shrunk one. */
export interface FuzzObservation {
  total: number;
  failed: number;
  /** The shortest failing input (the earliest of equals); only it is kept (answers of 2 GiB are capped at the read limit, but a hundred of them add up). */
  firstFailure: { input: NegativeInput; exchange: Exchange } | undefined;
  shrunk: { input: NegativeInput; exchange: Exchange; numShrinks: number } | undefined;
  /** Inputs still throttled when their retries ran out: never processed, so neither passed nor failed. */
  throttled: number;
}

/** What executing one case showed: exchanges as received (unjudged, unredacted) and every request sent. */
export interface Observation {
  caseId: string;
  exchanges: Exchange[];
  sent: SentRecord[];
  startedAt: number;
  durationMs: number;
  fuzz: FuzzObservation | undefined;
  /** A request was cut short by the run stopping: the answer says nothing about the target. */
  interrupted: boolean;
}

export interface ExecuteOptions {
  send: Send;
  baseUrl: string;
  signal?: AbortSignal | undefined;
  /** Pure: does this answer to a generated input break the contract? (From the judge; execute only needs it to shrink.) */
  fuzzFailed: (planned: PlannedCase, exchange: Exchange) => boolean;
  /** Called as each case's first request is about to go, for progress. */
  onCaseStarted?: ((planned: PlannedCase) => void) | undefined;
  /** Called as each case's requests are done, for progress. */
  onObservation?: ((planned: PlannedCase, observation: Observation) => void) | undefined;
  /** Bound on the shrinking replays of one failing negative input. */
  shrinkTimeLimitMs: number;
  /** An exchange of the transport failures that made the run stop (see Sender): its case did not run, it did not fail. */
  unanswered?: (exchange: Exchange) => boolean;
}

/**
 * The only phase that does I/O. Stage 1 (conditions, negative inputs) runs at once, each ordered
 * sequence in its order (delete → delete again); stage 2 (state and status cases) starts when stage
 * 1 is done, since it reads the lists and answers stage 1 left. Concurrency is the sender's limiter's
 * alone. Cases not started before the run stopped come back in `notRun`.
 */
export async function executeRun(plan: RunPlan, options: ExecuteOptions): Promise<{ observations: Map<string, Observation>; notRun: string[] }> {
  const observations = new Map<string, Observation>();
  const done = new Map<string, Promise<void>>();
  const execute = async (planned: PlannedCase) => {
    if (options.signal?.aborted) return;
    options.onCaseStarted?.(planned);
    const observation = await executeCase(planned, options);
    if (observation.interrupted && !observation.sent.some(deletedSomething)) return;
    observations.set(planned.case.id, observation);
    options.onObservation?.(planned, observation);
  };
  for (const planned of plan.cases.filter((p) => p.stage === 1)) {
    const before = planned.after ? done.get(planned.after) : undefined;
    done.set(planned.case.id, before !== undefined ? before.then(() => execute(planned)) : execute(planned));
  }
  await Promise.all(done.values());
  await Promise.all(plan.cases.filter((p) => p.stage === 2).map(execute));
  // Once the target stopped answering, the failures that showed it are no verdict on their cases either.
  for (const [id, observation] of observations)
    if (!observation.sent.some(deletedSomething) && exchangesOf(observation).some((e) => options.unanswered?.(e))) observations.delete(id);
  return { observations, notRun: plan.cases.filter((p) => !observations.has(p.case.id)).map((p) => p.case.id) };
}

async function executeCase(planned: PlannedCase, options: ExecuteOptions): Promise<Observation> {
  const startedAt = Date.now();
  const sent: SentRecord[] = [];
  const send = async (request: PlannedRequest) => {
    const exchange = await options.send(request, options.signal);
    // Every attempt counts: a throttled one before the answer is a request the target saw too.
    for (const status of exchange.throttling?.statuses ?? []) sent.push({ method: request.method, url: request.url, status });
    sent.push({ method: request.method, url: request.url, status: exchange.kind === 'response' ? exchange.response.status : undefined });
    return exchange;
  };
  const exchanges: Exchange[] = [];
  for (const request of planned.requests) exchanges.push(await send(request));
  // A state case reads its list again, every page: as many requests as the answers take.
  if (planned.listRead) exchanges.push(...(await readListPages(planned.listRead, send)));
  const fuzz = planned.fuzz ? await executeNegativeInputs(planned, planned.fuzz, send, options) : undefined;
  const aborted = (e: Exchange) => e.kind === 'network-error' && (e.error.cause === 'aborted' || options.signal?.aborted === true);
  const observation = { caseId: planned.case.id, exchanges, sent, startedAt, durationMs: Date.now() - startedAt, fuzz, interrupted: false };
  return { ...observation, interrupted: options.signal?.aborted === true && exchangesOf(observation).some(aborted) };
}

function exchangesOf(observation: Pick<Observation, 'exchanges' | 'fuzz'>): Exchange[] {
  return [...observation.exchanges, ...(observation.fuzz?.firstFailure ? [observation.fuzz.firstFailure.exchange] : [])];
}

/**
 * Every generated input goes out at once (the limiter paces them); when one fails, fast-check replays
 * the same seed with shrinking to the smallest input that still fails. Only failing answers are kept:
 * a hundred passing ones cost no memory.
 */
async function executeNegativeInputs(
  planned: PlannedCase,
  fuzz: FuzzPlan,
  send: (r: PlannedRequest) => Promise<Exchange>,
  options: ExecuteOptions,
): Promise<FuzzObservation> {
  const probe = async (input: NegativeInput) => {
    const exchange = await send({ method: planned.operation.method, url: rawUrl(options.baseUrl, planned.operation, input), identity: 'primary', headers: {} });
    const throttledOut = exchange.throttling?.gaveUp === true;
    return { input, exchange, throttledOut, failed: !throttledOut && options.fuzzFailed(planned, exchange) };
  };
  let throttled = 0;
  let failed = 0;
  let firstFailure: FuzzObservation['firstFailure'];
  let best = { size: Number.POSITIVE_INFINITY, index: Number.POSITIVE_INFINITY };
  await Promise.all(
    fuzz.inputs.map(async (input, index) => {
      const p = await probe(input);
      if (p.throttledOut) throttled += 1;
      if (!p.failed) return;
      failed += 1;
      // The shortest failing input (then the earliest) stands for them all until shrinking finds a smaller one.
      const size = Object.values(input.segments).join('').length;
      if (size < best.size || (size === best.size && index < best.index))
        [best, firstFailure] = [
          { size, index },
          { input, exchange: p.exchange },
        ];
    }),
  );
  const total = fuzz.inputs.length;
  // When every input fails, shrinking only walks down a long string (a thousand replays) to say what
  // the shortest failing input already says: the target refuses nothing.
  if (failed === 0 || failed === total || options.signal?.aborted) return { total, failed, firstFailure, shrunk: undefined, throttled };
  // fast-check's counterexample is the last input that failed: only that answer is kept.
  let lastFailing: { key: string; exchange: Exchange } | undefined;
  const arbitrary = negativeInputs(planned.operation.pathParams, fuzz.own, fuzz.rules);
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (input) => {
      const p = await probe(input);
      if (p.failed) lastFailing = { key: JSON.stringify(input.segments), exchange: p.exchange };
      return !p.failed;
    }),
    { seed: fuzz.seed, numRuns: fuzz.runs, interruptAfterTimeLimit: options.shrinkTimeLimitMs, markInterruptAsFailure: false },
  );
  const counterexample = details.failed && details.counterexample ? details.counterexample[0] : undefined;
  const exchange = counterexample && lastFailing?.key === JSON.stringify(counterexample.segments) ? lastFailing.exchange : undefined;
  // fast-check's replay normally finds and shrinks it; should it not, the first failing sample stands unshrunk.
  const shrunk = counterexample && exchange ? { input: counterexample, exchange, numShrinks: details.numShrinks } : undefined;
  return { total, failed, firstFailure, shrunk, throttled };
}

/** The path template filled with segments as given — already encoded, dot segments and all. */
function rawUrl(baseUrl: string, operation: Pick<OperationModel, 'pathTemplate'>, input: NegativeInput): string {
  return baseUrl.replace(/\/+$/, '') + operation.pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => input.segments[name] ?? '');
}

export function deletedSomething(sent: SentRecord): boolean {
  return sent.method.toUpperCase() === 'DELETE' && sent.status !== undefined && sent.status >= 200 && sent.status < 300;
}
