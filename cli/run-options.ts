import type { Credential, Identity } from '../lib/auth/credentials.ts';
import { parseShard, type Shard } from '../lib/cases/shard.ts';
import { ConformanceError } from '../lib/errors.ts';
import { projectPath } from '../lib/project-paths.ts';
import { parseFlags, type FlagTable, type FlagValues } from './parse-flags.ts';
import { readConfigFile, withConfigFile } from './config-file.ts';

export const DEFAULT_SPEC = projectPath('spec', 'sdrs-failure-jobs.openapi.yaml');
import { DEFAULT_OPERATIONS_DIR } from '../lib/spec/operation-tables.ts';

export { DEFAULT_OPERATIONS_DIR };

/** What `run` was asked to do — flags over environment over defaults — already checked for sense. */
export interface RunOptions {
  help: boolean;
  specFile: string;
  operationsDir: string;
  profile: string;
  resultsDir: string;
  junitFile: string | undefined;
  summaryDir: string;
  baselineFile: string | undefined;
  seed: number;
  /** undefined: the bundled reference server, in-process. */
  endpoint: URL | undefined;
  primary: Identity | undefined;
  other: Identity | undefined;
  failureJobIds: string[];
  discover: boolean;
  allowDelete: boolean;
  scenarioControl: boolean;
  timeoutMs: number;
  connectTimeoutMs: number;
  runTimeoutMs: number;
  runner: 'direct' | 'vitest';
  fuzzRuns: number;
  shard: Shard | undefined;
  fuzzSeed: number;
  concurrency: number;
  /** DELETEs of the victim sent at the same moment (≥ 2). */
  concurrentDeletes: number;
  /** One connection per exchange instead of the kept-alive pool (lib/http/connection-pool.ts). */
  freshConnections: boolean;
  isolateMethods: boolean;
  /** Throttling and a dead target: see lib/execute/sender.ts. */
  maxRetries: number;
  rateLimitPerSecond: number | undefined;
  maxTransportErrors: number;
  caFile: string | undefined;
  insecure: boolean;
  proxy: URL | undefined;
  version: boolean;
  /** The config file read (`--config`, or sdrs-conformance.config.yaml found in the working directory). */
  configFile: string | undefined;
  /** `-H 'Name: value'`, in order; a name given twice keeps the last. */
  headers: Record<string, string>;
  list: boolean;
  /** `--only` ids; undefined: every case. `--rerun-failed` is read into it by the run. */
  only: string[] | undefined;
  rerunFailed: string | undefined;
  maxFailures: number | undefined;
  /** `--events FILE`, or `-` for stdout. */
  events: string | undefined;
  /** Colour on a TTY, unless NO_COLOR or --no-color. */
  color: boolean;
}

