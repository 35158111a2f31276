import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished, test } from 'vitest';
import { main } from '../../cli/main.ts';
import { parseServeArgs, serve, type ServeOptions } from '../../cli/serve-command.ts';
import { DEFAULT_SEED_FILE } from '../../server/seed.ts';
import { FREE_JOB, projectA, send, TOKEN_A } from './support.ts';

const BIN = fileURLToPath(new URL('../../bin/sdrs-conformance.js', import.meta.url));
const DEFAULTS: ServeOptions = {
  port: 8080,
  host: '127.0.0.1',
  seedFile: DEFAULT_SEED_FILE,
  scenarios: true,
  proxyAuth: undefined,
  requestTimeoutMs: 30_000,
  rateLimitPerMinute: undefined,
};

test.for<[string, { args: string[]; want: Partial<ServeOptions> | 'help' | RegExp }]>([
  ['no flags: the defaults', { args: [], want: DEFAULTS }],
  [
    'everything',
    {
      args: ['--port', '0', '--host', '::1', '--seed', 'my.json', '--no-scenarios', '--proxy-auth', 'u:p', '--request-timeout', '500', '--rate-limit', '60'],
      want: {
        port: 0,
        host: '::1',
        seedFile: 'my.json',
        scenarios: false,
        proxyAuth: { user: 'u', expected: `Basic ${Buffer.from('u:p').toString('base64')}` },
        requestTimeoutMs: 500,
        rateLimitPerMinute: 60,
      },
    },
  ],
  ['--port=9090 form', { args: ['--port=9090'], want: { port: 9090 } }],
  ['-h', { args: ['-h'], want: 'help' }],
  ['an unknown flag', { args: ['--bogus'], want: /^serve: Unknown option '--bogus'.*See sdrs-conformance serve --help\.$/ }],
  ['a positional argument', { args: ['8080'], want: /Unexpected argument '8080'/ }],
  ['a flag without its value', { args: ['--port'], want: /argument missing/ }],
  ['a port out of range', { args: ['--port', '70000'], want: /--port expects a whole number from 0 to 65535; got "70000"/ }],
  ['a port that is not a number', { args: ['--port', 'http'], want: /--port expects a whole number/ }],
  ['a zero request timeout', { args: ['--request-timeout', '0'], want: /--request-timeout expects a whole number from 1/ }],
  ['proxy auth without a colon', { args: ['--proxy-auth', 'user'], want: /--proxy-auth expects USER:PASS/ }],
])('serve %s', ([, { args, want }]) => {
  if (want instanceof RegExp) {
    expect(() => parseServeArgs(args)).toThrow(want);
    expect(() => parseServeArgs(args)).toThrow(expect.objectContaining({ code: 'CFG_USAGE' }));
  } else if (want === 'help') {
    expect(parseServeArgs(args)).toBe('help');
  } else {
    expect(parseServeArgs(args)).toEqual({ ...DEFAULTS, ...want });
  }
});

test('a bad flag through main: one CFG_USAGE line on stderr, exit 2, nothing started', async () => {
  const out: string[] = [];
  const err: string[] = [];
  expect(await main(['serve', '--bogus'], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} })).toBe(2);
  expect(out).toEqual([]);
  expect(err).toHaveLength(1);
  expect(err[0]).toMatch(/^CFG_USAGE: serve: Unknown option '--bogus'/);
});

test('a port already taken: CFG_INVALID naming the address and the way out', async () => {
  const occupier = createServer();
  await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => occupier.close(() => resolve())));
  const port = (occupier.address() as AddressInfo).port;
  await expect(serve({ ...DEFAULTS, port }, quietIo(), new Promise(() => {}))).rejects.toThrow(
    expect.objectContaining({ code: 'CFG_INVALID', message: expect.stringMatching(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE.*choose another --port/) }),
  );
});

const quietIo = () => ({ out: () => {}, err: () => {}, env: {} });

/** Lines as they come, and a promise for the first line that matches. */
function capture() {
  const lines: string[] = [];
  const waiters: Array<[RegExp, (line: string) => void]> = [];
  return {
    lines,
    io: {
      out: (line: string) => {
        lines.push(...line.split('\n'));
        for (const [re, resolve] of waiters) if (re.test(line)) resolve(line);
      },
      err: (line: string) => lines.push(`stderr: ${line}`),
      env: {},
    },
    line: (re: RegExp) =>
      new Promise<string>((resolve) => (lines.some((l) => re.test(l)) ? resolve(lines.find((l) => re.test(l)) as string) : waiters.push([re, resolve]))),
  };
}

function within<T>(promise: Promise<T>, ms: number, late: string): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<string>((resolve) => (timer = setTimeout(() => resolve(late), ms)))]).finally(() => clearTimeout(timer));
}

/** The banner's curl lines, sent as curl would send them. */
async function runCurls(lines: string[]): Promise<number[]> {
  const curls = lines.filter((l) => l.trim().startsWith('curl '));
  const statuses = [];
  for (const curl of curls) {
    const headers = Object.fromEntries([...curl.matchAll(/-H '([^:']+): ([^']*)'/g)].map((m) => [m[1]?.toLowerCase() as string, m[2] as string]));
    const url = /'(http:\/\/[^']+)'\s*$/.exec(curl)?.[1] as string;
    const method = /-X (\w+)/.exec(curl)?.[1] as string;
    statuses.push((await send(url, { method, headers })).status);
  }
  return statuses;
}

test('serve in-process: banner, a 204 and a 404 from its own curl lines, a log line each, clean stop', async () => {
  const out = capture();
  let stop = (_reason: string) => {};
  const running = serve({ ...DEFAULTS, port: 0 }, out.io, new Promise((resolve) => (stop = resolve)));
  onTestFinished(async () => {
    stop('test over');
    await running;
  });
  await out.line(/^One log line per request/);
  expect(await runCurls(out.lines)).toEqual([204, 404]);
  stop('SIGTERM');
  expect(await running).toBe(0);
  expect(out.lines.filter((l) => /^DELETE \/v1\/\S+ (204|404) \d+ms [0-9a-f]{32}$/.test(l))).toHaveLength(2);
  expect(out.lines.slice(-2)).toEqual(['SIGTERM: closing (0 open connections)', 'closed']);
});

test.for(['SIGTERM', 'SIGINT'] as const)(
  'node bin/sdrs-conformance.js serve --port 0: prints its real port and identities, answers, exits 0 on %s',
  async (signal) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => void child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no banner within 20 s; stdout: ${stdout} stderr: ${stderr}`)), 20_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('One log line per request')) {
          clearTimeout(deadline);
          resolve();
        }
      });
    });
    await ready;
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(stdout).toContain(`X-Auth-Token: ${TOKEN_A}`);
    expect(stdout).toContain(`${projectA.aksk[0]?.ak} / ${projectA.aksk[0]?.sk}`);
    expect(stdout).toContain(`project_id ${projectA.projectId}`);
    expect(await runCurls(stdout.split('\n'))).toEqual([204, 404]);
    child.kill(signal);
    expect(await within(exited, 10_000, `still running 10 s after ${signal}`)).toBe(0);
    expect(stdout).toMatch(new RegExp(`DELETE /v1/${projectA.projectId}/task-center/failure-jobs/${FREE_JOB} 204 \\d+ms [0-9a-f]{32}`));
    expect(stdout).toMatch(/DELETE \S+ 404 \d+ms [0-9a-f]{32}/);
    expect(stdout).toMatch(new RegExp(`${signal}: closing \\(\\d+ open connections\\)\nclosed\n$`));
    expect(stderr).toBe('');
  },
);
