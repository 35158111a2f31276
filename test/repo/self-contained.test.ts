import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/**
 * Nothing at run time or in tests reads outside the repository: a user's fresh clone has no
 * reference folder beside it (CI's has one, so only a scan of the sources can catch a reach for it).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CODE_DIRS = ['bin', 'cli', 'lib', 'server', 'reporters', 'suites', 'scripts', 'test', 'bench', '.ci'];

function codeFiles(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? codeFiles(join(dir, e.name)) : /\.(ts|js|mjs|cjs|sh)$|^run$/.test(e.name) ? [join(dir, e.name)] : []));
}

const files = CODE_DIRS.flatMap((d) => codeFiles(join(ROOT, d))).filter((f) => f !== fileURLToPath(import.meta.url));

test('the scan sees the code', () => {
  expect(files.length).toBeGreaterThan(100);
  for (const dir of ['bin', 'cli', 'lib', 'server', 'reporters', 'test'])
    expect(
      files.some((f) => relative(ROOT, f).startsWith(`${dir}/`)),
      dir,
    ).toBe(true);
});

test('no source, script or test names the shared reference folder', () => {
  const offenders = files.filter((f) => /(\.\.\/)+shared\/|['"`]shared\/reference/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
  expect(offenders).toEqual([]);
});

test('every module-relative URL resolves inside the repository', () => {
  const outside: string[] = [];
  let seen = 0;
  for (const file of files) {
    for (const [, path] of readFileSync(file, 'utf8').matchAll(/new URL\(\s*['"`]([^'"`$]+)['"`]\s*,\s*import\.meta\.url\s*\)/g)) {
      seen += 1;
      const target = resolve(dirname(file), path as string);
      if (relative(ROOT, target).startsWith('..')) outside.push(`${relative(ROOT, file)} → ${path}`);
    }
  }
  expect(seen).toBeGreaterThan(0);
  expect(outside).toEqual([]);
});
