import type { Floor, FullRun } from './full-run.ts';
import type { LatencyRun } from './latency.ts';
import type { RatioRow } from './ratios.ts';
import { PEAK_RSS_LIMIT_KB, PER_CASE_GROWTH_LIMIT, type ScalingPoint } from './scaling.ts';
import type { StartupBreakdown } from './startup.ts';
import { mib, ms, ratio, spreadText, type Spread } from './stats.ts';

export interface BenchResults {
  meta: {
    date: string;
    node: string;
    cpus: number;
    head: string;
    dirty: string[];
    cliCodePath: string;
    quick: boolean;
    loadAverage: { start: number[]; end: number[] };
  };
  targets: Target[];
  fullRun: FullRun;
  floor: Omit<Floor, 'recorded' | 'sample'> & { recordedRequests: number };
  latency: LatencyRun[];
  scaling: ScalingPoint[];
  startup: StartupBreakdown[];
  importCosts: Array<{ module: string; ms: Spread }>;
  ratios: RatioRow[];
  /** The same with --fresh-connections (bench --with-fresh). */
  ratiosFresh?: RatioRow[];
}

interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

/** Full-run median ≤ 1.0 s (issue 7). */
const FULL_RUN_TARGET_MS = 1000;
/** Request phase ≥ 0.8 × the floor's throughput (issue 7). */
const FLOOR_RATIO_TARGET = 0.8;

export function targetsOf(r: Omit<BenchResults, 'targets' | 'meta'>): Target[] {
  const targets: Target[] = [
    {
      name: 'full run, start → verdict',
      target: `median ≤ ${ms(FULL_RUN_TARGET_MS)}`,
      measured: ms(r.fullRun.wall.median),
      met: r.fullRun.wall.median <= FULL_RUN_TARGET_MS,
    },
    {
      name: 'request phase vs HTTP floor',
      target: `throughput ≥ ${FLOOR_RATIO_TARGET} × floor`,
      measured: ratio(r.floor.ratio),
      met: r.floor.ratio >= FLOOR_RATIO_TARGET,
    },
  ];
  for (const l of r.latency) {
    targets.push({
      name: `100 ms latency, concurrency ${l.concurrency}`,
      target: `wall ≤ 1.5 × (critical path + start-up) = ${ms(l.bound)}`,
      measured: ms(l.wall.median),
      met: l.wall.median <= l.bound,
    });
  }
  for (const row of r.ratios)
    targets.push({
      name: `suite / floor, ${row.setting}`,
      target: `≤ ${row.target.toFixed(2)}×`,
      measured: ratio(row.ratio.median),
      met: row.ratio.median <= row.target,
    });
  const one = r.scaling.find((p) => p.operations === 1);
  const hundred = r.scaling.find((p) => p.operations === 100);
  if (one && hundred) {
    const growth = hundred.runPhasePerCaseMs / one.runPhasePerCaseMs;
    targets.push({
      name: '100 operations: time per case',
      target: `≤ ${PER_CASE_GROWTH_LIMIT} × that of 1 operation`,
      measured: `${ratio(growth)} (run phase per case)`,
      met: growth <= PER_CASE_GROWTH_LIMIT,
    });
    targets.push({
      name: '100 operations: peak memory',
      target: '< 300 MB',
      measured: `${((hundred.peakRssKb.median * 1.024) / 1000).toFixed(0)} MB`,
      met: hundred.peakRssKb.median < PEAK_RSS_LIMIT_KB,
    });
  }
  return targets;
}

