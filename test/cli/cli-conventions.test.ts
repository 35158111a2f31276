/**
 * What users of Schemathesis, Dredd or Newman expect of a command line: --version, "did you mean",
 * --list, --only, --rerun-failed, --max-failures, -H — each run as a user would, against a real
 * reference server on loopback.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { parseRunOptions } from '../../cli/run-options.ts';
import { startReferenceServer } from '../../server/http-server.ts';
import type { RequestLogLine } from '../../server/request-log.ts';
import { runCli } from '../support/cli.ts';
import { seed, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** A reference server that records every request it was sent. */
async function recordingServer(options: { mutant?: string } = {}) {
  const requests: RequestLogLine[] = [];
  const server = await startReferenceServer({ seed, scenarios: true, ...options, onRequest: (line) => requests.push(line) });
  onTestFinished(() => server.close());
  return { url: server.url, requests };
}

const deleting = ['--allow-delete', '--discover', '--scenario-control', '--fuzz-runs', '10'];
const outputs = (work: string) => ['--results-dir', join(work, 'allure-results'), '--summary-dir', work];
const caseLines = (stdout: string) => stdout.split('\n').filter((l) => /^(PASS|FAIL|SKIP|ERR ) /.test(l));

test.for([['--version'], ['-V'], ['run', '--version']])('%s prints the version and exits 0', async (args) => {
  const run = await runCli(args);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toBe(`sdrs-conformance ${pkg.version}\n`);
});

test.for<[string, string[], RegExp]>([
  ['run --tokn', ['run', '--tokn', 'x'], /^CFG_USAGE: Unknown option '--tokn'\. Did you mean --token\? See sdrs-conformance run --help\.$/],
  ['run --alow-delete', ['run', '--alow-delete'], /Did you mean --allow-delete\?/],
  ['flags without the command name', ['--endpont', 'http://127.0.0.1:9'], /Did you mean --endpoint\?/],
  ['nothing near', ['run', '--zzzzzzzz'], /^CFG_USAGE: Unknown option '--zzzzzzzz'\. See sdrs-conformance run --help\.$/],
])('a misspelt flag (%s): exit 2, one line, the nearest flag suggested', async ([, args, want]) => {
  const run = await runCli(args);
  expect(run.code).toBe(2);
  expect(run.stderr.trimEnd()).toMatch(want);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
});

test('--list against an endpoint: exit 0, every planned case with its request, and only the planning requests sent', async () => {
  const work = tempDir('list');
  const { url, requests } = await recordingServer();
  const run = await runCli([...tokenArgs(url), ...deleting, '--list', ...outputs(work)]);
  expect(run.code, run.stderr).toBe(0);
  const listed = run.stdout.split('\n').filter((l) => /^(deleteFailureJob|listFailureJobs)\.\S+ +\S/.test(l));
  expect(listed.length).toBeGreaterThanOrEqual(20);
  expect(run.stdout).toContain(`${listed.length} cases planned; nothing was run (--list).`);
  expect(listed.find((l) => l.startsWith('deleteFailureJob.refused-identity.none.guard '))).toMatch(
    / DELETE \/v1\/\S+\/task-center\/failure-jobs\/\S+ \(no credentials\)$/,
  );
  expect(listed.find((l) => l.startsWith('listFailureJobs.invalid-limit '))).toMatch(/ GET \/v1\/\S+\/task-center\/failure-jobs\?limit=-1$/);
  // Planning reads the lists (preflight, discovery, the lists before any case): GETs of the list path, nothing else.
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((r) => r.method !== 'GET' || !/^\/v1\/[^/]+\/task-center\/failure-jobs(\?|$)/.test(r.path))).toEqual([]);
  // Nothing was written either: no results, no summary.
  expect(readdirSync(work)).toEqual([]);
});

test('--only runs the named case alone (plus the cases it follows), and says the verdict rests on a selection', async () => {
  const work = tempDir('only');
  const { url, requests } = await recordingServer();
  const run = await runCli([...tokenArgs(url), ...deleting, '--only', 'deleteFailureJob.unknown-id', ...outputs(work)]);
  expect(caseLines(run.stdout)).toEqual([expect.stringMatching(/^PASS deleteFailureJob\.unknown-id +404 /)]);
  expect(run.stdout).toMatch(/Verdict: INCOMPLETE — A selection \(--only\): 1 of \d+ cases\./);
  expect(run.code).toBe(4);
  expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  const summary = JSON.parse(readFileSync(join(work, 'conformance-summary.json'), 'utf8')) as { cases: { caseId: string }[] };
  expect(summary.cases.map((c) => c.caseId)).toEqual(['deleteFailureJob.unknown-id']);

  const chain = await runCli([...tokenArgs(url), ...deleting, '--only', 'deleteFailureJob.deleted-again', ...outputs(tempDir('only-chain'))]);
  expect(
    caseLines(chain.stdout)
      .map((l) => l.split(/ +/)[1])
      .sort(),
  ).toEqual(['deleteFailureJob.deleted-again', 'deleteFailureJob.own-job']);
});

