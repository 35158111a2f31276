import { rmSync } from 'node:fs';
import { loadExpectations } from '../spec/load-expectations.ts';
import { loadSpec } from '../spec/load-spec.ts';
import { DEFAULT_HTTP_OPTIONS } from '../http/http-options.ts';
import type { CaseOutcome } from '../run/case-outcome.ts';
import type { RunConfig } from '../run/run-config.ts';
import { runSuites } from '../run/run-suites.ts';
import { EXIT_CODE, verdictOf, type Verdict } from '../run/verdict.ts';
import { loadSeed } from '../../server/seed.ts';
import { startReferenceServer } from '../../server/http-server.ts';
import type { CliIo } from './main.ts';
import { parseRunOptions, type RunOptions } from './run-options.ts';


export interface RunResult {
  verdict: Verdict;
  exitCode: number;
  outcomes: CaseOutcome[];
}

/** `sdrs-conformance run`: for now, always the bundled reference server. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const result = await runAgainstBundledServer({ ...parseRunOptions(args), write: io.out });
  return result.exitCode;
}

/** The main job: against the bundled reference server, started in-process on a free port. */
export async function runAgainstBundledServer(options: RunOptions & { write: (line: string) => void }): Promise<RunResult> {
  const spec = await loadSpec(options.specFile);
  loadExpectations(options.expectationsFile);
  const seed = loadSeed();
  const server = await startReferenceServer({ seed, scenarios: true });
  try {
    const [first, second] = seed.projects;
    const config: RunConfig = {
      baseUrl: server.url,
      endpointClass: 'bundled',
      specFile: options.specFile,
      expectationsFile: options.expectationsFile,
      profile: options.profile,
      primary: { projectId: first!.projectId, credential: { kind: 'token', token: first!.tokens[0]! } },
      other: second ? { projectId: second.projectId, credential: { kind: 'token', token: second.tokens[0]! } } : undefined,
      deletableJobs: [],
      discover: true,
      scenarioControl: true,
      seed: options.seed,
      http: DEFAULT_HTTP_OPTIONS,
    };
    rmSync(options.resultsDir, { recursive: true, force: true });
    options.write(`sdrs-conformance: ${spec.title} ${spec.version} against the bundled reference server (${server.url}), profile ${options.profile}`);
    const outcomes = await runSuites(config, {
      resultsDir: options.resultsDir,
      write: options.write,
      environment: { endpoint: 'bundled reference server', profile: options.profile, spec: `${spec.title} ${spec.version}`, spec_sha256: spec.sha256, node: process.version },
    });
    const verdict = verdictOf(outcomes);
    const counts = (['passed', 'failed', 'broken', 'skipped'] as const).map((s) => `${outcomes.filter((o) => o.status === s).length} ${s}`).join(', ');
    options.write(`\n${outcomes.length} cases: ${counts}. Verdict: ${verdict}. Allure results in ${options.resultsDir}/`);
    return { verdict, exitCode: EXIT_CODE[verdict], outcomes };
  } finally {
    await server.close();
  }
}
