import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, onTestFinished, test } from 'vitest';
import { startReferenceServer } from '../../server/http-server.ts';
import { runCli } from '../support/cli.ts';
import { openFromDisk, SCREENSHOTS, UI_TIMEOUT_MS, useBrowser } from '../support/browser.ts';
import { seed, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

const browser = useBrowser();

/**
 * The release-board story end to end, with real runs: a regression (a mutant server that deletes
 * unknown ids with 204) and then the fix (the faithful server). Both runs feed one Allure history;
 * the report shows both with the same test ids, and the verdict page shows the status matrix.
 */
test('after a mutant run and a faithful run, the Allure report shows both in history under the same test ids', async () => {
  const work = tempDir('history');
  const history = join(work, 'history', 'history.jsonl');
  const report = join(work, 'allure-report');
  const runAgainst = async (mutant: string | undefined, name: string) => {
    const server = await startReferenceServer({ seed, scenarios: true, ...(mutant ? { mutant } : {}) });
    onTestFinished(() => server.close());
    const run = await runCli(
      [
        ...tokenArgs(server.url),
        '--allow-delete',
        '--discover',
        '--scenario-control',
        '--fuzz-runs',
        '20',
        '--results-dir',
        join(work, name),
        '--summary-dir',
        join(work, `${name}-summary`),
      ],
      { cwd: work },
    );
    const built = await runCli(['report', '--results-dir', join(work, name), '--report-dir', report, '--history', history], { cwd: work });
    expect(built.code, built.stderr).toBe(0);
    return run;
  };
  const broken = await runAgainst('unknown-id-204', 'mutant');
  expect(broken.code).toBe(1);
  expect(broken.stdout).toMatch(/^FAIL deleteFailureJob\.unknown-id +204/m);
  const fixed = await runAgainst(undefined, 'faithful');
  expect(fixed.code).toBe(0);

  const runs = readFileSync(history, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { testResults: Record<string, { historyId?: string; status?: string }> });
  expect(runs).toHaveLength(2);
  const idsOf = (run: (typeof runs)[number]) =>
    Object.values(run.testResults)
      .map((r) => r.historyId)
      .filter(Boolean)
      .sort();
  expect(idsOf(runs[1]!)).toEqual(idsOf(runs[0]!));

  const page = await browser.newPage();
  await openFromDisk(page, join(report, 'index.html'));
  await page.getByTestId('tree-section-title').or(page.getByTestId('tree-leaf')).first().waitFor({ timeout: UI_TIMEOUT_MS });
  const leaf = page.getByTestId('tree-leaf').filter({ hasText: 'deleteFailureJob.unknown-id]' });
  // Two operations, two sections: open the delete's (and any section under it) until its leaf shows.
  for (let depth = 0; (await leaf.count()) === 0 && depth < 5; depth++)
    await page.getByTestId('tree-section-title').filter({ hasText: 'deleteFailureJob' }).last().click();
  await leaf.click();
  await expect.poll(() => page.getByTestId('test-result-tab-history').innerText(), { timeout: UI_TIMEOUT_MS }).toMatch(/History\s*1/);
  await page.getByTestId('test-result-tab-history').click();
  await page.screenshot({ path: join(SCREENSHOTS, 'allure-history-mutant-then-faithful.png'), fullPage: true });

  const verdict = await browser.newPage();
  await verdict.goto(pathToFileURL(join(work, 'faithful-summary', 'conformance-summary.html')).href);
  await expect.poll(() => verdict.locator('h1').innerText()).toBe('CONFORMANT');
  expect(await verdict.locator('#matrix tbody tr:not(.operation)').count()).toBe(30);
  await verdict.screenshot({ path: join(SCREENSHOTS, 'verdict-page-faithful.png'), fullPage: true });
});
