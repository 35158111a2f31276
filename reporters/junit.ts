import { formatViolations } from '../lib/run/format-violations.ts';
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
    lines.push(`  <testsuite ${attrs({ name: operationId, tests: t.tests, failures: t.failures, errors: t.errors, skipped: t.skipped, time: seconds(t.ms), timestamp: summary.run.startedAt })}>`);
    lines.push('    <properties>', ...Object.entries(properties(summary)).map(([name, value]) => `      <property ${attrs({ name, value })}/>`), '    </properties>');
    for (const c of cases) lines.push(...testcase(c));
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
      body.push(`      <failure ${attrs({ message, type: first?.checkId ?? 'contract' })}>${text([expected, formatViolations(errors), evidence].filter(Boolean).join('\n\n'))}</failure>`);
      break;
    }
    case 'broken':
      body.push(`      <error ${attrs({ message: `transport error: ${c.transportError ?? 'unknown'}`, type: 'transport' })}>${text(evidence)}</error>`);
      break;
    case 'skipped':
      body.push(`      <skipped ${attrs({ message: c.skip ? `${c.skip.category}: ${c.skip.reason}` : 'skipped' })}/>`);
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
  };
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
 * XML 1.0 cannot carry most control characters even escaped, and a response body may hold any byte:
 * those become U+FFFD rather than a file no CI can parse.
 */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function text(value: string): string {
  return value.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes, and line breaks and tabs, which a parser would fold to spaces. */
function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
