import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildCases } from '../cases/build-cases.ts';
import { ConformanceError } from '../errors.ts';
import type { CaseOutcome } from '../run/case-outcome.ts';
import { OUTCOMES_FILE, readShardRecord, type ShardRecord } from '../run/outcomes-file.ts';
import { EXIT_CODE } from '../run/verdict.ts';
import { loadExpectations } from '../spec/load-expectations.ts';
import { loadSpec } from '../spec/load-spec.ts';
import { readSummaryJson } from '../../reporters/summary-json.ts';
import type { CliIo } from './main.ts';
import { parseFlags } from './parse-flags.ts';
import { reportRun } from './report-run.ts';
import { DEFAULT_EXPECTATIONS, DEFAULT_SPEC, type RunOptions } from './run-options.ts';

const USAGE = `Usage: sdrs-conformance merge --from DIR [--from DIR …] [options]

Combines the shards of a run (each made with --shard i/n and its own --summary-dir) into one
verdict, summary, JUnit and Allure results — as if one machine had run every case.
  --from DIR            a shard's --summary-dir (repeat for every shard)
  --results-dir DIR     merged Allure results (default allure-results; emptied first)
  --summary-dir DIR     merged conformance-summary.{md,json,html} (default .)
  --junit FILE          merged JUnit XML
  --baseline FILE       a previous conformance-summary.json to diff against
  --spec FILE, --expectations FILE   as given to the shards (defaults: spec/…)`;

/** `sdrs-conformance merge`: the shards' outcomes and Allure results, unioned and judged once. */
export async function mergeCommand(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, { from: { type: 'string', multiple: true }, 'results-dir': { type: 'string' }, 'summary-dir': { type: 'string' }, junit: { type: 'string' }, baseline: { type: 'string' }, spec: { type: 'string' }, expectations: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, { help: 'sdrs-conformance merge --help' });
  if (values.help) return io.out(USAGE), 0;
  const from = (values.from as string[] | undefined) ?? [];
  if (from.length === 0) throw new ConformanceError('CFG_USAGE', 'merge needs at least one --from DIR (a shard\'s --summary-dir)');
  const records = from.map((dir) => readShardRecord(join(dir, OUTCOMES_FILE)));
  const first = records[0] as ShardRecord;
  const mismatch = records.find((r) => r.specSha256 !== first.specSha256 || r.profile !== first.profile);
  if (mismatch) throw new ConformanceError('CFG_INVALID', 'the shards ran different specs or profiles; merge only shards of one run');
  const spec = await loadSpec((values.spec as string | undefined) ?? DEFAULT_SPEC);
  if (spec.sha256 !== first.specSha256) throw new ConformanceError('CFG_INVALID', `--spec ${spec.file} is not the spec the shards ran (sha256 ${first.specSha256.slice(0, 12)}…)`);
  const table = loadExpectations((values.expectations as string | undefined) ?? DEFAULT_EXPECTATIONS);
  const order = spec.operations.filter((op) => op.role === 'contract').flatMap((op) => buildCases(op, table, first.profile).map((c) => c.id));
  const outcomes = unionInCaseOrder(records.flatMap((r) => r.outcomes), order);
  const resultsDir = (values['results-dir'] as string | undefined) ?? 'allure-results';
  mergeAllureResults(records.map((r) => r.resultsDir), resultsDir);
  const options = { resultsDir, summaryDir: (values['summary-dir'] as string | undefined) ?? '.', junitFile: values.junit as string | undefined, baselineFile: values.baseline as string | undefined } as RunOptions;
  io.out(`sdrs-conformance merge: ${records.length} shard(s), ${outcomes.length} case outcome(s)`);
  const verdict = await reportRun({
    outcomes,
    notRun: order.filter((id) => !outcomes.some((o) => o.caseId === id)),
    spec,
    config: { baseUrl: first.endpoint, endpointClass: first.endpointClass, profile: first.profile, seed: first.seed } as never,
    startedAt: new Date(Math.min(...records.map((r) => Date.parse(r.startedAt)))),
    baseline: options.baselineFile ? readSummaryJson(options.baselineFile) : undefined,
    options,
    io,
  });
  return EXIT_CODE[verdict];
}

function unionInCaseOrder(outcomes: CaseOutcome[], order: string[]): CaseOutcome[] {
  const byId = new Map(outcomes.map((o) => [o.caseId, o]));
  return order.flatMap((id) => byId.get(id) ?? []);
}

/** Allure result and attachment files are named by UUID: the shards' files never collide. */
function mergeAllureResults(from: string[], to: string): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const dir of from) for (const name of readdirSync(dir)) copyFileSync(join(dir, name), join(to, name));
}
