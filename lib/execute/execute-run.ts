import fc from 'fast-check';
import { negativeInputs, type NegativeInput } from '../cases/negative-inputs.ts';
import type { Exchange } from '../http/exchange.ts';
import type { Group, Lane } from '../http/request-limiter.ts';
import type { FuzzPlan, PlannedCase, PlannedRequest, RunPlan } from '../plan/plan-model.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import { readListPages } from './read-list.ts';
import type { Send, SendHow } from './sender.ts';

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
  /** Requests that leave in the same tick (Sender.group); without it a race's requests only start together. */
  group?: ((size: number) => Group) | undefined;
  baseUrl: string;
  signal?: AbortSignal | undefined;
  /** Pure: does this answer to a generated input break the contract? (From the judge; execute only needs it to shrink.) */
  fuzzFailed: (planned: PlannedCase, exchange: Exchange) => boolean;
  /** Called as each case's first request is about to go, for progress. */
  onCaseStarted?: ((planned: PlannedCase) => void) | undefined;
  /** Called as each case's requests are done, for progress, with every observation so far (a race's members arrive together). */
  onObservation?: ((planned: PlannedCase, observation: Observation, observations: ReadonlyMap<string, Observation>) => void) | undefined;
  /** Bound on the shrinking replays of one failing negative input. */
  shrinkTimeLimitMs: number;
  /** An exchange of the transport failures that made the run stop (see Sender): its case did not run, it did not fail. */
  unanswered?: (exchange: Exchange) => boolean;
}

/**
 * The only phase that does I/O, in the order `scheduleOf` gives. The steps go out one after another —
 * each step's cases at once, each ordered sequence in its order (delete → delete again), a race's
 * requests together — so that a guard read between two tells which family ended the guard. The
 * background goes out from the start beside them, on the slots a step leaves idle (the limiter serves
 * the steps first); a race's requests are admitted as one group, so they leave in the same tick. The
 * last cases (state checks) start when all else is done, since they read the
 * lists the rest left. Cases not started before the run stopped come back in `notRun`.
 */
export async function executeRun(plan: RunPlan, options: ExecuteOptions): Promise<{ observations: Map<string, Observation>; notRun: string[] }> {
  const observations = new Map<string, Observation>();
  /** Reported once every condition case has been: a status case is judged over their answers. */
  const heldReports: Array<() => void> = [];
  let holdStatusReports = true;
  /** Runs cases at once and reports them when all are done: a race's members are judged over each other's answers. */
  const execute = async (cases: PlannedCase[], lane: Lane) => {
    if (options.signal?.aborted) return;
    for (const planned of cases) options.onCaseStarted?.(planned);
    // A race (cases sent together): every request of its members leaves in the same tick.
    const count = cases.reduce((n, p) => n + p.requests.length, 0);
    const group = cases.length > 1 && count > 1 ? options.group?.(count) : undefined;
    const finished = await Promise.all(cases.map(async (planned) => ({ planned, observation: await executeCase(planned, options, { lane, group }) })));
    const kept = finished.filter(({ observation }) => !observation.interrupted || observation.sent.some(deletedSomething));
    for (const { planned, observation } of kept) observations.set(planned.case.id, observation);
    for (const { planned, observation } of kept) {
      const report = () => options.onObservation?.(planned, observation, observations);
      if (planned.case.kind === 'status' && holdStatusReports) heldReports.push(report);
      else report();
    }
  };
  const schedule = scheduleOf(plan.cases);
  const background = runTogether(schedule.background, (cases) => execute(cases, 'background'));
  for (const step of schedule.steps) await runTogether(step, (cases) => execute(cases, 'step'));
  await background;
  holdStatusReports = false;
  for (const report of heldReports.splice(0)) report();
  await runTogether(schedule.last, (cases) => execute(cases, 'step'));
  // Once the target stopped answering, the failures that showed it are no verdict on their cases either.
  for (const [id, observation] of observations)
    if (!observation.sent.some(deletedSomething) && exchangesOf(observation).some((e) => options.unanswered?.(e))) observations.delete(id);
  return { observations, notRun: plan.cases.filter((p) => !observations.has(p.case.id)).map((p) => p.case.id) };
}

/**
 * Starts every case of `cases` at once, except that a case runs after the case it follows (`after`)
 * and a race's members start in the same tick, so their requests meet the limiter together.
 */
