/**
 * Run by startup.ts in a fresh process, after a bootstrap that loads tsx the way
 * bin/sdrs-conformance.js does. Walks the bundled run's start-to-verdict path in the CLI's order
 * (lib/cli/run-command.ts, lib/run/run-direct.ts), with a lap after each step, and prints the laps
 * as one JSON line. `--cold` validates a byte-distinct copy of the spec whose cache entry was removed.
 */
import { copyFileSync, appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const laps: Array<[string, number]> = [...((globalThis as { benchLaps?: Array<[string, number]> }).benchLaps ?? [])];
const lap = (name: string) => laps.push([name, performance.now()]);
lap('probe module compiled (tsx)');

const cold = process.argv.includes('--cold');
const dir = mkdtempSync(join(tmpdir(), 'sdrs-bench-startup-'));
const quiet = { out: () => {}, err: () => {}, env: {} };

await import('../cli/main.ts');
lap('CLI modules imported (lib/cli/main.ts)');

const { DEFAULT_OPERATIONS_DIR, DEFAULT_SPEC, parseRunOptions } = await import('../cli/run-options.ts');
const { forgetValidatedSpec } = await import('./spec-cache.ts');
let specFile = DEFAULT_SPEC;
if (cold) {
  specFile = join(dir, 'cold.openapi.yaml');
  copyFileSync(DEFAULT_SPEC, specFile);
  appendFileSync(specFile, '\n# benchmark: a byte-distinct copy, so its validation is not cached\n');
  forgetValidatedSpec(specFile);
}
const { loadSpec } = await import('../lib/spec/load-spec.ts');
lap('(probe set-up)');
const spec = await loadSpec(specFile);
lap('spec loaded (warm: validation cache; cold: swagger-parser)');
if (cold) forgetValidatedSpec(specFile);

const { loadOperationTables } = await import('../lib/spec/operation-tables.ts');
loadOperationTables(DEFAULT_OPERATIONS_DIR, spec);
lap('operation tables loaded (YAML parse + schema check)');

const { startReferenceServer } = await import('../server/http-server.ts');
const { loadSeed } = await import('../server/seed.ts');
const server = await startReferenceServer({ seed: loadSeed(), scenarios: true });
lap('reference server started');

const { writeExecutor } = await import('../reporters/allure-extras.ts');
const options = parseRunOptions(['--results-dir', join(dir, 'results'), '--summary-dir', dir], {});
await writeExecutor(options.resultsDir, {});
const { runEngine } = await import('../lib/run/run-engine.ts');
const { AllureResultsWriter } = await import('../reporters/allure-writer.ts');
const { formatOutcomeLines } = await import('../reporters/console-summary.ts');
const { bundledConfig } = await import('./suite-phase.ts');
lap('runner modules imported (run-direct.ts and its imports)');

// What cli/run-direct.ts does, step by step.
const config = { ...bundledConfig(server.url, { concurrency: options.concurrency, fuzzRuns: options.fuzzRuns }), specFile };
const startedAt = new Date();
const run = await runEngine(config);
const { outcomes } = run;
lap('engine: facts, plan, requests, judging');
const allure = new AllureResultsWriter(options.resultsDir, { endpoint: 'bundled reference server' });
const byId = new Map(run.plan.cases.map((p) => [p.case.id, p.case]));
for (const outcome of outcomes) {
  const testCase = byId.get(outcome.caseId);
  if (testCase) allure.write(testCase, outcome, { profile: config.profile, docUrl: undefined, endpointClass: config.endpointClass }, outcome.startedAt ?? 0);
  formatOutcomeLines(outcome);
}
await allure.flush();
lap('reporters: Allure result per case, console lines');

const { reportRun } = await import('../cli/report-run.ts');
const verdict = await reportRun({ outcomes, notRun: [], spec, config, startedAt, baseline: undefined, options, io: quiet });
lap('reports written (summary, matrix, md/json/html) → verdict');

await server.close();
rmSync(dir, { recursive: true, force: true });
lap('server closed, temp files removed');
process.stdout.write(`BENCH-LAPS ${JSON.stringify({ verdict, cases: outcomes.length, laps })}\n`);
