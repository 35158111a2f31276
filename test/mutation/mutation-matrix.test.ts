import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test, type ExpectStatic } from 'vitest';
import { MUTANTS, type Mutant } from '../../server/mutants/index.ts';
import { judgeServer, runMatrix, type MatrixRow } from '../../scripts/mutation/run-matrix.ts';

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

test('a mutant no check catches is reported as survived, and fails the assertion every mutant must pass', async () => {
  const unchanged: Mutant = {
    name: 'changes-nothing',
    family: 'success',
    description: 'wraps the faithful handler and changes nothing',
    handler: (faithful) => faithful,
  };
  // Detected, but filed under a family whose checks are not the ones that fire: not a kill either.
  const mislabelled: Mutant = { ...(MUTANTS.find((m) => m.name === 'wrong-method-no-allow') as Mutant), name: 'mislabelled', family: 'error-bodies' };
  const report = await runMatrix({ mutants: [unchanged, mislabelled], workDir: join(workDir, 'proof'), parallel: 2 });
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
