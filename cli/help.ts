import { FLAGS } from './run-options.ts';

/** `--help`, generated from the flag table so it cannot drift from what the parser accepts. */
export function runHelp(): string {
  const rows = Object.entries(FLAGS).map(([name, spec]) => {
    const s = spec as { arg?: string; env?: string; help: string; short?: string };
    const left = `  ${s.short ? `-${s.short}, ` : ''}--${name}${s.arg ? ` ${s.arg}` : ''}`;
    return `${left.padEnd(30)} ${s.help}${s.env ? ` (env ${s.env})` : ''}`;
  });
  return [
    'Usage: sdrs-conformance run [options]',
    '',
    'Runs the conformance suite for SDRS "Delete a failed task" and writes Allure results.',
    '',
    ...rows,
    '',
    'Flags override environment variables.',
    'Exit status: 0 conformant · 1 contract violations · 2 usage or configuration error ·',
    '             3 endpoint unreachable · 4 incomplete (no violation, but required cases not verified) ·',
    '             130 interrupted (Ctrl-C; finished cases and the deletion ledger are still reported)',
    '',
    'Other commands (each has --help):',
    '  sdrs-conformance serve    the reference server, standalone (a mock for client teams)',
    '  sdrs-conformance report   Allure HTML from allure-results/, with history between runs',
    '  sdrs-conformance merge    combine the shards of a --shard run into one verdict and report',
  ].join('\n');
}
