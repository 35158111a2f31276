import { join } from 'node:path';
import type { CheckId } from '../../lib/checks/check-model.ts';
import { runConformance } from '../../cli/run-command.ts';
import { parseRunOptions } from '../../cli/run-options.ts';
import { formatError } from '../../lib/errors.ts';
import type { CaseOutcome } from '../../lib/run/case-outcome.ts';
import type { Verdict } from '../../lib/run/verdict.ts';
import { startReferenceServer } from '../../server/http-server.ts';
import { MUTANTS, type Mutant, type MutantFamily } from '../../server/mutants/index.ts';
import { VARIANTS, type Variant } from '../../server/variants/index.ts';
import { isFamilyCheck } from './family-checks.ts';
import { loadSeed, type Seed, type SeedProject } from '../../server/seed.ts';

/**
 * - killed: the suite said NOT CONFORMANT (or INCOMPLETE) and a failing case names a check of the mutant's family;
 * - caught outside its family: detected, but only by checks that are about something else;
 * - survived: the suite called the broken server conformant.
 */
type MutantResult = 'killed' | 'caught outside its family' | 'survived';

export interface MatrixRow {
  mutant: string;
  family: MutantFamily | 'faithful';
  description: string;
  verdict: Verdict | 'RUN FAILED';
  /** Check ids of the error-severity violations of failed cases, in first-seen order. */
  caughtBy: CheckId[];
  /** The subset of caughtBy that is about the mutant's family. */
  familyChecks: CheckId[];
  failedCases: string[];
  brokenCases: string[];
  /** Every violation the run reported, warnings included. */
  violations: number;
  /** Cases that failed, broke or carry any violation, warnings included (on the faithful server: false positives). */
  flaggedCases: string[];
  result: MutantResult;
  /** Set when the run itself failed (a CFG_* or NET_* error), which is no verdict on the server. */
  runError?: string;
  ms: number;
}

/**
 * A faithful variant judged as an endpoint: a correct server, so anything but CONFORMANT (exit 0) is
 * a false positive of the suite.
 */
export interface VariantRow {
  variant: string;
  description: string;
  /** The run flags the variant needs beyond the endpoint's (a profile, say). */
  runFlags: string[];
  verdict: Verdict | 'RUN FAILED';
  exitCode: number | undefined;
  /** Check ids of the error-severity violations of failed cases, in first-seen order: what the suite wrongly blamed. */
  caughtBy: CheckId[];
  failedCases: string[];
  brokenCases: string[];
  /** Warnings are allowed on a correct server (Content-Length: 0 on a 204, say): counted, not a false positive. */
  warnings: number;
  result: 'conformant' | 'false positive';
  runError?: string;
  ms: number;
}

export interface MatrixReport {
  faithful: MatrixRow;
  rows: MatrixRow[];
  /** One per faithful variant (server/variants/). */
  variants: VariantRow[];
  /** Variants the suite did not call CONFORMANT with exit 0. */
  variantFalsePositives: number;
  /** Detected (killed or caught outside the family) over all mutants. */
  detected: number;
  killedByFamily: number;
  total: number;
  /** Faithful-server cases that failed, broke or carry any violation; plus one if its verdict is not CONFORMANT without any. */
  falsePositives: number;
  ms: number;
}

interface MatrixOptions {
  /** Default: every mutant in server/mutants/. */
  mutants?: readonly Mutant[];
  /** Default: every variant in server/variants/. */
  variants?: readonly Variant[];
  /** Results and summaries of each run go in a folder per server under here. */
  workDir: string;
  /** Servers judged at once: 1 or 2 (each run is itself concurrent). Default 2. */
  parallel?: number;
  onRow?: (row: MatrixRow) => void;
  onVariantRow?: (row: VariantRow) => void;
}

/** The suite against the faithful server, then against every mutant, each on its own server on port 0. */
export async function runMatrix(options: MatrixOptions): Promise<MatrixReport> {
  const started = performance.now();
  const faithful = await judgeServer(undefined, options.workDir);
  options.onRow?.(faithful);
  const mutants = options.mutants ?? MUTANTS;
  const variants = options.variants ?? VARIANTS;
  const rows: MatrixRow[] = new Array(mutants.length);
  const variantRows: VariantRow[] = new Array(variants.length);
  // One queue for both: the slow variants (latency, throttling) overlap with mutants.
  const jobs = [
    ...mutants.map((mutant, i) => async () => {
      rows[i] = await judgeServer(mutant, options.workDir);
      options.onRow?.(rows[i] as MatrixRow);
    }),
    ...variants.map((variant, i) => async () => {
      variantRows[i] = await judgeVariant(variant, options.workDir);
      options.onVariantRow?.(variantRows[i] as VariantRow);
    }),
  ];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) await jobs[i]?.();
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.parallel ?? 2), 2) }, worker));
  return {
    faithful,
    rows,
    variants: variantRows,
    variantFalsePositives: variantRows.filter((r) => r.result === 'false positive').length,
    detected: rows.filter((r) => r.result !== 'survived').length,
    killedByFamily: rows.filter((r) => r.result === 'killed').length,
    total: rows.length,
    falsePositives: faithful.flaggedCases.length + (faithful.verdict !== 'CONFORMANT' && faithful.flaggedCases.length === 0 ? 1 : 0),
    ms: Math.round(performance.now() - started),
  };
}

