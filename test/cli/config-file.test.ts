/**
 * `--config FILE` and `sdrs-conformance.config.yaml`: a real-endpoint run's ten flags kept in a file,
 * secrets kept out of it (`${VAR}`), and flags > environment > file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseRunOptions } from '../../cli/run-options.ts';
import { isConformanceError } from '../../lib/errors.ts';
import { runCli } from '../support/cli.ts';
import { projectA, projectB, referenceServer } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

/** The run a QA engineer keeps in a file, against the given endpoint; the token comes from $SDRS_TEST_TOKEN. */
const configYaml = (url: string) => `# what the run needs; secrets come from the environment
endpoint: ${url}
project-id: ${projectA.projectId}
token: \${SDRS_TEST_TOKEN}
other-project-id: ${projectB.projectId}
other-token: "\${SDRS_TEST_OTHER_TOKEN}"
allow-delete: true
discover: true
scenario-control: true
fuzz-runs: 10
`;

test(`a run from --config cfg.yaml whose tokens are \${VAR}: exit 0 against a faithful endpoint, and the run names the file`, async () => {
  const work = tempDir('config');
  const server = await referenceServer({ scenarios: true });
  writeFileSync(join(work, 'cfg.yaml'), configYaml(server.url));
  const env = { SDRS_TEST_TOKEN: projectA.tokens[0]!, SDRS_TEST_OTHER_TOKEN: projectB.tokens[0]! };
  const run = await runCli(['run', '--config', 'cfg.yaml', '--results-dir', 'results', '--summary-dir', 'summary'], { cwd: work, env });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toContain('Config: cfg.yaml (flags and environment variables override it).');
  expect(run.stdout).toMatch(/Verdict: CONFORMANT/);
  const summary = readFileSync(join(work, 'summary', 'conformance-summary.json'), 'utf8');
  expect(summary).not.toContain(projectA.tokens[0]!);
});

test('sdrs-conformance.config.yaml in the working directory is found without --config; JSON works too', async () => {
  const work = tempDir('config-found');
  writeFileSync(join(work, 'sdrs-conformance.config.yaml'), 'fuzz-runs: 7\nseed: 42\n');
  expect(parseRunOptions([], {}, work)).toMatchObject({ configFile: 'sdrs-conformance.config.yaml', fuzzRuns: 7, seed: 42 });
  writeFileSync(join(work, 'other.json'), JSON.stringify({ 'fuzz-runs': 3, header: ['X-Trace: 1', 'X-Route: blue'] }));
  expect(parseRunOptions(['--config', 'other.json'], {}, work)).toMatchObject({
    configFile: 'other.json',
    fuzzRuns: 3,
    headers: { 'x-trace': '1', 'x-route': 'blue' },
  });
});

test('precedence: flags > environment > file', () => {
  const work = tempDir('config-precedence');
  writeFileSync(join(work, 'c.yaml'), 'endpoint: http://from-file.test\nproject-id: file-project\ntoken: file-token\nseed: 5\n');
  const file = parseRunOptions(['--config', 'c.yaml'], {}, work);
  expect([file.endpoint?.host, file.primary?.projectId, file.seed]).toEqual(['from-file.test', 'file-project', 5]);
  const env = parseRunOptions(['--config', 'c.yaml'], { SDRS_ENDPOINT: 'http://from-env.test', HUAWEICLOUD_SDK_PROJECT_ID: 'env-project' }, work);
  expect([env.endpoint?.host, env.primary?.projectId]).toEqual(['from-env.test', 'env-project']);
  const flags = parseRunOptions(['--config', 'c.yaml', '--endpoint', 'http://from-flag.test', '--seed', '9'], { SDRS_ENDPOINT: 'http://from-env.test' }, work);
  expect([flags.endpoint?.host, flags.seed]).toEqual(['from-flag.test', 9]);
});

test.for<[string, string, RegExp]>([
  ['an unknown key', 'tokn: abc\n', /^CFG_USAGE: config c\.yaml: unknown key "tokn" — did you mean "token"\?; keys are the long flag names/],
  ['a key that steers the invocation', 'help: true\n', /^CFG_USAGE: config c\.yaml: unknown key "help"/],
  [
    'an unset variable',
    `token: \${SDRS_NOT_SET_ANYWHERE}\n`,
    /^CFG_INVALID: config c\.yaml: token: \$\{SDRS_NOT_SET_ANYWHERE\} is not set in the environment$/,
  ],
  ['a boolean flag given text', 'allow-delete: "yes"\n', /^CFG_INVALID: config c\.yaml: allow-delete: expected true or false, got "yes"$/],
  ['a list at the top', '- endpoint\n', /^CFG_INVALID: config c\.yaml: expected a mapping of flag names to values/],
  ['broken YAML', 'endpoint: [\n', /^CFG_INVALID: config c\.yaml: /],
])('%s: one clear line, exit 2', async ([, text, want]) => {
  const work = tempDir('config-bad');
  writeFileSync(join(work, 'c.yaml'), text);
  const messageOf = () => {
    try {
      parseRunOptions(['--config', 'c.yaml'], {}, work);
    } catch (error) {
      if (isConformanceError(error)) return `${error.code}: ${error.message}`;
      throw error;
    }
    return 'no error';
  };
  expect(messageOf()).toMatch(want);
  const run = await runCli(['run', '--config', 'c.yaml'], { cwd: work });
  expect(run.code).toBe(2);
  expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(want)]);
});
