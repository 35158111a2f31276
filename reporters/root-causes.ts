import type { MatrixRow, CaseSummary } from './summary-model.ts';

/**
 * Failing cases grouped by root cause: the same checks failed with the same received values (ids and
 * numbers inside them aside) — 27 cases answered with one HTML error page are one cause, not 27. The
 * largest group first; within a group, case order.
 */
export interface RootCause {
  /** What the cases share: each failed check with what it received, or the transport error. */
  signature: string;
  cases: CaseSummary[];
}

export function rootCauses(cases: readonly CaseSummary[]): RootCause[] {
  const groups = new Map<string, CaseSummary[]>();
  for (const c of cases) {
    const signature = signatureOf(c);
    groups.set(signature, [...(groups.get(signature) ?? []), c]);
  }
  return [...groups].map(([signature, members]) => ({ signature, cases: members })).sort((a, b) => b.cases.length - a.cases.length);
}

function signatureOf(c: CaseSummary): string {
  if (c.transportError) return `${c.status}: transport ${general(c.transportError.split(' ')[0] ?? '')}`;
  const errors = c.violations.filter((v) => v.severity === 'error' || c.status !== 'failed');
  return `${c.status}: ${[...new Set(errors.map((v) => `${v.checkId}=${general(v.received)}`))].sort().join(' + ')}`;
}

/**
 * What was received, in general form: ids and numbers vary between cases of one cause, and so does the
 * tail of a body (an error page that names its status), so its beginning is the signature.
 */
const SIGNATURE_CHARS = 40;
const general = (text: string) =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, 'ID')
    .replace(/[0-9a-f]{16,}/gi, 'ID')
    .replace(/\b\d+\b/g, 'N')
    .slice(0, SIGNATURE_CHARS);

/**
 * Skipped cases with the same reason, listed once with the cases it covers. Reasons that differ only
 * in the status they are about ("…answer 406 (服务器生成的响应…)…", "…answer 407…") are one reason, said
 * in general form.
 */
export function skipGroups(cases: readonly CaseSummary[]): { category: string; reason: string; cases: string[] }[] {
  const groups = new Map<string, { category: string; reason: string; cases: string[] }>();
  for (const c of cases) {
    if (!c.skip) continue;
    const reason = c.kind === 'status' && c.expectedStatuses.length === 1 ? generalFor(c.skip.reason, c.expectedStatuses[0] as number) : c.skip.reason;
    const key = `${c.skip.category}\u0000${reason}`;
    const group = groups.get(key) ?? { category: c.skip.category, reason, cases: [] };
    group.cases.push(c.caseId);
    groups.set(key, group);
  }
  // A reason only one case has keeps its own words.
  return [...groups.values()].map((g) => (g.cases.length === 1 ? { ...g, reason: cases.find((c) => c.caseId === g.cases[0])?.skip?.reason ?? g.reason } : g));
}

/**
 * The matrix's "why", said once: a text that recurs (in general form — the row's own status and case
 * left out) becomes a numbered note the rows point to; a text only one row has stays in its row.
 */
export function whyNotes(rows: readonly MatrixRow[]): { noteOf: (row: MatrixRow) => { text: string } | { note: number }; notes: string[] } {
  const generalWhy = (row: MatrixRow) => generalFor(row.why, row.status).replaceAll(row.verifiedBy ?? '\u0000', 'the case named');
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(generalWhy(row), (counts.get(generalWhy(row)) ?? 0) + 1);
  const notes = [...counts].filter(([, n]) => n > 1).map(([text]) => text);
  return {
    noteOf: (row) => {
      const index = notes.indexOf(generalWhy(row));
      return index >= 0 ? { note: index + 1 } : { text: row.why };
    },
    notes,
  };
}

/** A text about one status, about any: the number becomes "its status", a quoted Chinese description goes (the row shows it). */
export function generalFor(text: string, status: number): string {
  return text.replace(/ ?[(（][^()（）]*[\u4e00-\u9fff][^()（）]*[)）]/g, '').replace(new RegExp(`\\b${status}\\b`, 'g'), '<status>');
}
