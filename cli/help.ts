import type { FlagTable } from './parse-flags.ts';
import { FLAGS } from './run-options.ts';

/** A command's `--help`: what it does, then its flag table, then what the table cannot say. */
export interface CommandHelp {
  usage: string;
  about: string[];
  flags: FlagTable;
  notes?: string[];
}

const WIDTH = 100;
const FLAG_COLUMN = 31;

/**
 * Every command's `--help`, generated from the flag table its parser reads, so help cannot drift from
 * what the parser accepts. One row per flag: the flag and its value, what it does, its default and
 * its environment variable, wrapped under the description column.
 */
export function formatHelp({ usage, about, flags, notes = [] }: CommandHelp): string {
  const rows = Object.entries(flags).flatMap(([name, spec]) => {
    const flag = `  ${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.arg ? ` ${spec.arg}` : ''}`;
    const words = [...spec.help.split(' '), ...(spec.default === undefined ? [] : [`(default ${spec.default})`]), ...(spec.env ? [`(env ${spec.env})`] : [])];
    return wrap(flag.length < FLAG_COLUMN ? flag.padEnd(FLAG_COLUMN) : `${flag} `, words);
  });
  return [`Usage: ${usage}`, '', ...about, '', ...rows, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/** Greedy wrap; `(default …)` and `(env …)` stay whole, so a reader (or grep) finds them on one line. */
function wrap(flag: string, words: string[]): string[] {
  const lines: string[] = [];
  let line = flag;
  let empty = true;
  for (const word of words) {
    if (empty || line.length + 1 + word.length <= WIDTH) {
      line = empty ? `${line}${word}` : `${line} ${word}`;
    } else {
      lines.push(line);
      line = `${' '.repeat(FLAG_COLUMN)}${word}`;
    }
    empty = false;
  }
  return [...lines, line];
}

const RUN_HELP: CommandHelp = {
  usage: 'sdrs-conformance run [options]',
  about: ['Runs the conformance suite for SDRS "Delete a failed task" and writes Allure results.'],
  flags: FLAGS,
  notes: [
    'Flags override environment variables, which override the config file (--config).',
    'Exit status: 0 conformant · 1 contract violations · 2 usage, configuration or setup error',
    '             (a precondition failed: not this API, an identity refused) · 3 endpoint unreachable or',
    '             not serving · 4 incomplete (no violation, but required cases not verified) ·',
    '             130 interrupted (Ctrl-C; every planned case, unfinished ones "not run", and the deletion ledger are still reported)',
    '',
    'Other commands (each has --help):',
    '  sdrs-conformance serve    the reference server, standalone (a mock for client teams)',
    '  sdrs-conformance report   Allure HTML from allure-results/, with history between runs',
    '  sdrs-conformance merge    combine the shards of a --shard run into one verdict and report',
  ],
};

/** `sdrs-conformance --help` and `sdrs-conformance run --help`: `run` is the default command. */
export function runHelp(): string {
  return formatHelp(RUN_HELP);
}
