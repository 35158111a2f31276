import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import type { AllureConfig } from 'allure';
import { ConformanceError } from '../lib/errors.ts';
import { prepareOutputFolder } from '../lib/output-folder.ts';
import { projectPath } from '../lib/project-paths.ts';
import { stripCredentials } from './summary-model.ts';

/** Allure's executor.json: which CI build produced the results. Allure 3 reads it from the results dir. */
export interface AllureExecutor {
  name: string;
  type: string;
  url?: string;
  buildOrder?: number;
  buildName?: string;
  buildUrl?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The CI systems we recognise, by the variables each documents; first match wins. Data, not an if chain. */
const CI_PROVIDERS: ReadonlyArray<{ detect: (env: Env) => boolean; executor: (env: Env) => AllureExecutor }> = [
  {
    // docs.github.com › Actions › Variables reference: default environment variables
    detect: (env) => env.GITHUB_ACTIONS === 'true',
    executor: (env) => {
      const repo = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : undefined;
      return {
        name: 'GitHub Actions',
        type: 'github',
        url: repo,
        buildOrder: int(env.GITHUB_RUN_NUMBER),
        buildName: [env.GITHUB_WORKFLOW, env.GITHUB_RUN_NUMBER && `#${env.GITHUB_RUN_NUMBER}`].filter(Boolean).join(' ') || undefined,
        buildUrl: repo && env.GITHUB_RUN_ID ? `${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
      };
    },
  },
  {
    // docs.gitlab.com › CI/CD › Predefined CI/CD variables
    detect: (env) => env.GITLAB_CI === 'true',
    executor: (env) => ({
      name: 'GitLab CI',
      type: 'gitlab',
      url: env.CI_PROJECT_URL,
      buildOrder: int(env.CI_PIPELINE_IID),
      buildName: [env.CI_PROJECT_PATH, env.CI_JOB_NAME, env.CI_PIPELINE_IID && `#${env.CI_PIPELINE_IID}`].filter(Boolean).join(' ') || undefined,
      buildUrl: env.CI_JOB_URL ?? env.CI_PIPELINE_URL,
    }),
  },
  {
    // Jenkins sets BUILD_URL (and JENKINS_URL, BUILD_NUMBER, BUILD_TAG); so do tools that copy its conventions.
    detect: (env) => Boolean(env.BUILD_URL),
    executor: (env) => ({
      name: env.JENKINS_URL ? 'Jenkins' : 'CI',
      type: env.JENKINS_URL ? 'jenkins' : 'ci',
      url: env.JENKINS_URL,
      buildOrder: int(env.BUILD_NUMBER),
      buildName: env.BUILD_TAG ?? ([env.JOB_NAME, env.BUILD_NUMBER && `#${env.BUILD_NUMBER}`].filter(Boolean).join(' ') || undefined),
      buildUrl: env.BUILD_URL,
    }),
  },
];

/** The executor for the CI build in `env`, or undefined outside CI. URLs lose userinfo and query: reports travel. */
export function executorFromEnv(env: Env): AllureExecutor | undefined {
  const provider = CI_PROVIDERS.find((p) => p.detect(env));
  if (!provider) return undefined;
  const executor = provider.executor(env);
  const out: AllureExecutor = { name: executor.name, type: executor.type };
  if (executor.url) out.url = stripCredentials(executor.url);
  if (executor.buildOrder !== undefined) out.buildOrder = executor.buildOrder;
  if (executor.buildName) out.buildName = executor.buildName;
  if (executor.buildUrl) out.buildUrl = stripCredentials(executor.buildUrl);
  return out;
}

/** Writes `executor.json` into the results dir when `env` is a CI build; returns its path, or undefined. */
export async function writeExecutor(resultsDir: string, env: Env): Promise<string | undefined> {
  const executor = executorFromEnv(env);
  if (!executor) return undefined;
  const path = join(resolve(resultsDir), 'executor.json');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(executor, null, 2)}\n`);
  return path;
}

interface AllureReportOptions {
  /** allure-results of the run (what SdrsAllureReporter wrote). */
  resultsDir: string;
  /** Where the HTML goes; emptied of a previous report first, refused if it holds anything else. */
  reportDir: string;
  /**
   * The JSONL file Allure 3 appends one line to per `allure generate` and reads trends and per-test
   * history from. It must outlive both the results dir (cleared each run) and the report dir.
   */
  historyPath: string;
  /** Runs kept in history. Default 20: enough for a trend, small enough to stay a few hundred kB. */
  historyLimit?: number;
  /** Default "SDRS conformance". */
  reportName?: string;
  /** Allure 3's awesome report ignores the results' categories.json; its categories come from here. */
  categories?: AllureConfig['categories'];
}

/**
 * The Allure 3 config (allurerc) that makes `allure generate` keep history between runs: `historyPath`
 * is the whole mechanism. Paths are made absolute because Allure resolves them against its working
 * directory, not the config file's.
 */
export function allureConfig(options: AllureReportOptions): AllureConfig {
  const name = options.reportName ?? 'SDRS conformance';
  return {
    name,
    resultsDir: resolve(options.resultsDir),
    output: resolve(options.reportDir),
    historyPath: resolve(options.historyPath),
    historyLimit: options.historyLimit ?? 20,
    ...(options.categories ? { categories: options.categories } : {}),
    // One self-contained index.html: opened from disk (file://) a browser refuses every fetch of a data file.
    plugins: { awesome: { options: { reportName: name, singleFile: true } } },
  };
}

/** Writes the config as JSON (allurerc.json is one of the names Allure 3 looks for); run `allure generate --config PATH`. */
export async function writeAllureConfig(path: string, options: AllureReportOptions): Promise<string> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(allureConfig(options), null, 2)}\n`);
  return file;
}

