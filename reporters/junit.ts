import { inlineTerminalText } from '../lib/text/terminal-text.ts';
import { formatViolations } from '../lib/run/format-violations.ts';
import { ledgerHeadline, ledgerRows } from './ledger-summary.ts';
import type { CaseSummary, RunSummary } from './summary-model.ts';

/**
 * JUnit XML for CI dashboards (`--junit PATH`): one <testsuite> per operation, one <testcase> per case.
 * A failure carries every violation (Received / Expected / where); a skip carries its reason in
 * <skipped message>, because a dashboard that shows "skipped" without why hides an unverified status.
 */
export function renderJunit(summary: RunSummary): string {
  const operations = [...new Set(summary.cases.map((c) => c.operationId))];
  const totals = tally(summary.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs({ name: 'sdrs-conformance', tests: totals.tests, failures: totals.failures, errors: totals.errors, skipped: totals.skipped, time: seconds(summary.run.durationMs), timestamp: summary.run.startedAt })}>`,
  ];
  for (const operationId of operations) {
    const cases = summary.cases.filter((c) => c.operationId === operationId);
    const t = tally(cases);
    lines.push(
      `  <testsuite ${attrs({ name: operationId, tests: t.tests, failures: t.failures, errors: t.errors, skipped: t.skipped, time: seconds(t.ms), timestamp: summary.run.startedAt })}>`,
    );
    lines.push(
      '    <properties>',
      ...Object.entries(properties(summary)).map(([name, value]) => `      <property ${attrs({ name, value })}/>`),
      '    </properties>',
    );
    for (const c of cases) lines.push(...testcase(c));
    const ledger = ledgerText(summary);
    if (ledger) lines.push(`    <system-out>${text(ledger)}</system-out>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(c: CaseSummary): string[] {
  const open = `    <testcase ${attrs({ classname: c.operationId, name: `[${c.caseId}] ${c.title}`, time: seconds(c.durationMs) })}`;
  const evidence = c.exchange ? `${c.exchange.request}\n→ ${c.exchange.response}` : '';
  const expected = `Expected status ${c.expectedStatuses.join(', ')}; received ${c.receivedStatus ?? '—'}.`;
  const errors = c.violations.filter((v) => v.severity === 'error');
  const warnings = c.violations.filter((v) => v.severity === 'warning');
  const body: string[] = [];
  switch (c.status) {
    case 'passed':
      break;
    case 'failed': {
      const first = errors[0];
      const message = first ? formatViolations([first]) : expected;
      body.push(
        `      <failure ${attrs({ message, type: first?.checkId ?? 'contract' })}>${text([expected, formatViolations(errors), evidence].filter(Boolean).join('\n\n'))}</failure>`,
      );
      break;
    }
    case 'broken':
      body.push(`      <error ${attrs({ message: `transport error: ${c.transportError ?? 'unknown'}`, type: 'transport' })}>${text(evidence)}</error>`);
      break;
    case 'skipped':
      // A not-run reason already says so ("not run: the run was interrupted (Ctrl-C)").
      body.push(
        `      <skipped ${attrs({ message: c.skip ? (c.skip.category === 'not-run' ? c.skip.reason : `${c.skip.category}: ${c.skip.reason}`) : 'skipped' })}/>`,
      );
      break;
  }
  if (warnings.length) body.push(`      <system-out>${text(formatViolations(warnings))}</system-out>`);
  return body.length ? [`${open}>`, ...body, '    </testcase>'] : [`${open}/>`];
}

function properties(summary: RunSummary): Record<string, string> {
  return {
    verdict: summary.verdict,
    endpoint: summary.run.endpoint,
    endpoint_class: summary.run.endpointClass,
    profile: summary.run.profile,
    spec: `${summary.spec.title} ${summary.spec.version}`,
    spec_sha256: summary.spec.sha256,
    suite_version: summary.run.suiteVersion,
    seed: String(summary.run.seed),
    ledger_delete_2xx_requests: String(summary.ledgerTotals.requests),
    ledger_deleted_jobs: String(summary.ledgerTotals.jobs),
    ledger_unexpected_requests: String(summary.ledgerTotals.unexpected),
    ledger_vanished_jobs: String(summary.ledgerTotals.vanished),
  };
}

/** The deletion ledger as the console prints it, for a dashboard's suite output; empty when nothing was deleted. */
function ledgerText(summary: RunSummary): string {
  const rows = ledgerRows(summary.ledger).map(
    (r) =>
      `${r.intended ? 'deleted   ' : 'UNEXPECTED'} ${inlineTerminalText(r.jobId)} (project ${inlineTerminalText(r.projectId)}) by ${r.caseId} (${r.status})${r.requests > 1 ? ` ×${r.requests}` : ''}`,
  );
  const vanished = summary.vanished.map(
    (v) => `vanished   ${inlineTerminalText(v.jobId)} from the ${v.list} project's list (${v.seenBy}); no DELETE of it was answered 2xx`,
  );
  const refused = summary.refusedJobIds.map((r) => `not sent   ${inlineTerminalText(r.id)} (${r.source}): the id ${r.why}`);
  const lines = [...rows, ...vanished, ...refused];
  return lines.length ? [`Deletion ledger: ${ledgerHeadline(summary.ledgerTotals)}.`, ...lines].join('\n') : '';
}

function tally(cases: readonly CaseSummary[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.status === 'failed').length,
    errors: cases.filter((c) => c.status === 'broken').length,
    skipped: cases.filter((c) => c.status === 'skipped').length,
    ms: cases.reduce((sum, c) => sum + c.durationMs, 0),
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}="${attr(String(value))}"`)
    .join(' ');
}

/**
 * XML 1.0 cannot carry most control characters even escaped (§2.2 Char), nor lone surrogates or
 * U+FFFE/FFFF, and a response body may hold any byte: those become U+FFFD rather than a file no CI can
 * parse. DEL and C1 are legal but discouraged (§2.2), and an 8-bit CSI (U+009B) is live in a terminal
 * that shows the file: they go too.
 */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A bare CR is kept as a reference: a parser would fold it into a line feed, a terminal would return the cursor. */
function text(value: string): string {
  return value.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute values also escape quotes, and line breaks and tabs, which a parser would fold to spaces. */
function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