test('--only with an id no case has: exit 2 before anything is sent, with the nearest id', async () => {
  const { url, requests } = await recordingServer();
  const run = await runCli([...tokenArgs(url), ...deleting, '--only', 'deleteFailureJob.unknown-ids']);
  expect(run.code).toBe(2);
  expect(run.stderr.trimEnd()).toBe(
    'CFG_USAGE: --only: no case "deleteFailureJob.unknown-ids" — did you mean deleteFailureJob.unknown-id?; sdrs-conformance run --list prints the case ids',
  );
  expect(requests).toEqual([]);
});

test('--rerun-failed SUMMARY runs exactly the cases that failed there; --max-failures 1 stops at the first failure', async () => {
  const work = tempDir('rerun');
  const broken = await recordingServer({ mutant: 'unknown-id-204' });
  const first = await runCli([...tokenArgs(broken.url), ...deleting, ...outputs(work)]);
  expect(first.code).toBe(1);
  const failedThere = caseLines(first.stdout)
    .filter((l) => /^(FAIL|ERR )/.test(l))
    .map((l) => l.split(/ +/)[1])
    .sort();
  expect(failedThere.length).toBeGreaterThan(0);

  const again = await runCli([...tokenArgs(broken.url), ...deleting, '--rerun-failed', join(work, 'conformance-summary.json'), ...outputs(tempDir('rerun-2'))]);
  const ran = caseLines(again.stdout).map((l) => l.split(/ +/)[1]);
  expect(ran.filter((id) => failedThere.includes(id as string)).sort()).toEqual(failedThere);
  expect(again.stdout).toMatch(/A selection \(--rerun-failed\)/);

  const stopped = await runCli([...tokenArgs(broken.url), ...deleting, '--max-failures', '1', '--concurrency', '1', ...outputs(tempDir('max'))]);
  expect(stopped.code).toBe(1);
  expect(stopped.stderr).toMatch(/stopped early: --max-failures 1 reached; \d+ case\(s\) finished/);
  const lines = caseLines(stopped.stdout);
  expect(lines.filter((l) => /^(FAIL|ERR )/.test(l))).toHaveLength(1);
  expect(stopped.stdout).toMatch(/skipped: not run: --max-failures 1 reached/);
  expect(lines.length).toBe(caseLines(first.stdout).length);
});

test('-H adds a header to every request; a credential-named header value appears in no artefact', async () => {
  const work = tempDir('header');
  const { url, requests } = await recordingServer();
  const canary = 'canary-gw-key-6f1d2c';
  const run = await runCli([...tokenArgs(url), ...deleting, '-H', 'X-Sdrs-Scenario: latency=1', '--header', `X-Api-Key: ${canary}`, ...outputs(work)]);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  // The reference server applies X-Sdrs-Scenario to each request it gets, and logs it: every request carried it.
  expect(requests.length).toBeGreaterThan(20);
  expect(requests.filter((r) => r.fault !== 'latency=1')).toEqual([]);
  const files = filesUnder(work);
  expect(files.length).toBeGreaterThan(3);
  for (const text of [run.stdout, run.stderr, ...files.map((f) => readFileSync(f, 'utf8'))]) expect(text).not.toContain(canary);
});

test.for<[string, string, RegExp]>([
  ['no colon', 'X-Trace', /^CFG_USAGE: --header expects 'Name: value'/],
  ['a space in the name', 'X Trace: 1', /^CFG_USAGE: --header expects 'Name: value'/],
])('-H with %s: exit 2, the value never echoed', async ([, header, want]) => {
  const run = await runCli(['run', '-H', header]);
  expect(run.code).toBe(2);
  expect(run.stderr.trimEnd()).toMatch(want);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

test.for<[string, string[], NodeJS.ProcessEnv, boolean]>([
  ['by default', [], {}, true],
  ['--no-color', ['--no-color'], {}, false],
  ['NO_COLOR=1', [], { NO_COLOR: '1' }, false],
  ['NO_COLOR empty (unset, by no-color.org)', [], { NO_COLOR: '' }, true],
])('colour on a terminal %s: %s', ([, args, env, want]) => {
  expect(parseRunOptions(args, env).color).toBe(want);
});