/** The flags, with their environment variables: one table feeds the parser and `--help`. */
export const FLAGS = {
  endpoint: {
    type: 'string',
    env: 'SDRS_ENDPOINT',
    arg: 'URL',
    help: 'target base URL, e.g. https://sdrs.cn-north-4.myhuaweicloud.com. Omitted: the bundled reference server, in-process',
  },
  'project-id': { type: 'string', env: 'HUAWEICLOUD_SDK_PROJECT_ID', arg: 'ID', help: 'the project whose failed tasks are tested' },
  token: { type: 'string', env: 'SDRS_AUTH_TOKEN', arg: 'TOKEN', help: 'IAM token, sent as X-Auth-Token' },
  ak: { type: 'string', env: 'HUAWEICLOUD_SDK_AK', arg: 'AK', help: 'access key: requests are signed (SDK-HMAC-SHA256)' },
  sk: { type: 'string', env: 'HUAWEICLOUD_SDK_SK', arg: 'SK', help: 'secret key, with --ak' },
  'other-project-id': { type: 'string', env: 'SDRS_OTHER_PROJECT_ID', arg: 'ID', help: 'a second identity in another project, for tenant-isolation cases' },
  'other-token': { type: 'string', env: 'SDRS_OTHER_AUTH_TOKEN', arg: 'TOKEN', help: "the second identity's IAM token" },
  'other-ak': { type: 'string', env: 'SDRS_OTHER_AK', arg: 'AK', help: "the second identity's access key" },
  'other-sk': { type: 'string', env: 'SDRS_OTHER_SK', arg: 'SK', help: "the second identity's secret key" },
  'failure-job-id': {
    type: 'string',
    multiple: true,
    arg: 'ID',
    help: 'a job this run may delete (repeatable; the run needs 2: one deleted, one that must survive). Refused, exit 2: an id given twice, or one that could reach another path (batch, ., .., a/b, in any spelling)',
  },
  discover: { type: 'boolean', help: 'find deletable jobs with the list operation (needs --allow-delete)' },
  'allow-delete': { type: 'boolean', help: 'permission to delete jobs on an endpoint other than the bundled server' },
  'scenario-control': { type: 'boolean', help: 'the endpoint honours Prefer: code=NNN (a reference server started with `serve`)' },
  profile: { type: 'string', arg: 'NAME', help: 'expectation profile: doc (default; the document and RFC 9110) or huaweicloud (the public gateway)' },
  'results-dir': {
    type: 'string',
    arg: 'DIR',
    help: "Allure results directory. Emptied of this tool's files first; a folder holding anything else is refused",
    default: 'allure-results; with --shard, SUMMARY-DIR/allure-results',
  },
  junit: { type: 'string', arg: 'FILE', help: 'also write JUnit XML for CI' },
  'summary-dir': { type: 'string', arg: 'DIR', help: 'where conformance-summary.{md,json,html} go', default: 'the current directory' },
  baseline: { type: 'string', arg: 'FILE', help: "a previous run's conformance-summary.json: new failures, fixed and still-failing cases are marked" },
  timeout: { type: 'string', arg: 'MS', help: 'per-request deadline: the whole response, head and body, must arrive within MS', default: '10000' },
  'connect-timeout': { type: 'string', arg: 'MS', help: 'TCP + TLS connect timeout; also bounds the preflight', default: '5000' },
  runner: {
    type: 'string',
    arg: 'NAME',
    help: 'direct (default: cases run in this process, fastest) or vitest (the generated vitest suite with allure-vitest); same cases, checks and reports',
  },
  concurrency: {
    type: 'string',
    arg: 'N',
    help: 'requests in flight and connections open at once, at most, with the direct runner; ordered sequences keep their order',
    default: '8',
  },
  'isolate-methods': {
    type: 'boolean',
    help: "each method of the sweep on the job's path goes out only after the guard read that follows the one before it: a vanished guard then names one method, not two (about one round trip more per method)",
  },
  'fresh-connections': {
    type: 'boolean',
    help: 'one connection per request, closed after it, instead of kept-alive connections watched while idle: for a target or middlebox that mishandles keep-alive',
  },
  'concurrent-deletes': {
    type: 'string',
    arg: 'K',
    help: 'the victim is deleted by K requests sent at the same moment (at least 2, at most --concurrency): exactly one may succeed, no extra job is used',
    default: '3',
  },
  'max-retries': {
    type: 'string',
    arg: 'N',
    help: 'a request answered 429, or 503 with Retry-After, is sent again after the wait it asks (else 1 s, 2 s, 4 s…) at most N times; still throttled: its case is not verified (throttled), verdict INCOMPLETE',
    default: '3',
  },
  'rate-limit': { type: 'string', arg: 'N/s', help: 'at most N requests started per second, for a gateway with a known quota (e.g. 5/s)', default: 'off' },
  'max-transport-errors': {
    type: 'string',
    arg: 'K',
    help: 'after K requests in a row without an answer (timeouts, resets, refusals) the target counts as unresponsive: the run stops, the rest is not run, exit 3; 0 never stops',
    default: '5',
  },
  'run-timeout': {
    type: 'string',
    arg: 'MS',
    help: 'the whole run ends by then: cases not yet run are reported as not run, verdict INCOMPLETE',
    default: '600000',
  },
  'ca-file': { type: 'string', arg: 'FILE', help: 'extra CA certificate(s), PEM, trusted besides the system roots (NODE_EXTRA_CA_CERTS also works)' },
  insecure: { type: 'boolean', help: 'do not verify the TLS certificate (prints a warning)' },
  proxy: {
    type: 'string',
    env: 'HTTPS_PROXY',
    arg: 'URL',
    help: 'HTTP proxy, used through CONNECT tunnels (also HTTPS_PROXY / https_proxy, which honour NO_PROXY and skip loopback)',
  },
  spec: { type: 'string', arg: 'FILE', help: 'the OpenAPI document (default spec/sdrs-failure-jobs.openapi.yaml)' },
  operations: { type: 'string', arg: 'DIR', help: 'the operation tables, one <operationId>.yaml per operation (default spec/operations)' },
  seed: { type: 'string', arg: 'N', help: 'seed for every generated value', default: '1' },
  shard: { type: 'string', arg: 'I/N', help: 'run only shard I of N (e.g. 2/3) — on N CI machines; combine them with `sdrs-conformance merge`' },
  'fuzz-runs': { type: 'string', arg: 'N', help: 'generated hostile-id requests (fast-check); 0 turns them off', default: '100' },
  'fuzz-seed': { type: 'string', arg: 'N', help: "fast-check's seed, printed by every run so a failure can be replayed", default: '--seed' },
  config: {
    type: 'string',
    arg: 'FILE',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own syntax, shown as written
    help: 'read flags from a YAML or JSON file: keys are the long flag names (endpoint, project-id, allow-delete: true, …), ${VAR} in a value reads the environment; flags > environment > file',
    default: 'sdrs-conformance.config.yaml in the working directory, if there',
  },
  header: {
    type: 'string',
    multiple: true,
    short: 'H',
    arg: "'NAME: VALUE'",
    help: 'send this header with every request (gateway routing, tracing; repeatable). A value whose name says credential (token, auth, key, secret, cookie, session…) is masked in every report',
  },
  list: { type: 'boolean', help: 'print the planned cases and the request each sends, then exit 0; sends only what planning needs (the lists)' },
  only: {
    type: 'string',
    multiple: true,
    arg: 'ID[,ID…]',
    help: 'run only these cases (and the cases they follow, e.g. deleted-again needs own-job); ids as --list prints them',
  },
  'rerun-failed': { type: 'string', arg: 'FILE', help: "run the cases that failed or broke in a previous run's conformance-summary.json" },
  'max-failures': { type: 'string', arg: 'N', help: 'stop after N failed or broken cases; the rest is reported as not run' },
  events: {
    type: 'string',
    arg: 'FILE|-',
    help: 'write the run as NDJSON events while it goes on (run-started, case-started, case-finished, run-finished); - writes them to stdout and the console lines to stderr',
  },
  'no-color': { type: 'boolean', env: 'NO_COLOR', help: 'no colour (colour is used only on a terminal)' },
  version: { type: 'boolean', short: 'V', help: 'print the version and exit' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const satisfies FlagTable;

type FlagName = keyof typeof FLAGS;
type Values = FlagValues<typeof FLAGS>;

export function parseRunOptions(args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): RunOptions {
  const flags: Values = parseFlags(args, FLAGS, { help: 'sdrs-conformance run --help' });
  const file = flags.help || flags.version ? undefined : readConfigFile(flags.config, FLAGS, env, cwd);
  const values: Values = file ? withConfigFile(flags, FLAGS, file.values, env) : flags;
  const flagOrEnv = (name: FlagName): string | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    const spec = FLAGS[name] as { env?: string };
    const fromEnv = spec.env ? (env[spec.env] ?? (name === 'proxy' ? env.https_proxy : undefined)) : undefined;
    return fromEnv === '' ? undefined : fromEnv;
  };
  const endpoint = flagOrEnv('endpoint');
  const options: RunOptions = {
    help: values.help ?? false,
    specFile: values.spec ?? DEFAULT_SPEC,
    operationsDir: values.operations ?? DEFAULT_OPERATIONS_DIR,
    profile: values.profile ?? 'doc',
    resultsDir: values['results-dir'] ?? (values.shard && values['summary-dir'] ? `${values['summary-dir']}/allure-results` : 'allure-results'),
    junitFile: values.junit,
    summaryDir: values['summary-dir'] ?? '.',
    baselineFile: values.baseline,
    seed: wholeNumber('--seed', values.seed, 1),
    endpoint: endpoint === undefined ? undefined : parseUrl('--endpoint', endpoint),
    primary: undefined,
    other: undefined,
    failureJobIds: values['failure-job-id'] ?? [],
    discover: values.discover ?? false,
    allowDelete: values['allow-delete'] ?? false,
    scenarioControl: values['scenario-control'] ?? false,
    timeoutMs: wholeNumber('--timeout', values.timeout, 10_000),
    connectTimeoutMs: wholeNumber('--connect-timeout', values['connect-timeout'], 5000),
    runTimeoutMs: wholeNumber('--run-timeout', values['run-timeout'], 600_000),
    runner: oneOf('--runner', values.runner, ['direct', 'vitest'] as const, 'direct'),
    concurrency: wholeNumber('--concurrency', values.concurrency, 8),
    concurrentDeletes: atLeastTwo('--concurrent-deletes', values['concurrent-deletes'], 3),
    freshConnections: values['fresh-connections'] ?? false,
    isolateMethods: values['isolate-methods'] ?? false,
    maxRetries: wholeNumber('--max-retries', values['max-retries'], 3, true),
    rateLimitPerSecond: perSecond(values['rate-limit']),
    maxTransportErrors: wholeNumber('--max-transport-errors', values['max-transport-errors'], 5, true),
    fuzzRuns: wholeNumber('--fuzz-runs', values['fuzz-runs'], 100, true),
    shard: values.shard === undefined ? undefined : parseShard(values.shard),
    fuzzSeed: wholeNumber('--fuzz-seed', values['fuzz-seed'], wholeNumber('--seed', values.seed, 1), true),
    caFile: values['ca-file'],
    insecure: values.insecure ?? false,
    proxy: flagOrEnv('proxy') === undefined ? undefined : parseUrl('--proxy', flagOrEnv('proxy') as string),
    version: values.version ?? false,
    configFile: file?.path,
    headers: parseHeaders(values.header ?? []),
    list: values.list ?? false,
    only: values.only?.flatMap((ids) => ids.split(',').map((id) => id.trim())).filter(Boolean),
    rerunFailed: values['rerun-failed'],
    maxFailures: values['max-failures'] === undefined ? undefined : wholeNumber('--max-failures', values['max-failures'], 1),
    events: values.events,
    color: !values['no-color'] && !env.NO_COLOR,
  };
  // A proxy from the environment follows the environment's rules: NO_PROXY, and never for loopback.
  if (values.proxy === undefined && options.proxy && options.endpoint && bypassesProxy(options.endpoint.hostname, env.NO_PROXY ?? env.no_proxy ?? ''))
    options.proxy = undefined;
  if (options.help || options.version) return options;
  if (!options.endpoint) return checkBundled(options, values);
  options.primary = identity('', flagOrEnv('project-id'), flagOrEnv('token'), flagOrEnv('ak'), flagOrEnv('sk'), true);
  options.other = identity('other-', flagOrEnv('other-project-id'), flagOrEnv('other-token'), flagOrEnv('other-ak'), flagOrEnv('other-sk'), false);
  if (options.discover && !options.allowDelete) {
    throw new ConformanceError(
      'CFG_USAGE',
      '--discover finds jobs to delete, so it needs --allow-delete too (without both, deletion cases are skipped and the verdict is INCOMPLETE)',
    );
  }
  return options;
}

/** Against the bundled server the run owns its identities and jobs; target flags would be silently ignored, so refuse them. */
function checkBundled(options: RunOptions, values: Values): RunOptions {
  const targetOnly: FlagName[] = [
    'project-id',
    'token',
    'ak',
    'sk',
    'other-project-id',
    'other-token',
    'other-ak',
    'other-sk',
    'failure-job-id',
    'discover',
    'allow-delete',
    'ca-file',
    'insecure',
    'scenario-control',
  ];
  const given = targetOnly.filter((name) => values[name] !== undefined);
  if (given.length) {
    throw new ConformanceError(
      'CFG_USAGE',
      `--${given[0]} applies to --endpoint runs only; without --endpoint the run uses the bundled reference server and its own identities and jobs`,
    );
  }
  return options;
}

function identity(
  prefix: '' | 'other-',
  projectId: string | undefined,
  token: string | undefined,
  ak: string | undefined,
  sk: string | undefined,
  required: boolean,
): Identity | undefined {
  const flag = (name: string) => `--${prefix}${name}`;
  if (token !== undefined && (ak !== undefined || sk !== undefined)) {
    throw new ConformanceError('CFG_USAGE', `give ${flag('token')} or ${flag('ak')}/${flag('sk')}, not both`);
  }
  if ((ak === undefined) !== (sk === undefined)) {
    throw new ConformanceError('CFG_USAGE', `${flag(ak === undefined ? 'sk' : 'ak')} needs ${flag(ak === undefined ? 'ak' : 'sk')} too`);
  }
  const credential: Credential | undefined =
    token !== undefined ? { kind: 'token', token } : ak !== undefined ? { kind: 'aksk', ak, sk: sk as string } : undefined;
  if (!credential && projectId === undefined && !required) return undefined;
  if (!credential) {
    throw new ConformanceError(
      'CFG_USAGE',
      `no credentials for ${prefix ? 'the second identity' : `the endpoint`}: give ${flag('token')} (env ${prefix ? 'SDRS_OTHER_AUTH_TOKEN' : 'SDRS_AUTH_TOKEN'}) or ${flag('ak')} and ${flag('sk')} (env ${prefix ? 'SDRS_OTHER_AK/_SK' : 'HUAWEICLOUD_SDK_AK/_SK'})`,
    );
  }
  if (projectId === undefined) {
    throw new ConformanceError(
      'CFG_USAGE',
      `${flag('project-id')} is required with ${prefix ? 'a second identity' : '--endpoint'} (env ${prefix ? 'SDRS_OTHER_PROJECT_ID' : 'HUAWEICLOUD_SDK_PROJECT_ID'})`,
    );
  }
  return { projectId, credential };
}

/** `-H 'Name: value'` (curl's form) → headers; a malformed one is a usage error, never sent half-parsed. */
function parseHeaders(given: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const text of given) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(text);
    if (!match || /[\r\n\0]/.test(text))
      throw new ConformanceError(
        'CFG_USAGE',
        `--header expects 'Name: value' (a token, a colon, a value on one line), got ${JSON.stringify(text.replace(/:.*/s, ': …'))}`,
      );
    headers[(match[1] as string).toLowerCase()] = match[2] as string;
  }
  return headers;
}

