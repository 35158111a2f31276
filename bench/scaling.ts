import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from './measure-process.ts';
import { forgetValidatedSpec } from './spec-cache.ts';
import { repeat, spread, type Spread } from './stats.ts';
import { byUrlArgs, countingServer } from './suite-phase.ts';
import { toReferencePath, writeSyntheticSpec } from './synthetic-spec.ts';
import { startTcpProxy } from './tcp-proxy.ts';

const FUZZ_RUNS = 10;
/** Targets (issue 7): time per case at 100 operations within 1.5 × that at 1; peak memory under 300 MB. */
export const PER_CASE_GROWTH_LIMIT = 1.5;
export const PEAK_RSS_LIMIT_KB = 300 * 1024;

export interface ScalingPoint {
  operations: number;
  runs: number;
  cases: number | undefined;
  requests: number;
  wall: Spread;
  /** Runner start to summary (conformance-summary.json run.durationMs). */
  runPhase: Spread;
  peakRssKb: Spread;
  wallPerCaseMs: number;
  runPhasePerCaseMs: number;
  /** The first run of this spec: its validation was not cached yet (not part of the medians). */
  firstRunWallMs: number;
  verdicts: string[];
  /** Where a run that did not pass says why, so a slow run is never mistaken for a fast failure. */
  problems: string[];
}

/**
 * Section 4: synthetic specs of 1, 10 and 100 DELETE operations (synthetic-spec.ts), run by URL through
 * a proxy that maps each copy's path back onto the reference server's. `--fuzz-runs 10` keeps it short.
 */
export async function measureScaling(sizes: readonly number[], runs: number): Promise<ScalingPoint[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sdrs-bench-specs-'));
  const specs = sizes.map((n) => writeSyntheticSpec(dir, n));
  try {
    const points: ScalingPoint[] = [];
    for (const [i, operations] of sizes.entries()) {
      const spec = specs[i] as string;
      forgetValidatedSpec(spec);
      const first = await runOnce(spec);
      const measured = await repeat(runs, () => runOnce(spec));
      const cases = measured[0]?.run.cases;
      const wall = spread(measured.map((r) => r.run.wallMs));
      const runPhase = spread(measured.map((r) => r.run.summaryDurationMs));
      points.push({
        operations,
        runs,
        cases,
        requests: spread(measured.map((r) => r.requests)).median,
        wall,
        runPhase,
        peakRssKb: spread(measured.map((r) => r.run.peakRssKb)),
        wallPerCaseMs: wall.median / (cases ?? Number.NaN),
        runPhasePerCaseMs: runPhase.median / (cases ?? Number.NaN),
        firstRunWallMs: first.run.wallMs,
        verdicts: [...new Set(measured.map((r) => r.run.verdict ?? 'none'))],
        problems: [...new Set(measured.flatMap((r) => problemsOf(r.run)))].slice(0, 5),
      });
    }
    return points;
  } finally {
    for (const spec of specs) forgetValidatedSpec(spec);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOnce(spec: string): Promise<{ run: CliRun; requests: number }> {
  const { server, requests } = await countingServer();
  const proxy = await startTcpProxy({ upstreamPort: server.port, rewriteRequestLine: toReferencePath });
  try {
    const run = await runCli([...byUrlArgs(proxy.url), '--spec', spec, '--fuzz-runs', String(FUZZ_RUNS)], { timeoutMs: 300_000 });
    return { run, requests: requests() };
  } finally {
    await proxy.close();
    await server.close();
  }
}

/** Lines of a run's output that say something failed: the stderr tail, and failed/broken case lines. */
function problemsOf(run: CliRun): string[] {
  if (run.exitCode === 0) return [];
  const failing = run.stdout
    .split('\n')
    .filter((line) => /\b(FAIL|BROKEN|failed|broken)\b/.test(line) && !/ cases: /.test(line))
    .slice(0, 3);
  return [`exit ${run.exitCode}`, ...failing.map((l) => l.trim().slice(0, 200)), ...(run.stderr.trim() ? [run.stderr.trim().slice(-300)] : [])];
}
