import { expect, test } from 'vitest';
import { formatHelp } from '../../cli/help.ts';
import { main } from '../../cli/main.ts';
import { FLAGS, parseRunOptions } from '../../cli/run-options.ts';

test('help is generated from the flag table: flag and value, description wrapped under it, default and environment variable whole', () => {
  const help = formatHelp({
    usage: 'sdrs-conformance demo [options]',
    about: ['Shows the layout.'],
    flags: {
      port: { type: 'string', arg: 'N', help: 'port to listen on', default: '8080', env: 'DEMO_PORT' },
      'a-rather-long-flag-name': {
        type: 'string',
        arg: 'VALUE',
        help: 'a description long enough to wrap: it goes on and on past the right margin of a terminal eighty or a hundred columns wide',
        default: 'off',
      },
      help: { type: 'boolean', short: 'h', help: 'this text' },
    },
    notes: ['A note.'],
  });
  expect(help).toMatchInlineSnapshot(`
    "Usage: sdrs-conformance demo [options]

    Shows the layout.

      --port N                     port to listen on (default 8080) (env DEMO_PORT)
      --a-rather-long-flag-name VALUE a description long enough to wrap: it goes on and on past the
                                   right margin of a terminal eighty or a hundred columns wide
                                   (default off)
      -h, --help                   this text

    A note."
  `);
});

test.for(['run', 'serve', 'merge', 'report'])('sdrs-conformance %s --help: the generated usage and flag rows, exit 0', async (command) => {
  const out: string[] = [];
  expect(await main([command, '--help'], { out: (l) => out.push(l), err: (l) => out.push(`stderr: ${l}`), env: {} })).toBe(0);
  const help = out.join('\n');
  expect(help).toMatch(new RegExp(`^Usage: sdrs-conformance ${command} `));
  expect(help).toMatch(/^ {2}-h, --help +this text$/m);
  expect(help).not.toContain('stderr:');
});

test('the defaults run --help shows are the ones a run uses', () => {
  const options = parseRunOptions([], {});
  const used = {
    timeout: options.timeoutMs,
    'connect-timeout': options.connectTimeoutMs,
    concurrency: options.concurrency,
    'run-timeout': options.runTimeoutMs,
    'fuzz-runs': options.fuzzRuns,
    seed: options.seed,
  };
  const shown = Object.fromEntries(Object.keys(used).map((name) => [name, Number((FLAGS as Record<string, { default?: string }>)[name]?.default)]));
  expect(used).toEqual(shown);
});
