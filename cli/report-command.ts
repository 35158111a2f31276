import { dirname, join } from 'node:path';
import { generateAllureReport } from '../reporters/allure-extras.ts';
import { CATEGORIES } from '../reporters/allure-categories.ts';
import type { CliIo } from './main.ts';
import { parseFlags } from './parse-flags.ts';

const USAGE = `Usage: sdrs-conformance report [--results-dir DIR] [--report-dir DIR] [--history FILE]

Builds the Allure 3 HTML report from a run's results, keeping history between runs so the trend
graph shows regressions.
  --results-dir DIR   Allure results of the run (default allure-results)
  --report-dir DIR    where the HTML goes (default allure-report); a previous report there is replaced,
                      a folder holding anything else is refused
  --history FILE      history kept between runs; keep it (CI cache/artifact) (default .allure-history/history.jsonl)`;

/** `sdrs-conformance report`: allure-results → allure-report/index.html, history kept. */
export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args, { 'results-dir': { type: 'string' }, 'report-dir': { type: 'string' }, history: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, { help: 'sdrs-conformance report --help' });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const historyPath = (values.history as string | undefined) ?? '.allure-history/history.jsonl';
  const index = await generateAllureReport({
    resultsDir: (values['results-dir'] as string | undefined) ?? 'allure-results',
    reportDir: (values['report-dir'] as string | undefined) ?? 'allure-report',
    historyPath,
    configPath: join(dirname(historyPath), 'allurerc.json'),
    categories: CATEGORIES as never,
  });
  io.out(`Allure report: ${index}`);
  return 0;
}
