import { formatError } from '../errors.ts';
import { runCommand } from './run-command.ts';

/** Each subcommand owns its file; main only dispatches and turns errors into one line and an exit status. */
export type Command = (args: string[], io: CliIo) => Promise<number>;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

const COMMANDS: Record<string, Command> = {
  run: runCommand,
};

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name = 'run', ...args] = argv;
  const command = COMMANDS[name];
  if (!command) {
    io.err(`CFG_USAGE: unknown command "${name}"; expected one of: ${Object.keys(COMMANDS).join(', ')}. See sdrs-conformance --help.`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    io.err(formatError(error));
    return 2;
  }
}

function defaultIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
}
