import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ConformanceError } from '../lib/errors.ts';
import { DEFAULT_HTTP_OPTIONS, type HttpOptions } from '../lib/http/http-options.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import type { SuiteRunOptions } from './run-suites.ts';
import { loadVitestRunner } from './load-vitest-runner.ts';
import { checkPreconditions, type FirstListPages } from '../lib/execute/preflight.ts';
import { JOBS_NEEDED, type RunConfig } from '../lib/run/run-config.ts';
import { reservedJobSegments } from '../lib/cases/job-id-safety.ts';
import { namedJobIdsError } from '../lib/run/job-roles.ts';
import { inlineTerminalText } from '../lib/text/terminal-text.ts';
import { EXIT_CODE, type Verdict } from '../lib/run/verdict.ts';
import { scrubberFor } from '../lib/run/run-scrubber.ts';
import { userinfoSecrets } from '../lib/auth/scrubber.ts';
import { scrubbedError, scrubbedIo } from './scrubbed-io.ts';
import { writeExecutor } from '../reporters/allure-extras.ts';
import { readSummaryJson } from '../reporters/summary-json.ts';
import { stripCredentials } from '../reporters/summary-model.ts';
import { loadOperationTables, profilesOf } from '../lib/spec/operation-tables.ts';
import { loadSpec } from '../lib/spec/load-spec.ts';
import type { SpecModel } from '../lib/spec/operation-model.ts';
import { startReferenceServer } from '../server/http-server.ts';
import { loadSeed } from '../server/seed.ts';
import { runHelp } from './help.ts';
import type { CliIo } from './main.ts';
import { reportRun, SUITE_VERSION } from './report-run.ts';
import { checkOutputFolder, prepareOutputFolder, type OutputFolder } from '../lib/output-folder.ts';
import { resultsInsideSummary } from '../lib/run/outcomes-file.ts';
import { parseRunOptions, type RunOptions } from './run-options.ts';
import { casesOf } from '../lib/plan/plan-run.ts';
import type { RunListener } from '../lib/run/run-listener.ts';
import { checkEventsFile, EventStream, openEventsFile } from '../reporters/event-stream.ts';
import { formatPlanLines } from '../reporters/plan-listing.ts';
import { closestName } from './did-you-mean.ts';

/** The endpoint stopped answering: the exit status of NET_UNREACHABLE. */
const EXIT_UNRESPONSIVE = 3;

export interface RunResult {
  verdict: Verdict;
  exitCode: number;
  outcomes: CaseOutcome[];
}

