import type { Reporter, TestCase } from 'vitest/node';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import { formatViolations } from '../lib/run/format-violations.ts';
import { inlineTerminalText, stripTerminalControls } from '../lib/text/terminal-text.ts';

const MARK: Record<CaseOutcome['status'], string> = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP', broken: 'ERR ' };

/** Collects the outcomes (the result model) and prints one line per case as it finishes. */
export class ConsoleSummaryReporter implements Reporter {
  readonly outcomes: CaseOutcome[] = [];
  readonly collectionErrors: string[] = [];
  /** Cases a cancelled run (Ctrl-C, the run deadline) never started. */
  readonly notRun: string[] = [];

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${stripTerminalControls(line)}\n`)) {}

  onTestCaseResult(testCase: TestCase): void {
    const outcome = testCase.meta().sdrs;
    if (!outcome) {
      const result = testCase.result();
      if (result.state === 'skipped' || result.state === 'pending') {
        this.notRun.push(testCase.name);
        return;
      }
      const errors = result.errors ?? [];
      this.collectionErrors.push(`${testCase.name}: ${errors.map((e) => e.message).join('; ') || 'no outcome recorded'}`);
      return;
    }
    this.outcomes.push(outcome);
    for (const line of formatOutcomeLines(outcome)) this.write(line);
  }

  onTestRunEnd(testModules: ReadonlyArray<{ errors(): ReadonlyArray<{ message: string }> }>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
    for (const module of testModules) for (const error of module.errors()) this.collectionErrors.push(error.message);
    for (const error of unhandledErrors) this.collectionErrors.push(error.message ?? String(error));
  }
}

/**
 * One line per case, then its violations, transport error or skip reason, indented. Transport errors,
 * skip reasons and notes can quote the wire (a listed job id, an error message, a curl line), so each is
 * one inline value: the only line breaks here are the ones this function puts in.
 */
export function formatOutcomeLines(outcome: CaseOutcome): string[] {
  const received = outcome.receivedStatus === undefined ? '—' : String(outcome.receivedStatus);
  const lines = [`${MARK[outcome.status]} ${inlineTerminalText(outcome.caseId).padEnd(58)} ${received.padStart(3)}  ${inlineTerminalText(outcome.title)}`];
  const indent = (text: string) => text.split('\n').map((line) => `       ${line}`);
  if (outcome.status === 'failed') lines.push(...indent(formatViolations(outcome.violations)));
  if (outcome.status === 'broken') lines.push(...indent(`transport error: ${inlineTerminalText(String(outcome.transportError))}`));
  if (outcome.status === 'skipped') lines.push(...indent(`skipped: ${inlineTerminalText(String(outcome.skip?.reason))}`));
  for (const note of outcome.notes ?? []) lines.push(...indent(inlineTerminalText(note)));
  const warnings = outcome.status === 'passed' ? outcome.violations.filter((v) => v.severity === 'warning') : [];
  if (warnings.length) lines.push(...indent(formatViolations(warnings)));
  return lines;
}
