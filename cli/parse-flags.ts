import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConformanceError } from '../lib/errors.ts';
import { closestName } from './did-you-mean.ts';

/**
 * One flag of a command. A command declares its flags once, in a table of these: the same table is
 * what the parser accepts and what `--help` prints (cli/help.ts), so the two cannot drift apart.
 */
interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** The environment variable the flag overrides (the command reads it; help shows it). */
  env?: string;
  /** The value's placeholder in help: `--port N`. */
  arg?: string;
  help: string;
  /**
   * What the command uses when the flag is absent, as help shows it. Documentation only: it never
   * reaches the parser, because a default there would hide an environment variable behind it.
   */
  default?: string;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** The parsed values of a table: strings, booleans, or string arrays for repeatable flags. */
export type FlagValues<T extends FlagTable> = {
  [K in keyof T]?: T[K] extends { multiple: true } ? string[] : T[K]['type'] extends 'boolean' ? boolean : string;
};

/**
 * Every command's flags: strict (an unknown flag is an error, never ignored), no positionals, and a
 * parse error becomes one CFG_USAGE line pointing at the command's --help.
 */
export function parseFlags<const T extends FlagTable>(args: string[], table: T, where: { help: string; prefix?: string }): FlagValues<T> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, { type, multiple, short }] of Object.entries(table))
    options[name] = { type, ...(multiple ? { multiple } : {}), ...(short ? { short } : {}) };
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as FlagValues<T>;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] as string;
    // `--tokn` → "did you mean --token?": the nearest flag of this command, if one is near enough.
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const near = unknown === undefined ? undefined : closestName(unknown, Object.keys(table));
    const hint = near ? ` Did you mean --${near}?` : '';
    throw new ConformanceError('CFG_USAGE', `${where.prefix ? `${where.prefix}: ` : ''}${message}.${hint} See ${where.help}.`);
  }
}
