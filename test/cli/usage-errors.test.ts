import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';

const endpoint = ['--endpoint', 'http://127.0.0.1:9', '--project-id', 'p'];

test.for([
  ['an unknown flag', ['run', '--bogus'], /^CFG_USAGE: Unknown option '--bogus'/],
  ['an unknown command', ['frobnicate'], /^CFG_USAGE: unknown command "frobnicate"/],
  ['a malformed URL', ['run', '--endpoint', 'not a url', '--project-id', 'p', '--token', 't'], /^CFG_USAGE: --endpoint expects an http\(s\) URL/],
  [
    'a non-HTTP scheme',
    ['run', '--endpoint', 'ftp://host', '--project-id', 'p', '--token', 't'],
    /^CFG_USAGE: --endpoint expects an http\(s\) URL, got the scheme "ftp:"/,
  ],
  ['missing credentials', ['run', ...endpoint], /^CFG_USAGE: no credentials for the endpoint: give --token/],
  ['a missing project id', ['run', '--endpoint', 'http://127.0.0.1:9', '--token', 't'], /^CFG_USAGE: --project-id is required with --endpoint/],
  [
    '--discover without --allow-delete',
    ['run', ...endpoint, '--token', 't', '--discover'],
    /^CFG_USAGE: --discover finds jobs to delete, so it needs --allow-delete/,
  ],
  ['a token and AK/SK together', ['run', ...endpoint, '--token', 't', '--ak', 'a', '--sk', 's'], /^CFG_USAGE: give --token or --ak\/--sk, not both/],
  ['--ak without --sk', ['run', ...endpoint, '--ak', 'a'], /^CFG_USAGE: --ak needs --sk too/],
  ['a half second identity', ['run', ...endpoint, '--token', 't', '--other-token', 'o'], /^CFG_USAGE: --other-project-id is required with a second identity/],
  ['target flags without --endpoint', ['run', '--allow-delete'], /^CFG_USAGE: --allow-delete applies to --endpoint runs only/],
  ['a non-numeric timeout', ['run', '--timeout', 'soon'], /^CFG_USAGE: --timeout expects a positive whole number, got "soon"/],
  ['an undeclared profile', ['run', '--profile', 'staging'], /^CFG_USAGE: --profile staging is not declared in .*spec\/operations; declared: doc, huaweicloud/],
  ['an unreadable CA file', ['run', ...endpoint, '--token', 't', '--ca-file', '/nonexistent.pem'], /^CFG_INVALID: --ca-file \/nonexistent\.pem: ENOENT/],
] as const)('%s → exit 2 and one line saying what to do, no stack', async ([, args, message]) => {
  const run = await runCli([...args]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
});

test('--help documents every flag and the exit statuses', async () => {
  const run = await runCli(['--help']);
  expect(run.code).toBe(0);
  for (const flag of [
    '--endpoint',
    '--project-id',
    '--token',
    '--ak',
    '--sk',
    '--other-project-id',
    '--other-token',
    '--other-ak',
    '--other-sk',
    '--failure-job-id',
    '--discover',
    '--allow-delete',
    '--profile',
    '--results-dir',
    '--junit',
    '--timeout',
    '--ca-file',
    '--insecure',
    '--proxy',
  ]) {
    expect(run.stdout).toContain(flag);
  }
  expect(run.stdout).toContain('3 endpoint unreachable');
  expect(run.stdout).toContain('env HUAWEICLOUD_SDK_AK');
});

test('flags override environment variables', async () => {
  const run = await runCli(['run', '--endpoint', 'ftp://from-flag', '--project-id', 'p', '--token', 't'], { env: { SDRS_ENDPOINT: 'http://127.0.0.1:9' } });
  expect(run.stderr).toMatch(/scheme "ftp:"/);
  const fromEnv = await runCli(['run', '--project-id', 'p', '--token', 't'], { env: { SDRS_ENDPOINT: 'ftp://from-env' } });
  expect(fromEnv.stderr).toMatch(/scheme "ftp:"/);
});

test.for([
  ['localhost', '', true],
  ['127.0.0.1', '', true],
  ['sdrs.cn-north-4.myhuaweicloud.com', '', false],
  ['sdrs.cn-north-4.myhuaweicloud.com', '.myhuaweicloud.com', true],
  ['sdrs.cn-north-4.myhuaweicloud.com', 'myhuaweicloud.com:443', true],
  ['sdrs.cn-north-4.myhuaweicloud.com', 'example.com, other.org', false],
  ['anything.example', '*', true],
] as const)('an environment proxy for %s with NO_PROXY "%s" is bypassed: %s', async ([host, noProxy, bypassed]) => {
  const { bypassesProxy } = await import('../../cli/run-options.ts');
  expect(bypassesProxy(host, noProxy)).toBe(bypassed);
});
