import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/sdrs-conformance.js', import.meta.url));
/** What a test run may add to the repository: installed packages, the build, caches, its own JUnit. */
const MAY_APPEAR = ['node_modules/', 'dist/', 'test-output/', '.cache/', '.vite/', '.vitest/'];

/**
 * Once per `npm test` (vitest globalSetup). Before any test: the tests spawn bin/, which runs only a
 * build at least as new as the sources, so build when it refuses. After every test: the repository
 * holds no new artefact — every test writes into a temporary folder (test/support/temp-dir.ts).
 */
export default function setup(): () => void {
  ensureBuild();
  const before = repositoryEntries();
  return () => {
    if (!before) return;
    const gained = [...(repositoryEntries() ?? [])].filter((entry) => !before.has(entry) && isArtefact(entry)).map((entry) => entry.slice(3));
    if (gained.length === 0) return;
    console.error(
      `\nThe test run left files in the repository: ${gained.join(', ')}.\nA test must write into a temporary folder (test/support/temp-dir.ts: tempDir, fileTempDir; runCli runs in one) and remove it.\n`,
    );
    process.exitCode = 1;
  };
}

function ensureBuild(): void {
  const probe = () => spawnSync(process.execPath, [BIN, '--help'], { cwd: ROOT, encoding: 'utf8' });
  if (probe().status === 0) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const after = probe();
  if (after.status !== 0) throw new Error(`bin/sdrs-conformance.js --help still fails after npm run build (exit ${after.status}): ${after.stderr}`);
}

/**
 * Untracked (`?? path`) and ignored (`!! path`) entries, as git lists them (a folder as one entry).
 * Undefined outside a git work tree. --no-optional-locks: this never writes the index, which other
 * processes may be using.
 */
function repositoryEntries(): Set<string> | undefined {
  const status = spawnSync('git', ['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--ignored', '--untracked-files=normal'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (status.status !== 0) return undefined;
  return new Set(status.stdout.split('\0').filter((line) => line.startsWith('?? ') || line.startsWith('!! ')));
}

/**
 * A run artefact: anything git ignores (the run's outputs are all in .gitignore), or an untracked
 * entry at the top level. An untracked file deeper down is a source someone is writing while the
 * tests run, not an artefact.
 */
function isArtefact(entry: string): boolean {
  const path = entry.slice(3);
  if (MAY_APPEAR.some((allowed) => path.startsWith(allowed))) return false;
  return entry.startsWith('!! ') || !path.replace(/\/$/, '').includes('/');
}
