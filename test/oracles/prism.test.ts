import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { fileTempDir } from '../support/temp-dir.ts';

/**
 * Stoplight Prism — a mock server nobody here wrote — serving the project's own spec. It knows every
 * shape the spec documents and nothing else: no authentication beyond the header's presence, no state,
 * no ids, and its own problem+json 405. Every other error it answers with the spec's first example for
 * the status, so the examples are judged here too. The suite must list exactly those deviations, and
 * scenario control (Prism honours `Prefer: code=` without sending Preference-Applied) must add the
 * probes' verdicts without discarding what the condition cases saw.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRISM = join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const SPEC = join(ROOT, 'spec', 'sdrs-failure-jobs.openapi.yaml');

/** What Prism truly does wrong, case by case, in the doc profile. */
const DEVIATIONS: Record<string, string[]> = {
  // No authentication semantics: any token is accepted, any project's — whatever the id.
  ...Object.fromEntries(
    ['invalid-token', 'other'].flatMap((who) =>
      ['guard', 'unknown', 'malformed', 'overlong'].map((id) => [`deleteFailureJob.refused-identity.${who}.${id}`, ['status-expected']]),
    ),
  ),
  'listFailureJobs.invalid-token': ['status-expected'],
  'listFailureJobs.other-project-token': ['status-expected'],
  // No ids and no state: every well-formed DELETE succeeds.
  'deleteFailureJob.invalid-id-characters': ['status-expected'],
  'deleteFailureJob.invalid-id-overlong': ['status-expected'],
  'deleteFailureJob.invalid-id-encodings': ['status-expected'],
  'deleteFailureJob.unknown-id': ['status-expected'],
  // Its own 405 — for every method, the extension method too — is problem+json, without the Allow the spec
  // asks for (every other error is the spec's example; an answer to HEAD has no body to judge).
  ...Object.fromEntries(
    ['get', 'options', 'put', 'post', 'patch', 'trace'].map((m) => [`deleteFailureJob.wrong-method.${m}`, ['allow-header', 'error-body-schema']]),
  ),
  'deleteFailureJob.wrong-method.head': ['allow-header'],
  'deleteFailureJob.extension-method.purge': ['allow-header', 'error-body-schema'],
  ...Object.fromEntries(['put', 'post', 'patch'].map((m) => [`listFailureJobs.wrong-method.${m}`, ['allow-header', 'error-body-schema']])),
};

interface Summary {
  cases: Array<{
    caseId: string;
    kind: string;
    status: string;
    receivedStatus: number | null;
    violations: Array<{ checkId: string; severity: string }>;
    skip: { category: string } | null;
  }>;
  matrix: Array<{ operationId: string; status: number; verifiedBy: string | null }>;
}

let prism: ChildProcess;
let url = '';

beforeAll(async () => {
  prism = spawn(process.execPath, [PRISM, 'mock', SPEC, '-h', '127.0.0.1', '-p', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Prism did not start within 30 s:\n${seen}`)), 30_000);
    prism.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const listening = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1] as string);
      }
    });
    prism.on('exit', (code) => reject(new Error(`Prism exited (${code}) before listening:\n${seen}`)));
  });
}, 40_000);

afterAll(() => {
  prism?.kill('SIGTERM');
});

const work = fileTempDir('prism');

async function runAgainstPrism(name: string, extra: string[]): Promise<{ code: number | null; summary: Summary }> {
  const dir = join(work, name);
  // Negative inputs stay off: a malformed escape (%ZZ) kills Prism 5.14's process (an uncaught URIError),
  // which the suite rightly reports as a target that stopped answering — and which would end this test.
  const args = [
    'run',
    '--endpoint',
    url,
    '--project-id',
    'p1',
    '--token',
    'MIIprismPrimaryToken',
    '--other-project-id',
    'p2',
    '--other-token',
    'MIIprismOtherToken',
  ];
  const result = await runCli(
    [...args, '--discover', '--allow-delete', '--fuzz-runs', '0', ...extra, '--summary-dir', dir, '--results-dir', join(dir, 'results')],
    { timeoutMs: 120_000 },
  );
  return { code: result.code, summary: JSON.parse(readFileSync(join(dir, 'conformance-summary.json'), 'utf8')) as Summary };
}

const failingConditions = (s: Summary) =>
  Object.fromEntries(
    s.cases
      .filter((c) => c.kind === 'condition' && (c.status === 'failed' || c.status === 'broken'))
      .map((c) => [c.caseId, [...new Set(c.violations.filter((v) => v.severity === 'error').map((v) => v.checkId))].sort()]),
  );

describe("Prism mocking the project's own spec", () => {
  let plain: Awaited<ReturnType<typeof runAgainstPrism>>;
  let steered: Awaited<ReturnType<typeof runAgainstPrism>>;

  beforeAll(async () => {
    plain = await runAgainstPrism('plain', []);
    steered = await runAgainstPrism('scenario', ['--scenario-control']);
  }, 240_000);

  test('the verdict lists exactly the deviations Prism truly has, each by the check that is about it', () => {
    expect(plain.code).toBe(1);
    expect(failingConditions(plain.summary)).toEqual(DEVIATIONS);
    // What Prism gets right passes: the list in its documented shape.
    expect(plain.summary.cases.find((c) => c.caseId === 'listFailureJobs.own-project')?.status).toBe('passed');
  });

  test('under --scenario-control no status a condition case saw disappears, and no failure is discarded', () => {
    expect(failingConditions(steered.summary)).toEqual(DEVIATIONS);
    const seen = plain.summary.cases.filter((c) => c.kind === 'condition' && c.receivedStatus !== null);
    expect(seen.length).toBeGreaterThan(10);
    for (const row of plain.summary.matrix) {
      const before = row.verifiedBy;
      const after = steered.summary.matrix.find((r) => r.operationId === row.operationId && r.status === row.status)?.verifiedBy;
      // A status shown by a case stays shown by that case: a probe never replaces evidence.
      if (before && before !== 'scenario') expect(after, `${row.operationId} ${row.status}`).toBe(before);
    }
  });

  test("Prism honours Prefer without Preference-Applied: every error status is probed, and the spec's example for it passes", () => {
    const errorStatusCases = steered.summary.cases.filter((c) => /\.status-[45]\d\d$/.test(c.caseId));
    expect(errorStatusCases.length).toBe(28);
    expect(errorStatusCases.filter((c) => c.skip?.category === 'not-provokable')).toEqual([]);
    for (const c of errorStatusCases) {
      expect(c.receivedStatus, c.caseId).toBe(Number(c.caseId.slice(-3)));
      // The 405 probe goes out with another method, and Prism answers that with its own problem+json.
      const want = c.caseId.endsWith('.status-405') ? ['allow-header', 'error-body-schema'] : [];
      expect(c.violations.map((v) => v.checkId).sort(), c.caseId).toEqual(want);
    }
  });
});

test('prism mock answers Prefer: code=404 with a JSON error body carrying an error code', async () => {
  const answer = await fetch(`${url}/v1/p1/task-center/failure-jobs/897f57b2-6e94-4179-b414-9532726c59f2`, {
    method: 'DELETE',
    headers: { 'X-Auth-Token': 'MIIprismPrimaryToken', Prefer: 'code=404' },
    signal: AbortSignal.timeout(10_000),
  });
  expect(answer.status).toBe(404);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await answer.json()).toMatchObject({ itemNotFound: { code: 'SDRS.9404' } });
});