/**
 * One in-process run of the whole suite against one server, as a user would point it at an endpoint:
 * the seed's project-a token as primary, project-b's as the other identity, deletion allowed on
 * discovered jobs, scenario control on. `undefined` judges the faithful server.
 */
export async function judgeServer(mutant: Mutant | undefined, workDir: string): Promise<MatrixRow> {
  const started = performance.now();
  const seed = loadSeed();
  const name = mutant?.name ?? 'faithful';
  const dir = join(workDir, name);
  const server = await startReferenceServer({ seed, port: 0, scenarios: true, mutant });
  const base = { mutant: name, family: mutant?.family ?? ('faithful' as const), description: mutant?.description ?? 'the reference server as shipped' };
  try {
    const args = [...endpointArgs(server.url, seed, dir), '--scenario-control'];
    const { verdict, outcomes } = await runConformance(parseRunOptions(args, {}), QUIET);
    return { ...base, ...judge(mutant, verdict, outcomes), ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ...base,
      verdict: 'RUN FAILED',
      caughtBy: [],
      familyChecks: [],
      failedCases: [],
      brokenCases: [],
      violations: 0,
      flaggedCases: [],
      result: 'survived',
      runError: formatError(error),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await server.close();
  }
}

const QUIET = { out: () => {}, err: () => {}, env: {} };

/** As a user points the suite at an endpoint: project-a's token primary, project-b's the other, deletion of discovered jobs allowed. */
function endpointArgs(url: string, seed: Seed, dir: string): string[] {
  const [a, b] = seed.projects as [SeedProject, SeedProject];
  return [
    ...['--endpoint', url, '--project-id', a.projectId, '--token', a.tokens[0] as string],
    ...['--other-project-id', b.projectId, '--other-token', b.tokens[0] as string],
    ...['--allow-delete', '--discover', '--results-dir', join(dir, 'allure-results'), '--summary-dir', dir],
  ];
}

/**
 * One run against a faithful variant, as against a production endpoint: the server's scenario control
 * off and no --scenario-control (a real service honours no Prefer), plus the variant's own run flags.
 */
export async function judgeVariant(variant: Variant, workDir: string): Promise<VariantRow> {
  const started = performance.now();
  const seed = loadSeed();
  const dir = join(workDir, `variant-${variant.name}`);
  const server = await startReferenceServer({ seed, port: 0, scenarios: false, variant });
  const base = { variant: variant.name, description: variant.description, runFlags: [...variant.runFlags] };
  try {
    const { verdict, exitCode, outcomes } = await runConformance(parseRunOptions([...endpointArgs(server.url, seed, dir), ...variant.runFlags], {}), QUIET);
    const failed = outcomes.filter((o) => o.status === 'failed');
    return {
      ...base,
      verdict,
      exitCode,
      caughtBy: [...new Set(failed.flatMap((o) => o.violations.filter((v) => v.severity === 'error').map((v) => v.checkId)))],
      failedCases: failed.map((o) => o.caseId),
      brokenCases: outcomes.filter((o) => o.status === 'broken').map((o) => o.caseId),
      warnings: outcomes.reduce((n, o) => n + o.violations.filter((v) => v.severity !== 'error').length, 0),
      result: verdict === 'CONFORMANT' && exitCode === 0 ? 'conformant' : 'false positive',
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    return {
      ...base,
      verdict: 'RUN FAILED',
      exitCode: undefined,
      caughtBy: [],
      failedCases: [],
      brokenCases: [],
      warnings: 0,
      result: 'false positive',
      runError: formatError(error),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await server.close();
  }
}

function judge(mutant: Mutant | undefined, verdict: Verdict, outcomes: CaseOutcome[]): Omit<MatrixRow, 'mutant' | 'family' | 'description' | 'ms'> {
  const failed = outcomes.filter((o) => o.status === 'failed');
  const caughtBy = [...new Set(failed.flatMap((o) => o.violations.filter((v) => v.severity === 'error').map((v) => v.checkId)))];
  const familyChecks = mutant ? caughtBy.filter((id) => isFamilyCheck(mutant.family, id)) : [];
  const detected = verdict !== 'CONFORMANT';
  return {
    verdict,
    caughtBy,
    familyChecks,
    failedCases: failed.map((o) => o.caseId),
    brokenCases: outcomes.filter((o) => o.status === 'broken').map((o) => o.caseId),
    violations: outcomes.reduce((n, o) => n + o.violations.length, 0),
    flaggedCases: outcomes.filter((o) => o.status === 'failed' || o.status === 'broken' || o.violations.length > 0).map((o) => o.caseId),
    result: !detected ? 'survived' : familyChecks.length > 0 ? 'killed' : 'caught outside its family',
  };
}
