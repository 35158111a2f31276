import type { BaselineEntry } from './baseline.ts';
import { formatDuration, type CaseSummary, type RunSummary } from './summary-model.ts';

/**
 * conformance-summary.md — the verdict for a pull request or a ticket. Same order as the HTML page:
 * verdict, new failures (when a baseline is given), the run, the matrix, the violations, the skips, the ledger.
 */
export function renderSummaryMarkdown(summary: RunSummary): string {
  const { run, spec, counts } = summary;
  const operations = [...new Set(summary.matrix.map((r) => r.operationId))];
  const out: string[] = [`# SDRS conformance: ${summary.verdict}`, '', cell(summary.verdictReason), ''];
  if (summary.baseline) out.push(...baselineSection(summary), '');
  out.push(
    '## Run',
    '',
    table(
      ['Field', 'Value'],
      [
        ['Endpoint', `${run.endpoint} (${run.endpointClass})`],
        ['Profile', run.profile],
        ['Spec', `${spec.title} ${spec.version}`],
        ['Spec sha256', `\`${spec.sha256}\``],
        ['Suite version', run.suiteVersion],
        ['Seed', String(run.seed)],
        ['Started', run.startedAt],
        ['Finished', `${run.finishedAt} (${formatDuration(run.durationMs)})`],
        ['Cases', `${counts.total}: ${counts.passed} passed, ${counts.failed} failed, ${counts.broken} broken, ${counts.skipped} skipped`],
      ],
    ),
    '',
    `## Documented-status matrix${operations.length === 1 ? ` — ${operations[0]}` : ''}`,
    '',
    table(
      [...(operations.length > 1 ? ['Operation'] : []), 'Status', 'Description', 'Result', 'Shown by', 'Why'],
      summary.matrix.map((r) => [...(operations.length > 1 ? [r.operationId] : []), String(r.status), r.description, r.state, r.verifiedBy ?? '—', r.why]),
    ),
    '',
  );
  const failing = summary.cases.filter((c) => c.violations.length || c.transportError);
  out.push('## Violations', '');
  if (failing.length === 0) out.push('None.', '');
  for (const c of failing) out.push(...caseViolations(c), '');
  const skipped = summary.cases.filter((c) => c.skip);
  if (skipped.length) {
    out.push('## Not run', '', table(['Case', 'Why', 'Reason'], skipped.map((c) => [c.caseId, c.skip!.category, c.skip!.reason])), '');
  }
  out.push('## Deletion ledger', '');
  out.push(
    summary.ledger.length
      ? table(['Job', 'Deleted by', 'Status', 'Intended'], summary.ledger.map((d) => [d.jobId, d.caseId, String(d.status), d.intended ? 'yes' : UNINTENDED]))
      : 'This run deleted no job.',
    '',
  );
  return out.join('\n');
}

const UNINTENDED = '**NO** — a request that should have been refused deleted this job';

function baselineSection(summary: RunSummary): string[] {
  const diff = summary.baseline!;
  const list = (entries: BaselineEntry[]) => (entries.length ? entries.map((e) => `- \`${e.caseId}\` ${cell(e.title)} (${e.before ?? 'absent'} → ${e.now ?? 'absent'})`) : ['- none']);
  return [
    `## Since the baseline (${cell(diff.source)}, ${diff.baselineStartedAt})`,
    '',
    `### New failures (${diff.newFailures.length})`,
    ...list(diff.newFailures),
    '',
    `### Fixed (${diff.fixed.length})`,
    ...list(diff.fixed),
    '',
    `### Still failing (${diff.stillFailing.length})`,
    ...list(diff.stillFailing),
    ...(diff.notRunNow.length ? ['', `### Failed before, not run now (${diff.notRunNow.length})`, ...list(diff.notRunNow)] : []),
  ];
}

function caseViolations(c: CaseSummary): string[] {
  const head = `### \`${c.caseId}\` ${cell(c.title)} — ${c.status}`;
  const expected = `Expected status ${c.expectedStatuses.join(', ')}; received ${c.receivedStatus ?? '—'}.`;
  const rows = c.violations.map((v) => [v.checkId, v.severity, v.title, v.expected, v.received, v.where]);
  const out = [head, '', expected];
  if (c.transportError) out.push('', `Transport error: ${cell(c.transportError)}`);
  if (rows.length) out.push('', table(['Check', 'Severity', 'Title', 'Expected', 'Received', 'Where'], rows));
  return out;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One table cell of text: pipes and line breaks would end the cell; raw HTML would render in most viewers. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}
