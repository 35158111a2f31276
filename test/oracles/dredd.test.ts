import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, onTestFinished, test } from 'vitest';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { startReferenceServer } from '../../server/http-server.ts';
import { projectA, seed } from '../support/reference.ts';

/**
 * Dredd — an API tester nobody here wrote — takes the spec's transactions (ids, project and query
 * values from its examples) to the reference server. Every documented response of the delete and the
 * list must pass: the 204 for real (the example id is a seeded job), each error status through
 * Prefer: code=NNN, each body against the spec. A mutant that breaks the error bodies must fail it.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DREDD = join(ROOT, 'node_modules', 'dredd', 'bin', 'dredd');
const HOOKS = fileURLToPath(new URL('./dredd-hooks.cjs', import.meta.url));

interface DreddOutcome {
  code: number | null;
  /** `pass DELETE (204) /v1/…`, one per transaction, path without the query. */
  results: string[];
}

function runDredd(endpoint: string): Promise<DreddOutcome> {
  const args = [
    DREDD,
    DEFAULT_SPEC,
    endpoint,
    '--hookfiles',
    HOOKS,
    '--header',
    `X-Auth-Token: ${projectA.tokens[0]}`,
    '--color',
    'false',
    '--loglevel',
    'warning',
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Dredd did not finish within 60 s:\n${output}`));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const results = [...output.matchAll(/^(pass|fail|skip): (\w+ \(\d{3}\) [^?\s]+)/gm)].map(([, verdict, what]) => `${verdict} ${what}`);
      resolve({ code, results: [...new Set(results)] });
    });
  });
}

const JOB = `/v1/${projectA.projectId}/task-center/failure-jobs/897f57b2-6e94-4179-b414-9532726c59f2`;
const LIST = `/v1/${projectA.projectId}/task-center/failure-jobs`;
const BATCH = `/v1/${projectA.projectId}/task-center/failure-jobs/batch`;
const ERRORS = [400, 401, 403, 404, 405, 406, 407, 408, 409, 500, 501, 502, 503, 504];

/** The reference server with scenario control on (Dredd's error transactions ask for their status), on a free port. */
async function serve(mutant?: string) {
  const server = await startReferenceServer({ seed, scenarios: true, mutant });
  onTestFinished(() => server.close());
  return server;
}

describe('Dredd against the reference server', () => {
  test('every transaction of the delete and the list passes; the off-limits bulk delete is skipped', async () => {
    const server = await serve();
    const outcome = await runDredd(server.url);
    expect(outcome.results).toEqual([
      `pass DELETE (204) ${JOB}`,
      ...ERRORS.map((s) => `pass DELETE (${s}) ${JOB}`),
      `pass GET (200) ${LIST}`,
      ...ERRORS.map((s) => `pass GET (${s}) ${LIST}`),
      `skip DELETE (204) ${BATCH}`,
      ...ERRORS.map((s) => `skip DELETE (${s}) ${BATCH}`),
    ]);
    expect(outcome.code).toBe(0);
    // The 204 was real: the example job is gone.
    expect(server.store.list(projectA.projectId).map((job) => job.job_id)).not.toContain('897f57b2-6e94-4179-b414-9532726c59f2');
  }, 90_000);

  test('a server whose error bodies lose their wrapper fails every error transaction', async () => {
    const server = await serve('error-flat-body');
    const outcome = await runDredd(server.url);
    const failed = outcome.results.filter((r) => r.startsWith('fail '));
    expect(failed).toEqual([...ERRORS.map((s) => `fail DELETE (${s}) ${JOB}`), ...ERRORS.map((s) => `fail GET (${s}) ${LIST}`)]);
    expect(outcome.code).toBe(1);
  }, 90_000);
});
