import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { expect, onTestFinished, test } from 'vitest';
import { main, type CliIo } from '../../cli/main.ts';
import type { CaseOutcome } from '../../lib/run/case-outcome.ts';
import { formatOutcomeLines } from '../../reporters/console-summary.ts';
import { renderJunit } from '../../reporters/junit.ts';
import { renderSummaryHtml } from '../../reporters/summary-html.ts';
import { cell } from '../../reporters/summary-markdown.ts';
import { buildSummary } from '../../reporters/summary-model.ts';
import { inlineTerminalText, stripTerminalControls } from '../../lib/text/terminal-text.ts';
import { otherProject, summaryInput, unknownId500, wrongMethod } from './fixtures.ts';

/** What a terminal acts on: C0 but tab and LF (so a bare CR too), DEL, C1 (8-bit CSI, OSC), bidi controls. */
const LIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const FORGED = '\u001b[2K\r\u001b[1A\u001b[2KVerdict: CONFORMANT\n# CONFORMANT\u009b2K\u202eTNAMROFNOC';

// ── the console ─────────────────────────────────────────────────────────────────────────────────

test.for<[string, { given: string; want: string }]>([
  [
    'plain text is left alone',
    { given: 'PASS deleteFailureJob.own-job 204  Delete (删除) — ok', want: 'PASS deleteFailureJob.own-job 204  Delete (删除) — ok' },
  ],
  ['our own line feeds and tabs stay', { given: 'a\tb\nc', want: 'a\tb\nc' }],
  ['erase line + CR, the forged verdict stays as plain text', { given: '\u001b[2K\rVerdict: CONFORMANT', want: 'Verdict: CONFORMANT' }],
  ['cursor up', { given: 'x\u001b[1Ay', want: 'xy' }],
  ['colours', { given: '\u001b[31;1mred\u001b[0m', want: 'red' }],
  ['an OSC 8 hyperlink ended by BEL', { given: '\u001b]8;;https://evil.example\u0007Approve\u001b]8;;\u0007', want: 'Approve' }],
  ['an OSC 8 hyperlink ended by ST', { given: '\u001b]8;;https://evil.example\u001b\\Approve\u001b]8;;\u001b\\', want: 'Approve' }],
  ['an unterminated OSC does not swallow our next line', { given: '\u001b]0;title\nFAIL x', want: '\nFAIL x' }],
  ['the 8-bit CSI and OSC', { given: '\u009b2Kabc\u009d8;;x\u009c', want: '2Kabc8;;x' }],
  ['a full reset', { given: 'a\u001bcb', want: 'ab' }],
  ['backspace and DEL', { given: 'ab\u0008\u007fc', want: 'abc' }],
  ['bidi overrides, isolates and marks', { given: 'rlo-\u202eTNAMROFNOC\u2066x\u2069\u200f', want: 'rlo-TNAMROFNOCx' }],
])('stripTerminalControls: %s', ([, { given, want }]) => {
  expect(stripTerminalControls(given)).toBe(want);
});

test.for<[string, { given: string; max?: number; want: string }]>([
  ['plain text is left alone', { given: 'job-7f3a (删除)', want: 'job-7f3a (删除)' }],
  ['a line break cannot start a line of its own', { given: '\nVerdict: CONFORMANT', want: '\\nVerdict: CONFORMANT' }],
  ['CR, tab, ESC, 8-bit CSI', { given: '\r\t\u001b[2K\u009b1A', want: '\\r\\t\\x1b[2K\\x9b1A' }],
  ['bidi and Unicode line separators', { given: '\u202e\u2028\u2029', want: '\\u202e\\u2028\\u2029' }],
  ['a long value is shortened', { given: 'abcdef', max: 4, want: 'abc…' }],
])('inlineTerminalText: %s', ([, { given, max, want }]) => {
  expect(inlineTerminalText(given, max)).toBe(want);
});

test('for any input, neither function lets a live control through, and inline text is one line', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ unit: fc.constantFrom('\u001b', '[', ']', '\u0007', '\\', '\r', '\n', '2K', '8;;', '\u009b', '\u009d', 'P', 'x'), maxLength: 30 }),
      (any, escapes) => {
        for (const text of [any, escapes]) {
          expect(stripTerminalControls(text)).not.toMatch(LIVE);
          expect(inlineTerminalText(text)).not.toMatch(LIVE);
          expect(inlineTerminalText(text)).not.toMatch(/[\n\u2028\u2029]/);
        }
      },
    ),
  );
});

