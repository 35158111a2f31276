import { expect, test } from 'vitest';
import { main } from '../../cli/main.ts';
import { parseRunOptions } from '../../cli/run-options.ts';
import { parseServeArgs, serve } from '../../cli/serve-command.ts';
import { parseMatrixArgs } from '../../scripts/mutation-matrix.ts';
import { startReferenceServer } from '../../server/http-server.ts';
import { MUTANTS } from '../../server/mutants/index.ts';
import { DEFAULT_SEED_FILE, loadSeed } from '../../server/seed.ts';
import { describeVariants, VARIANTS, variantNamed } from '../../server/variants/index.ts';
import { send, UNKNOWN_JOB } from '../server/support.ts';

test('at least ten variants, unique kebab-case names apart from the mutants’, each with a one-line description and run flags a run accepts', () => {
  expect(VARIANTS.length).toBeGreaterThanOrEqual(10);
  const names = VARIANTS.map((v) => v.name);
  expect(new Set([...names, ...MUTANTS.map((m) => m.name)]).size).toBe(names.length + MUTANTS.length);
  for (const variant of VARIANTS) {
    expect(variant.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(variant.description).toMatch(/^[^\n]{20,160}$/);
    expect(variant.handler ?? variant.seed ?? variant.wire, `${variant.name} differs in nothing`).toBeDefined();
    expect(() => parseRunOptions(['--endpoint', 'http://127.0.0.1:1', '--project-id', 'p', '--token', 't', ...variant.runFlags], {})).not.toThrow();
  }
});

test('an unknown variant name is one CFG_USAGE line listing every valid name; a mutant and a variant exclude each other', async () => {
  expect(() => variantNamed('nope')).toThrow(
    expect.objectContaining({
      code: 'CFG_USAGE',
      message: expect.stringMatching(/^unknown variant "nope"; expected one of: job-ids-hex32, .*list-grows \(serve --list-variants/),
    }),
  );
  await expect(startReferenceServer({ seed: loadSeed(), variant: 'nope' })).rejects.toThrow(expect.objectContaining({ code: 'CFG_USAGE' }));
  await expect(startReferenceServer({ seed: loadSeed(), variant: 'throttled', mutant: 'unknown-id-204' })).rejects.toThrow(
    expect.objectContaining({ code: 'CFG_USAGE', message: expect.stringMatching(/mutant or a variant, not both/) }),
  );
  for (const args of [
    ['serve', '--variant', 'nope'],
    ['serve', '--variant', 'throttled', '--mutant', 'unknown-id-204'],
  ]) {
    const err: string[] = [];
    expect(await main(args, { out: () => {}, err: (l) => err.push(l), env: {} })).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^CFG_USAGE: serve: --variant/);
  }
});

test('serve --list-variants prints one line per variant with the run flags it needs', async () => {
  const out: string[] = [];
  expect(parseServeArgs(['--list-variants'])).toBe('list-variants');
  expect(await main(['serve', '--list-variants'], { out: (l) => out.push(l), err: () => {}, env: {} })).toBe(0);
  expect(out).toEqual(describeVariants());
  expect(out).toHaveLength(VARIANTS.length + 1);
  expect(out.find((l) => l.includes('public-gateway'))).toMatch(/^ {2}public-gateway +--profile huaweicloud +what the public gateway is documented to do/);
  expect(out.find((l) => l.includes('slow-answers'))).toMatch(/^ {2}slow-answers +\(no extra flags\) +every answer takes 200 ms longer/);
});

test('serve --variant NAME says so in the banner, lists its jobs as it holds them, and serves the variant', async () => {
  expect(parseServeArgs(['--variant', 'job-ids-hex32'])).toMatchObject({ variant: 'job-ids-hex32' });
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
  const options = { port: 0, host: '127.0.0.1', seedFile: DEFAULT_SEED_FILE, scenarios: false, proxyAuth: undefined, requestTimeoutMs: 30_000 };
  const running = serve({ ...options, rateLimitPerMinute: undefined, variant: 'job-ids-hex32' }, io, new Promise((resolve) => (stop = resolve)));
  await ready;
  try {
    expect(lines[1]).toMatch(/^ {2}VARIANT job-ids-hex32: job ids are 32 lowercase hex .* — a correct server; run the suite with: \(no extra flags\)$/);
    const deletable = /deletes ([0-9a-f]{32}) of project-a/.exec(lines.join('\n'));
    expect(deletable, 'the banner names a 32-hex job').not.toBeNull();
    const url = (/listening on (\S+)/.exec(lines[0] ?? '') as RegExpExecArray)[1] as string;
    const jobs = `${url}/v1/${loadSeed().projects[0]?.projectId}/task-center/failure-jobs`;
    expect((await send(`${jobs}/${UNKNOWN_JOB}`)).status).toBe(400);
    expect((await send(`${jobs}/${deletable?.[1]}`)).status).toBe(204);
  } finally {
    stop('test');
    expect(await running).toBe(0);
  }
});

test.for<[string, { args: string[]; want: RegExp | { mutants: number; variants: number } }]>([
  ['no flags: every mutant and every variant', { args: [], want: { mutants: MUTANTS.length, variants: VARIANTS.length } }],
  ['--variants two', { args: ['--variants', 'throttled,slow-answers'], want: { mutants: MUTANTS.length, variants: 2 } }],
  ['--variants none with --only one mutant', { args: ['--variants', 'none', '--only', 'success-202'], want: { mutants: 1, variants: 0 } }],
  ['--variants with an unknown name', { args: ['--variants', 'nope'], want: /unknown variant "nope"/ }],
])('npm run mutation %s', ([, { args, want }]) => {
  if (want instanceof RegExp) {
    expect(() => parseMatrixArgs(args)).toThrow(expect.objectContaining({ code: 'CFG_USAGE', message: expect.stringMatching(want) }));
    return;
  }
  const parsed = parseMatrixArgs(args);
  if (parsed === 'help') throw new Error('unexpected help');
  expect({ mutants: parsed.mutants.length, variants: parsed.variants.length }).toEqual(want);
});
