import { formatError } from '../errors.ts';
import { DEFAULT_EXPECTATIONS, DEFAULT_SPEC, runAgainstBundledServer } from './run-command.ts';

export async function main(argv: string[]): Promise<number> {
  try {
    const [command = 'run'] = argv;
    if (command !== 'run') {
      process.stderr.write(`CFG_USAGE: unknown command "${command}"; expected: run\n`);
      return 2;
    }
    const result = await runAgainstBundledServer({
      specFile: DEFAULT_SPEC,
      expectationsFile: DEFAULT_EXPECTATIONS,
      profile: 'doc',
      resultsDir: 'allure-results',
      seed: 1,
      write: (line) => process.stdout.write(`${line}\n`),
    });
    return result.exitCode;
  } catch (error) {
    process.stderr.write(`${formatError(error)}\n`);
    return 2;
  }
}
