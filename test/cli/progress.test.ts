/**
 * Live progress, as a user sees it: in a real terminal (tmux, read back with `capture-pane`) a status
 * line with done/total and the case in flight while a slow endpoint answers; off a terminal, case
 * lines as they finish and no control sequence; colour on a terminal only, never with NO_COLOR.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { BIN } from '../support/cli.ts';
import { tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

const TMUX = '/usr/bin/tmux';

/**
 * `serve` as its own process (the test's own event loop blocks while it reads the terminal), whose
 * every answer waits: `-H 'X-Sdrs-Scenario: latency=MS'` asks it to.
 */
async function slowServe(): Promise<{ url: string; slow: string[] }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (found) resolve(found);
    });
    child.once('close', (code) => reject(new Error(`serve exited ${code} before printing its URL: ${out}`)));
  });
  return { url, slow: ['-H', 'X-Sdrs-Scenario: latency=150', '--concurrency', '2', '--fuzz-runs', '4'] };
}

const runArgs = (url: string, slow: string[], work: string) => [
  BIN,
  ...tokenArgs(url),
  '--allow-delete',
  '--discover',
  '--scenario-control',
  ...slow,
  '--results-dir',
  join(work, 'results'),
  '--summary-dir',
  work,
];

test('off a terminal: each case line arrives while the run goes on, with no control sequence', async () => {
  const work = tempDir('progress-pipe');
  const { url, slow } = await slowServe();
  const child = spawn(process.execPath, runArgs(url, slow, work), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  /** What stdout held when the first case line came: the run had not finished then. */
  let atFirstCase: string | undefined;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (atFirstCase === undefined && /^PASS /m.test(stdout)) atFirstCase = stdout;
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code, stdout).toBe(0);
  expect(atFirstCase).toBeDefined();
  expect(atFirstCase).not.toMatch(/Verdict:/);
  expect(stdout).toMatch(/Verdict: CONFORMANT/);
  expect(stdout).not.toMatch(/[\x1b\r]/);
});

test('in a terminal (tmux capture-pane): a progress line with done/total and the case in flight, colour unless NO_COLOR', { timeout: 120_000 }, async () => {
  // Never skipped: a progress test that does not run proves nothing.
  if (!existsSync(TMUX)) throw new Error(`${TMUX} is missing: install it with ./scripts/setup-system.sh (apt-get install -y tmux)`);
  const work = tempDir('progress-tty');
  // Two runs at once, each against a server of its own: each deletes a job, and the other's state checks must not see it.
  const [colourServe, plainServe] = await Promise.all([slowServe(), slowServe()]);
  // A tmux server of this test's own (-L), so no other session is touched, ended when the test ends.
  const socket = `sdrs-progress-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync(TMUX, ['-L', socket, ...args], { encoding: 'utf8' });
  onTestFinished(() => {
    try {
      tmux('kill-server');
    } catch {
      // Already gone: the session ended with its last window.
    }
  });
  const command = (name: string, env: string, { url, slow }: { url: string; slow: string[] }) =>
    `${env} ${process.execPath} ${runArgs(url, slow, join(work, name))
      .map((a) => `'${a}'`)
      .join(' ')}; echo "exit=$?" > ${join(work, `${name}.exit`)}; sleep 600`;
  tmux('new-session', '-d', '-s', 'colour', '-x', '200', '-y', '50', command('colour', 'TERM=xterm-256color', colourServe));
  tmux('new-session', '-d', '-s', 'plain', '-x', '200', '-y', '50', command('plain', 'TERM=xterm-256color NO_COLOR=1', plainServe));
  const screen = (session: string) => tmux('capture-pane', '-p', '-e', '-t', session);

  // While the slow run goes on, the last line is the status line: [done/total] … running <case>.
  let during = '';
  await expect
    .poll(
      () => {
        during = screen('colour');
        return /^\[\d+\/\d+\].* running \S+/m.test(during) && !/Verdict:/.test(during);
      },
      { timeout: 30_000, interval: 50 },
    )
    .toBe(true);
  const status = /^\[(\d+)\/(\d+)\]/m.exec(during) as RegExpExecArray;
  expect(Number(status[1])).toBeLessThan(Number(status[2]));

  const exitOf = (name: string) => (existsSync(join(work, `${name}.exit`)) ? readFileSync(join(work, `${name}.exit`), 'utf8').trim() : '');
  await expect.poll(() => exitOf('colour'), { timeout: 60_000, interval: 200 }).toBe('exit=0');
  await expect.poll(() => exitOf('plain'), { timeout: 60_000, interval: 200 }).toBe('exit=0');
  const colour = screen('colour');
  const plain = screen('plain');
  // At the end the status line is gone; case lines stay, PASS in green on the terminal, plain with NO_COLOR.
  expect(colour).not.toMatch(/^\[\d+\/\d+\]/m);
  expect(colour).toMatch(/\x1b\[32mPASS/);
  expect(colour).toMatch(/Verdict: CONFORMANT/);
  expect(plain).toMatch(/Verdict: CONFORMANT/);
  expect(plain).toMatch(/^PASS /m);
  expect(plain).not.toMatch(/\x1b\[3\dm/);
});
