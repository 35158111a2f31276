import { formatHelp, type CommandHelp } from './help.ts';
import { parseFlags, type FlagTable } from './parse-flags.ts';
import { ConformanceError } from '../lib/errors.ts';
import { describeServer } from '../server/banner.ts';
import { startReferenceServer, type RunningServer } from '../server/http-server.ts';
import { parseProxyAuth, type ProxyAuth } from '../server/proxy-auth.ts';
import { formatLogLine } from '../server/request-log.ts';
import { describeMutants, mutantNamed } from '../server/mutants/index.ts';
import { describeVariants, runFlagsOf, variantNamed } from '../server/variants/index.ts';
import { DEFAULT_SEED_FILE, loadSeed } from '../server/seed.ts';
import type { CliIo } from './main.ts';

/** The flags of `serve`: one table for the parser and `--help`. */
const FLAGS = {
  port: { type: 'string', arg: 'N', help: 'port to listen on; 0 picks a free one', default: '8080' },
  host: { type: 'string', arg: 'ADDR', help: 'address to bind', default: '127.0.0.1' },
  seed: { type: 'string', arg: 'FILE', help: 'projects, identities and failure jobs', default: 'server/default-seed.json' },
  'no-scenarios': { type: 'boolean', help: 'ignore Prefer: code=NNN and X-Sdrs-Scenario: behave like production' },
  'proxy-auth': { type: 'string', arg: 'U:P', help: 'proxy-auth mode: 407 unless Proxy-Authorization is Basic U:P' },
  'request-timeout': { type: 'string', arg: 'MS', help: "time for a request's head and body to arrive, then 408", default: '30000' },
  'rate-limit': { type: 'string', arg: 'N', help: 'gateway throttling: N requests per project per minute, then 429', default: 'off' },
  mutant: { type: 'string', arg: 'NAME', help: 'break the contract in one way on purpose', default: 'none, the faithful server' },
  'list-mutants': { type: 'boolean', help: 'list the mutants, one line each, and exit' },
  variant: { type: 'string', arg: 'NAME', help: 'a faithful variant: a correct server that differs where the doc allows', default: 'none' },
  'list-variants': { type: 'boolean', help: 'list the faithful variants with the run flags each needs, and exit' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const satisfies FlagTable;

const HELP: CommandHelp = {
  usage: 'sdrs-conformance serve [options]',
  about: ['Runs the reference SDRS server (a mock of "Delete a failed task") until SIGINT or SIGTERM.'],
  flags: FLAGS,
  notes: ['See docs/reference-server.md.'],
};

export interface ServeOptions {
  port: number;
  host: string;
  seedFile: string | URL;
  scenarios: boolean;
  proxyAuth: ProxyAuth | undefined;
  requestTimeoutMs: number;
  rateLimitPerMinute: number | undefined;
  /** A mutant of server/mutants/ by name; absent, the faithful server. */
  mutant?: string | undefined;
  /** A faithful variant of server/variants/ by name; not with `mutant`. */
  variant?: string | undefined;
}

/** `--help` and `--list-mutants` are not errors; everything else that is not a valid option line is `CFG_USAGE`. */
export function parseServeArgs(args: string[]): ServeOptions | 'help' | 'list-mutants' | 'list-variants' {
  const values = parseFlags(args, FLAGS, { prefix: 'serve', help: 'sdrs-conformance serve --help' });
  if (values.help) return 'help';
  if (values['list-mutants']) return 'list-mutants';
  if (values['list-variants']) return 'list-variants';
  if (values.mutant !== undefined) checkMutant(values.mutant);
  if (values.variant !== undefined) checkVariant(values.variant, values.mutant);
  return {
    port: integer('--port', values.port, Number(FLAGS.port.default), 0, 65_535),
    host: values.host ?? FLAGS.host.default,
    seedFile: values.seed ?? DEFAULT_SEED_FILE,
    scenarios: !values['no-scenarios'],
    proxyAuth: values['proxy-auth'] === undefined ? undefined : parseProxyAuth(values['proxy-auth']),
    requestTimeoutMs: integer('--request-timeout', values['request-timeout'], Number(FLAGS['request-timeout'].default), 1, 3_600_000),
    rateLimitPerMinute: values['rate-limit'] === undefined ? undefined : integer('--rate-limit', values['rate-limit'], 0, 1, 1_000_000),
    mutant: values.mutant,
    variant: values.variant,
  };
}

function checkMutant(name: string): void {
  try {
    mutantNamed(name);
  } catch (error) {
    throw new ConformanceError('CFG_USAGE', `serve: --mutant: ${(error as Error).message}`);
  }
}

function checkVariant(name: string, mutant: string | undefined): void {
  if (mutant !== undefined) throw new ConformanceError('CFG_USAGE', 'serve: --variant and --mutant exclude each other (a variant is a correct server)');
  try {
    variantNamed(name);
  } catch (error) {
    throw new ConformanceError('CFG_USAGE', `serve: --variant: ${(error as Error).message}`);
  }
}

function integer(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw new ConformanceError('CFG_USAGE', `serve: ${flag} expects a whole number from ${min} to ${max}; got "${value}"`);
  return n;
}

/** `sdrs-conformance serve`: runs until SIGINT/SIGTERM, then closes and returns 0. */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const options = parseServeArgs(args);
  if (options === 'help') {
    io.out(formatHelp(HELP));
    return 0;
  }
  if (options === 'list-mutants') {
    for (const line of describeMutants()) io.out(line);
    return 0;
  }
  if (options === 'list-variants') {
    for (const line of describeVariants()) io.out(line);
    return 0;
  }
  // Listening for the signal before the server starts: a signal during start-up still ends cleanly.
  return serve(options, io, nextSignal());
}

/** The command's body with its stop condition passed in, so a test can stop it without a signal. */
export async function serve(options: ServeOptions, io: CliIo, stop: Promise<string>): Promise<number> {
  const seed = loadSeed(options.seedFile);
  let server: RunningServer;
  try {
    server = await startReferenceServer({
      seed,
      host: options.host,
      port: options.port,
      scenarios: options.scenarios,
      proxyAuth: options.proxyAuth,
      requestTimeoutMs: options.requestTimeoutMs,
      rateLimitPerMinute: options.rateLimitPerMinute,
      mutant: options.mutant,
      variant: options.variant,
      onRequest: (line) => io.out(formatLogLine(line)),
      onError: (error) => io.err(`serve: ${error.message} (the server keeps running)`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConformanceError(
      'CFG_INVALID',
      `serve: cannot listen on ${options.host}:${options.port} (${code}: ${(error as Error).message}); choose another --port or --host`,
    );
  }
  const variant = options.variant === undefined ? undefined : variantNamed(options.variant);
  const banner = describeServer({ url: server.url, ...options, seed: variant?.seed?.(seed) ?? seed });
  if (variant) {
    banner.splice(1, 0, `  VARIANT ${variant.name}: ${variant.description} — a correct server; run the suite with: ${runFlagsOf(variant)}`);
  }
  if (options.mutant) {
    const { name, family, description } = mutantNamed(options.mutant);
    banner.splice(1, 0, `  MUTANT ${name} (${family}): ${description} — this server breaks the contract on purpose`);
  }
  for (const line of banner) io.out(line);
  const reason = await stop;
  io.out(`${reason}: closing (${server.openConnections()} open connections)`);
  await server.close();
  io.out('closed');
  return 0;
}

function nextSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
