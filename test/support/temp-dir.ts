import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * Tests write only into folders like these, never into the repository or a fixed /tmp path, and
 * leave nothing behind (test/support/global-setup.ts checks the repository after every run).
 */
const fresh = (prefix: string) => mkdtempSync(join(tmpdir(), `sdrs-${prefix}-`));
const remove = (dir: string) => () => rmSync(dir, { recursive: true, force: true });

/** A new empty folder, removed when the current test finishes. Call it inside a test. */
export function tempDir(prefix = 'test'): string {
  const dir = fresh(prefix);
  try {
    onTestFinished(remove(dir));
  } catch (error) {
    remove(dir)();
    throw error;
  }
  return dir;
}

/** A new empty folder for a whole file (its beforeAll and tests), removed after them. Call it at the top level of a test file. */
export function fileTempDir(prefix = 'test'): string {
  const dir = fresh(prefix);
  afterAll(remove(dir));
  return dir;
}
