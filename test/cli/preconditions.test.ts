import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { httpServer } from '../support/network-peers.ts';
import { projectA, projectB, referenceServer, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Setup mistakes end the run before any case, in one line naming the likely cause and the flag that
 * fixes it — never as a page of violations blamed on the server.
 */
function expectOneLine(run: { code: number | null; stdout: string; stderr: string }, code: number, line: RegExp): void {
  expect(run.code, run.stdout + run.stderr).toBe(code);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(line);
  expect(run.stdout).not.toMatch(/^(PASS|FAIL|SKIP|ERR) /m);
  expect(run.stdout).not.toMatch(/NOT CONFORMANT/);
}

const withOutputs = (args: string[]) => {
  const dir = tempDir('pre');
  return [...args, '--results-dir', join(dir, 'allure-results'), '--summary-dir', dir];
};

test('a wrong path prefix (--endpoint …/sdrs): every path is a gateway route miss → "check the endpoint\'s path", exit 2', async () => {
  const server = await referenceServer();
  const run = await runCli(withOutputs(tokenArgs(`${server.url}/sdrs`)));
  expectOneLine(run, 2, /^PRE_NOT_THIS_API: the endpoint does not serve this API: GET \/sdrs\/v1\/.* answered 404 \(APIG\.0101, .*check the endpoint's path/);
});

test('an endpoint that answers every path with a web page: "check the endpoint\'s path", exit 2', async () => {
  const { url } = await httpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Welcome to nginx</body></html>');
  });
  const run = await runCli(withOutputs(['run', '--endpoint', url, '--project-id', 'p', '--token', 'secret-token-value']));
  expectOneLine(run, 2, /^PRE_NOT_THIS_API: .* answered 200 \(text\/html\), not the documented list — check the endpoint's path/);
});

test('the primary token refused (401): "check --token/--ak/--sk and --project-id", exit 2, no case verdict', async () => {
  const server = await referenceServer();
  const args = tokenArgs(server.url).map((a) => (a === projectA.tokens[0] ? 'MIIwrong-token' : a));
  const run = await runCli(withOutputs(args));
  expectOneLine(run, 2, /^PRE_IDENTITY: the endpoint refused the primary identity: .* answered 401 .* check --token\/--ak\/--sk and --project-id\.$/m);
  expect(run.stdout + run.stderr).not.toContain('MIIwrong-token');
});

test('the other identity refused: names the --other-* flags, exit 2', async () => {
  const server = await referenceServer();
  const args = tokenArgs(server.url).map((a) => (a === projectB.tokens[0] ? 'MIIwrong-other-token' : a));
  const run = await runCli(withOutputs(args));
  expectOneLine(
    run,
    2,
    /^PRE_OTHER_IDENTITY: the endpoint refused the other identity: .* check --other-token\/--other-ak\/--other-sk and --other-project-id\.$/m,
  );
});

test('https:// spoken to a plain-HTTP port: "did you mean http://…?", exit 3 (the endpoint is not reachable as given)', async () => {
  const server = await referenceServer();
  const https = server.url.replace(/^http:/, 'https:');
  const run = await runCli(withOutputs(tokenArgs(https)));
  expectOneLine(
    run,
    3,
    new RegExp(`^NET_UNREACHABLE: ${https.replace(/\./g, '\\.')} answers in plain HTTP, not TLS .* did you mean ${server.url.replace(/\./g, '\\.')}\\?`),
  );
  expect(run.stderr).not.toMatch(/--ca-file/);
});

test('a list that is 200 and empty is not a failure: with --discover, a warning that there is nothing to delete, and the run goes on', async () => {
  const { url } = await httpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"failure_jobs":[],"count":0}');
  });
  const dir = tempDir('pre');
  const run = await runCli([
    'run',
    '--endpoint',
    url,
    '--project-id',
    'p',
    '--token',
    'secret-token-value',
    '--allow-delete',
    '--discover',
    '--fuzz-runs',
    '5',
    '--results-dir',
    join(dir, 'allure-results'),
    '--summary-dir',
    dir,
  ]);
  expect(run.stderr).toMatch(/^warning: the list of --project-id p shows no job: --discover finds nothing to delete/m);
  expect(run.stderr).not.toMatch(/^PRE_/m);
  expect(run.stdout).toMatch(/Verdict: /);
  expect(JSON.parse(readFileSync(join(dir, 'conformance-summary.json'), 'utf8')).cases.length).toBeGreaterThan(0);
});
