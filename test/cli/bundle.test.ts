import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runHelp } from '../../cli/help.ts';
import { main } from '../../cli/main.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * bin/ runs the build in dist/ (`npm ci` and the tests' global setup make it) and nothing else: no
 * source is compiled at run time, and a build older than the sources is refused with one line.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REFUSAL = 'sdrs-conformance: the build in dist/ is missing or older than the sources — run `npm run build` (npm ci runs it)\n';
/** Sorted: cases print as they finish, and the order of finishing is the scheduler's. */
const caseLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^(PASS|FAIL|SKIP|ERR )/.test(l))
    .sort();

/** A copy of bin/ and dist/ with one source file, and every mtime set on purpose. */
function installation(source: 'older' | 'newer'): string {
  const dir = tempDir('bundle');
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, 'lib', 'run'), { recursive: true });
  writeFileSync(join(dir, 'lib', 'run', 'edited.ts'), 'export {};\n');
  const built = new Date(Date.now() - 3_600_000);
  for (const file of readdirSync(join(dir, 'dist'))) utimesSync(join(dir, 'dist', file), built, built);
  const edited = new Date(built.getTime() + (source === 'newer' ? 60_000 : -60_000));
  utimesSync(join(dir, 'lib', 'run', 'edited.ts'), edited, edited);
  return dir;
}

test("bin/ runs the build: in a copy holding no sources to compile, --help is the sources' help", async () => {
  const run = await runCliIn(installation('older'), ['--help']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toBe(`${runHelp()}\n`);
});

test.for([
  ['a source edited after the build', (dir: string) => dir],
  [
    'no build at all',
    (dir: string) => {
      rmSync(join(dir, 'dist'), { recursive: true });
      return dir;
    },
  ],
  [
    'a build missing its entry point',
    (dir: string) => {
      rmSync(join(dir, 'dist', 'sdrs-conformance.js'));
      return dir;
    },
  ],
] as const)('bin/ refuses %s: one line saying what to do, exit 2, nothing run', async ([, damage]) => {
  const run = await runCliIn(damage(installation('newer')), ['run']);
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(REFUSAL);
  expect(run.stdout).toBe('');
});

test('a chunk left from an older build makes the whole build stale', async () => {
  const dir = installation('older');
  const chunk = readdirSync(join(dir, 'dist')).find((f) => f.startsWith('chunk-')) as string;
  expect(chunk).toBeDefined();
  const ancient = new Date(Date.now() - 7_200_000);
  utimesSync(join(dir, 'dist', chunk), ancient, ancient);
  const run = await runCliIn(dir, ['--help']);
  expect(run.stderr).toBe(REFUSAL);
});

test('the build in this tree is fresh and behaves as the sources: same help, same verdict on every case', async () => {
  const work = tempDir('bundle-run');
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), env: {} };
  const [bundled, help, sourceCode] = await Promise.all([
    runCli(['run', '--results-dir', join(work, 'bundle-results'), '--summary-dir', join(work, 'bundle')]),
    runCli(['--help']),
    main(['run', '--results-dir', join(work, 'source-results'), '--summary-dir', join(work, 'source')], io),
  ]);
  expect(help.stdout).toBe(`${runHelp()}\n`);
  expect(bundled.code, bundled.stderr).toBe(0);
  expect(sourceCode).toBe(0);
  expect(caseLines(bundled.stdout).length).toBeGreaterThan(0);
  expect(caseLines(bundled.stdout)).toEqual(caseLines(lines.join('\n')));
});

/** bin/ of a copied installation, run from a temporary working directory. */
function runCliIn(dir: string, args: string[]) {
  return runCli(args, { cwd: tempDir(), bin: join(dir, 'bin', 'sdrs-conformance.js') });
}