/** `sdrs-conformance run`: against --endpoint, or the bundled reference server when none is given. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const options = parseRunOptions(args, io.env);
  if (options.help) {
    io.out(runHelp());
    return 0;
  }
  if (options.version) {
    io.out(`sdrs-conformance ${SUITE_VERSION}`);
    return 0;
  }
  // `--events -`: stdout carries the events alone, the console lines go to stderr.
  if (options.events === '-') return (await runConformance(options, { ...io, out: io.err, terminal: undefined, events: io.out })).exitCode;
  return (await runConformance(options, io)).exitCode;
}

export async function runConformance(options: RunOptions, io: CliIo): Promise<RunResult> {
  // Fail fast, before any server or request, on a broken spec or table.
  const spec = await loadSpec(options.specFile);
  const tables = loadOperationTables(options.operationsDir, spec);
  if (!profilesOf(tables).includes(options.profile)) {
    throw new ConformanceError(
      'CFG_USAGE',
      `--profile ${options.profile} is not declared in ${options.operationsDir}; declared: ${profilesOf(tables).join(', ')}`,
    );
  }
  // Before any server or request: the cases --only and --rerun-failed name exist, and the runner can select them.
  options.only = selectedCases(
    options,
    casesOf(spec, tables, options.profile).map((c) => c.id),
  );
  // Before any server, preflight or request: a named id that could reach another path, or that names the guard too.
  const unsafeJobId = namedJobIdsError(options.failureJobIds, reservedJobSegments(spec.operations));
  if (unsafeJobId) throw unsafeJobId;
  const http = httpOptions(options, io);
  checkOutputs(options);
  if (options.endpoint) return runTarget(externalConfig(options, http), spec, options, io);
  const seed = loadSeed();
  const server = await startReferenceServer({ seed, scenarios: true });
  // The bundled server is on loopback: no proxy stands between.
  http.proxy = undefined;
  try {
    const [a, b] = seed.projects;
    const token = (p: typeof a) => ({ projectId: p!.projectId, credential: { kind: 'token' as const, token: p!.tokens[0]! } });
    return await runTarget(
      {
        ...baseConfig(options, http),
        baseUrl: server.url,
        endpointClass: 'bundled',
        primary: token(a),
        other: b ? token(b) : undefined,
        discover: true,
        scenarioControl: true,
      },
      spec,
      options,
      io,
    );
  } finally {
    await server.close();
  }
}

async function runTarget(config: RunConfig, spec: SpecModel, options: RunOptions, plainIo: CliIo): Promise<RunResult> {
  // Every console line of the run, and the one error line if it fails, passes the run's scrubber.
  const scrubber = scrubberFor(config);
  const io = scrubbedIo(plainIo, scrubber);
  try {
    return await runScrubbed(config, spec, options, io);
  } catch (error) {
    throw scrubbedError(error, scrubber);
  }
}

async function runScrubbed(config: RunConfig, spec: SpecModel, options: RunOptions, io: CliIo): Promise<RunResult> {
  const where = config.endpointClass === 'bundled' ? `the bundled reference server (${config.baseUrl})` : config.baseUrl;
  io.out(
    `sdrs-conformance: ${spec.title} ${spec.version} against ${where}, profile ${config.profile}${config.shard ? `, shard ${config.shard.index}/${config.shard.count}` : ''}`,
  );
  if (options.configFile) io.out(`Config: ${options.configFile} (flags and environment variables override it).`);
  const session = config.endpointClass === 'external' ? config.headers?.['x-sdrs-session'] : undefined;
  if (session) io.out(`Session: X-Sdrs-Session ${session} — a reference server gives this run its own copy of the jobs.`);
  io.out(deletionPolicy(config, options));
  io.out(`Negative inputs: ${config.fuzz.runs} generated requests, fast-check seed ${config.fuzz.seed} (replay with --fuzz-seed ${config.fuzz.seed}).`);
  if (config.endpointSecrets?.length)
    io.err('warning: the user name and password in --endpoint are not sent (SDRS authenticates with --token or --ak/--sk); they are masked in every report.');
  // The direct runner loads while the preflight waits on the network; vitest (heavy) only once the endpoint answered.
  const direct = options.runner === 'direct' ? import('./run-direct.ts') : undefined;
  direct?.catch(() => {});
  let firstListPages: FirstListPages = {};
  if (config.endpointClass === 'external') {
    // Setup mistakes (not this API, a refused identity) end the run here, in one line, before any case.
    const preflight = await checkPreconditions(spec, loadOperationTables(config.operationsDir, spec), config);
    for (const warning of preflight.warnings) io.err(warning);
    firstListPages = preflight.firstPages;
  }
  // vitest is loaded only now (it is heavy): a usage error or an unreachable endpoint should not pay for it.
  const runCasesWith =
    options.runner === 'vitest'
      ? await loadVitestRunner()
      : (c: RunConfig, o: SuiteRunOptions) => (direct ?? import('./run-direct.ts')).then((m) => m.runDirect(c, o));
  if (options.list) return listCases(config, io);
  // Read before anything is written: the baseline may be last run's summary, about to be replaced.
  const baseline = options.baselineFile ? readSummaryJson(options.baselineFile) : undefined;
  prepareOutputFolder(resultsFolder(options));
  await writeExecutor(options.resultsDir, io.env);
  const startedAt = new Date();
  const events = eventStream(options, io);
  // Ctrl-C and the run deadline cancel the cases not yet run; the ledger and results of the rest are still written.
  const stop = new AbortController();
  const onSigint = () => stop.abort(new Error('the run was interrupted (Ctrl-C)'));
  process.once('SIGINT', onSigint);
  const deadline = setTimeout(() => stop.abort(new Error(`the run deadline (--run-timeout ${options.runTimeoutMs} ms) passed`)), options.runTimeoutMs);
  const listeners = [...(events ? [events.stream] : []), ...(options.maxFailures ? [stopAfterFailures(options.maxFailures, stop)] : [])];
  let run: Awaited<ReturnType<typeof runCasesWith>>;
  try {
    run = await runCasesWith(config, {
      firstListPages,
      resultsDir: options.resultsDir,
      write: io.out,
      signal: stop.signal,
      listeners,
      terminal: io.terminal ? { ...io.terminal, color: options.color } : undefined,
      environment: {
        endpoint: config.endpointClass === 'bundled' ? 'bundled reference server' : stripCredentials(config.baseUrl),
        profile: config.profile,
        spec: `${spec.title} ${spec.version}`,
        spec_sha256: spec.sha256,
        suite_version: SUITE_VERSION,
        seed: String(config.seed),
        node: process.version,
      },
    });
  } catch (error) {
    events?.close();
    throw error;
  } finally {
    clearTimeout(deadline);
    process.off('SIGINT', onSigint);
  }
  const { outcomes } = run;
  if (run.cancelled) {
    const finished = outcomes.filter((o) => o.skip?.category !== 'not-run').length;
    io.err(
      `stopped early: ${(stop.signal.reason as Error).message}; ${finished} case(s) finished, the rest did not run (listed as "not run" in every report).`,
    );
  }
  if (run.unresponsive) io.err(`stopped early: the target stopped answering — ${run.unresponsive}; the cases not run are listed as "not run" in every report.`);
  const verdict = await reportRun({ outcomes, notRun: run.notRun, spec, config, startedAt, baseline, options, io, throttling: run.throttling });
  await run.written;
  // A shard is judged by `merge`; alone it fails only on what it saw fail.
  if (config.shard && verdict === 'INCOMPLETE' && !run.cancelled && !run.unresponsive) {
    io.out(`Shard ${config.shard.index}/${config.shard.count}: the verdict of the run comes from \`sdrs-conformance merge\`.`);
    return { verdict, exitCode: 0, outcomes };
  }
  const interrupted = run.cancelled && stop.signal.reason instanceof Error && /Ctrl-C/.test(stop.signal.reason.message);
  // A target that stopped answering mid-run is what exit 3 means (unreachable), whatever the finished cases showed.
  const exitCode = interrupted ? 130 : run.unresponsive ? EXIT_UNRESPONSIVE : EXIT_CODE[verdict];
  events?.stream.runFinished(verdict, outcomes, exitCode);
  events?.close();
  return { verdict, exitCode, outcomes };
}

/** `--list`: the plan, one case a line with what it sends; nothing beyond what planning read (the lists) is sent. */
async function listCases(config: RunConfig, io: CliIo): Promise<RunResult> {
  const { runDirect } = await import('./run-direct.ts');
  const { plan } = await runDirect(config, { resultsDir: '', environment: {}, planOnly: true });
  for (const line of formatPlanLines(plan?.cases ?? [])) io.out(line);
  io.out(`\n${plan?.cases.length ?? 0} cases planned; nothing was run (--list).`);
  return { verdict: 'INCOMPLETE', exitCode: 0, outcomes: [] };
}