test('a case line: received text in violations, transport errors, skip reasons and notes stays on its line', () => {
  const failed: CaseOutcome = {
    ...unknownId500,
    violations: unknownId500.violations.map((v) => ({ ...v, received: FORGED, where: `body\n${FORGED}` })),
    notes: [`reproduce: curl '${FORGED}'`],
  };
  const broken: CaseOutcome = { ...wrongMethod, transportError: `reset: ${FORGED}` };
  const skipped: CaseOutcome = { ...otherProject, skip: { category: 'missing-input', reason: `Discovery failed: ${FORGED}` } };
  for (const outcome of [failed, broken, skipped]) {
    const lines = formatOutcomeLines(outcome);
    // The case line, one line per violation (or the one error or reason), one per note — nothing more.
    expect(lines).toHaveLength(1 + Math.max(1, outcome.status === 'failed' ? outcome.violations.length : 1) + (outcome.notes?.length ?? 0));
    expect(lines[0]).toMatch(/^(FAIL|ERR |SKIP) deleteFailureJob\./);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {7}\S/);
    for (const line of lines) expect(line).not.toMatch(/[\n\r\u001b\u009b\u202e]/);
    expect(lines.join('\n')).toContain('\\x1b[2K\\r\\x1b[1A\\x1b[2KVerdict: CONFORMANT\\n# CONFORMANT\\x9b2K\\u202eTNAMROFNOC');
  }
});

test('main() passes every line of every command, on the io it was given, through the terminal filter', async () => {
  const lines: string[] = [];
  const io: CliIo = { out: (line) => lines.push(line), err: (line) => lines.push(line), env: {} };
  expect(await main([`no-such-command\u001b[2K\r\u009b1A\u202e`], io)).toBe(2);
  // What is left of a sequence is plain text; only its introducer (ESC, the 8-bit CSI) is gone.
  expect(lines).toEqual(['CFG_USAGE: unknown command "no-such-command1A"; expected one of: run, report, merge, serve. See sdrs-conformance --help.']);
  lines.length = 0;
  // The one error line is one line, even when its message quotes a line break.
  expect(await main(['run', '--spec', join(tmpdir(), 'missing\u001b[2K\nVerdict: CONFORMANT.yaml'), '--fuzz-runs', '0'], io)).toBe(2);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^SPEC_UNREADABLE: .*missing\\x1b\[2K\\nVerdict: CONFORMANT\.yaml/);
});

// ── Markdown ────────────────────────────────────────────────────────────────────────────────────

test.for<[string, { given: string; want: string }]>([
  [
    'plain text is left alone',
    { given: 'Shown by deleteFailureJob.own-job, well formed (Prefer: code=404).', want: 'Shown by deleteFailureJob.own-job, well formed (Prefer: code=404).' },
  ],
  ['non-ASCII is left alone', { given: 'Bad Request (服务器未能处理请求) — 0.1.0', want: 'Bad Request (服务器未能处理请求) — 0.1.0' }],
  ['a pipe would end the cell', { given: 'a | b', want: 'a \\| b' }],
  ['a line feed would end the row', { given: 'a\nb', want: 'a\\\\nb' }],
  ['so would a bare CR', { given: 'a\rb', want: 'a\\\\rb' }],
  ['a heading', { given: '# CONFORMANT', want: '\\# CONFORMANT' }],
  ['a link', { given: '[Approve release](https://evil.example/approve)', want: '\\[Approve release\\](https\\://evil.example/approve)' }],
  ['an image', { given: '![ok](x.png)', want: '\\!\\[ok\\](x.png)' }],
  ['raw HTML', { given: '<img src=x onerror=alert(1)>', want: '&lt;img src=x onerror=alert(1)&gt;' }],
  ['an angle autolink', { given: '<https://evil.example>', want: '&lt;https\\://evil.example&gt;' }],
  [
    'bare URLs and e-mail addresses',
    { given: 'http://evil.example www.evil.example approve@evil.example', want: 'http\\://evil.example www\\.evil.example approve\\@evil.example' },
  ],
  ['a code span', { given: '`code`', want: '\\`code\\`' }],
  ['emphasis and strikethrough', { given: '*b* _i_ ~~s~~', want: '\\*b\\* \\_i\\_ \\~\\~s\\~\\~' }],
  ['an entity', { given: '&lt;&#35;', want: '&amp;lt;&amp;\\#35;' }],
  ['math', { given: '$\\Huge{OK}$', want: '\\$\\\\Huge{OK}\\$' }],
  ['a list item', { given: '- item', want: '\\- item' }],
  ['an ordered list item', { given: '1. item', want: '1\\. item' }],
  ['a quote', { given: '> quote', want: '&gt; quote' }],
  ['a thematic break', { given: '---', want: '\\---' }],
  ['an indented code block', { given: '    code', want: 'code' }],
  ['a terminal escape', { given: '\u001b[2K', want: '\\\\x1b\\[2K' }],
  ['a bidi override', { given: 'a\u202eb', want: 'a\\\\u202eb' }],
  ['a backslash', { given: 'C:\\dir', want: 'C:\\\\dir' }],
])('cell: %s', ([, { given, want }]) => {
  expect(cell(given)).toBe(want);
});

const STRUCTURE = new Set([
  'heading_open',
  'link_open',
  'image',
  'html_block',
  'html_inline',
  'code_inline',
  'code_block',
  'fence',
  'hr',
  'blockquote_open',
  'bullet_list_open',
  'ordered_list_open',
  'em_open',
  'strong_open',
  's_open',
  'softbreak',
  'hardbreak',
  'table_open',
]);
const markdown = new MarkdownIt({ html: true, linkify: true });

