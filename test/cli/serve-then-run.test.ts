import { spawn } from 'node:child_process';
import { expect, onTestFinished, test } from 'vitest';
import { BIN, runCli } from '../support/cli.ts';
import { projectA, projectB } from '../support/reference.ts';

/** As a new user would: the reference server as its own process, then the suite against its URL. */
async function serveProcess(): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.once('close', (code) => reject(new Error(`serve exited ${code} before printing its URL: ${out}`)));
  });
}

test('serve as a process, then run by URL with a token and with AK/SK: both exit 0, every verifiable case passed', async () => {
  const url = await serveProcess();
  const common = [
    'run',
    '--endpoint',
    url,
    '--other-project-id',
    projectB.projectId,
    '--other-token',
    projectB.tokens[0]!,
    '--allow-delete',
    '--discover',
    '--fuzz-runs',
    '20',
  ];
  const withToken = await runCli([...common, '--project-id', projectA.projectId, '--token', projectA.tokens[0]!]);
  expect(withToken.code, withToken.stdout + withToken.stderr).toBe(0);
  expect(withToken.stdout).toMatch(/0 failed, 0 broken, 19 skipped\. Verdict: CONFORMANT/);
  // The first run deleted one job; discovery finds the next ones.
  const withAksk = await runCli([...common, '--project-id', projectA.projectId, '--ak', projectA.aksk[0]!.ak, '--sk', projectA.aksk[0]!.sk]);
  expect(withAksk.code, withAksk.stdout + withAksk.stderr).toBe(0);
  expect(withAksk.stdout).toMatch(/0 failed, 0 broken, 19 skipped\. Verdict: CONFORMANT/);
});
