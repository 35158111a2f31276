import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatHelp, type CommandHelp } from '../cli/help.ts';
import { parseFlags, type FlagTable } from '../cli/parse-flags.ts';
import type { CliIo } from '../cli/main.ts';
import { ConformanceError, formatError, isConformanceError } from '../lib/errors.ts';
import { MUTANTS, mutantNamed, type Mutant } from '../server/mutants/index.ts';
import { VARIANTS, variantNamed, type Variant } from '../server/variants/index.ts';
import { headline, progressLine, renderJson, renderMarkdown, variantProgressLine } from './mutation/format-matrix.ts';
import { runMatrix } from './mutation/run-matrix.ts';

/** The flags of `npm run mutation`: one table for the parser and `--help`. */
const FLAGS = {
  md: { type: 'string', arg: 'FILE', help: 'where the Markdown matrix goes', default: 'mutation-matrix.md' },
  json: { type: 'string', arg: 'FILE', help: 'where the JSON matrix goes', default: 'mutation-matrix.json' },
  only: { type: 'string', arg: 'A,B', help: 'only these mutants (names as in: sdrs-conformance serve --list-mutants)' },
  variants: { type: 'string', arg: 'A,B', help: 'only these faithful variants (serve --list-variants); "none" for none', default: 'all' },
  parallel: { type: 'string', arg: 'N', help: 'servers judged at once, 1 or 2', default: '2' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const satisfies FlagTable;

const HELP: CommandHelp = {
  usage: 'npm run mutation -- [options]',
  about: [
    'Runs the conformance suite against the faithful reference server and every mutant (server/mutants/),',
    'each on its own server on port 0, and prints the matrix: mutant × family × verdict × the check ids that caught it.',
    'Then every faithful variant (server/variants/) as a production endpoint with its run flags: each must be CONFORMANT.',
  ],
  flags: FLAGS,
  notes: [
    "Exit status: 0 every mutant killed by its family's checks, no false positive on the faithful server and every variant CONFORMANT · 1 otherwise · 2 usage.",
  ],
};

interface MatrixCommandOptions {
  markdownFile: string;
  jsonFile: string;
  mutants: readonly Mutant[];
  variants: readonly Variant[];
  parallel: number;
}

export function parseMatrixArgs(args: string[]): MatrixCommandOptions | 'help' {
  const values = parseFlags(args, FLAGS, { prefix: 'mutation', help: 'npm run mutation -- --help' });
  if (values.help) return 'help';
  if (values.parallel !== undefined && values.parallel !== '1' && values.parallel !== '2') {
    throw new ConformanceError('CFG_USAGE', `mutation: --parallel expects 1 or 2, got "${values.parallel}"`);
  }
  const names = (list: string | undefined) =>
    list
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean);
  const only = names(values.only);
  const variants = values.variants === 'none' ? [] : names(values.variants);
  return {
    markdownFile: values.md ?? FLAGS.md.default,
    jsonFile: values.json ?? FLAGS.json.default,
    mutants: only ? only.map((name) => mutantNamed(name)) : MUTANTS,
    variants: variants ? variants.map((name) => variantNamed(name)) : VARIANTS,
    parallel: Number(values.parallel ?? FLAGS.parallel.default),
  };
}

/** `npm run mutation`: the matrix, printed and written; its exit status says whether detection is complete. */
async function mutationMatrixCommand(args: string[], io: CliIo): Promise<number> {
  const options = parseMatrixArgs(args);
  if (options === 'help') {
    io.out(formatHelp(HELP));
    return 0;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'sdrs-mutation-'));
  const total = options.mutants.length + options.variants.length + 1;
  let done = 0;
  io.out(
    `Mutation matrix: the suite against the faithful server, ${options.mutants.length} mutants and ${options.variants.length} faithful variants, ${options.parallel} at a time (runs in ${workDir})`,
  );
  try {
    const report = await runMatrix({
      mutants: options.mutants,
      variants: options.variants,
      workDir,
      parallel: options.parallel,
      onRow: (row) => io.out(progressLine(row, ++done, total)),
      onVariantRow: (row) => io.out(variantProgressLine(row, ++done, total)),
    });
    const markdown = renderMarkdown(report);
    writeFileSync(options.markdownFile, markdown);
    writeFileSync(options.jsonFile, renderJson(report));
    io.out('');
    io.out(markdown);
    io.out(`Written: ${options.markdownFile}, ${options.jsonFile}`);
    for (const line of headline(report)) io.out(line);
    return report.killedByFamily === report.total && report.falsePositives === 0 && report.variantFalsePositives === 0 ? 0 : 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

// Run as a script (tsx scripts/mutation-matrix.ts), not when a test imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: CliIo = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`), env: process.env };
  process.exitCode = await mutationMatrixCommand(process.argv.slice(2), io).catch((error: unknown) => {
    io.err(formatError(error));
    return isConformanceError(error) ? 2 : 70;
  });
}
