import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { CASE_COUNT, UNPROVOKABLE } from '../support/fixtures.ts';
import { closedPort, silentServer } from '../support/network-peers.ts';
import { akskArgs, projectA, referenceServer, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

const results = () => ['--results-dir', join(tempDir('cli'), 'allure-results')];
const deleting = ['--allow-delete', '--discover'];

test('by URL with a token: every verifiable case passes, the rest are skipped as not provokable, exit 0', async () => {
  const server = await referenceServer();
  const run = await runCli([...tokenArgs(server.url), ...deleting, ...results()]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(
    new RegExp(`${CASE_COUNT} cases: ${CASE_COUNT - UNPROVOKABLE} passed, 0 failed, 0 broken, ${UNPROVOKABLE} skipped\\. Verdict: CONFORMANT`),
  );
  expect(run.stdout).toMatch(/Deletion ledger: 1 DELETE request answered 2xx, 1 distinct job\./);
});

test('by URL with AK/SK signing: the same, exit 0', async () => {
  const server = await referenceServer();
  const run = await runCli([...akskArgs(server.url), ...deleting, ...results()]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Verdict: CONFORMANT/);
  expect(run.stdout).toMatch(/^PASS deleteFailureJob\.own-job +204/m);
});

test('against a reference server with --scenario-control every documented status of both operations is verified', async () => {
  const server = await referenceServer({ scenarios: true });
  const run = await runCli([...tokenArgs(server.url), ...deleting, '--scenario-control', ...results()]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`${CASE_COUNT} cases: ${CASE_COUNT} passed`));
});

test('a wrong token: one line naming the flags before any case — exit 2, no case verdict, no crash', async () => {
  const server = await referenceServer();
  const args = tokenArgs(server.url).map((a) => (a === projectA.tokens[0] ? 'MIIwrong-token' : a));
  const run = await runCli([...args, ...deleting, ...results()]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^PRE_IDENTITY: the endpoint refused the primary identity: .* answered 401 .* check --token\/--ak\/--sk and --project-id\.\n$/);
  expect(run.stdout).not.toMatch(/^(PASS|FAIL|SKIP|ERR) /m);
  expect(run.stdout).not.toMatch(/Verdict:/);
  expect(run.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(run.stdout + run.stderr).not.toContain('MIIwrong-token');
});

test('the huaweicloud profile is used and reported', async () => {
  const server = await referenceServer();
  const dir = results();
  const run = await runCli([...tokenArgs(server.url), ...deleting, '--profile', 'huaweicloud', ...dir]);
  expect(run.stdout).toMatch(/profile huaweicloud/);
  // The reference server answers a wrong method with 405, which this profile does not expect.
  expect(run.stdout).toMatch(/^FAIL deleteFailureJob\.wrong-method\.get +405/m);
  const labels = readdirSync(dir[1]!)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir[1]!, f), 'utf8')).labels);
  expect(labels.length).toBeGreaterThan(0);
  expect(labels.every((l: Array<{ name: string; value: string }>) => l.some((x) => x.name === 'profile' && x.value === 'huaweicloud'))).toBe(true);
});

test('an unreachable port: one message naming the endpoint and the cause, exit 3, well within the connect timeout', async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const run = await runCli(['run', '--endpoint', url, '--project-id', 'p', '--token', 't']);
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(new RegExp(`^NET_UNREACHABLE: ${url} did not answer: the connection was refused`));
  expect(run.stdout).not.toMatch(/^(PASS|FAIL|SKIP|ERR)/m);
  expect(run.ms).toBeLessThan(5000);
});

test('an endpoint that accepts and never answers: exit 3 once the connect timeout passes, not one failure per case', async () => {
  const url = await silentServer();
  const run = await runCli(['run', '--endpoint', url, '--project-id', 'p', '--token', 't', '--connect-timeout', '800']);
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(/NET_UNREACHABLE: .* (connected, but no response head|no complete response) within the connect timeout/);
  expect(run.ms).toBeGreaterThanOrEqual(800);
});