/** `--events FILE|-`: the stream, on the file (refused if another tool's) or on stdout. */
function eventStream(options: RunOptions, io: CliIo): { stream: EventStream; close: () => void } | undefined {
  if (options.events === undefined) return undefined;
  if (options.events === '-') return { stream: new EventStream(io.events ?? io.out), close: () => {} };
  const file = openEventsFile(options.events);
  const scrub = io.scrub ?? ((line: string) => line);
  return { stream: new EventStream((line) => file.writeLine(scrub(line))), close: file.close };
}

/** `--max-failures N`: the Nth failed or broken case stops the run; what has not finished is reported as not run. */
function stopAfterFailures(max: number, stop: AbortController): RunListener {
  let failures = 0;
  return {
    caseFinished(outcome) {
      if (outcome.status !== 'failed' && outcome.status !== 'broken') return;
      failures += 1;
      if (failures === max && !stop.signal.aborted) stop.abort(new Error(`--max-failures ${max} reached`));
    },
  };
}

function baseConfig(
  options: RunOptions,
  http: HttpOptions,
): Omit<RunConfig, 'baseUrl' | 'endpointClass' | 'primary' | 'other' | 'discover' | 'scenarioControl'> {
  return {
    specFile: options.specFile,
    operationsDir: options.operationsDir,
    profile: options.profile,
    deletableJobs: [],
    seed: options.seed,
    fuzz: { runs: options.fuzzRuns, seed: options.fuzzSeed },
    concurrency: options.concurrency,
    concurrentDeletes: options.concurrentDeletes,
    isolateMethods: options.isolateMethods,
    pace: { maxRetries: options.maxRetries, ratePerSecond: options.rateLimitPerSecond, maxTransportErrors: options.maxTransportErrors },
    shard: options.shard,
    http,
    headers: options.headers,
    only: options.only,
  };
}

/** The safety guard: on a real endpoint, only named or discovered jobs, only with --allow-delete. */
function externalConfig(options: RunOptions, http: HttpOptions): RunConfig {
  return {
    ...baseConfig(options, http),
    baseUrl: withoutUserinfo(options.endpoint as URL),
    endpointSecrets: userinfoSecrets(options.endpoint),
    endpointClass: 'external',
    primary: options.primary as NonNullable<RunOptions['primary']>,
    other: options.other,
    deletableJobs: options.allowDelete ? options.failureJobIds.slice(0, JOBS_NEEDED) : [],
    discover: options.allowDelete && options.discover,
    scenarioControl: options.scenarioControl,
    // A reference server (scenario control) gives each session its own copy of the seed: this run starts from it, and disturbs no one.
    headers: options.scenarioControl ? { 'x-sdrs-session': `run-${randomUUID()}`, ...options.headers } : options.headers,
  };
}

