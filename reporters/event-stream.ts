import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { PlannedCase, RunPlan } from '../lib/plan/plan-model.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import type { RunListener } from '../lib/run/run-listener.ts';
import type { Verdict } from '../lib/run/verdict.ts';
import { ConformanceError } from '../lib/errors.ts';

/** The first line of every stream this tool writes: how a later run knows the file is its own to replace. */
const TOOL = 'sdrs-conformance';
export const EVENTS_SCHEMA_VERSION = 1;

/** One line of `--events` (NDJSON; README "Event stream"). Fields are added, never renamed. */
export type RunEvent =
  | { event: 'run-started'; tool: typeof TOOL; schemaVersion: number; time: string; total: number; byKind: Record<string, number>; cases: string[] }
  | { event: 'case-started'; time: string; caseId: string }
  | {
      event: 'case-finished';
      time: string;
      caseId: string;
      status: CaseOutcome['status'];
      receivedStatus: number | null;
      checks: string[];
      skip: string | null;
      durationMs: number;
    }
  | {
      event: 'run-finished';
      time: string;
      verdict: Verdict;
      counts: Record<CaseOutcome['status'], number> & { total: number };
      exitCode: number;
    };

/**
 * `--events FILE|-`: one JSON object per line as the run goes on. Lines are written whole and at once,
 * so a reader tailing the file never sees half an event. Non-ASCII controls are `\u`-escaped: the
 * stream may go to a terminal (`-`) and stays valid JSON.
 */
export class EventStream implements RunListener {
  constructor(private readonly writeLine: (line: string) => void) {}

  planned(plan: RunPlan): void {
    const byKind: Record<string, number> = {};
    for (const p of plan.cases) byKind[p.case.kind] = (byKind[p.case.kind] ?? 0) + 1;
    this.emit({
      event: 'run-started',
      tool: TOOL,
      schemaVersion: EVENTS_SCHEMA_VERSION,
      time: now(),
      total: plan.cases.length,
      byKind,
      cases: plan.cases.map((p) => p.case.id),
    });
  }

  caseStarted(planned: PlannedCase): void {
    this.emit({ event: 'case-started', time: now(), caseId: planned.case.id });
  }

  caseFinished(outcome: CaseOutcome): void {
    this.emit({
      event: 'case-finished',
      time: now(),
      caseId: outcome.caseId,
      status: outcome.status,
      receivedStatus: outcome.receivedStatus ?? null,
      checks: [...new Set(outcome.violations.filter((v) => v.severity === 'error').map((v) => v.checkId))],
      skip: outcome.skip ? outcome.skip.category : null,
      durationMs: outcome.durationMs,
    });
  }

  runFinished(verdict: Verdict, outcomes: readonly CaseOutcome[], exitCode: number): void {
    const counts = { total: outcomes.length, passed: 0, failed: 0, broken: 0, skipped: 0 };
    for (const o of outcomes) counts[o.status] += 1;
    this.emit({ event: 'run-finished', time: now(), verdict, counts, exitCode });
  }

  private emit(event: RunEvent): void {
    this.writeLine(
      JSON.stringify(event).replace(
        /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
    );
  }
}

const now = () => new Date().toISOString();

/**
 * The file `--events FILE` writes, opened before the run: a file another tool wrote is refused, never
 * overwritten (one of ours — its first line says so — is replaced).
 */
export function openEventsFile(path: string): { writeLine: (line: string) => void; close: () => void } {
  checkEventsFile(path);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new ConformanceError('CFG_INVALID', `--events ${path}: ${(error as Error).message}`);
  }
  return { writeLine: (line) => writeSync(fd, `${line}\n`), close: () => closeSync(fd) };
}

/** Before anything runs: the file is new, empty, or a stream of ours. */
export function checkEventsFile(path: string): void {
  if (existsSync(path)) {
    const first = readFileSync(path, 'utf8').split('\n', 1)[0] ?? '';
    let ours = first === '';
    try {
      ours ||= (JSON.parse(first) as { tool?: string }).tool === TOOL;
    } catch {
      ours = false;
    }
    if (!ours)
      throw new ConformanceError(
        'CFG_UNSAFE_OUTPUT',
        `--events ${path}: the file exists and is not an event stream of this tool; nothing was overwritten — choose a new file name`,
      );
  }
}
