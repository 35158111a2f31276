import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConformanceError } from '../lib/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Every command's flags: strict (an unknown flag is an error, never ignored), no positionals, and a
 * parse error becomes one CFG_USAGE line pointing at the command's --help.
 */
export function parseFlags<const T extends Options>(args: string[], options: T, where: { help: string; prefix?: string }) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConformanceError('CFG_USAGE', `${where.prefix ? `${where.prefix}: ` : ''}${(error as Error).message.split('\n')[0]}. See ${where.help}.`);
  }
}
