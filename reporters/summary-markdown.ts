import type { BaselineEntry } from './baseline.ts';
import { ledgerHeadline, ledgerRows } from './ledger-summary.ts';
import { formatDuration, formatThrottling, type CaseSummary, type RunSummary } from './summary-model.ts';
import { inlineTerminalText } from '../lib/text/terminal-text.ts';
import { skipGroups } from './root-causes.ts';

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
        ['Spec sha256', new Markdown(code(spec.sha256))],
        ['Suite version', run.suiteVersion],
        ['Seed', String(run.seed)],
        ['Started', run.startedAt],
        ['Finished', `${run.finishedAt} (${formatDuration(run.durationMs)})`],
        ['Cases', `${counts.total}: ${counts.passed} passed, ${counts.failed} failed, ${counts.broken} broken, ${counts.skipped} skipped`],
        ...(summary.throttling ? [['Throttling', formatThrottling(summary.throttling)]] : []),
      ],
    ),
    '',
    `## Documented-status matrix${operations.length === 1 ? ` — ${cell(operations[0]!)}` : ''}`,
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
  // Each reason once, with the cases it covers (as on the HTML page).
  const skips = skipGroups(summary.cases);
  if (skips.length) {
    out.push(
      '## Not run',
      '',
      table(
        ['Reason', 'Why', 'Cases'],
        skips.map((g) => [g.reason, g.category, g.cases.join(', ')]),
      ),
      '',
    );
  }
  out.push('## Deletion ledger', '', ...ledgerSection(summary));
  return out.join('\n');
}

const UNINTENDED = '**NO** — a request that should have been refused deleted this job';

/** Every DELETE answered 2xx (alike requests on one row), then what vanished, then the ids not sent. */
function ledgerSection(summary: RunSummary): string[] {
  const { ledgerTotals: totals } = summary;
  if (totals.requests === 0 && totals.vanished === 0 && summary.refusedJobIds.length === 0) return ['This run deleted no job.', ''];
  const out = [cell(`${ledgerHeadline(totals)}.`), ''];
  const rows = ledgerRows(summary.ledger);
  const projects = new Set(rows.map((r) => r.projectId)).size > 1;
  if (rows.length) {
    out.push(
      table(
        ['Job', ...(projects ? ['Project'] : []), 'Deleted by', 'Status', 'Intended', 'Requests'],
        rows.map((r) => [
          r.jobId,
          ...(projects ? [r.projectId] : []),
          r.caseId,
          String(r.status),
          r.intended ? 'yes' : new Markdown(UNINTENDED),
          String(r.requests),
        ]),
      ),
      '',
    );
  }
  if (summary.vanished.length) {
    out.push(
      'Vanished — gone from a list, and no DELETE of it was answered 2xx:',
      '',
      table(
        ['Job', 'Project', 'List', 'Seen by'],
        summary.vanished.map((v) => [v.jobId, v.projectId, v.list, v.seenBy]),
      ),
      '',
    );
  }
  if (summary.refusedJobIds.length) {
    out.push(
      'Discovered ids the run did not send:',
      '',
      table(
        ['Id', 'Why'],
        summary.refusedJobIds.map((r) => [r.id, `the id ${r.why}`]),
      ),
      '',
    );
  }
  return out;
}

function baselineSection(summary: RunSummary): string[] {
  const diff = summary.baseline!;
  // Every entry comes from a file the user supplied (the baseline), so even its case ids are text.
  const list = (entries: BaselineEntry[]) =>
    entries.length ? entries.map((e) => `- ${code(e.caseId)} ${cell(e.title)} (${cell(e.before ?? 'absent')} → ${cell(e.now ?? 'absent')})`) : ['- none'];
  return [
    `## Since the baseline (${cell(diff.source)}, ${cell(diff.baselineStartedAt)})`,
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
  const head = `### ${code(c.caseId)} ${cell(c.title)} — ${cell(c.status)}`;
  const expected = cell(`Expected status ${c.expectedStatuses.join(', ')}; received ${c.receivedStatus ?? '—'}.`);
  const rows = c.violations.map((v) => [v.checkId, v.severity, v.title, v.expected, v.received, v.where]);
  const out = [head, '', expected];
  if (c.transportError) out.push('', `Transport error: ${cell(c.transportError)}`);
  if (rows.length) out.push('', table(['Check', 'Severity', 'Title', 'Expected', 'Received', 'Where'], rows));
  return out;
}

/** Markdown this module wrote: the only kind `table` does not pass through `cell`. */
class Markdown {
  constructor(readonly text: string) {}
}

function table(header: string[], rows: Array<Array<string | Markdown>>): string {
  const line = (cells: Array<string | Markdown>) => `| ${cells.map((c) => (c instanceof Markdown ? c.text : cell(c))).join(' | ')} |`;
  return [line(header), line(header.map(() => new Markdown('---'))), ...rows.map(line)].join('\n');
}

/** An identifier as a code span — only when it is plainly one; anything else (a backtick, a pipe) is text. */
function code(text: string): string {
  return /^[\w.:/-]+$/.test(text) ? `\`${text}\`` : cell(text);
}

/**
 * Text in Markdown — a table cell, a heading, a paragraph, a list item — that can create no structure:
 * no heading, list, quote, code, table break, link, image, raw HTML, emphasis or math. Line breaks and
 * controls become visible escapes first (one line, and `cat` shows no escape sequence); then every
 * character that opens an inline construct is backslash-escaped (`&`, `<`, `>` become entities), a
 * bare URL or e-mail address is kept from autolinking, and what could open a block at a line's start
 * is escaped too.
 */
export function cell(text: string): string {
  return inlineTerminalText(String(text))
    .trim()
    .replace(/[\\`*_~[\]!|#$@]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/^[-+=]/, '\\$&')
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}
