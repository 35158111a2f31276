import type { Violation } from '../lib/checks/check-model.ts';
import { bodyText, headerValue, type Exchange } from '../lib/http/exchange.ts';
import { NOT_RUN_PREFIX, type CaseOutcome, type CaseStatus, type DeletionRecord, type RefusedJobId, type SkipCategory } from '../lib/run/case-outcome.ts';
import { vacuityOf, verdictOf, type Verdict } from '../lib/run/verdict.ts';
import type { SpecModel } from '../lib/spec/operation-model.ts';
import { diffBaseline, type BaselineDiff } from './baseline.ts';
import { ledgerOf, type LedgerTotals, type VanishedJob } from './ledger-summary.ts';

/**
 * The sign-off summary: one value the verdict page, the Markdown, the JSON, JUnit and the console
 * matrix all render. Built once from the outcomes; nothing here reads a clock, a file or the network.
 */

/** Bump when a field is renamed or removed (adding one is compatible); baselines check it. */
export const SUMMARY_SCHEMA_VERSION = 1;

export type MatrixState = 'verified on target' | 'verified on reference server only' | 'not verified';

/** A status the spec documents for a contract operation — the rows the matrix must have, seen or not. */
export interface DocumentedStatus {
  operationId: string;
  status: number;
  description: string;
}

export interface RunFacts {
  /** The target's base URL; userinfo, query and fragment are stripped before it is stored. */
  endpoint: string;
  endpointClass: 'bundled' | 'external';
  profile: string;
  suiteVersion: string;
  seed: number;
  startedAt: Date;
  finishedAt: Date;
}

export interface SummaryInput {
  outcomes: readonly CaseOutcome[];
  /** From `documentedStatusesOf(spec)`: the outcomes alone cannot show a status no case covered. */
  documented: readonly DocumentedStatus[];
  spec: Pick<SpecModel, 'title' | 'version' | 'sha256'>;
  run: RunFacts;
  /** Cases a stopped run (Ctrl-C, run deadline) never ran; they keep a verdict from being CONFORMANT. */
  notRun?: number;
  /** A previous summary (`--baseline PATH`) and where it came from. */
  baseline?: { summary: RunSummary; source: string };
  /** What throttling cost the run, when the runner counted it. */
  throttling?: Throttling | undefined;
  /** The run ran a selection (`--only`, `--rerun-failed`) of this many planned cases: the matrix keeps the selected statuses, the reason says so. */
  selection?: { flag: string; of: number } | undefined;
}

/** Throttled answers (429, 503 with Retry-After), requests sent again, time waited (summed over requests), requests that stayed throttled. */
export interface Throttling {
  throttled: number;
  retried: number;
  waitedMs: number;
  gaveUp: number;
}

export interface MatrixRow {
  operationId: string;
  status: number;
  description: string;
  state: MatrixState;
  why: string;
  /** The status case of this row; null when the suite generated none. */
  caseId: string | null;
  /** The case whose exchange showed the status, or "scenario" when the reference server synthesised it. */
  verifiedBy: string | null;
}

/** A case as the reports need it; null rather than absent, so the JSON shape never varies. */
export interface CaseSummary {
  caseId: string;
  operationId: string;
  kind: CaseOutcome['kind'];
  title: string;
  status: CaseStatus;
  severity: string;
  source: string;
  expectedStatuses: number[];
  receivedStatus: number | null;
  verifiedBy: string | null;
  skip: { category: SkipCategory; reason: string } | null;
  transportError: string | null;
  violations: Violation[];
  /** The first exchange in brief: enough to read a failure without opening Allure. */
  exchange: { request: string; response: string } | null;
  durationMs: number;
}

export interface RunSummary {
  schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  verdict: Verdict;
  verdictReason: string;
  run: Omit<RunFacts, 'startedAt' | 'finishedAt'> & { startedAt: string; finishedAt: string; durationMs: number };
  spec: { title: string; version: string; sha256: string };
  counts: Record<CaseStatus, number> & { total: number };
  matrix: MatrixRow[];
  cases: CaseSummary[];
  /** Every DELETE the target answered 2xx, one entry per request, from every case: what a run against production removed. */
  ledger: DeletionRecord[];
  /** Requests and distinct jobs counted apart (shrinking replays one input many times). */
  ledgerTotals: LedgerTotals;
  /** Jobs listed before the run and not after, with no DELETE of theirs answered 2xx. */
  vanished: VanishedJob[];
  /** Discovered ids the run would not send, and why. */
  refusedJobIds: RefusedJobId[];
  baseline: BaselineDiff | null;
  /** Null when the runner did not count it (the vitest runner, a merge). */
  throttling: Throttling | null;
}

