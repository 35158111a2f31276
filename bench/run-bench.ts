/**
 * `npm run bench` — issue 7's benchmark. Prints a report and writes bench/results.json. Numbers go in
 * notes, never in test assertions. `--quick`: one run of each, fewer sizes — a smoke test of the bench.
 * `--runs N`: N runs per measurement instead of the defaults (5 for cheap ones, 3 for slow ones).
 * `--ratios`: only section 6, the ratio table against the floor. `--with-fresh`: section 6 once more
 * with `--fresh-connections` (one connection per exchange), side by side.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { measureFloor, measureFullRun, recordRequests } from './full-run.ts';
import { measureRatios } from './ratios.ts';
import { measureLatency } from './latency.ts';
import { renderRatios, renderReport, targetsOf, type BenchResults } from './report.ts';
import { measureScaling } from './scaling.ts';
import { cliCodePath, importCosts, startupBreakdown } from './startup.ts';

/** The whole benchmark ends by then, whatever hangs. */
const DEADLINE_MS = 30 * 60_000;
const RESULTS = new URL('./results.json', import.meta.url);
const ROOT = new URL('..', import.meta.url).pathname;

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, runs: { type: 'string' }, ratios: { type: 'boolean' }, 'with-fresh': { type: 'boolean' } },
  strict: true,
});
const quick = values.quick ?? false;
const override = values.runs === undefined ? undefined : Number(values.runs);
if (override !== undefined && !(Number.isInteger(override) && override > 0)) {
  process.stderr.write(`CFG_USAGE: --runs expects a positive whole number, got "${values.runs}"\n`);
  process.exit(2);
}
const runs = (normal: number) => override ?? (quick ? 1 : normal);

const deadline = setTimeout(() => {
  process.stderr.write(`bench: stopped after ${DEADLINE_MS / 60_000} minutes\n`);
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();

const step = (text: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
const loadStart = loadavg();
const codePath = cliCodePath();

if (values.ratios) {
  step(
    `ratios only: recording the suite's requests, then ${runs(5)} paired runs per setting${values['with-fresh'] ? ', then again with --fresh-connections' : ''}`,
  );
  const { recorded } = await recordRequests();
  const ratios = await measureRatios(runs(5), recorded);
  const ratiosFresh = values['with-fresh'] ? await measureRatios(runs(5), recorded, ['--fresh-connections']) : undefined;
  process.stdout.write(`${renderRatios(ratios, ratiosFresh, recorded.length)}\n`);
  process.exit(0);
}

step(`1/6 full run, bundled server (${runs(5)} cold processes, then ${runs(5)} by URL in-process)`);
const fullRun = await measureFullRun(runs(5));
step(`2/6 HTTP floor (${runs(5)} runs each of the suite's request phase and two bare undici replays)`);
const { recorded, sample, ...floor } = await measureFloor(runs(5));
const concurrencies = quick ? [8] : [8, 32];
step(`3/6 100 ms latency at --concurrency ${concurrencies.join(' and ')} (${runs(3)} runs with latency, ${runs(3)} without)`);
const latency = [];
for (const concurrency of concurrencies) latency.push(await measureLatency(concurrency, runs(3), sample));
const sizes = quick ? [1, 10] : [1, 10, 100];
step(`4/6 scaling: ${sizes.join(', ')} operations (${runs(3)} runs each after a first, cold-cache run)`);
const scaling = await measureScaling(sizes, runs(3));
step(
  `5/6 start-up breakdown (fresh processes: ${runs(5)} from source with a warm spec cache, ${runs(3)} cold, ${runs(5)} from dist/ if built; import costs ${runs(3)} each)`,
);
const startup = [];
for (const [path, count] of [
  ['source, warm cache', runs(5)],
  ['source, cold cache', runs(3)],
  ['bundle', runs(5)],
] as const) {
  const breakdown = await startupBreakdown(path, count);
  if (breakdown) startup.push(breakdown);
}
const imports = await importCosts(runs(3));
step(`6/6 ratio table: suite vs floor, ${runs(5)} paired fresh processes per setting (loopback, 100 ms, HTTPS 50 ms RTT)`);
const ratios = await measureRatios(runs(5), recorded);
const ratiosFresh = values['with-fresh'] ? await measureRatios(runs(5), recorded, ['--fresh-connections']) : undefined;

const measured = {
  fullRun,
  floor: { ...floor, recordedRequests: recorded.length },
  latency,
  scaling,
  startup,
  importCosts: imports,
  ratios,
  ...(ratiosFresh ? { ratiosFresh } : {}),
};
const results: BenchResults = { meta: meta(), targets: targetsOf(measured), ...measured };
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${renderReport(results)}\n\nWritten: bench/results.json\n`);

function meta(): BenchResults['meta'] {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout ?? '';
  const dirty = [
    ...new Set(
      git('status', '--porcelain', '--', 'lib', 'server', 'reporters', 'spec', 'bin')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(3)),
    ),
  ].slice(0, 12);
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    head: git('log', '-1', '--format=%h %s').trim().slice(0, 100),
    dirty,
    cliCodePath: cliCodePath() === codePath ? codePath : `${codePath} at the start, ${cliCodePath()} at the end (sources changed during the run)`,
    quick,
    loadAverage: { start: loadStart, end: loadavg() },
  };
}
