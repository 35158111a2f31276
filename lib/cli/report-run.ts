import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectPath } from '../project-paths.ts';
import type { CaseOutcome, DeletionRecord } from '../run/case-outcome.ts';
import { OUTCOMES_FILE, writeShardRecord } from '../run/outcomes-file.ts';
import type { RunConfig } from '../run/run-config.ts';
import type { Verdict } from '../run/verdict.ts';
import type { SpecModel } from '../spec/operation-model.ts';
import { formatStatusMatrix } from '../../reporters/status-matrix-table.ts';
import { buildSummary, documentedStatusesOf, type RunSummary } from '../../reporters/summary-model.ts';
import { writeArtefacts } from '../../reporters/write-artefacts.ts';
import type { CliIo } from './main.ts';
import type { RunOptions } from './run-options.ts';

export const SUITE_VERSION = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string }).version;

/** After the cases: the summary, the console matrix and ledger, and the sign-off files. */
export async function reportRun(run: {
  outcomes: CaseOutcome[];
  notRun: string[];
  spec: SpecModel;
  config: RunConfig;
  startedAt: Date;
  baseline: RunSummary | undefined;
  options: RunOptions;
  io: CliIo;
}): Promise<Verdict> {
  const { outcomes, config, options, io } = run;
  const summary = buildSummary({
    outcomes,
    notRun: run.notRun.length,
    documented: documentedStatusesOf(run.spec),
    spec: run.spec,
    run: { endpoint: config.baseUrl, endpointClass: config.endpointClass, profile: config.profile, suiteVersion: SUITE_VERSION, seed: config.seed, startedAt: run.startedAt, finishedAt: new Date() },
    baseline: run.baseline ? { summary: run.baseline, source: options.baselineFile as string } : undefined,
  });
  for (const line of formatStatusMatrix(summary.matrix)) io.out(line);
  printLedger(summary.ledger, io);
  const paths = await writeArtefacts(summary, { outDir: options.summaryDir, junitPath: options.junitFile });
  writeShardRecord(join(options.summaryDir, OUTCOMES_FILE), {
    schemaVersion: 1,
    shard: config.shard ?? null,
    resultsDir: options.resultsDir,
    specSha256: run.spec.sha256,
    profile: config.profile,
    endpoint: summary.run.endpoint,
    endpointClass: config.endpointClass,
    seed: config.seed,
    startedAt: run.startedAt.toISOString(),
    outcomes,
  });
  if (summary.baseline) {
    io.out(`Against the baseline: ${summary.baseline.newFailures.length} new failure(s), ${summary.baseline.stillFailing.length} still failing, ${summary.baseline.fixed.length} fixed.`);
  }
  const counts = (['passed', 'failed', 'broken', 'skipped'] as const).map((s) => `${summary.counts[s]} ${s}`).join(', ');
  const notRun = run.notRun.length ? `, ${run.notRun.length} not run` : '';
  io.out(`\n${outcomes.length + run.notRun.length} cases: ${counts}${notRun}. Verdict: ${summary.verdict} — ${summary.verdictReason}`);
  const junit = paths.junit ? ` · JUnit ${relative(process.cwd(), paths.junit)}` : '';
  io.out(`Allure results in ${options.resultsDir}/ · verdict page ${relative(process.cwd(), paths.html) || paths.html} (also .md, .json)${junit}`);
  return summary.verdict;
}

function printLedger(deletions: DeletionRecord[], io: CliIo): void {
  io.out(`\nDeletion ledger: ${deletions.length === 0 ? 'no job was deleted.' : `${deletions.length} job(s) deleted.`}`);
  for (const d of deletions) io.out(`  ${d.intended ? 'deleted   ' : 'UNEXPECTED'} ${d.jobId}  by ${d.caseId} (${d.status})`);
}
