import { expect, test } from 'vitest';
import { CHECK_IDS, GROUP_CHECK_IDS, STATE_CHECK_IDS } from '../../lib/checks/index.ts';
import { main } from '../../cli/main.ts';
import { parseServeArgs, serve } from '../../cli/serve-command.ts';
import { startReferenceServer } from '../../server/http-server.ts';
import { describeMutants, FAMILIES, MUTANTS, mutantNamed } from '../../server/mutants/index.ts';
import { FAMILY_CHECKS } from '../../scripts/mutation/family-checks.ts';
import { DEFAULT_SEED_FILE, loadSeed } from '../../server/seed.ts';
import { parseMatrixArgs } from '../../scripts/mutation-matrix.ts';
import { send, UNKNOWN_JOB } from '../server/support.ts';

test('at least 24 mutants, unique kebab-case names, each with a one-line description and a way to break', () => {
  expect(MUTANTS.length).toBeGreaterThanOrEqual(24);
  expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
  for (const mutant of MUTANTS) {
    expect(mutant.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(mutant.description).toMatch(/^[^\n]{20,120}$/);
    expect(mutant.handler ?? mutant.wire ?? mutant.stray, `${mutant.name} breaks nothing`).toBeDefined();
  }
});

test.for(FAMILIES)('family %s has mutants, and its checks are registered check ids', (family) => {
  expect(MUTANTS.filter((m) => m.family === family).length).toBeGreaterThanOrEqual(3);
  expect([...CHECK_IDS, ...STATE_CHECK_IDS, ...GROUP_CHECK_IDS]).toEqual(expect.arrayContaining([...FAMILY_CHECKS[family]]));
});

test('an unknown mutant name is one CFG_USAGE line listing every valid name', async () => {
  expect(() => mutantNamed('nope')).toThrow(
    expect.objectContaining({
      code: 'CFG_USAGE',
      message: expect.stringMatching(
        /^unknown mutant "nope"; expected one of: success-200-empty, .*id-echoed-unescaped \(serve --list-mutants describes them\)$/,
      ),
    }),
  );
  await expect(startReferenceServer({ seed: loadSeed(), mutant: 'nope' })).rejects.toThrow(expect.objectContaining({ code: 'CFG_USAGE' }));
  const err: string[] = [];
  expect(await main(['serve', '--mutant', 'nope'], { out: () => {}, err: (l) => err.push(l), env: {} })).toBe(2);
  expect(err).toHaveLength(1);
  expect(err[0]).toMatch(/^CFG_USAGE: serve: --mutant: unknown mutant "nope"; expected one of: .*unknown-id-204/);
});

test('serve --list-mutants prints one line per mutant with its family and description', async () => {
  const out: string[] = [];
  expect(parseServeArgs(['--list-mutants'])).toBe('list-mutants');
  expect(await main(['serve', '--list-mutants'], { out: (l) => out.push(l), err: () => {}, env: {} })).toBe(0);
  expect(out).toEqual(describeMutants());
  expect(out).toHaveLength(MUTANTS.length + 1);
  expect(out.find((l) => l.includes('unknown-id-204'))).toMatch(/^ {2}unknown-id-204 +ids +deleting a job that does not exist answers 204/);
});

test('serve --mutant NAME says so in the banner and serves the mutant', async () => {
  expect(parseServeArgs(['--mutant', 'unknown-id-204'])).toMatchObject({ mutant: 'unknown-id-204' });
  const lines: string[] = [];
  let stop = (_reason: string) => {};
  let started = () => {};
  const ready = new Promise<void>((resolve) => (started = resolve));
  const io = {
    out: (l: string) => {
      lines.push(l);
      if (l.startsWith('Try it')) started();
    },
    err: () => {},
    env: {},
  };
  const running = serve(
    {
      port: 0,
      host: '127.0.0.1',
      seedFile: DEFAULT_SEED_FILE,
      scenarios: true,
      proxyAuth: undefined,
      requestTimeoutMs: 30_000,
      rateLimitPerMinute: undefined,
      mutant: 'unknown-id-204',
    },
    io,
    new Promise((resolve) => (stop = resolve)),
  );
  await ready;
  try {
    expect(lines[1]).toMatch(
      /^ {2}MUTANT unknown-id-204 \(ids\): deleting a job that does not exist answers 204 .* — this server breaks the contract on purpose$/,
    );
    const url = (/listening on (\S+)/.exec(lines[0] ?? '') as RegExpExecArray)[1] as string;
    expect((await send(`${url}/v1/${loadSeed().projects[0]?.projectId}/task-center/failure-jobs/${UNKNOWN_JOB}`)).status).toBe(204);
  } finally {
    stop('test');
    expect(await running).toBe(0);
  }
});

test.for<[string, { args: string[]; want: RegExp | { mutants: number; parallel: number; markdownFile: string } }]>([
  ['no flags: every mutant, 2 at a time', { args: [], want: { mutants: MUTANTS.length, parallel: 2, markdownFile: 'mutation-matrix.md' } }],
  [
    '--only two, sequential, elsewhere',
    { args: ['--only', 'success-202,unknown-id-204', '--parallel', '1', '--md', 'out/m.md'], want: { mutants: 2, parallel: 1, markdownFile: 'out/m.md' } },
  ],
  ['--only with an unknown name', { args: ['--only', 'nope'], want: /unknown mutant "nope"/ }],
  ['--parallel 3', { args: ['--parallel', '3'], want: /--parallel expects 1 or 2, got "3"/ }],
  ['an unknown flag', { args: ['--bogus'], want: /^mutation: Unknown option '--bogus'/ }],
])('npm run mutation %s', ([, { args, want }]) => {
  if (want instanceof RegExp) {
    expect(() => parseMatrixArgs(args)).toThrow(expect.objectContaining({ code: 'CFG_USAGE', message: expect.stringMatching(want) }));
    return;
  }
  const parsed = parseMatrixArgs(args);
  if (parsed === 'help') throw new Error('unexpected help');
  expect({ mutants: parsed.mutants.length, parallel: parsed.parallel, markdownFile: parsed.markdownFile }).toEqual(want);
});