interface GenerateOptions extends AllureReportOptions {
  /** Where the config is written (e.g. allurerc.json beside the results). */
  configPath: string;
  /** How long `allure generate` may take. Default 120 s; a few dozen results take about 2 s. */
  timeoutMs?: number;
}

/**
 * `allure generate` with history kept: empties the report dir (of a previous report's files only —
 * lib/output-folder.ts), writes the config, runs Allure 3's CLI. The emptying matters: Allure never
 * cleans its output, and it moves a lone plugin's report to the top only when that is the only
 * directory there — so into a used dir, index.html stays the old report.
 */
export async function generateAllureReport(options: GenerateOptions): Promise<string> {
  const reportDir = resolve(options.reportDir);
  const inside = (path: string) => (path + sep).startsWith(reportDir + sep);
  const kept = [process.cwd(), resolve(options.resultsDir), resolve(options.historyPath), resolve(options.configPath)].find(inside);
  if (kept)
    throw new ConformanceError(
      'CFG_INVALID',
      `report dir ${reportDir} holds ${kept}, which emptying it would delete; choose a report dir of its own, e.g. allure-report`,
    );
  prepareOutputFolder({ option: '--report-dir', path: reportDir, kind: 'allure-report' });
  const config = await writeAllureConfig(options.configPath, options);
  // allure's package.json is not exported; its main module sits in dist/, the CLI beside dist/.
  const cli = join(dirname(dirname(createRequire(projectPath('package.json')).resolve('allure'))), 'cli.js');
  try {
    await promisify(execFile)(process.execPath, [cli, 'generate', '--config', config], { timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    const detail = (stderr || stdout || message).trim().split('\n').slice(-5).join(' | ');
    throw new ConformanceError('RUN_FAILED', `allure generate --config ${config} failed: ${detail}`);
  }
  const index = join(reportDir, 'index.html');
  await writeFile(index, withoutTelemetry(await readFile(index, 'utf8')));
  return index;
}

/**
 * Allure 3's report template always loads Google Tag Manager (no option turns it off). A sign-off
 * report opened on a release board must not call a third party, so the two script tags are removed.
 */
function withoutTelemetry(html: string): string {
  return html.replace(/<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\s*<script>[\s\S]*?gtag\('config'[\s\S]*?<\/script>/, '');
}

function int(value: string | undefined): number | undefined {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : undefined;
}
