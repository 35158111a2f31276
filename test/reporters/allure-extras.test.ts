import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { allureConfig, executorFromEnv, generateAllureReport, writeAllureConfig, writeExecutor, type AllureExecutor } from '../../reporters/allure-extras.ts';

const dir = mkdtempSync(join(tmpdir(), 'sdrs-allure-extras-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const github = {
  GITHUB_ACTIONS: 'true',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/sdrs-conformance',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_WORKFLOW: 'conformance',
};
const gitlab = {
  GITLAB_CI: 'true',
  CI_PROJECT_URL: 'https://gitlab.example.com/qa/sdrs',
  CI_PROJECT_PATH: 'qa/sdrs',
  CI_PIPELINE_IID: '17',
  CI_JOB_NAME: 'conformance',
  CI_JOB_URL: 'https://gitlab.example.com/qa/sdrs/-/jobs/555',
};
const jenkins = { JENKINS_URL: 'https://ci.example.com/', BUILD_URL: 'https://ci.example.com/job/sdrs/12/', BUILD_NUMBER: '12', BUILD_TAG: 'jenkins-sdrs-12' };

test.for<[string, { env: Record<string, string>; want: AllureExecutor | undefined }]>([
  ['not a CI build', { env: { HOME: '/root', CI: '' }, want: undefined }],
  ['GITHUB_ACTIONS not "true"', { env: { ...github, GITHUB_ACTIONS: 'false' }, want: undefined }],
  [
    'GitHub Actions',
    {
      env: github,
      want: {
        name: 'GitHub Actions',
        type: 'github',
        url: 'https://github.com/acme/sdrs-conformance',
        buildOrder: 42,
        buildName: 'conformance #42',
        buildUrl: 'https://github.com/acme/sdrs-conformance/actions/runs/9876543210',
      },
    },
  ],
  [
    'GitLab CI',
    {
      env: gitlab,
      want: {
        name: 'GitLab CI',
        type: 'gitlab',
        url: 'https://gitlab.example.com/qa/sdrs',
        buildOrder: 17,
        buildName: 'qa/sdrs conformance #17',
        buildUrl: 'https://gitlab.example.com/qa/sdrs/-/jobs/555',
      },
    },
  ],
  [
    'Jenkins',
    {
      env: jenkins,
      want: {
        name: 'Jenkins',
        type: 'jenkins',
        url: 'https://ci.example.com/',
        buildOrder: 12,
        buildName: 'jenkins-sdrs-12',
        buildUrl: 'https://ci.example.com/job/sdrs/12/',
      },
    },
  ],
  [
    'BUILD_URL alone, with credentials in it',
    {
      env: { BUILD_URL: 'https://bot:hunter2@ci.example.com/build/7?token=abc', JOB_NAME: 'sdrs', BUILD_NUMBER: 'x' },
      want: { name: 'CI', type: 'ci', buildName: 'sdrs #x', buildUrl: 'https://ci.example.com/build/7' },
    },
  ],
])('executorFromEnv: %s', ([, { env, want }]) => {
  expect(executorFromEnv(env)).toEqual(want);
});

test('writeExecutor writes executor.json into the results only on CI', async () => {
  expect(await writeExecutor(join(dir, 'local'), {})).toBeUndefined();
  expect(existsSync(join(dir, 'local'))).toBe(false);
  const path = await writeExecutor(join(dir, 'ci'), github);
  expect(path).toBe(join(dir, 'ci', 'executor.json'));
  expect(JSON.parse(readFileSync(path!, 'utf8'))).toEqual(executorFromEnv(github));
});

test('the Allure config keeps history in a file outside the results and the report, with absolute paths', async () => {
  const options = { resultsDir: 'allure-results', reportDir: 'allure-report', historyPath: '.allure/history.jsonl' };
  const config = allureConfig(options);
  expect(JSON.stringify(config, null, 2).replaceAll(process.cwd(), '<cwd>')).toMatchInlineSnapshot(`
    "{
      "name": "SDRS conformance",
      "resultsDir": "<cwd>/allure-results",
      "output": "<cwd>/allure-report",
      "historyPath": "<cwd>/.allure/history.jsonl",
      "historyLimit": 20,
      "plugins": {
        "awesome": {
          "options": {
            "reportName": "SDRS conformance",
            "singleFile": true
          }
        }
      }
    }"
  `);
  const file = await writeAllureConfig(join(dir, 'allurerc.json'), {
    ...options,
    historyLimit: 5,
    categories: [{ name: 'Contract violation', matchedStatuses: ['failed'], messageRegex: '^\\[' }],
  });
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ historyLimit: 5, categories: [{ name: 'Contract violation' }] });
});

test.for<[string, { reportDir: string; holds: string }]>([
  ['the working directory', { reportDir: '.', holds: process.cwd() }],
  ['the history', { reportDir: join(dir, 'out'), holds: join(dir, 'out', 'history.jsonl') }],
  ['the results', { reportDir: dir, holds: join(dir, 'allure-results') }],
])('generateAllureReport refuses to empty a report dir that holds %s', async ([, { reportDir, holds }]) => {
  const options = {
    resultsDir: join(dir, 'allure-results'),
    reportDir,
    historyPath: join(dir, 'out', 'history.jsonl'),
    configPath: join(dir, 'cfg', 'allurerc.json'),
  };
  await expect(generateAllureReport(options)).rejects.toMatchObject({ code: 'CFG_INVALID', message: expect.stringContaining(`holds ${holds}`) });
  expect(existsSync(dir)).toBe(true);
});
