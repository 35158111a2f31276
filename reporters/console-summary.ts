import type { Reporter, TestCase } from 'vitest/node';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import { formatViolations } from '../lib/run/format-violations.ts';

const MARK: Record<CaseOutcome['status'], string> = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP', broken: 'ERR ' };

/** Collects the outcomes (the result model) and prints one line per case as it finishes. */
export class ConsoleSummaryReporter implements Reporter {
  readonly outcomes: CaseOutcome[] = [];
  readonly collectionErrors: string[] = [];
  /** Cases a cancelled run (Ctrl-C, the run deadline) never started. */
  readonly notRun: string[] = [];

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

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
    const received = outcome.receivedStatus === undefined ? '—' : String(outcome.receivedStatus);
    this.write(`${MARK[outcome.status]} ${outcome.caseId.padEnd(52)} ${received.padStart(3)}  ${outcome.title}`);
    if (outcome.status === 'failed') for (const line of formatViolations(outcome.violations).split('\n')) this.write(`       ${line}`);
    if (outcome.status === 'broken') this.write(`       transport error: ${outcome.transportError}`);
    if (outcome.status === 'skipped') this.write(`       skipped: ${outcome.skip?.reason}`);
    const warnings = outcome.status === 'passed' ? outcome.violations.filter((v) => v.severity === 'warning') : [];
    if (warnings.length) for (const line of formatViolations(warnings).split('\n')) this.write(`       ${line}`);
  }

  onTestRunEnd(testModules: ReadonlyArray<{ errors(): ReadonlyArray<{ message: string }> }>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
    for (const module of testModules) for (const error of module.errors()) this.collectionErrors.push(error.message);
    for (const error of unhandledErrors) this.collectionErrors.push(error.message ?? String(error));
  }
}
