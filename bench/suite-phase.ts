import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Identity } from '../lib/auth/credentials.ts';
import type { ConformanceCase } from '../lib/cases/case-model.ts';
import { runConformance } from '../cli/run-command.ts';
import { DEFAULT_OPERATIONS_DIR, DEFAULT_SPEC, parseRunOptions } from '../cli/run-options.ts';
import { DEFAULT_HTTP_OPTIONS } from '../lib/http/http-options.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import type { RunConfig } from '../lib/run/run-config.ts';
import { runEngine } from '../lib/run/run-engine.ts';
import { startReferenceServer, type RunningServer } from '../server/http-server.ts';
import { loadSeed } from '../server/seed.ts';
import { summaryDurationIn } from './measure-process.ts';

/** The bundled server's two identities (server/default-seed.json), as the bundled run uses them. */
function seedIdentities(): { primary: Identity; other: Identity } {
  const [a, b] = loadSeed().projects;
  if (!a || !b) throw new Error('server/default-seed.json needs two projects');
  return {
    primary: { projectId: a.projectId, credential: { kind: 'token', token: a.tokens[0] as string } },
    other: { projectId: b.projectId, credential: { kind: 'token', token: b.tokens[0] as string } },
  };
}

/** `run` flags that point the suite at a reference server by URL, with the permissions the bundled run has implicitly. */
export function byUrlArgs(url: string): string[] {
  const { primary, other } = seedIdentities();
  const token = (i: Identity) => (i.credential.kind === 'token' ? i.credential.token : '');
  return [
    '--endpoint',
    url,
    '--project-id',
    primary.projectId,
    '--token',
    token(primary),
    '--other-project-id',
    other.projectId,
    '--other-token',
    token(other),
    '--allow-delete',
    '--discover',
    '--scenario-control',
  ];
}

/** A fresh reference server (jobs get deleted: every run needs its own) that counts what it answers, by status. */
export async function countingServer(): Promise<{ server: RunningServer; requests: () => number; statuses: Record<number, number> }> {
  let count = 0;
  const statuses: Record<number, number> = {};
  const server = await startReferenceServer({
    seed: loadSeed(),
    scenarios: true,
    onRequest: (line) => {
      count += 1;
      statuses[line.status] = (statuses[line.status] ?? 0) + 1;
    },
  });
  return { server, requests: () => count, statuses };
}

/** What `runConformance` builds for the bundled server, aimed at `baseUrl`. */
export function bundledConfig(baseUrl: string, options: { concurrency: number; fuzzRuns: number }): RunConfig {
  const { primary, other } = seedIdentities();
  return {
    baseUrl,
    endpointClass: 'bundled',
    specFile: DEFAULT_SPEC,
    operationsDir: DEFAULT_OPERATIONS_DIR,
    profile: 'doc',
    primary,
    other,
    deletableJobs: [],
    discover: true,
    scenarioControl: true,
    seed: 1,
    fuzz: { runs: options.fuzzRuns, seed: 1 },
    concurrency: options.concurrency,
    http: { ...DEFAULT_HTTP_OPTIONS },
  };
}

export interface PhaseRun {
  /** The engine's phases: facts (list snapshots), plan, every request, judging; no reports. Spec loading included (cached). */
  ms: number;
  cases: ConformanceCase[];
  outcomes: CaseOutcome[];
}

/** The engine alone, in this (warm) process, as run-direct.ts runs it, minus the Allure writes. */
export async function requestPhase(baseUrl: string, options: { concurrency: number; fuzzRuns: number }): Promise<PhaseRun> {
  const started = performance.now();
  const run = await runEngine(bundledConfig(baseUrl, options));
  return { ms: performance.now() - started, cases: run.plan.cases.map((p) => p.case), outcomes: run.outcomes };
}

interface InProcessRun {
  ms: number;
  exitCode: number;
  verdict: string;
  cases: number;
  /** conformance-summary.json run.durationMs: from just before the runner starts to the summary. */
  summaryDurationMs: number;
}

/** `runConformance(parseRunOptions(args))` in this process, output discarded, files in a temp dir. */
export async function inProcessRun(args: string[]): Promise<InProcessRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sdrs-bench-inproc-'));
  const errors: string[] = [];
  const io = { out: () => {}, err: (line: string) => void errors.push(line), env: {} };
  try {
    const started = performance.now();
    const result = await runConformance(parseRunOptions([...args, '--results-dir', join(dir, 'results'), '--summary-dir', dir], {}), io);
    const ms = performance.now() - started;
    return { ms, exitCode: result.exitCode, verdict: result.verdict, cases: result.outcomes.length, summaryDurationMs: summaryDurationIn(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