/** Response bodies are evidence, not payload: a short excerpt keeps the summary readable. */
const BODY_EXCERPT_CHARS = 400;

export function buildSummary(input: SummaryInput): RunSummary {
  const cases = input.outcomes.map(caseSummary);
  const counts = { total: cases.length, passed: 0, failed: 0, broken: 0, skipped: 0 };
  for (const c of cases) counts[c.status] += 1;
  const verdict = verdictOf(input.outcomes, input.notRun ?? 0);
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    verdict,
    verdictReason: `${input.selection ? `A selection (${input.selection.flag}): ${cases.length} of ${plural(input.selection.of, 'case')}. ` : ''}${verdictReason(verdict, cases, vacuityOf(input.outcomes))}`,
    run: {
      ...input.run,
      endpoint: stripCredentials(input.run.endpoint),
      startedAt: input.run.startedAt.toISOString(),
      finishedAt: input.run.finishedAt.toISOString(),
      durationMs: input.run.finishedAt.getTime() - input.run.startedAt.getTime(),
    },
    spec: { title: input.spec.title, version: input.spec.version, sha256: input.spec.sha256 },
    counts,
    matrix: input.documented
      .map((d) => matrixRow(d, input.outcomes, input.run.endpointClass))
      .filter((row) => !input.selection || cases.some((c) => c.caseId === row.caseId)),
    cases,
    ...ledgerOf(input.outcomes),
    baseline: input.baseline ? diffBaseline(input.baseline.summary, cases, input.baseline.source) : null,
    throttling: input.throttling ? { ...input.throttling } : null,
  };
}

/** "2 throttled answers; 2 requests sent again after 1.0 s of waiting in all; 0 not verified" — one line for every report. */
export function formatThrottling(t: Throttling): string {
  if (t.throttled === 0) return 'none (no 429, no 503 with Retry-After)';
  return `${plural(t.throttled, 'throttled answer')} (429, or 503 with Retry-After); ${plural(t.retried, 'request')} sent again after ${formatDuration(t.waitedMs)} of waiting in all; ${t.gaveUp} still throttled when the retries ran out (not verified)`;
}

/** The rows of the matrix: every documented status of every contract operation, in the spec's order. */
export function documentedStatusesOf(spec: Pick<SpecModel, 'operations'>): DocumentedStatus[] {
  return spec.operations
    .filter((op) => op.role === 'contract')
    .flatMap((op) =>
      op.responses.map((r) => ({
        operationId: op.operationId,
        status: r.status,
        // The description often quotes the Chinese already ("Bad Request — 服务器未能处理请求。 (…)"): never twice.
        description: r.descriptionZh && !r.description.includes(r.descriptionZh) ? `${r.description} (${r.descriptionZh})` : r.description,
      })),
    );
}