function deletionPolicy(config: RunConfig, options: RunOptions): string {
  if (config.endpointClass === 'bundled') return `Deletion: the bundled server's seeded jobs (at most ${JOBS_NEEDED}: one deleted, one that must survive).`;
  if (!options.allowDelete) {
    const named = options.failureJobIds.length ? ` (${options.failureJobIds.length} job id(s) given, not used)` : '';
    return `Deletion: not allowed${named} — cases that need a deletion are skipped, and no id that could match other jobs as a pattern (% _ * ? [) is sent; add --allow-delete with --failure-job-id or --discover.`;
  }
  const named = config.deletableJobs.map((id) => inlineTerminalText(id, 40)).join(', ') || 'none';
  const source =
    config.deletableJobs.length >= JOBS_NEEDED
      ? `named: ${named}`
      : config.discover
        ? `named: ${named}; the rest discovered with the list operation (ids that could reach another path are skipped, and said so)`
        : `named: ${named}`;
  return `Deletion: allowed for at most ${JOBS_NEEDED} jobs (one deleted, one that must survive); ${source}.`;
}

function httpOptions(options: RunOptions, io: CliIo): HttpOptions {
  if (options.insecure) io.err('warning: --insecure: TLS certificates are not verified; anyone on the path can impersonate the endpoint.');
  let ca: string[] | undefined;
  if (options.caFile) {
    try {
      ca = [...rootCertificates, readFileSync(options.caFile, 'utf8')];
    } catch (error) {
      throw new ConformanceError('CFG_INVALID', `--ca-file ${options.caFile}: ${(error as Error).message}`);
    }
  }
  return {
    ...DEFAULT_HTTP_OPTIONS,
    connectTimeoutMs: options.connectTimeoutMs,
    headersTimeoutMs: options.timeoutMs,
    bodyTimeoutMs: options.timeoutMs,
    deadlineMs: options.timeoutMs,
    tls: { ca, rejectUnauthorized: !options.insecure },
    proxy: options.proxy?.toString(),
    connections: options.freshConnections ? 'fresh' : 'pool',
  };
}

/** `--only` and `--rerun-failed` → the case ids to run (checked against the plan's ids), or undefined for all. */
function selectedCases(options: RunOptions, known: string[]): string[] | undefined {
  const directOnly: Array<[string, unknown]> = [
    ['--list', options.list || undefined],
    ['--only', options.only],
    ['--rerun-failed', options.rerunFailed],
    ['--max-failures', options.maxFailures],
    ['--events', options.events],
  ];
  const given = directOnly.find(([, value]) => value !== undefined)?.[0];
  if (options.runner === 'vitest' && given) throw new ConformanceError('CFG_USAGE', `${given} works with the direct runner only; drop --runner vitest`);
  const failed = options.rerunFailed
    ? readSummaryJson(options.rerunFailed, '--rerun-failed')
        .cases.filter((c) => c.status === 'failed' || c.status === 'broken')
        .map((c) => c.caseId)
    : undefined;
  if (failed?.length === 0)
    throw new ConformanceError('CFG_USAGE', `--rerun-failed ${options.rerunFailed}: no case failed or broke in that run; nothing to re-run`);
  const wanted = [...(options.only ?? []), ...(failed ?? [])];
  if (!options.only && !failed) return undefined;
  const unknown = wanted.find((id) => !known.includes(id));
  if (unknown !== undefined) {
    const near = closestName(unknown, known);
    throw new ConformanceError(
      'CFG_USAGE',
      `${options.only?.includes(unknown) ? '--only' : `--rerun-failed ${options.rerunFailed}`}: no case "${unknown}"${near ? ` — did you mean ${near}?` : ''}; sdrs-conformance run --list prints the case ids`,
    );
  }
  return [...new Set(wanted)];
}

function withoutUserinfo(endpoint: URL): string {
  const url = new URL(endpoint);
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/+$/, '');
}

const resultsFolder = (options: RunOptions): OutputFolder => ({
  option: '--results-dir',
  path: options.resultsDir,
  kind: 'allure-results',
  alsoWrites: [options.junitFile],
});

/** Before any server or request: a refused output folder, or a shard merge could not read, costs nothing. */
function checkOutputs(options: RunOptions): void {
  checkOutputFolder(resultsFolder(options));
  if (options.events !== undefined && options.events !== '-') checkEventsFile(options.events);
  if (options.shard && !resultsInsideSummary(options.summaryDir, options.resultsDir)) {
    throw new ConformanceError(
      'CFG_USAGE',
      `with --shard, --results-dir must lie inside --summary-dir: merge reads a shard's results only inside the folder given to --from; got --summary-dir ${options.summaryDir} --results-dir ${options.resultsDir} — e.g. --summary-dir shard1 --results-dir shard1/allure-results`,
    );
  }
}