export function renderReport(r: BenchResults): string {
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  const row = (label: string, value: string) => line(`   ${label.padEnd(44)} ${value}`);
  const { meta, fullRun: f, floor: fl } = r;
  line(`sdrs-conformance benchmark — ${meta.date}${meta.quick ? ' (--quick: one run each, a smoke test, not numbers to quote)' : ''}`);
  line(
    `node ${meta.node}, ${meta.cpus} CPUs, load average ${meta.loadAverage.start.map((v) => v.toFixed(1)).join('/')} at start → ${meta.loadAverage.end.map((v) => v.toFixed(1)).join('/')} at end (1/5/15 min)`,
  );
  line(`HEAD ${meta.head}${meta.dirty.length ? `; uncommitted changes in: ${meta.dirty.join(', ')}` : ''}`);
  line(`bin/sdrs-conformance.js ran ${meta.cliCodePath} (sections 1, 3, 4).`);
  line('Figures are medians of the runs stated (n), with min and max; bench/results.json has them all.');

  line();
  line(`1. Full run against the bundled server, cold process start → verdict (node bin/sdrs-conformance.js run, n=${f.runs})`);
  row('wall (spawn → exit)', spreadText(f.wall));
  row('of which verdict line → process exit', spreadText(f.verdictToExit));
  row('peak RSS (GNU time %M)', spreadText(f.peakRssKb, mib));
  row('cases, verdict, exit status', `${f.cases}, ${f.verdicts.join('/')}, exit ${f.exitCodes.join('/')}`);
  row(
    'requests per run (by URL, counted by the server)',
    `${spreadText(f.requestsPerRun, (v) => v.toFixed(0))} — ${f.byUrlCases} cases, ${f.byUrlVerdicts.join('/')}; 1 of them is the --endpoint preflight`,
  );
  row('per-case cost (wall / cases)', ms(f.wall.median / (f.cases ?? Number.NaN)));

  line();
  line(`2. HTTP floor — the same ${fl.recordedRequests} requests, concurrency 8, in a warm process (n=${fl.runs}, after one unmeasured warm-up each)`);
  const rps = (count: number, t: number) => `${((count / t) * 1000).toFixed(0)} req/s`;
  row('suite request phase (list snapshots + all cases)', `${spreadText(fl.suite.ms)} → ${rps(fl.suite.requests, fl.suite.ms.median)}`);
  row('bare undici Pool, keep-alive, 8 connections', `${spreadText(fl.pool.ms)} → ${rps(fl.recordedRequests, fl.pool.ms.median)}`);
  row('bare undici, one connection per request', `${spreadText(fl.perRequest.ms)} → ${rps(fl.recordedRequests, fl.perRequest.ms.median)}`);
  row('suite / floor throughput', `${ratio(fl.ratio)} (vs the one-connection-per-request floor: ${ratio(fl.ratioToPerRequestFloor)})`);
  row(
    'same answers (status histogram)',
    JSON.stringify(fl.suite.statuses) === JSON.stringify(fl.pool.statuses)
      ? 'yes'
      : `no — suite ${JSON.stringify(fl.suite.statuses)}, floor ${JSON.stringify(fl.pool.statuses)}`,
  );
  line('   The suite opens one connection per exchange by design (lib/http/send-exchange.ts): bytes on the wire');
  line('   belong to exactly one response, so stray bytes after a 204 are attributed, never misread as the next');
  line('   answer. The floor also has no barrier between condition and state/status cases.');

  line();
  line('3. 100 ms added to every answer (loopback TCP proxy; suite by URL, fresh process each run)');
  for (const l of r.latency) {
    line(`   --concurrency ${l.concurrency} (n=${l.runs}): ${l.requests} requests, ${l.verdicts.join('/')}`);
    row('wall', spreadText(l.wall));
    row('sequential sum (requests × 100 ms)', `${ms(l.sequentialSumMs)} → wall is ${ratio(l.wall.median / l.sequentialSumMs)} of it`);
    row('critical path', `${l.criticalPath.roundTrips} round trips = ${ms(l.criticalPath.ms)} (${l.criticalPath.parts})`);
    row('request span (2nd request → last answer)', `${spreadText(l.requestSpan.withLatency)}; without latency ${ms(l.requestSpan.withoutLatency.median)}`);
    row('start-up (wall − request span, no latency)', `${spreadText(l.startUp)}; wall without latency ${ms(l.wallWithoutLatency.median)}`);
    row('bound 1.5 × (critical path + start-up)', `${ms(l.bound)} → wall/bound ${ratio(l.wall.median / l.bound)}`);
    row(
      'stricter: start-up = wall − summary run phase',
      `${ms(l.startUpStrict.median)} → bound ${ms(l.boundStrict)}, wall/bound ${ratio(l.wall.median / l.boundStrict)}`,
    );
  }
  const anyLatency = r.latency[0];
  if (anyLatency)
    line(
      `   Dependencies alone (unlimited concurrency): ${anyLatency.criticalPath.dependencyOnly} round trips — preflight, two list snapshots, own-job → deleted-again, state/status.`,
    );

  line();
  line('4. Scaling — synthetic specs of N DELETE operations (+ the list), --fuzz-runs 10, by URL');
  line(
    `   ${'ops'.padStart(4)} ${'cases'.padStart(6)} ${'requests'.padStart(8)} ${'wall'.padStart(9)} ${'run phase'.padStart(10)} ${'wall/case'.padStart(10)} ${'phase/case'.padStart(11)} ${'peak RSS'.padStart(9)} ${'1st run*'.padStart(9)}  n  verdict`,
  );
  for (const p of r.scaling) {
    line(
      `   ${String(p.operations).padStart(4)} ${String(p.cases).padStart(6)} ${String(p.requests).padStart(8)} ${ms(p.wall.median).padStart(9)} ${ms(p.runPhase.median).padStart(10)} ${p.wallPerCaseMs.toFixed(1).padStart(7)} ms ${p.runPhasePerCaseMs.toFixed(1).padStart(8)} ms ${mib(p.peakRssKb.median).padStart(9)} ${ms(p.firstRunWallMs).padStart(9)}  ${p.runs}  ${p.verdicts.join('/')}`,
    );
    for (const problem of p.problems) line(`        ! ${problem}`);
  }
  line('   * the first run of each spec validates it (cache cold); the medians are of the runs after it.');
  const [a, b] = [r.scaling[r.scaling.length - 2], r.scaling[r.scaling.length - 1]];
  if (a && b && a.cases && b.cases)
    line(
      `   Marginal cost from ${a.operations} to ${b.operations} operations: ${((b.wall.median - a.wall.median) / (b.cases - a.cases)).toFixed(1)} ms of wall per added case.`,
    );

  line();
  line("5. Start-up breakdown — the bundled run's steps in CLI order, fresh process each (bench/startup-probe.ts)");
  const [warm, cold, bundle] = (['source, warm cache', 'source, cold cache', 'bundle'] as const).map((path) => r.startup.find((s) => s.path === path));
  if (warm) {
    line(`   From source (tsx compiles lib/ on import: npm run dev)${' '.repeat(8)}${'warm'.padStart(7)} ${cold ? 'cold'.padStart(7) : ''}`);
    for (const [i, s] of warm.steps.entries())
      line(`   ${s.step.padEnd(92)} ${ms(s.ms.median).padStart(7)} ${cold ? ms(cold.steps[i]?.ms.median ?? Number.NaN).padStart(7) : ''}`);
    line(
      `   ${'total on the process clock'.padEnd(92)} ${ms(warm.inProcessTotal.median).padStart(7)} ${cold ? ms(cold.inProcessTotal.median).padStart(7) : ''}`,
    );
    line(`   ${'wall, spawn → exit'.padEnd(92)} ${ms(warm.wall.median).padStart(7)} ${cold ? ms(cold.wall.median).padStart(7) : ''}`);
    line(
      `   n=${warm.runs}${cold ? ` warm, ${cold.runs} cold` : ''}; verdicts ${[...warm.verdicts, ...(cold?.verdicts ?? [])].join('/')}. "(probe set-up)" is the probe's own work, not the CLI's.`,
    );
  }
  if (bundle) {
    line(
      `   From the dist/ bundle${bundle.stale ? ' (OLDER than the sources: bin/ would not use it; npm run build refreshes it)' : ''}, n=${bundle.runs}, ${bundle.verdicts.join('/')}:`,
    );
    line(
      `   ${bundle.steps.map((s) => `${s.step} ${ms(s.ms.median)}`).join(' · ')}; total ${ms(bundle.inProcessTotal.median)}, wall ${ms(bundle.wall.median)}`,
    );
  } else line('   No dist/ bundle: not measured (npm run build makes one).');
  if (r.importCosts.length) {
    line('   Third-party imports on that path, each alone in a fresh node (with its own dependencies; not additive):');
    line(`   ${r.importCosts.map((c) => `${c.module} ${ms(c.ms.median)}`).join(' · ')} (n=${r.importCosts[0]?.ms.n})`);
  }

  line();
  line(renderRatios(r.ratios, r.ratiosFresh, r.floor.recordedRequests));

  line();
  line('Targets (issues 7 and 17)');
  for (const t of r.targets) line(`   ${t.met ? 'met   ' : 'MISSED'} ${t.name.padEnd(40)} ${t.target.padEnd(52)} measured ${t.measured}`);
  return out.join('\n');
}

