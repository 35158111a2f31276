import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunSummary } from '../../reporters/summary-model.ts';
import { inlineTerminalText } from '../../lib/text/terminal-text.ts';
import { runCli, type CliResult } from '../support/cli.ts';
import { FORGED_VERDICT, forgingEndpoint, HOSTILE_JOB_IDS, OTHER, PRIMARY } from '../support/forging-endpoint.ts';

/**
 * Issue 11: received bytes must not forge what a person reads. One real run against an endpoint whose
 * list operation returns job ids full of escape sequences, bare CRs, OSC 8 links, bidi overrides and
 * line breaks, and whose every refusal carries them in its reason phrase, headers and body; then each
 * medium is read the way a person would read it — through a terminal, a Markdown renderer, a browser's
 * escaping rules, a strict XML parser.
 */

/** What a terminal acts on: C0 but tab and LF (so a bare CR too), DEL, C1 (8-bit CSI, OSC), bidi controls. */
const LIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const RUNNERS = ['direct', 'vitest'] as const;
type Runner = (typeof RUNNERS)[number];
const root = mkdtempSync(join(tmpdir(), 'sdrs-inert-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
/** The direct runner's run writes the reports read below; the vitest runner's is read on the console only. */
const dir = join(root, 'direct');
const runs = {} as Record<Runner, CliResult>;
let summary: RunSummary;
const summaryOf = (runner: Runner) => JSON.parse(readFileSync(join(root, runner, 'conformance-summary.json'), 'utf8')) as RunSummary;

async function runAgainstForgingEndpoint(runner: Runner): Promise<CliResult> {
  const endpoint = await forgingEndpoint();
  const out = join(root, runner);
  try {
    return await runCli([
      'run',
      '--endpoint',
      endpoint.url,
      '--runner',
      runner,
      '--project-id',
      PRIMARY.projectId,
      '--token',
      PRIMARY.token,
      '--other-project-id',
      OTHER.projectId,
      '--other-token',
      OTHER.token,
      '--discover',
      '--allow-delete',
      '--fuzz-runs',
      '3',
      '--timeout',
      '2000',
      '--summary-dir',
      out,
      '--results-dir',
      join(out, 'allure-results'),
      '--junit',
      join(out, 'junit.xml'),
    ]);
  } finally {
    await endpoint.close();
  }
}

beforeAll(async () => {
  for (const runner of RUNNERS) runs[runner] = await runAgainstForgingEndpoint(runner);
  summary = summaryOf('direct');
});

/** The lines a terminal shows after `output` — wrapped rows joined back, as a person reads them. */
async function screen(output: string): Promise<string[]> {
  // convertEol: a terminal's line discipline turns LF into CR LF; the tool writes to a pipe here. Wide
  // enough that no line wraps (a wide character at a row's end would leave a padding cell behind).
  const terminal = new xterm.Terminal({ cols: 2000, rows: 50, scrollback: 10_000, convertEol: true, allowProposedApi: true });
  await new Promise<void>((resolve) => terminal.write(output, resolve));
  const buffer = terminal.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buffer.length; i++) {
    const row = buffer.getLine(i)!;
    const text = row.translateToString(!buffer.getLine(i + 1)?.isWrapped);
    if (row.isWrapped) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  terminal.dispose();
  return trimmed(lines);
}

/** As the text reads once written as UTF-8: a lone surrogate becomes U+FFFD. */
const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const trimmed = (lines: string[]) => {
  const out = lines.map((line) => line.trimEnd());
  while (out.at(-1) === '') out.pop();
  return out;
};

test('the run concluded NOT CONFORMANT, the hostile ids were discovered and one of them deleted', () => {
  for (const runner of RUNNERS) expect(runs[runner].code).toBe(1);
  expect(summary.verdict).toBe('NOT CONFORMANT');
  const status = (caseId: string) => summary.cases.find((c) => c.caseId === `deleteFailureJob.${caseId}`)?.status;
  expect(status('own-job')).toBe('passed');
  expect(status('list-after-delete')).toBe('failed');
});

test.for(RUNNERS)('console (%s runner): no byte a terminal would act on reaches stdout or stderr', (runner) => {
  const output = runs[runner].stdout + runs[runner].stderr;
  expect(output).not.toMatch(LIVE);
});

test.for(RUNNERS)(
  'console (%s runner): the terminal shows exactly the lines written — nothing erased, overwritten or moved — and the real verdict',
  async (runner) => {
    const output = runs[runner].stdout + runs[runner].stderr;
    const shown = await screen(output);
    expect(shown).toEqual(trimmed(output.split('\n')));
    // One verdict line, the run's own; no received text made a line that reads like one.
    const verdictLines = shown.filter((line) => /^\s*(\d+ cases: .*\. )?Verdict: /.test(line));
    expect(verdictLines).toHaveLength(1);
    expect(verdictLines[0]).toMatch(/^\d+ cases: .*\. Verdict: NOT CONFORMANT — \d+ cases failed or broke/);
    expect(shown.filter((line) => line.trimStart().startsWith(FORGED_VERDICT))).toEqual([]);
    // Every failed case kept its FAIL line (in the order cases finished).
    const failed = summaryOf(runner)
      .cases.filter((c) => c.status === 'failed')
      .map((c) => c.caseId);
    expect(
      shown
        .filter((line) => line.startsWith('FAIL '))
        .map((line) => line.split(/\s+/)[1])
        .sort(),
    ).toEqual(failed.sort());
    // The received ids are still there to read, made visible in place.
    const visible = shown.join('\n');
    for (const id of HOSTILE_JOB_IDS) expect(visible).toContain(wellFormed(inlineTerminalText(id)));
  },
);

test("Markdown: exactly the headings we write, no link, image, HTML, code or list of the endpoint's; its text still shown", () => {
  const md = readFileSync(join(dir, 'conformance-summary.md'), 'utf8');
  expect(md).not.toMatch(LIVE);
  const tokens = new MarkdownIt({ html: true, linkify: true }).parse(md, {});
  const inline = tokens.flatMap((t) => t.children ?? []);
  const textOf = (i: number) => tokens[i + 1]!.children!.map((t) => t.content).join('');
  const headings = tokens.flatMap((t, i) => (t.type === 'heading_open' ? [`${t.tag} ${textOf(i)}`] : []));
  const failing = summary.cases.filter((c) => c.violations.length || c.transportError);
  expect(headings).toEqual([
    'h1 SDRS conformance: NOT CONFORMANT',
    'h2 Run',
    'h2 Documented-status matrix',
    'h2 Violations',
    ...failing.map((c) => `h3 ${c.caseId} ${c.title} — ${c.status}`),
    'h2 Not run',
    'h2 Deletion ledger',
  ]);
  const FORBIDDEN = [
    'link_open',
    'image',
    'html_block',
    'html_inline',
    'code_block',
    'fence',
    'hr',
    'blockquote_open',
    'bullet_list_open',
    'ordered_list_open',
    'em_open',
    'strong_open',
    's_open',
  ];
  expect([...tokens, ...inline].filter((t) => FORBIDDEN.includes(t.type)).map((t) => `${t.type} ${t.content}`)).toEqual([]);
  // Code spans are ours: the spec digest and the case ids in headings.
  expect(new Set(inline.filter((t) => t.type === 'code_inline').map((t) => t.content))).toEqual(
    new Set([summary.spec.sha256, ...failing.map((c) => c.caseId)]),
  );
  // No received pipe broke a row: every row of a table has as many cells as its header.
  const tables = md.split(/\n{2,}/).filter((b) => b.startsWith('|'));
  expect(tables.length).toBeGreaterThan(0);
  for (const block of tables) {
    const cells = block
      .trimEnd()
      .split('\n')
      .map((row) => row.replace(/\\./g, '').split('|').length);
    expect(new Set(cells).size).toBe(1);
  }
  const shown = inline.map((t) => t.content).join('\n');
  for (const id of HOSTILE_JOB_IDS) expect(shown).toContain(wellFormed(inlineTerminalText(id)).trim());
});

test('HTML: received markup and quotes stay text', () => {
  const html = readFileSync(join(dir, 'conformance-summary.html'), 'utf8');
  expect(html).not.toMatch(LIVE);
  expect(html).not.toMatch(/<(script|img|b|a)\b/i);
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;double&quot; &#39;single&#39;');
  expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
});

test('JUnit: the XML passes a strict parser (xmllint) and carries no raw control', () => {
  const file = join(dir, 'junit.xml');
  // Throws (and fails the test) when xmllint is missing too: scripts/setup-system.sh installs it.
  execFileSync('xmllint', ['--noout', file], { stdio: 'pipe' });
  expect(readFileSync(file, 'utf8')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]/);
});
