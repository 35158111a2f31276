import { sendFloor } from './http-floor.ts';
import { runCli } from './measure-process.ts';
import { spread, repeat, type Spread } from './stats.ts';
import { byUrlArgs, countingServer, inProcessRun, requestPhase, type PhaseRun } from './suite-phase.ts';
import { parseRequestHeads, startTcpProxy, type RecordedRequest } from './tcp-proxy.ts';

/** The suite's default (lib/cli/run-options.ts --concurrency), which the floor matches. */
const DEFAULT_CONCURRENCY = 8;
const FUZZ_RUNS = 100;

export interface FullRun {
  runs: number;
  /** `node bin/sdrs-conformance.js run`, bundled server, fresh process each time. */
  wall: Spread;
  peakRssKb: Spread;
  /** Verdict line printed → process gone. */
  verdictToExit: Spread;
  cases: number | undefined;
  verdicts: string[];
  exitCodes: Array<number | null>;
  /** The same suite by URL, in this process, against a server that counts: the requests one run sends. */
  requestsPerRun: Spread;
  byUrlCases: number;
  byUrlVerdicts: string[];
}

/** Section 1: cold process start to verdict, and how many requests a run sends. */
export async function measureFullRun(runs: number): Promise<FullRun> {
  const cold = await repeat(runs, () => runCli([], { timeoutMs: 120_000 }));
  const byUrl = await repeat(runs, async () => {
    const { server, requests } = await countingServer();
    try {
      const run = await inProcessRun(byUrlArgs(server.url));
      return { ...run, requests: requests() };
    } finally {
      await server.close();
    }
  });
  return {
    runs,
    wall: spread(cold.map((r) => r.wallMs)),
    peakRssKb: spread(cold.map((r) => r.peakRssKb)),
    verdictToExit: spread(cold.map((r) => r.wallMs - (r.verdictAtMs ?? Number.NaN))),
    cases: cold[0]?.cases,
    verdicts: [...new Set(cold.map((r) => r.verdict ?? `none (stderr: ${r.stderr.slice(-300)})`))],
    exitCodes: [...new Set(cold.map((r) => r.exitCode))],
    requestsPerRun: spread(byUrl.map((r) => r.requests)),
    byUrlCases: byUrl[0]?.cases ?? 0,
    byUrlVerdicts: [...new Set(byUrl.map((r) => r.verdict))],
  };
}

export interface Floor {
  runs: number;
  recorded: RecordedRequest[];
  /** One request phase at the default concurrency, for the critical path (its cases and outcomes). */
  sample: PhaseRun;
  suite: { ms: Spread; requests: number; statuses: Record<number, number> };
  pool: { ms: Spread; statuses: Record<number, number> };
  perRequest: { ms: Spread };
  /** Suite throughput over the floor's (requests per second, same requests): ≥ 0.8 is the target. */
  ratio: number;
  ratioToPerRequestFloor: number;
}

/** Section 2: the suite's request phase against a bare undici replay of the same requests. */
export async function measureFloor(runs: number): Promise<Floor> {
  const options = { concurrency: DEFAULT_CONCURRENCY, fuzzRuns: FUZZ_RUNS };
  const { recorded, sample } = await recordRequests();

  // Each measured series starts with one unmeasured warm-up run (JIT, connection code paths).
  const warmed = async <T>(task: () => Promise<T>) => (await repeat(runs + 1, task)).slice(1);
  const suite = await warmed(() => withFreshServer(async (url) => requestPhase(url, options)));
  const pool = await warmed(() => withFreshServer((url) => sendFloor(url, recorded, { concurrency: DEFAULT_CONCURRENCY, reuse: 'pool' })));
  const perRequest = await warmed(() => withFreshServer((url) => sendFloor(url, recorded, { concurrency: DEFAULT_CONCURRENCY, reuse: 'per-request' })));
  const suiteMs = spread(suite.map((r) => r.result.ms));
  const poolMs = spread(pool.map((r) => r.result.ms));
  const perRequestMs = spread(perRequest.map((r) => r.result.ms));
  return {
    runs,
    recorded,
    sample,
    suite: { ms: suiteMs, requests: suite[0]?.requests ?? 0, statuses: suite[0]?.statuses ?? {} },
    pool: { ms: poolMs, statuses: pool[0]?.result.statuses ?? {} },
    perRequest: { ms: perRequestMs },
    ratio: poolMs.median / suiteMs.median,
    ratioToPerRequestFloor: perRequestMs.median / suiteMs.median,
  };
}

/** One request phase through a proxy that keeps what each connection sent: the suite's requests, and the phase itself. */
export async function recordRequests(): Promise<{ recorded: RecordedRequest[]; sample: PhaseRun }> {
  const recorded: RecordedRequest[] = [];
  const recording = await countingServer();
  const proxy = await startTcpProxy({ upstreamPort: recording.server.port, onClientBytes: (bytes) => void pushHead(recorded, bytes) });
  let sample: PhaseRun;
  try {
    sample = await requestPhase(proxy.url, { concurrency: DEFAULT_CONCURRENCY, fuzzRuns: FUZZ_RUNS });
  } finally {
    await proxy.close();
    await recording.server.close();
  }
  // A connection is recorded when it closes, which may be a moment after the case that used it.
  for (let waited = 0; recorded.length < recording.requests() && waited < 2000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  if (recorded.length !== recording.requests()) throw new Error(`recorded ${recorded.length} requests, the server answered ${recording.requests()}`);
  return { recorded, sample };
}

function pushHead(into: RecordedRequest[], bytes: Buffer): void {
  into.push(...parseRequestHeads(bytes));
}

async function withFreshServer<T>(task: (url: string) => Promise<T>): Promise<{ result: T; requests: number; statuses: Record<number, number> }> {
  const { server, requests, statuses } = await countingServer();
  try {
    const result = await task(server.url);
    return { result, requests: requests(), statuses };
  } finally {
    await server.close();
  }
}
