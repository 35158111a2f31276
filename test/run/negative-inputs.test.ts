import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { mentionsReserved, movesPath, patternCharacters, reservedSegments } from '../../lib/cases/job-id-safety.ts';
import { negativeInputs } from '../../lib/cases/negative-inputs.ts';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';
import { runCli } from '../support/cli.ts';
import { hostileEndpoint } from '../support/hostile-endpoint.ts';
import { referenceServer, tokenArgs } from '../support/reference.ts';

const JSON_404 = '{"itemNotFound":{"code":"SDRS.9404","message":"no such job"}}';
const answer = (status: number) => `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${JSON_404.length}\r\n\r\n${JSON_404}`;
const fuzzOnly = (url: string, ...extra: string[]) => runCli(['run', '--endpoint', url, '--project-id', 'p', '--token', 't', '--fuzz-runs', '60', ...extra]);

test('the reference server refuses 300 hostile inputs properly', async () => {
  const server = await referenceServer();
  const run = await runCli([...tokenArgs(server.url), '--fuzz-runs', '300', '--fuzz-seed', '42']);
  expect(run.stdout).toMatch(/Negative inputs: 300 generated requests, fast-check seed 42/);
  expect(run.stdout).toMatch(/^PASS deleteFailureJob\.negative-inputs/m);
  expect(run.stdout).toMatch(/300 generated inputs, fast-check seed 42/);
});

test('a server that answers 500 to a percent sequence: caught, shrunk, with the seed and a one-line reproduction — the same on replay', async () => {
  const endpoint = await hostileEndpoint((socket, line) => socket.end(answer(/%[0-9A-F]{2}/i.test(line.split(' ')[1] ?? '') ? 500 : 404)));
  const first = await fuzzOnly(endpoint.url, '--fuzz-seed', '7');
  const again = await fuzzOnly(endpoint.url, '--fuzz-seed', '7');
  expect(first.code).toBe(1);
  expect(first.stdout).toMatch(/^FAIL deleteFailureJob\.negative-inputs +500/m);
  expect(first.stdout).toMatch(/\[status-expected\] .*Received: 500 .*\(at status \(input project_id=.*failure_job_id=.*\)\)/);
  expect(first.stdout).toMatch(/fast-check seed 7: failed after \d+ shrink step\(s\) on project_id=/);
  // Credentials come from the environment: the line holds none, and can be pasted as it is.
  expect(first.stdout).toMatch(/reproduce: curl -i -g --path-as-is -X 'DELETE' .*-H "X-Auth-Token: \$SDRS_AUTH_TOKEN" 'http:\/\/127\.0\.0\.1:\d+\/v1\/.*/i);
  // Pasted into a shell, the line sends the failing request again, byte for byte (its URL as the shell reads it).
  const line = /reproduce: (curl .*-X 'DELETE' .*)$/m.exec(first.stdout)?.[1] as string;
  const sh = (script: string, env: NodeJS.ProcessEnv = {}) =>
    promisify(execFile)('sh', ['-c', script], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 10_000 }).then((r) => r.stdout);
  const target = await sh(`printf %s ${line.slice(line.lastIndexOf(" 'http://") + 1)}`);
  const before = endpoint.requests.length;
  expect(await sh(line, { SDRS_AUTH_TOKEN: 't' })).toMatch(/^HTTP\/1\.1 500/);
  expect(endpoint.requests.slice(before)).toEqual([`DELETE ${target.slice(new URL(target).origin.length)} HTTP/1.1`]);
  expect(first.stdout).toMatch(/replay: sdrs-conformance run … --fuzz-seed 7 --fuzz-runs 60/);
  const shrunk = (out: string) => /failed after \d+ shrink step\(s\) on (.*)/.exec(out)?.[1];
  expect(shrunk(again.stdout)).toBe(shrunk(first.stdout));
});

