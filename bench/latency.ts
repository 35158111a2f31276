import { criticalPath } from './critical-path.ts';
import { runCli, type CliRun } from './measure-process.ts';
import { repeat, spread, type Spread } from './stats.ts';
import { byUrlArgs, countingServer, type PhaseRun } from './suite-phase.ts';
import { startTcpProxy } from './tcp-proxy.ts';

const ADDED_LATENCY_MS = 100;
const FUZZ_RUNS = 100;

export interface LatencyRun {
  concurrency: number;
  runs: number;
  /** Process start to exit, every answer 100 ms late. */
  wall: Spread;
  /** The same command with the proxy adding nothing. */
  wallWithoutLatency: Spread;
  /**
   * What latency cannot touch, seen from the proxy in the runs without latency: spawn → the first
   * request after the preflight (imports, spec, session), plus the last answer → exit (reports).
   */
  startUp: Spread;
  /** First request after the preflight → last answer: the request phase, with and without latency. */
  requestSpan: { withLatency: Spread; withoutLatency: Spread };
  /** The stricter reading: wall without latency − conformance-summary.json run.durationMs (runner import and session build count as run). */
  startUpStrict: Spread;
  requests: number;
  /** requests × 100 ms: what a suite that waits for each answer before the next would pay. */
  sequentialSumMs: number;
  criticalPath: { roundTrips: number; dependencyOnly: number; parts: string; ms: number };
  /** Target: wall ≤ 1.5 × (critical path + start-up). */
  bound: number;
  boundStrict: number;
  verdicts: string[];
}

/**
 * Section 3: the suite by URL through a proxy that holds every answer 100 ms, at `concurrency`.
 * `sample` is a request phase of the same suite (any concurrency: outcomes do not depend on it),
 * from which the critical path is derived.
 */
export async function measureLatency(concurrency: number, runs: number, sample: PhaseRun): Promise<LatencyRun> {
  const delayed = await repeat(runs, () => throughProxy(ADDED_LATENCY_MS, concurrency));
  const direct = await repeat(runs, () => throughProxy(0, concurrency));
  const path = criticalPath(sample.cases, sample.outcomes, { concurrency, fuzzRuns: FUZZ_RUNS, preflight: true });
  const startUp = spread(direct.map((r) => r.run.wallMs - r.span));
  const startUpStrict = spread(direct.map((r) => r.run.wallMs - r.run.summaryDurationMs));
  const requests = spread(delayed.map((r) => r.requests)).median;
  const criticalMs = path.roundTrips * ADDED_LATENCY_MS;
  return {
    concurrency,
    runs,
    wall: spread(delayed.map((r) => r.run.wallMs)),
    wallWithoutLatency: spread(direct.map((r) => r.run.wallMs)),
    startUp,
    requestSpan: { withLatency: spread(delayed.map((r) => r.span)), withoutLatency: spread(direct.map((r) => r.span)) },
    startUpStrict,
    requests,
    sequentialSumMs: requests * ADDED_LATENCY_MS,
    criticalPath: { ...path, ms: criticalMs },
    bound: 1.5 * (criticalMs + startUp.median),
    boundStrict: 1.5 * (criticalMs + startUpStrict.median),
    verdicts: [...new Set([...delayed, ...direct].map((r) => r.run.verdict ?? `none (${r.run.stderr.slice(-300)})`))],
  };
}

/** One run through the proxy; `span` runs from the first request after the preflight (the third connection: the preflight asks both identities at once, each on its own) to the last answer. */
async function throughProxy(delayMs: number, concurrency: number): Promise<{ run: CliRun; requests: number; span: number }> {
  const { server, requests } = await countingServer();
  const proxy = await startTcpProxy({ upstreamPort: server.port, delayMs });
  try {
    const run = await runCli([...byUrlArgs(proxy.url), '--concurrency', String(concurrency), '--fuzz-runs', String(FUZZ_RUNS)], { timeoutMs: 180_000 });
    const { connectedAt, lastAnswerAt } = proxy.activity();
    return { run, requests: requests(), span: (lastAnswerAt ?? Number.NaN) - (connectedAt[2] ?? Number.NaN) };
  } finally {
    await proxy.close();
    await server.close();
  }
}