async function runTogether(cases: readonly PlannedCase[], execute: (together: PlannedCase[]) => Promise<void>): Promise<void> {
  const done = new Map<string, Promise<void>>();
  for (const planned of cases) {
    if (alongsideOf(planned)) continue;
    const together = [planned, ...cases.filter((p) => alongsideOf(p) === planned.case.id)];
    const run = () => execute(together);
    const before = planned.after ? done.get(planned.after) : undefined;
    const running = before !== undefined ? before.then(run) : run();
    for (const p of together) done.set(p.case.id, running);
  }
  await Promise.all(done.values());
}

export interface Schedule {
  steps: PlannedCase[][];
  background: PlannedCase[];
  last: PlannedCase[];
}

/**
 * Pure: the plan's cases by when they go out (PlannedCase.schedule), the steps in order. A final step
 * that only reads the list (the guard read after the last family) goes out with the last cases: they
 * read the lists too, and nothing is left to come between them.
 */
export function scheduleOf(cases: readonly PlannedCase[]): Schedule {
  const steps = stepsOf(cases.filter((p) => p.schedule === 'steps'));
  const last = cases.filter((p) => p.schedule === 'last');
  const final = steps.at(-1);
  const readsOnly = final !== undefined && last.length > 0 && final.every((p) => p.case.kind === 'guard');
  return {
    steps: readsOnly ? steps.slice(0, -1) : steps,
    background: cases.filter((p) => p.schedule === 'background'),
    last: readsOnly ? [...final, ...last] : last,
  };
}

/**
 * The steps: consecutive cases of one operation's family, and a guard check as a step of its own
 * between two. Another operation's family goes out with the same-named family of the operation before
 * it (the negative inputs of both together), so a guard check after it covers every request of that
 * family; a family no earlier operation has is a step of its own, at the end. A guard read that shares
 * its step (PlannedCase.sharedWith) takes the next method into it. Cases without a family go with the
 * last step.
 */
function stepsOf(cases: readonly PlannedCase[]): PlannedCase[][] {
  const steps: Array<{ key: string; operationId: string; cases: PlannedCase[] }> = [];
  const unfamilied: PlannedCase[] = [];
  for (const planned of cases) {
    const c = planned.case;
    const family = familyOf(planned);
    if (family === undefined) {
      unfamilied.push(planned);
      continue;
    }
    const key = c.kind === 'guard' ? c.id : family;
    const last = steps.at(-1);
    if (last && last.cases.some((p) => p.sharedWith === c.id)) {
      last.cases.push(planned);
      continue;
    }
    if (last && last.key === key && last.operationId === c.operationId) {
      last.cases.push(planned);
      continue;
    }
    // The latest step with requests of the same family of another operation (a sweep's last method shares its
    // step with the read before it): the guard read after that step covers this case too.
    const same =
      c.kind === 'guard'
        ? undefined
        : [...steps].reverse().find((s) => s.operationId !== c.operationId && s.cases.some((p) => p.case.kind !== 'guard' && familyOf(p) === family));
    if (same) same.cases.push(planned);
    else steps.push({ key, operationId: c.operationId, cases: [planned] });
  }
  const last = steps.at(-1);
  if (last) last.cases.push(...unfamilied);
  else if (unfamilied.length) steps.push({ key: '', operationId: '', cases: unfamilied });
  return steps.map((s) => s.cases);
}

function familyOf(planned: PlannedCase): string | undefined {
  const c = planned.case;
  return c.kind === 'condition' || c.kind === 'fuzz' || c.kind === 'guard' ? c.family : undefined;
}

function alongsideOf(planned: PlannedCase): string | undefined {
  return planned.case.kind === 'condition' ? planned.case.alongside : undefined;
}

async function executeCase(planned: PlannedCase, options: ExecuteOptions, how: SendHow): Promise<Observation> {
  const startedAt = Date.now();
  const sent: SentRecord[] = [];
  const send = async (request: PlannedRequest, group?: Group) => {
    const exchange = await options.send(request, options.signal, { lane: how.lane, group });
    // Every attempt counts: a throttled one before the answer is a request the target saw too.
    for (const status of exchange.throttling?.statuses ?? []) sent.push({ method: request.method, url: request.url, status });
    sent.push({ method: request.method, url: request.url, status: exchange.kind === 'response' ? exchange.response.status : undefined });
    return exchange;
  };
  const exchanges: Exchange[] = [];
  // A race's requests go out at once, as one group; any other case's requests one after another, in order.
  if (how.group || alongsideOf(planned)) exchanges.push(...(await Promise.all(planned.requests.map((request) => send(request, how.group)))));
  else for (const request of planned.requests) exchanges.push(await send(request));
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
