import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConformanceError } from '../lib/errors.ts';
import { ALLURE_RESULT_FILES, checkOutputFolder, isInsideOrSame, prepareOutputFolder, type OutputFolder } from '../lib/output-folder.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import { OUTCOMES_FILE, readShardRecord, type ShardRecord } from '../lib/run/outcomes-file.ts';
import { EXIT_CODE } from '../lib/run/verdict.ts';
import { loadOperationTables } from '../lib/spec/operation-tables.ts';
import { casesOf } from '../lib/plan/plan-run.ts';
import { loadSpec } from '../lib/spec/load-spec.ts';
import { readSummaryJson } from '../reporters/summary-json.ts';
import type { CliIo } from './main.ts';
import { formatHelp, type CommandHelp } from './help.ts';
import { parseFlags, type FlagTable } from './parse-flags.ts';
import { reportRun } from './report-run.ts';
import { DEFAULT_OPERATIONS_DIR, DEFAULT_SPEC, type RunOptions } from './run-options.ts';

/** The flags of `merge`: one table for the parser and `--help`. */
const FLAGS = {
  from: { type: 'string', multiple: true, arg: 'DIR', help: "a shard's --summary-dir (repeat for every shard); its results must lie inside it" },
  'results-dir': {
    type: 'string',
    arg: 'DIR',
    help: "merged Allure results; emptied of this tool's files first, refused if it holds anything else",
    default: 'allure-results',
  },
  'summary-dir': { type: 'string', arg: 'DIR', help: 'merged conformance-summary.{md,json,html}', default: '.' },
  junit: { type: 'string', arg: 'FILE', help: 'merged JUnit XML' },
  baseline: { type: 'string', arg: 'FILE', help: 'a previous conformance-summary.json to diff against' },
  spec: { type: 'string', arg: 'FILE', help: 'as given to the shards', default: 'spec/sdrs-failure-jobs.openapi.yaml' },
  operations: { type: 'string', arg: 'DIR', help: 'as given to the shards', default: 'spec/operations' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const satisfies FlagTable;

const HELP: CommandHelp = {
  usage: 'sdrs-conformance merge --from DIR [--from DIR …] [options]',
  about: [
    'Combines the shards of a run (each made with --shard i/n and its own --summary-dir) into one',
    'verdict, summary, JUnit and Allure results — as if one machine had run every case.',
  ],
  flags: FLAGS,
};

/** `sdrs-conformance merge`: the shards' outcomes and Allure results, unioned and judged once. */
export async function mergeCommand(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, FLAGS, { help: 'sdrs-conformance merge --help' });
  if (values.help) {
    io.out(formatHelp(HELP));
    return 0;
  }
  const from = values.from ?? [];
  if (from.length === 0) throw new ConformanceError('CFG_USAGE', "merge needs at least one --from DIR (a shard's --summary-dir)");
  const resultsDir = values['results-dir'] ?? FLAGS['results-dir'].default;
  const output: OutputFolder = { option: '--results-dir', path: resultsDir, kind: 'allure-results', alsoWrites: [values.junit] };
  checkOutputFolder(output);
  const shards = from.map(readShard);
  const records = shards.map((s) => s.record);
  const source = shards.find((s) => s.resultsDir === realOrUndefined(resultsDir));
  if (source)
    throw new ConformanceError(
      'CFG_USAGE',
      `--results-dir ${resultsDir} is the results folder of the shard in ${source.from}; merging into it would empty it before it is read — choose a new folder, e.g. --results-dir allure-results`,
    );
  const first = records[0] as ShardRecord;
  const mismatch = records.find((r) => r.specSha256 !== first.specSha256 || r.profile !== first.profile);
  if (mismatch) throw new ConformanceError('CFG_INVALID', 'the shards ran different specs or profiles; merge only shards of one run');
  const spec = await loadSpec(values.spec ?? DEFAULT_SPEC);
  if (spec.sha256 !== first.specSha256)
    throw new ConformanceError('CFG_INVALID', `--spec ${spec.file} is not the spec the shards ran (sha256 ${first.specSha256.slice(0, 12)}…)`);
  const tables = loadOperationTables(values.operations ?? DEFAULT_OPERATIONS_DIR, spec);
  const order = casesOf(spec, tables, first.profile).map((c) => c.id);
  const outcomes = unionInCaseOrder(
    records.flatMap((r) => r.outcomes),
    order,
  );
  const options = {
    resultsDir,
    summaryDir: values['summary-dir'] ?? FLAGS['summary-dir'].default,
    junitFile: values.junit,
    baselineFile: values.baseline,
  } as RunOptions;
  // Read before anything is written or emptied: the baseline may lie in the folders about to be replaced.
  const baseline = options.baselineFile ? readSummaryJson(options.baselineFile) : undefined;
  mergeAllureResults(
    shards.map((s) => s.resultsDir),
    prepareOutputFolder(output),
  );
  io.out(`sdrs-conformance merge: ${records.length} shard(s), ${outcomes.length} case outcome(s)`);
  const verdict = await reportRun({
    outcomes,
    notRun: order.filter((id) => !outcomes.some((o) => o.caseId === id)),
    spec,
    config: { baseUrl: first.endpoint, endpointClass: first.endpointClass, profile: first.profile, seed: first.seed } as never,
    startedAt: new Date(Math.min(...records.map((r) => Date.parse(r.startedAt)))),
    baseline,
    options,
    io,
  });
  return EXIT_CODE[verdict];
}

function unionInCaseOrder(outcomes: CaseOutcome[], order: string[]): CaseOutcome[] {
  const byId = new Map(outcomes.map((o) => [o.caseId, o]));
  return order.flatMap((id) => byId.get(id) ?? []);
}

/**
 * A shard's record and its results folder. The record may have been edited, so merge reads only
 * inside the --from folder: the record itself, and a results folder that — `..` and symlinks
 * resolved — lies within it. Anything else (`~/.aws`, `/etc`) is refused, never copied.
 */
function readShard(from: string): { from: string; record: ShardRecord; resultsDir: string } {
  const folder = realOrUndefined(from);
  if (!folder) throw new ConformanceError('CFG_INVALID', `--from ${from}: no such folder — pass the --summary-dir of a run`);
  const file = join(folder, OUTCOMES_FILE);
  const realFile = realOrUndefined(file);
  if (realFile && !isInsideOrSame(realFile, folder))
    throw new ConformanceError('CFG_INVALID', `${file} is a symlink to ${realFile}, outside --from ${from}; merge reads only inside the --from folders`);
  const record = readShardRecord(file);
  const named = resolve(folder, record.resultsDir);
  const resultsDir = realOrUndefined(named);
  if (!resultsDir)
    throw new ConformanceError(
      'CFG_INVALID',
      `${file}#/resultsDir: the shard's results folder ${named} does not exist — copy it along with the shard's --summary-dir`,
    );
  if (!isInsideOrSame(resultsDir, folder)) {
    throw new ConformanceError(
      'CFG_INVALID',
      `${file}#/resultsDir: ${JSON.stringify(record.resultsDir)} resolves to ${resultsDir}, outside --from ${folder}; merge reads only inside the --from folders — run each shard with its --results-dir inside its --summary-dir (e.g. --summary-dir shard1 --results-dir shard1/allure-results)`,
    );
  }
  if (!lstatSync(resultsDir).isDirectory()) throw new ConformanceError('CFG_INVALID', `${file}#/resultsDir: ${resultsDir} is not a folder`);
  return { from, record, resultsDir };
}

/**
 * Allure result and attachment files are named by UUID: the shards' files never collide. Only files
 * named as Allure results are copied — no subfolder, no symlink, nothing else that lies there.
 */
function mergeAllureResults(from: string[], to: string): void {
  for (const dir of from) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isFile() || !ALLURE_RESULT_FILES.some((p) => p.test(entry.name))) continue;
      const content = readRegularFile(join(dir, entry.name));
      if (content) writeFileSync(join(to, entry.name), content);
    }
  }
}

/** The file's bytes, or undefined if it is no longer a regular file (swapped for a symlink since it was listed). */
function readRegularFile(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}