test('a server that deletes (204) whatever id it is given fails the negative inputs', async () => {
  const endpoint = await hostileEndpoint((socket) => socket.end('HTTP/1.1 204 No Content\r\n\r\n'));
  const run = await fuzzOnly(endpoint.url);
  expect(run.stdout).toMatch(/^FAIL deleteFailureJob\.negative-inputs +204/m);
});

test('hostile segments reach the server as generated: dot segments and raw escapes are not normalised away', async () => {
  const endpoint = await hostileEndpoint((socket) => socket.end(answer(404)));
  // Dot segments only where the run may delete: they could steer a DELETE elsewhere on a normalising server.
  await fuzzOnly(endpoint.url, '--fuzz-runs', '200', '--allow-delete', '--failure-job-id', 'a', '--failure-job-id', 'b');
  const paths = endpoint.requests.map((line) => line.split(' ')[1] ?? '');
  expect(paths.some((p) => p.endsWith('/failure-jobs/..'))).toBe(true);
  expect(paths.some((p) => p.includes('%ZZ'))).toBe(true);
});

test('no generated id reaches the batch endpoint, however it is spelt (it deletes every failed task) — the rule comes from the spec', async () => {
  const spec = await loadSpec(DEFAULT_SPEC);
  const reserved = reservedSegments(spec.operations, spec.operations.find((op) => op.operationId === 'deleteFailureJob')!);
  expect(reserved.failure_job_id!.map((r) => r.literal)).toEqual(['batch']);
  const isBatch = (segment: string) => mentionsReserved(segment, reserved.failure_job_id!);
  expect(['batch', 'BATCH', '%62atch', '%2562atch', ' batch', 'x%2F..%2Fbatch', '%EF%BD%82atch'].every(isBatch)).toBe(true);
  const ids = fc
    .sample(negativeInputs(['project_id', 'failure_job_id'], { project_id: 'p' }, { reserved, mayDelete: true }), { seed: 3, numRuns: 5000 })
    .map((i) => i.segments.failure_job_id ?? '');
  expect(ids.filter(isBatch)).toEqual([]);
});

test('where the run may not delete, no generated segment can move the request to another path, or match jobs as a pattern', async () => {
  expect(['..', '.', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2F', '%5C', '%252e%252e', '%ef%bc%8f', '%20', '%00'].every(movesPath)).toBe(true);
  const samples = fc.sample(negativeInputs(['project_id', 'failure_job_id'], { project_id: 'p' }, { reserved: {}, mayDelete: false }), {
    seed: 5,
    numRuns: 5000,
  });
  const segments = samples.flatMap((i) => Object.values(i.segments));
  expect(segments.filter(movesPath)).toEqual([]);
  expect(segments.filter((s) => patternCharacters(s, 'segment').length > 0)).toEqual([]);
  // Over-long values are still tried: their unsafe characters are replaced, not the values dropped.
  expect(segments.some((s) => s.length > 256)).toBe(true);
  const endpoint = await hostileEndpoint((socket) => socket.end(answer(404)));
  await fuzzOnly(endpoint.url, '--fuzz-runs', '200');
  expect(endpoint.requests.filter((line) => /\/\.\.?( |\/)/.test(line))).toEqual([]);
});

test('a server that hangs on hostile input: the case is broken (transport), bounded in time', async () => {
  const endpoint = await hostileEndpoint(() => {});
  // This endpoint hangs on every case, not only on hostile input: the dead-target rule (off here) would stop the run first.
  const run = await runCli([
    'run',
    '--endpoint',
    endpoint.url,
    '--project-id',
    'p',
    '--token',
    't',
    '--fuzz-runs',
    '50',
    '--timeout',
    '300',
    '--max-transport-errors',
    '0',
  ]);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^ERR {2}deleteFailureJob\.negative-inputs/m);
  expect(run.stdout).toMatch(/transport error: (deadline|headers-timeout) .* for project_id=/);
  expect(run.ms).toBeLessThan(20_000);
});