/** curl's NO_PROXY rules: `*`, exact hosts, and domain suffixes (with or without a leading dot). */
export function bypassesProxy(host: string, noProxy: string): boolean {
  if (host === 'localhost' || /^127\./.test(host) || host === '[::1]') return true;
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase().replace(/^\./, '').replace(/:\d+$/, ''))
    .filter(Boolean)
    .some((entry) => entry === '*' || host === entry || host.endsWith(`.${entry}`));
}

function parseUrl(flag: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may hold a password (user:pass@host): the message shows it masked.
    throw new ConformanceError(
      'CFG_USAGE',
      `${flag} expects an http(s) URL such as https://sdrs.cn-north-4.myhuaweicloud.com, got "${text.replace(/^([^/]*\/\/)?[^/@]*@/, '$1***@')}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConformanceError('CFG_USAGE', `${flag} expects an http(s) URL, got the scheme "${url.protocol}"`);
  }
  return url;
}

function oneOf<T extends string>(flag: string, text: string | undefined, allowed: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw new ConformanceError('CFG_USAGE', `${flag} expects one of ${allowed.join(', ')}, got "${text}"`);
  return text as T;
}

/** `--rate-limit 5/s` (or `5`): requests started per second. */
function perSecond(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(text);
  if (!match || Number(match[1]) <= 0) throw new ConformanceError('CFG_USAGE', `--rate-limit expects requests per second such as 5/s, got "${text}"`);
  return Number(match[1]);
}

function atLeastTwo(flag: string, text: string | undefined, fallback: number): number {
  const value = wholeNumber(flag, text, fallback);
  if (value < 2) throw new ConformanceError('CFG_USAGE', `${flag} expects a whole number of at least 2 (a race needs two requests), got "${text}"`);
  return value;
}

function wholeNumber(flag: string, text: string | undefined, fallback: number, zeroAllowed = flag === '--seed'): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || (Number(text) === 0 && !zeroAllowed))
    throw new ConformanceError('CFG_USAGE', `${flag} expects a ${zeroAllowed ? 'whole' : 'positive whole'} number, got "${text}"`);
  return Number(text);
}
