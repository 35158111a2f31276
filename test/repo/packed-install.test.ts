import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { fileTempDir } from '../support/temp-dir.ts';

/**
 * What a user gets from the published package: `npm pack` of this tree installed into an empty
 * folder, with no repository around it. Every command runs there, from the installed copy's bin/;
 * the vitest runner's stack is not installed (optional peers) and says how to add it.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = fileTempDir('packed');
const app = join(work, 'app');
const bin = join(app, 'node_modules', 'sdrs-conformance', 'bin', 'sdrs-conformance.js');

/** npm as a user runs it: none of the npm_* variables `npm test` sets for its own scripts. */
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
const npm = (args: string[], cwd: string) => promisify(execFile)('npm', args, { cwd, env: npmEnv, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });

beforeAll(async () => {
  // --ignore-scripts: the build in dist/ is the one global setup made fresh; rebuilding it here would
  // pull dist/ from under the other test files that run bin/ meanwhile.
  const { stdout } = await npm(['pack', '--ignore-scripts', '--pack-destination', work], ROOT);
  const tarball = join(work, stdout.trim().split('\n').pop() as string);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "lean-install-probe", "private": true }\n');
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], app);
}, 300_000);

const installed = () => readdirSync(join(app, 'node_modules'));
const run = (args: string[], timeoutMs = 120_000) => runCli(args, { bin, cwd: app, timeoutMs });

describe('the packed package, installed into an empty folder', () => {
  test('carries no test runner, bundler or TypeScript runtime', () => {
    expect(installed()).toContain('sdrs-conformance');
    for (const heavy of ['vitest', 'vite', 'rolldown', 'lightningcss', 'allure-vitest', 'tsx', 'esbuild', 'typescript'])
      expect(installed(), heavy).not.toContain(heavy);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'sdrs-conformance', 'package.json'), 'utf8')) as { overrides?: unknown };
    expect(manifest.overrides).toBeUndefined();
  });

  test('run: CONFORMANT against the bundled reference server', async () => {
    const result = await run(['run', '--results-dir', 'results', '--summary-dir', 'summary']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Verdict: CONFORMANT/);
    expect(result.code).toBe(0);
  });

  test('run --shard, then merge: one CONFORMANT verdict', async () => {
    for (const shard of ['1/2', '2/2']) {
      const dir = `shard${shard[0]}`;
      expect((await run(['run', '--shard', shard, '--summary-dir', dir, '--results-dir', `${dir}/allure-results`])).code).toBe(0);
    }
    const merged = await run(['merge', '--from', 'shard1', '--from', 'shard2', '--summary-dir', 'merged', '--results-dir', 'merged/allure-results']);
    expect(merged.stdout).toMatch(/Verdict: CONFORMANT/);
    expect(merged.code).toBe(0);
  });

  test('report: the Allure HTML report', async () => {
    expect((await run(['run', '--results-dir', 'for-report', '--summary-dir', 'for-report-summary'])).code).toBe(0);
    const result = await run(['report', '--results-dir', 'for-report', '--report-dir', 'report', '--history', 'history/history.jsonl']);
    expect(result.code).toBe(0);
    expect(existsSync(join(app, 'report', 'index.html'))).toBe(true);
  });

  test('serve: the reference server starts, answers, and stops on SIGTERM', async () => {
    const server = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${seen}`)), 30_000);
      server.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
        if (listening) {
          clearTimeout(timer);
          resolve(listening[1] as string);
        }
      });
    });
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    try {
      const answer = await fetch(`${url}/v1/0123456789abcdef0123456789abcdef/task-center/failure-jobs`, {
        headers: { 'X-Auth-Token': 'MIIreference-token-project-a' },
        signal: AbortSignal.timeout(10_000),
      });
      expect(answer.status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  test('--runner vitest without its stack: one line saying what to add, exit 2, nothing written', async () => {
    const result = await run(['run', '--runner', 'vitest', '--results-dir', 'vitest-results', '--summary-dir', 'vitest-summary']);
    expect(result.stderr).toBe(
      'CFG_USAGE: --runner vitest needs vitest and allure-vitest, and this install has no vitest: add them beside sdrs-conformance (npm install vitest@^4.1.12 allure-vitest@^3.12.2), or leave out --runner for the default direct runner (same cases, checks and reports)\n',
    );
    expect(result.code).toBe(2);
    expect(existsSync(join(app, 'vitest-results'))).toBe(false);
  });

  test('--runner vitest once the stack is added beside it: CONFORMANT', async () => {
    // Added as links to this tree's copies: the same packages `npm install vitest allure-vitest` would bring.
    for (const name of ['vitest', 'allure-vitest']) symlinkSync(join(ROOT, 'node_modules', name), join(app, 'node_modules', name));
    const result = await run(['run', '--runner', 'vitest', '--results-dir', 'vitest-results-2', '--summary-dir', 'vitest-summary-2']);
    expect(result.stdout).toMatch(/Verdict: CONFORMANT/);
    expect(result.code).toBe(0);
  });
});
