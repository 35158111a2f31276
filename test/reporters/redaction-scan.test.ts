import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { startReferenceServer } from '../../server/http-server.ts';
import { runCli } from '../support/cli.ts';
import { seed } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Recognisable values: if any of them shows up in an artefact, a credential leaked. */
const CANARY_TOKEN = 'MIIcanary-token-5f0c1e2d9a7b4c3e8f6a';
const CANARY_SK = 'canary-secret-key-93b1d7e4a2c6f8051e2d';
const CANARY_OTHER_TOKEN = 'MIIcanary-other-token-77aa99bb11cc';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('a whole run with recognisable token and secret-key values: zero hits in every artefact', async () => {
  const [a, b] = seed.projects;
  const canarySeed = {
    projects: [
      { ...a!, tokens: [CANARY_TOKEN], aksk: [{ ak: 'CANARYAK000000000001', sk: CANARY_SK }] },
      { ...b!, tokens: [CANARY_OTHER_TOKEN] },
    ],
  };
  const server = await startReferenceServer({ seed: canarySeed, scenarios: true });
  onTestFinished(() => server.close());
  const work = tempDir('redaction');
  const common = [
    '--endpoint',
    server.url,
    '--other-project-id',
    b!.projectId,
    '--other-token',
    CANARY_OTHER_TOKEN,
    '--allow-delete',
    '--discover',
    '--scenario-control',
    '--summary-dir',
    work,
  ];
  // One run signs with AK/SK, one sends the token: both credential kinds pass through every artefact.
  const signed = await runCli(
    [
      'run',
      ...common,
      '--project-id',
      a!.projectId,
      '--ak',
      'CANARYAK000000000001',
      '--sk',
      CANARY_SK,
      '--results-dir',
      join(work, 'results-aksk'),
      '--junit',
      join(work, 'junit-aksk.xml'),
    ],
    { cwd: work },
  );
  const tokened = await runCli(
    [
      'run',
      ...common,
      '--project-id',
      a!.projectId,
      '--token',
      CANARY_TOKEN,
      '--results-dir',
      join(work, 'results-token'),
      '--junit',
      join(work, 'junit-token.xml'),
    ],
    { cwd: work },
  );
  expect(signed.code).toBe(0);
  expect(tokened.code).toBe(0);
  const report = await runCli(
    ['report', '--results-dir', join(work, 'results-token'), '--report-dir', join(work, 'allure-report'), '--history', join(work, 'history', 'history.jsonl')],
    { cwd: work },
  );
  expect(report.code).toBe(0);

  const artefacts = filesUnder(work);
  expect(artefacts.some((f) => f.endsWith('conformance-summary.html'))).toBe(true);
  expect(artefacts.some((f) => f.endsWith('junit-token.xml'))).toBe(true);
  expect(artefacts.some((f) => f.endsWith(join('allure-report', 'index.html')))).toBe(true);
  expect(artefacts.filter((f) => f.includes('results-token')).length).toBeGreaterThan(31);
  const texts = [signed.stdout, signed.stderr, tokened.stdout, tokened.stderr, report.stdout, ...artefacts.map((f) => readFileSync(f, 'latin1'))];
  for (const canary of [CANARY_TOKEN, CANARY_SK, CANARY_OTHER_TOKEN]) {
    const hits = texts.filter((text) => text.includes(canary)).length;
    expect(hits, `${canary} found in an artefact`).toBe(0);
  }
  // The evidence is still there, masked.
  expect(texts.some((t) => t.includes('X-Auth-Token: ***'))).toBe(true);
  expect(texts.some((t) => t.includes('SDK-HMAC-SHA256 Access=***, SignedHeaders='))).toBe(true);
});
