import { dirname, join } from 'node:path';
import { generateAllureReport } from '../reporters/allure-extras.ts';
import { CATEGORIES } from '../reporters/allure-categories.ts';
import type { CliIo } from './main.ts';
import { formatHelp, type CommandHelp } from './help.ts';
import { parseFlags, type FlagTable } from './parse-flags.ts';

/** The flags of `report`: one table for the parser and `--help`. */
const FLAGS = {
  'results-dir': { type: 'string', arg: 'DIR', help: 'Allure results of the run', default: 'allure-results' },
  'report-dir': {
    type: 'string',
    arg: 'DIR',
    help: 'where the HTML goes; a previous report there is replaced, a folder holding anything else is refused',
    default: 'allure-report',
  },
  history: { type: 'string', arg: 'FILE', help: 'history kept between runs; keep it (CI cache/artifact)', default: '.allure-history/history.jsonl' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const satisfies FlagTable;

const HELP: CommandHelp = {
  usage: 'sdrs-conformance report [options]',
  about: ["Builds the Allure 3 HTML report from a run's results, keeping history between runs so the trend", 'graph shows regressions.'],
  flags: FLAGS,
};

/** `sdrs-conformance report`: allure-results → allure-report/index.html, history kept. */
export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, FLAGS, { help: 'sdrs-conformance report --help' });
  if (values.help) {
    io.out(formatHelp(HELP));
    return 0;
  }
  const historyPath = values.history ?? FLAGS.history.default;
  const index = await generateAllureReport({
    resultsDir: values['results-dir'] ?? FLAGS['results-dir'].default,
    reportDir: values['report-dir'] ?? FLAGS['report-dir'].default,
    historyPath,
    configPath: join(dirname(historyPath), 'allurerc.json'),
    categories: CATEGORIES as never,
  });
  io.out(`Allure report: ${index}`);
  return 0;
}
