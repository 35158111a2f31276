import type { PlannedCase, RunPlan } from '../lib/plan/plan-model.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import type { RunListener } from '../lib/run/run-listener.ts';
import { inlineTerminalText } from '../lib/text/terminal-text.ts';
import { formatOutcomeLines } from './console-summary.ts';
import { generalFor } from './root-causes.ts';

/**
 * The terminal a run may redraw: present only when stdout is a TTY. `write` takes text as is (the
 * status line's carriage return and erase sequence); everything put in it was made inert first.
 */
export interface LiveTerminal {
  columns: number;
  color: boolean;
  write: (raw: string) => void;
}

const ERASE_LINE = '\r\x1b[2K';
const COLORS: Record<CaseOutcome['status'], string> = { passed: '\x1b[32m', failed: '\x1b[31m', broken: '\x1b[35m', skipped: '\x1b[33m' };
const RESET = '\x1b[0m';

/**
 * Live progress: each case's lines as it finishes and, on a TTY, a status line under them —
 * `[12/59] 1 failed · running deleteFailureJob.own-job` — redrawn as cases start and finish. Off a
 * TTY (CI logs) only the case lines, with no control sequence. It renders what the run reports and
 * decides nothing.
 */
export class ConsoleProgress implements RunListener {
  private total = 0;
  private done = 0;
  private failed = 0;
  private readonly running = new Set<string>();
  private statusShown = false;
  /** Skip reasons printed so far, with the case that printed each. */
  private readonly reasons = new Map<string, string>();
  /** Transport errors, shown when the run ends (see caseFinished). */
  private readonly held = new Map<string, CaseOutcome>();

  constructor(
    private readonly out: (line: string) => void,
    private readonly terminal: LiveTerminal | undefined,
  ) {}

  planned(plan: RunPlan): void {
    this.total = plan.cases.length;
    this.redraw();
  }

  caseStarted(planned: PlannedCase): void {
    this.running.add(planned.case.id);
    this.redraw();
  }

  caseFinished(outcome: CaseOutcome): void {
    // Reported again after the fact (a dead target's streak made it "not run"): the held line is replaced.
    if (this.held.has(outcome.caseId)) {
      this.held.set(outcome.caseId, outcome);
      return;
    }
    this.running.delete(outcome.caseId);
    this.done++;
    if (outcome.status === 'failed' || outcome.status === 'broken') this.failed++;
    // A transport error may turn out to be the target dying: its line waits until the run knows.
    if (outcome.status === 'broken') this.held.set(outcome.caseId, outcome);
    else this.print(this.linesOf(outcome), outcome.status);
    this.redraw();
  }

  /** A skip reason is printed in full once; the next cases it covers point back to the first. */
  private linesOf(outcome: CaseOutcome): string[] {
    const lines = formatOutcomeLines(outcome);
    const given = outcome.skip?.reason;
    if (outcome.status !== 'skipped' || given === undefined) return lines;
    // Reasons that differ only in the status they are about ("…answer 406…", "…answer 407…") are one.
    const reason = outcome.kind === 'status' && outcome.documentedStatus !== undefined ? generalFor(given, outcome.documentedStatus) : given;
    const first = this.reasons.get(reason);
    if (first === undefined) {
      this.reasons.set(reason, outcome.caseId);
      return lines;
    }
    return lines.map((line) => (line.startsWith('       skipped: ') ? `       skipped: the same reason as ${inlineTerminalText(first)}` : line));
  }

  /** The run is over: the status line goes for good. */
  close(): void {
    this.clear();
    this.total = 0;
    for (const outcome of this.held.values()) this.print(this.linesOf(outcome), outcome.status);
    this.held.clear();
  }

  private print(lines: string[], status: CaseOutcome['status']): void {
    this.clear();
    const [first = '', ...rest] = lines;
    // The status word (ours) alone is coloured, written raw; the rest of the line goes through the safe, scrubbed writer.
    if (this.terminal?.color) {
      this.terminal.write(`${COLORS[status]}${first.slice(0, 4)}${RESET}`);
      this.out(first.slice(4));
    } else this.out(first);
    for (const line of rest) this.out(line);
  }

  private redraw(): void {
    if (!this.terminal || this.total === 0) return;
    const [current] = this.running;
    const failures = this.failed ? ` · ${this.failed} failed` : '';
    const inFlight = current ? ` · running ${inlineTerminalText(current)}${this.running.size > 1 ? ` (+${this.running.size - 1})` : ''}` : '';
    const text = `[${this.done}/${this.total}]${failures}${inFlight}`.slice(0, Math.max(this.terminal.columns - 1, 20));
    this.terminal.write(`${ERASE_LINE}${text}`);
    this.statusShown = true;
  }

  private clear(): void {
    if (!this.statusShown || !this.terminal) return;
    this.terminal.write(ERASE_LINE);
    this.statusShown = false;
  }
}
