import type { MatrixRow, MatrixState } from './summary-model.ts';
import { inlineTerminalText } from '../lib/text/terminal-text.ts';
import { whyNotes } from './root-causes.ts';

/** Short enough to scan down a terminal; the words are the matrix's own, so the page and the console agree. */
const MARK: Record<MatrixState, string> = {
  'verified on target': 'OK ',
  'verified on reference server only': 'REF',
  'not verified': '-- ',
};

/**
 * The documented-status matrix as console lines: one header, one row per documented status. The reason
 * goes last and unpadded — it is the longest column and the one a reader acts on.
 */
export function formatStatusMatrix(rows: readonly MatrixRow[]): string[] {
  const operations = new Set(rows.map((r) => r.operationId));
  const label = (r: MatrixRow) => (operations.size > 1 ? `${r.operationId} ${r.status}` : String(r.status));
  // "Why" can quote a transport error or a skip reason that quotes the wire: every cell is one inline value.
  // A why many rows share is said once, as a numbered note under the table.
  const { noteOf, notes } = whyNotes(rows);
  const why = (r: MatrixRow) => {
    const note = noteOf(r);
    return 'note' in note ? `[${note.note}]` : note.text;
  };
  const cells = rows.map((r) => [label(r), `${MARK[r.state]} ${r.state}`, r.verifiedBy ?? '—', why(r)].map((text) => inlineTerminalText(text)));
  const header = ['Status', 'Result', 'Shown by', 'Why'];
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => [...widths.map((w, i) => c[i]!.padEnd(w)), c.at(-1)!].join('  ').trimEnd();
  const title = `Documented-status matrix${operations.size === 1 ? ` (${[...operations][0]})` : ''}`;
  return [
    title,
    line(header),
    line(widths.map((w) => '-'.repeat(w)).concat('---')),
    ...cells.map(line),
    ...notes.map((note, i) => `  [${i + 1}] ${inlineTerminalText(note)}`),
  ];
}
