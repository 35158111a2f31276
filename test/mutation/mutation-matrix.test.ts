import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test, type ExpectStatic } from 'vitest';
import { MUTANTS, type Mutant } from '../../server/mutants/index.ts';
import { VARIANTS, type Variant } from '../../server/variants/index.ts';
import { judgeServer, judgeVariant, runMatrix, type MatrixRow } from '../../scripts/mutation/run-matrix.ts';

const workDir = mkdtempSync(join(tmpdir(), 'sdrs-mutation-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * What "killed" means, in one place: the suite did not call the server conformant, and a failing
 * case names a check that is about the mutant's family (FAMILY_CHECKS). The rows below and the proof
 * with an uncatchable mutant use this same assertion.
 */
function expectKilledByItsFamily(row: MatrixRow, mutant: Mutant, check: ExpectStatic = expect): void {
  check(row.verdict, `${mutant.name}: the suite called a broken server ${row.verdict}${row.runError ? ` (${row.runError})` : ''}`).not.toBe('CONFORMANT');
  check(row.familyChecks, `${mutant.name} (${mutant.family}) was caught only by ${row.caughtBy.join(', ') || 'no check'}`).not.toEqual([]);
}

test('the faithful server passes with zero violations', async () => {
  const row = await judgeServer(undefined, join(workDir, 'faithful-row'));
  expect(row).toMatchObject({ verdict: 'CONFORMANT', violations: 0, flaggedCases: [], caughtBy: [], brokenCases: [] });
});

// The guarantee: these rows iterate MUTANTS itself, so a mutant added to server/mutants/ without a
// check that catches it — by a check of its own family — is a failing row of `npm test`. The last
// test below shows that the assertion does fail for a mutant nothing catches.
test.concurrent.for(MUTANTS.map((mutant) => [mutant.name, mutant] as const))('%s is killed by a check of its family', async ([, mutant], { expect }) => {
  expectKilledByItsFamily(await judgeServer(mutant, workDir), mutant, expect);
});

// Never fail a correct server (issue 13): each faithful variant, run as a production endpoint with its
// own run flags, must be CONFORMANT with exit 0. A variant added to server/variants/ that the suite
// fails is a failing row here; what it blamed is in the message.
test.concurrent.for(VARIANTS.map((variant) => [variant.name, variant] as const))('%s (a correct server) is CONFORMANT', async ([, variant], { expect }) => {
  const row = await judgeVariant(variant, workDir);
  const blamed =
    row.runError ?? `failed: ${row.failedCases.join(', ') || '—'} by ${row.caughtBy.join(', ') || '—'}; broken: ${row.brokenCases.join(', ') || '—'}`;
  expect({ verdict: row.verdict, exitCode: row.exitCode }, `${variant.name} (${variant.runFlags.join(' ') || 'no extra flags'}): ${blamed}`).toEqual({
    verdict: 'CONFORMANT',
    exitCode: 0,
  });
});

test('a variant the suite fails is reported as a false positive, with what it blamed', async () => {
  // A "variant" that is not faithful at all: a 204 that carries a body.
  const broken: Variant = {
    name: 'not-faithful',
    description: 'answers 200 with a body where the doc says 204',
    runFlags: [],
    handler: (faithful) => (request, ctx) => {
      const response = faithful(request, ctx);
      return response.status === 204
        ? { ...response, status: 200, headers: { ...response.headers, 'content-type': 'application/json' }, body: '{}' }
        : response;
    },
  };
  const report = await runMatrix({ mutants: [], variants: [broken], workDir: join(workDir, 'variant-proof'), parallel: 1 });
  expect(report).toMatchObject({ total: 0, variantFalsePositives: 1 });
  expect(report.variants[0]).toMatchObject({ variant: 'not-faithful', verdict: 'NOT CONFORMANT', exitCode: 1, result: 'false positive' });
  expect(report.variants[0]?.caughtBy).toContain('status-expected');
});

test('a mutant no check catches is reported as survived, and fails the assertion every mutant must pass', async () => {
  const unchanged: Mutant = {
    name: 'changes-nothing',
    family: 'success',
    description: 'wraps the faithful handler and changes nothing',
    handler: (faithful) => faithful,
  };
  // Detected, but filed under a family whose checks are not the ones that fire: not a kill either.
  const mislabelled: Mutant = { ...(MUTANTS.find((m) => m.name === 'wrong-method-no-allow') as Mutant), name: 'mislabelled', family: 'error-bodies' };
  const report = await runMatrix({ mutants: [unchanged, mislabelled], variants: [], workDir: join(workDir, 'proof'), parallel: 2 });
  expect(report).toMatchObject({ total: 2, detected: 1, killedByFamily: 0, falsePositives: 0 });
  expect(report.rows[0]).toMatchObject({ mutant: 'changes-nothing', verdict: 'CONFORMANT', caughtBy: [], result: 'survived' });
  expect(report.rows[1]).toMatchObject({
    mutant: 'mislabelled',
    verdict: 'NOT CONFORMANT',
    caughtBy: ['allow-header'],
    familyChecks: [],
    result: 'caught outside its family',
  });
  expect(() => expectKilledByItsFamily(report.rows[0] as MatrixRow, unchanged)).toThrow(/called a broken server CONFORMANT/);
  expect(() => expectKilledByItsFamily(report.rows[1] as MatrixRow, mislabelled)).toThrow(/caught only by allow-header/);
});