/** A report may travel further than the run: no userinfo, and no query string that could carry a token. */
export function stripCredentials(endpoint: string): string {
  // "user:pass@host" parses as a URL with the scheme "user:", so only a hierarchical URL takes the URL path.
  if (URL.canParse(endpoint) && /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString();
  }
  return endpoint.replace(/^[^/@]*@/, '').replace(/[?#].*$/, '');
}

/** "850 ms", "4.2 s", "3 min 7 s" — what a person reads; the JSON keeps milliseconds. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
}

export const isFailing = (status: CaseStatus) => status === 'failed' || status === 'broken';

function matrixRow(documented: DocumentedStatus, outcomes: readonly CaseOutcome[], endpointClass: RunFacts['endpointClass']): MatrixRow {
  const row = { ...documented, caseId: null, verifiedBy: null };
  const outcome = outcomes.find((o) => o.kind === 'status' && o.operationId === documented.operationId && o.documentedStatus === documented.status);
  if (!outcome) return { ...row, state: 'not verified', why: 'No case covers this status: the suite generated none for it.' };
  const found = { ...row, caseId: outcome.caseId, verifiedBy: outcome.verifiedBy ?? null };
  switch (outcome.status) {
    case 'passed':
      if (outcome.verifiedBy === 'scenario') {
        return {
          ...found,
          state: 'verified on reference server only',
          why: `Synthesised on request (Prefer: code=${documented.status}); no case made the target answer it unprompted.`,
        };
      }
      if (endpointClass === 'bundled')
        return { ...found, state: 'verified on reference server only', why: `Shown by ${outcome.verifiedBy} against the bundled reference server.` };
      return { ...found, state: 'verified on target', why: `Shown by ${outcome.verifiedBy}, well formed.` };
    case 'failed': {
      const first = outcome.violations.find((v) => v.severity === 'error');
      return {
        ...found,
        state: 'not verified',
        why: `The target answered ${outcome.receivedStatus ?? '—'} but broke the contract${first ? `: ${first.title}` : ''}.`,
      };
    }
    case 'broken':
      return { ...found, state: 'not verified', why: `No response: ${outcome.transportError ?? 'transport error'}.` };
    case 'skipped':
      return { ...found, state: 'not verified', why: outcome.skip?.reason ?? 'Skipped.' };
  }
}

function caseSummary(outcome: CaseOutcome): CaseSummary {
  const exchange = outcome.exchanges[0];
  return {
    caseId: outcome.caseId,
    operationId: outcome.operationId,
    kind: outcome.kind,
    title: outcome.title,
    status: outcome.status,
    severity: outcome.severity,
    source: outcome.source,
    expectedStatuses: [...outcome.expectedStatuses],
    receivedStatus: outcome.receivedStatus ?? null,
    verifiedBy: outcome.verifiedBy ?? null,
    skip: outcome.skip ? { ...outcome.skip } : null,
    transportError: outcome.transportError ?? null,
    violations: outcome.violations.map((v) => ({ ...v })),
    exchange: exchange ? briefExchange(exchange) : null,
    durationMs: outcome.durationMs,
  };
}

function briefExchange(exchange: Exchange): { request: string; response: string } {
  const request = `${exchange.request.method} ${stripCredentials(exchange.request.url)}`;
  if (exchange.kind === 'network-error')
    return { request, response: `no response: ${exchange.error.cause} (${exchange.error.code}) ${exchange.error.message}` };
  const { response } = exchange;
  const text = bodyText(response.body);
  const body = text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}… (${text.length} chars)` : text;
  const type = headerValue(response, 'content-type');
  return { request, response: [`${response.status}${type ? ` (${type})` : ''}`, body].filter(Boolean).join(' ') };
}

function verdictReason(verdict: Verdict, cases: readonly CaseSummary[], vacuity: string | undefined): string {
  const stopped = stoppedEarly(cases);
  const reason = verdictReasonOfCases(verdict, cases, vacuity);
  if (!stopped) return reason;
  return verdict === 'INCOMPLETE' ? `${stopped}.` : `${reason} ${stopped}.`;
}

/** "The run was interrupted (Ctrl-C) after 12 of 59 cases; 47 not run" — the cause read back from the not-run reasons. */
function stoppedEarly(cases: readonly CaseSummary[]): string | undefined {
  const notRun = cases.filter((c) => c.skip?.category === 'not-run');
  const first = notRun[0]?.skip?.reason;
  if (!first) return undefined;
  const cause = first.startsWith(NOT_RUN_PREFIX) ? first.slice(NOT_RUN_PREFIX.length) : first;
  return `${cause.charAt(0).toUpperCase()}${cause.slice(1)} after ${cases.length - notRun.length} of ${plural(cases.length, 'case')}; ${notRun.length} not run`;
}

function verdictReasonOfCases(verdict: Verdict, cases: readonly CaseSummary[], vacuity: string | undefined): string {
  const failing = cases.filter((c) => isFailing(c.status));
  const blocking = cases.filter((c) => c.status === 'skipped' && c.skip?.category !== 'not-provokable');
  const unprovokable = cases.filter((c) => c.skip?.category === 'not-provokable').length;
  switch (verdict) {
    case 'NOT CONFORMANT':
      return `${plural(failing.length, 'case')} failed or broke: ${failing
        .slice(0, 5)
        .map((c) => c.caseId)
        .join(', ')}${failing.length > 5 ? ` and ${failing.length - 5} more` : ''}.`;
    case 'INCOMPLETE':
      if (cases.length === 0) return 'No case ran.';
      if (blocking.length === 0 && vacuity) return `Nothing failed, but ${vacuity}.`;
      return `${plural(blocking.length, 'case')} did not run for reasons the run can remove (${countBy(blocking.map((c) => c.skip?.category ?? 'skipped'))}).`;
    case 'CONFORMANT':
      return `All ${plural(cases.length - unprovokable, 'case')} that could run passed${unprovokable ? `; ${plural(unprovokable, 'status')} not provokable on this target` : ''}.`;
  }
}

function countBy(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${v} ${n}`).join(', ');
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : noun.endsWith('s') ? 'es' : 's'}`;
