import { FAMILY_CHECKS } from './family-checks.ts';
import type { MatrixReport, MatrixRow, VariantRow } from './run-matrix.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 1000) / 10}%`);

/** The headline numbers, as printed and as written at the top of the Markdown. */
export function headline(report: MatrixReport): string[] {
  const { faithful } = report;
  const notConformant = report.variants.filter((r) => r.result !== 'conformant').map((r) => r.variant);
  return [
    `Kill rate: ${report.detected}/${report.total} detected (${percent(report.detected, report.total)}); ` +
      `${report.killedByFamily}/${report.total} by a check of the mutant's own family (${percent(report.killedByFamily, report.total)}).`,
    `False positives: ${report.falsePositives} on the faithful server (${faithful.verdict}, ${faithful.violations} violation(s)${faithful.flaggedCases.length ? ` in ${faithful.flaggedCases.join(', ')}` : ''}); ` +
      `${report.variantFalsePositives} of ${report.variants.length} faithful variants${notConformant.length ? ` not CONFORMANT: ${notConformant.join(', ')}` : ' (each CONFORMANT, exit 0)'}.`,
    `Time: ${seconds(report.ms)} for ${report.total + report.variants.length + 1} suite runs (faithful ${seconds(faithful.ms)}; slowest mutant ${seconds(Math.max(0, ...report.rows.map((r) => r.ms)))}; slowest variant ${seconds(Math.max(0, ...report.variants.map((r) => r.ms)))}).`,
  ];
}

/** One line while the matrix runs, so a slow or stuck server shows at once. */
export function progressLine(row: MatrixRow, done: number, total: number): string {
  const what = row.family === 'faithful' ? (row.flaggedCases.length ? 'FALSE POSITIVES' : 'clean') : row.result;
  return `[${String(done).padStart(String(total).length)}/${total}] ${row.mutant.padEnd(32)} ${row.verdict.padEnd(14)} ${what} (${row.ms} ms)${row.runError ? ` — ${row.runError}` : ''}`;
}

/** One line per variant while the matrix runs. */
export function variantProgressLine(row: VariantRow, done: number, total: number): string {
  const what = row.result === 'conformant' ? 'conformant' : `FALSE POSITIVE${row.caughtBy.length ? ` (${row.caughtBy.join(', ')})` : ''}`;
  return `[${String(done).padStart(String(total).length)}/${total}] variant ${row.variant.padEnd(24)} ${row.verdict.padEnd(14)} ${what} (${row.ms} ms)${row.runError ? ` — ${row.runError}` : ''}`;
}

/** The variants' table: each must be CONFORMANT with exit 0; what the suite blamed when it is not. */
function variantTable(report: MatrixReport): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = report.variants.map((row) => {
    const failed = row.failedCases.length ? `${row.failedCases.join(', ')} (${row.caughtBy.join(', ')})` : '';
    const blamed = [failed, ...row.brokenCases.map((id) => `broken: ${id}`)].filter(Boolean).join('; ') || '—';
    const flags = row.runFlags.length ? `\`${row.runFlags.join(' ')}\`` : '—';
    return `| ${row.variant} | ${flags} | ${row.verdict} | ${row.exitCode ?? '—'} | ${row.result} | ${cell(row.runError ?? blamed)} | ${row.warnings} | ${row.ms} | ${cell(row.description)} |`;
  });
  return [
    '## Faithful variants: correct servers the suite must pass',
    '',
    'Each variant (server/variants/) differs from the reference server only where the document or the gateway',
    'allows. Each runs as a production endpoint: scenario control off, no `--scenario-control`, the same two',
    'identities, `--discover --allow-delete`, plus its own run flags. Anything but CONFORMANT with exit 0 is a',
    'false positive of the suite.',
    '',
    `False positives: ${report.variantFalsePositives} of ${report.variants.length}.`,
    '',
    '| variant | run flags | verdict | exit | result | failed cases (their failing check ids) | warnings | ms | what differs |',
    '|---|---|---|---:|---|---|---:|---:|---|',
    ...rows,
    '',
  ];
}

/** The matrix as GitHub-flavoured Markdown: what `npm run mutation` prints and writes to mutation-matrix.md. */
export function renderMarkdown(report: MatrixReport): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = [report.faithful, ...report.rows].map((row) => {
    const caught = row.caughtBy.map((id) => (row.familyChecks.includes(id) ? `**${id}**` : id)).join(', ') || '—';
    const inFamily = row.family === 'faithful' ? '—' : row.familyChecks.length ? 'yes' : 'no';
    const result = row.family === 'faithful' ? (report.falsePositives ? `${report.falsePositives} false positive(s)` : 'no false positive') : row.result;
    return `| ${row.mutant} | ${row.family === 'faithful' ? '—' : row.family} | ${row.verdict} | ${caught} | ${inFamily} | ${result} | ${row.ms} | ${cell(row.runError ?? row.description)} |`;
  });
  const families = Object.entries(FAMILY_CHECKS).map(([family, ids]) => `| ${family} | ${ids.join(', ')} |`);
  return [
    '# Mutation matrix',
    '',
    'The conformance suite run in-process against the faithful reference server and against every mutant',
    '(server/mutants/), each on its own server on port 0, as against an endpoint: project-a token as the',
    'primary identity, project-b token as the other, `--allow-delete --discover --scenario-control`; then every',
    'faithful variant (server/variants/) the same way without scenario control (table below).',
    'Generated by `npm run mutation`; do not edit.',
    '',
    ...headline(report),
    '',
    '| mutant | family | verdict | caught by (failing check ids; **bold**: about its family) | family check | result | ms | what it breaks |',
    '|---|---|---|---|---|---|---:|---|',
    ...rows,
    '',
    ...variantTable(report),
    '## Which checks count for each family',
    '',
    '| family | check ids |',
    '|---|---|',
    ...families,
    '',
  ].join('\n');
}

export function renderJson(report: MatrixReport): string {
  return `${JSON.stringify({ familyChecks: FAMILY_CHECKS, ...report }, null, 2)}\n`;
}