/** Section 6 (issue 17): the suite against the floor, side by side, fresh processes both. */
export function renderRatios(rows: readonly RatioRow[], fresh: readonly RatioRow[] | undefined, requests: number): string {
  const out: string[] = [];
  const runs = rows[0]?.runs ?? 0;
  out.push(
    `6. Suite vs floor — node bin/sdrs-conformance.js run by URL vs bench/floor-client.mjs (undici Pool of 8, the same ${requests} requests), fresh processes, ${runs} pairs each`,
  );
  const table = (label: string, list: readonly RatioRow[]) => {
    out.push(`   ${label}`);
    out.push(
      `   ${'setting'.padEnd(38)} ${'suite'.padStart(8)} ${'floor'.padStart(8)} ${'ratio'.padStart(7)} ${'target'.padStart(7)}  ${'conns suite/floor'.padStart(17)} ${'peak RSS suite/floor'.padStart(21)}  verdict`,
    );
    for (const row of list)
      out.push(
        `   ${row.setting.padEnd(38)} ${ms(row.suite.median).padStart(8)} ${ms(row.floor.median).padStart(8)} ${ratio(row.ratio.median).padStart(7)} ${`≤${row.target.toFixed(2)}`.padStart(7)}  ${`${row.suiteConnections.median}/${row.floorConnections.median}`.padStart(17)} ${`${mib(row.suiteRssKb.median)}/${mib(row.floorRssKb.median)}`.padStart(21)}  ${row.verdicts.join('/')}`,
      );
    for (const row of list)
      out.push(`     ${row.setting}: ratio ${spreadText(row.ratio, ratio)}; suite ${spreadText(row.suite)}; ${row.suiteRequests.median} requests`);
  };
  table('kept-alive connections (the default)', rows);
  if (fresh) table('--fresh-connections (one connection per exchange)', fresh);
  out.push('   ratio: the median of the per-pair ratios. Latency is added to every answer by bench/tcp-proxy.ts; for HTTPS, TLS ends');
  out.push('   behind that proxy (bench/ratios.ts), so handshakes pay the round trips; the TCP connect itself is not delayed.');
  return out.join('\n');
}
