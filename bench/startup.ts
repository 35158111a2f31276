import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from './measure-process.ts';
import { repeat, spread, type Spread } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = new URL('./startup-probe.ts', import.meta.url).href;
/** The build's output (`npm run build`), which bin/ prefers when it is newer than the sources. */
const BUNDLE = join(ROOT, 'dist', 'sdrs-conformance.js');
const FIRST_LAP = "['node started (process start → first line of user code)', first]";

/** What `npm run dev` does before importing lib/ (tsx compiles the sources), with a lap before and after tsx. */
const SOURCE_BOOTSTRAP = [
  'const first = performance.now();',
  "const { register } = await import('tsx/esm/api');",
  'register();',
  `globalThis.benchLaps = [${FIRST_LAP}, ['tsx loaded and registered', performance.now()]];`,
  `await import(${JSON.stringify(PROBE)});`,
].join('\n');

/** The bundle path: one import, then the CLI's own `main` runs the bundled run (output discarded). */
const BUNDLE_BOOTSTRAP = [
  'const first = performance.now();',
  `const { main } = await import(${JSON.stringify(new URL(`file://${BUNDLE}`).href)});`,
  'const imported = performance.now();',
  "const code = await main(['run', '--results-dir', 'results', '--summary-dir', '.'], { out: () => {}, err: () => {}, env: {} });",
  `const laps = [${FIRST_LAP}, ['bundle imported (dist/sdrs-conformance.js)', imported], ['main run: spec, server, cases, reports → verdict', performance.now()]];`,
  "process.stdout.write('BENCH-LAPS ' + JSON.stringify({ verdict: 'exit ' + code, laps }) + '\\n');",
].join('\n');

type StartupPath = 'source, warm cache' | 'source, cold cache' | 'bundle';

export interface StartupBreakdown {
  path: StartupPath;
  runs: number;
  /** Each step's own duration (from the previous lap), median over the runs. */
  steps: Array<{ step: string; ms: Spread }>;
  /** The last lap, on the process's own clock. */
  inProcessTotal: Spread;
  /** Spawn to exit, from outside. */
  wall: Spread;
  verdicts: string[];
  /** For the bundle: it is older than a source file (bin/ would not use it; `npm run build` refreshes it). */
  stale?: boolean;
}

/** Runs the probe `runs` times in fresh processes and takes each step's median; undefined when there is no bundle to measure. */
export async function startupBreakdown(path: StartupPath, runs: number): Promise<StartupBreakdown | undefined> {
  if (path === 'bundle' && !existsSync(BUNDLE)) return undefined;
  const results = await repeat(runs, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sdrs-bench-startup-'));
    try {
      const args = path === 'bundle' ? ['-e', BUNDLE_BOOTSTRAP] : ['-e', SOURCE_BOOTSTRAP, '--', ...(path === 'source, cold cache' ? ['--cold'] : [])];
      // The source probe resolves tsx from the project; the bundle resolves its packages from dist/.
      const run = await runNode(['--input-type=module', ...args], { cwd: path === 'bundle' ? cwd : ROOT, timeoutMs: 60_000 });
      const line = /^BENCH-LAPS (.*)$/m.exec(run.stdout)?.[1];
      if (!line) throw new Error(`startup probe (${path}) failed (exit ${run.exitCode}): ${run.stderr.slice(-2000)}`);
      const parsed = JSON.parse(line) as { verdict: string; laps: Array<[string, number]> };
      return { wallMs: run.wallMs, verdict: parsed.verdict, laps: parsed.laps };
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
  const names = (results[0] as { laps: Array<[string, number]> }).laps.map(([name]) => name);
  const steps = names.map((step, i) => ({
    step,
    ms: spread(results.map((r) => (r.laps[i]?.[1] ?? Number.NaN) - (i === 0 ? 0 : (r.laps[i - 1]?.[1] ?? Number.NaN)))),
  }));
  return {
    path,
    runs,
    steps,
    inProcessTotal: spread(results.map((r) => r.laps[r.laps.length - 1]?.[1] ?? Number.NaN)),
    wall: spread(results.map((r) => r.wallMs)),
    verdicts: [...new Set(results.map((r) => r.verdict))],
    ...(path === 'bundle' ? { stale: newestSource() > statSync(BUNDLE).mtimeMs } : {}),
  };
}

/** What `node bin/sdrs-conformance.js` does now: runs the dist/ bundle while it is newer than every source, else refuses (exit 2). */
export function cliCodePath(): string {
  if (!existsSync(BUNDLE)) return 'nothing: it refuses to start without a dist/ bundle (npm run build)';
  return newestSource() > statSync(BUNDLE).mtimeMs ? 'nothing: it refuses a dist/ bundle older than the sources (npm run build)' : 'the dist/ bundle';
}

function newestSource(): number {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(path) : entry.name.endsWith('.ts') ? statSync(path).mtimeMs : 0);
    }, 0);
  return Math.max(...['cli', 'lib', 'server', 'reporters'].map((dir) => newest(join(ROOT, dir))));
}

/** Third-party modules on the `run` hot path (swagger-parser only on a cold spec cache). */
const HEAVY_IMPORTS = [
  'undici',
  'ajv/dist/2020.js',
  'js-yaml',
  'fast-check',
  'allure-js-commons/sdk/reporter',
  'allure-vitest/reporter',
  '@apidevtools/swagger-parser',
] as const;

/** Each module imported alone into a fresh node (no tsx): its own cost with its dependencies; not additive. */
export async function importCosts(runs: number): Promise<Array<{ module: string; ms: Spread }>> {
  const costs = [];
  for (const module of HEAVY_IMPORTS) {
    const code = `const t = performance.now(); await import(${JSON.stringify(module)}); process.stdout.write(String(performance.now() - t));`;
    const times = await repeat(runs, async () => Number((await runNode(['--input-type=module', '-e', code], { cwd: ROOT, timeoutMs: 30_000 })).stdout));
    costs.push({ module, ms: spread(times) });
  }
  return costs;
}