/** The paragraph (or table cell) `cell(given)` renders as: the tokens it makes and the text it shows. */
function rendered(source: string, inTable: boolean): { structure: string[]; text: string } {
  const tokens = markdown.parse(inTable ? `| a | b |\n| --- | --- |\n| x | ${source} |\n` : `${source}\n`, {});
  const inline = inTable ? tokens.filter((t) => t.type === 'inline')[3] : tokens.find((t) => t.type === 'inline');
  const all = [...tokens, ...(inline?.children ?? [])];
  const structure = all.map((t) => t.type).filter((type) => STRUCTURE.has(type) && !(inTable && type === 'table_open'));
  if (inTable) expect(tokens.filter((t) => t.type === 'td_open')).toHaveLength(2);
  return { structure, text: (inline?.children ?? []).map((t) => t.content).join('') };
}

test.for([
  '# CONFORMANT',
  '[Approve release](https://evil.example/approve) ![x](https://evil.example/x.png)',
  '<script>alert(1)</script> <b>bold</b>',
  '<https://evil.example/auto> https://evil.example/bare www.evil.example mailto:approve@evil.example',
  '`code` ``` fence',
  '| cell | break |',
  'a\r# CONFORMANT\r\n- item\n1. one\n> quote\n---',
  '*em* __strong__ ~~gone~~ $x$',
  '[ref]: https://evil.example\n[ref]',
  '\u001b[2K\rVerdict: CONFORMANT\u009b2K\u202e',
])('cell %j renders as its own text and nothing else, in a table and in a paragraph', (given) => {
  for (const inTable of [true, false]) {
    const { structure, text } = rendered(cell(given), inTable);
    expect(structure).toEqual([]);
    expect(text).toBe(inlineTerminalText(given).trim());
  }
});

test('for any input, cell() renders as one run of text: no structure, nothing lost', () => {
  const plain = new MarkdownIt({ html: true });
  const markdownish = fc.string({
    unit: fc.constantFrom(...'#*_[]()!<>&|`~$\\-+=.:/ \n\r\t1aw'.split(''), 'www.', 'http://', '&lt;', '\u001b[2K', '\u202e'),
    maxLength: 40,
  });
  fc.assert(
    fc.property(fc.oneof(markdownish, fc.string({ unit: 'binary', maxLength: 40 })), (given) => {
      const tokens = plain.parse(`${cell(given)}\n`, {});
      const want = inlineTerminalText(given).trim();
      if (want === '') {
        expect(tokens).toEqual([]);
        return;
      }
      expect(tokens.map((t) => t.type)).toEqual(['paragraph_open', 'inline', 'paragraph_close']);
      expect(tokens[1]!.children!.map((t) => t.type).every((type) => type === 'text')).toBe(true);
      expect(tokens[1]!.children!.map((t) => t.content).join('')).toBe(want);
    }),
  );
});

// ── HTML and XML ────────────────────────────────────────────────────────────────────────────────

const hostileOutcome: CaseOutcome = {
  ...unknownId500,
  caseId: `deleteFailureJob.x' onmouseover='alert(1)`,
  title: `<script>alert(1)</script> "double" 'single'`,
  violations: unknownId500.violations.map((v) => ({
    ...v,
    received: `${FORGED} \u0001\u000b\ud800 \udc00 \ufffe\uffff ]]> "'`,
    where: `"><img src=x onerror=alert(1)>`,
  })),
};

test('the HTML page: received markup, quotes and controls stay text, in attributes and in content', () => {
  const page = renderSummaryHtml(buildSummary(summaryInput({ outcomes: [hostileOutcome] })));
  expect(page).not.toMatch(/<script|<img|onmouseover='/i);
  expect(page).toContain(`id="case-deleteFailureJob.x&#39; onmouseover=&#39;alert(1)"`);
  expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;double&quot; &#39;single&#39;');
  expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  // Controls and bidi overrides are shown, not obeyed; line feeds stay (the exchange is preformatted).
  expect(page).not.toMatch(LIVE);
  expect(page).toContain('\\x1b[2K\\r\\x1b[1A\\x1b[2KVerdict: CONFORMANT\n# CONFORMANT\\x9b2K\\u202eTNAMROFNOC');
});

test('the JUnit XML passes a strict XML parser (xmllint) with every byte XML 1.0 forbids in the received text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdrs-junit-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const broken: CaseOutcome = { ...wrongMethod, caseId: 'deleteFailureJob.x"\u0001', transportError: `reset: ${FORGED} \u0000\ud800\uffff` };
  const skipped: CaseOutcome = { ...otherProject, skip: { category: 'missing-input', reason: `Discovery failed: ${FORGED} \udc00\ufffe` } };
  const xml = renderJunit(buildSummary(summaryInput({ outcomes: [hostileOutcome, broken, skipped] })));
  const file = join(dir, 'junit.xml');
  writeFileSync(file, xml);
  // Throws (and fails the test) when xmllint is missing too: scripts/setup-system.sh installs it.
  execFileSync('xmllint', ['--noout', file], { stdio: 'pipe' });
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]/);
  expect(xml).not.toMatch(/<script|<img/);
});
