import { pathToFileURL } from 'node:url';
import { formatError, isConformanceError, type ErrorCode } from '../lib/errors.ts';
import { inlineTerminalText } from '../lib/text/terminal-text.ts';
import { runHelp } from './help.ts';
import { terminalSafeIo } from './terminal-safe-io.ts';

/** Each subcommand owns its file; main only dispatches and turns errors into one line and an exit status. */
type Command = (args: string[], io: CliIo) => Promise<number>;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** stdout when it is a terminal: the progress line is drawn here (cli/run-direct.ts); absent off a TTY. */
  terminal?: { columns: number; write: (raw: string) => void } | undefined;
  /** `--events -`: where the events go (stdout) while `out` is stderr. */
  events?: ((line: string) => void) | undefined;
  /** The run's scrubber, for what a run writes beside the console (the --events file). */
  scrub?: ((text: string) => string) | undefined;
}

/** Loaded on demand: `serve` need not pay for the suite, nor `run` for Allure's HTML generator. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: () => import('./run-command.ts').then((m) => m.runCommand),
  report: () => import('./report-command.ts').then((m) => m.reportCommand),
  merge: () => import('./merge-command.ts').then((m) => m.mergeCommand),
  serve: () => import('./serve-command.ts').then((m) => m.serveCommand),
};

export async function main(argv: string[], given: CliIo = defaultIo()): Promise<number> {
  const io = terminalSafeIo(given);
  // Flags first (`sdrs-conformance --endpoint …`) mean `run`, the default command.
  const [name = 'run', ...args] = argv[0]?.startsWith('-') && !['--help', '-h', '--version', '-V'].includes(argv[0]) ? ['run', ...argv] : argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(`${runHelp()}`);
    return 0;
  }
  if (name === '--version' || name === '-V') return main(['run', '--version'], given);
  const load = COMMANDS[name];
  if (!load) {
    io.err(`CFG_USAGE: unknown command "${name}"; expected one of: ${Object.keys(COMMANDS).join(', ')}. See sdrs-conformance --help.`);
    return 2;
  }
  try {
    return await (await load())(args, io);
  } catch (error) {
    // One line, as documented: a message quoting received text must not start a line of its own.
    io.err(inlineTerminalText(formatError(error)));
    return isConformanceError(error) ? EXIT_BY_ERROR[error.code] : 2;
  }
}

/** Exit statuses of `run` (README, --help): 2 bad input or setup (a precondition failed), 3 endpoint unreachable or not serving. */
const EXIT_BY_ERROR: Record<ErrorCode, number> = {
  CFG_USAGE: 2,
  CFG_INVALID: 2,
  CFG_UNSAFE_OUTPUT: 2,
  SPEC_UNREADABLE: 2,
  SPEC_INVALID: 2,
  SPEC_UNSUPPORTED: 2,
  NET_UNREACHABLE: 3,
  PRE_NOT_THIS_API: 2,
  PRE_IDENTITY: 2,
  PRE_OTHER_IDENTITY: 2,
  PRE_UNAVAILABLE: 3,
  RUN_FAILED: 2,
};

/** The CLI as a process: bin/ (the build in dist/) and `npm run dev` (the sources, through tsx) both start here. */
export async function runAsProcess(argv: string[]): Promise<void> {
  // A promise nobody awaited is a bug in this tool: fail loudly, never exit 0 over it.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`RUN_FAILED: internal error (unhandled rejection): ${reason instanceof Error ? reason.message : String(reason)}\n`);
    process.exit(70);
  });
  // `sdrs-conformance … | head` closes stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(argv);
}

function defaultIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    terminal: process.stdout.isTTY ? { columns: process.stdout.columns || 80, write: (raw) => process.stdout.write(raw) } : undefined,
  };
}

// `npm run dev -- <command> …` runs this file with tsx; bin/ and the tests import it instead.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAsProcess(process.argv.slice(2));
