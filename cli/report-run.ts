import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectPath } from '../lib/project-paths.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import { OUTCOMES_FILE, writeShardRecord } from '../lib/run/outcomes-file.ts';
import type { RunConfig } from '../lib/run/run-config.ts';
import type { Verdict } from '../lib/run/verdict.ts';
import type { SpecModel } from '../lib/spec/operation-model.ts';
import { formatStatusMatrix } from '../reporters/status-matrix-table.ts';
import { ledgerHeadline, ledgerRows } from '../reporters/ledger-summary.ts';
import { buildSummary, documentedStatusesOf, formatThrottling, type RunSummary, type Throttling } from '../reporters/summary-model.ts';
import { inlineTerminalText } from '../lib/text/terminal-text.ts';
import { writeArtefacts } from '../reporters/write-artefacts.ts';
import { casesOf } from '../lib/plan/plan-run.ts';
import { loadOperationTables } from '../lib/spec/operation-tables.ts';
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
  throttling?: Throttling | undefined;
}): Promise<Verdict> {
  const { outcomes, config, options, io } = run;
  const summary = buildSummary({
    outcomes,
    notRun: run.notRun.length,
    documented: documentedStatusesOf(run.spec),
    spec: run.spec,
    run: {
      endpoint: config.baseUrl,
      endpointClass: config.endpointClass,
      profile: config.profile,
      suiteVersion: SUITE_VERSION,
      seed: config.seed,
      startedAt: run.startedAt,
      finishedAt: new Date(),
    },
    baseline: run.baseline ? { summary: run.baseline, source: options.baselineFile as string } : undefined,
    throttling: run.throttling,
    selection: config.only
      ? {
          flag: options.rerunFailed ? '--rerun-failed' : '--only',
          of: casesOf(run.spec, loadOperationTables(config.operationsDir, run.spec), config.profile).length,
        }
      : undefined,
  });
  if (summary.matrix.length) for (const line of formatStatusMatrix(summary.matrix)) io.out(line);
  printLedger(summary, config.primary?.projectId, io);
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
    io.out(
      `Against the baseline: ${summary.baseline.newFailures.length} new failure(s), ${summary.baseline.stillFailing.length} still failing, ${summary.baseline.fixed.length} fixed.`,
    );
  }
  // Not-run cases are skipped outcomes (category not-run) when the runner could name them, bare ids otherwise (vitest, merge).
  const stopped = outcomes.filter((o) => o.skip?.category === 'not-run').length;
  const skipped = `${summary.counts.skipped} skipped${stopped ? ` (${stopped} not run)` : ''}`;
  const counts = [...(['passed', 'failed', 'broken'] as const).map((s) => `${summary.counts[s]} ${s}`), skipped].join(', ');
  const notRun = run.notRun.length ? `, ${run.notRun.length} not run` : '';
  io.out(`\n${outcomes.length + run.notRun.length} cases: ${counts}${notRun}. Verdict: ${summary.verdict} — ${summary.verdictReason}`);
  if (summary.throttling?.throttled) io.out(`Throttling: ${formatThrottling(summary.throttling)}.`);
  const junit = paths.junit ? ` · JUnit ${relative(process.cwd(), paths.junit)}` : '';
  io.out(`Allure results in ${options.resultsDir}/ · verdict page ${relative(process.cwd(), paths.html) || paths.html} (also .md, .json)${junit}`);
  return summary.verdict;
}

/**
 * Every DELETE answered 2xx (alike requests on one line, ×N), every job that vanished without one, and
 * every discovered id not sent. Ids came off the wire or the command line: escaped and shortened here,
 * whole in the JSON.
 */
function printLedger(summary: RunSummary, primaryProjectId: string | undefined, io: CliIo): void {
  // Quoted where blanks would hide it or blur the columns (an id of spaces, say).
  const id = (text: string) => {
    const shown = inlineTerminalText(text, 40);
    return /^$|\s/.test(shown) ? `"${shown}"` : shown;
  };
  io.out(`\nDeletion ledger: ${ledgerHeadline(summary.ledgerTotals)}.`);
  for (const row of ledgerRows(summary.ledger)) {
    const project = primaryProjectId !== undefined && row.projectId !== primaryProjectId ? ` in project ${id(row.projectId)}` : '';
    io.out(
      `  ${row.intended ? 'deleted   ' : 'UNEXPECTED'} ${id(row.jobId)}${project}  by ${row.caseId} (${row.status})${row.requests > 1 ? ` ×${row.requests}` : ''}`,
    );
  }
  for (const v of summary.vanished) io.out(`  vanished   ${id(v.jobId)}  from the ${v.list} project's list (${v.seenBy}); no DELETE of it was answered 2xx`);
  for (const r of summary.refusedJobIds) io.out(`  not sent   ${id(r.id)}  (${r.source}): the id ${r.why}`);
}
