import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, onTestFinished, test } from 'vitest';
import { BIN, runCli } from '../support/cli.ts';
import { projectA, projectB } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

/** As a new user would: the reference server as its own process, then the suite against its URL. */
async function serveProcess(): Promise<string> {
  return (await serveWithBanner()).url;
}

async function serveWithBanner(): Promise<{ url: string; banner: string }> {
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
      if (url && out.includes('Ctrl+C')) resolve({ url, banner: out });
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

test('the banner prints the exact run command; pasted into a shell three times, it comes out CONFORMANT each time', async () => {
  const { banner } = await serveWithBanner();
  const lines = banner.split('\n');
  const command = lines[lines.findIndex((l) => l.startsWith('Run the suite against it')) + 1]?.trim() as string;
  expect(command).toMatch(/^sdrs-conformance run --endpoint '\S+' .*--discover --allow-delete --scenario-control$/);
  const work = tempDir('banner-run');
  for (const round of [1, 2, 3]) {
    const line = `${command.replace(/^sdrs-conformance /, `'${process.execPath}' '${BIN}' `)} --fuzz-runs 10 --summary-dir run${round} --results-dir run${round}/allure-results`;
    const { stdout } = await promisify(execFile)('sh', ['-c', line], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(stdout).toMatch(/Session: X-Sdrs-Session run-/);
    expect(stdout).toMatch(/0 failed, 0 broken, \d+ skipped\. Verdict: CONFORMANT/);
  }
});
