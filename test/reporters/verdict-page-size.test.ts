/**
 * The verdict page is for a release board: measured in headless Chromium at 1280 px, a CONFORMANT run
 * fits in about two screens (≤ 2,000 px) and one root cause over many cases in one card (≤ 3,000 px).
 * Real runs, real pages: the bundled server, and a mutant whose every error is an HTML page.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, onTestFinished, test } from 'vitest';
import { startReferenceServer } from '../../server/http-server.ts';
import { runCli } from '../support/cli.ts';
import { SCREENSHOTS, useBrowser } from '../support/browser.ts';
import { seed, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

const browser = useBrowser();

async function pageOf(work: string) {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(join(work, 'conformance-summary.html')).href);
  return page;
}

const heightOf = (page: Awaited<ReturnType<typeof pageOf>>) => page.evaluate(() => document.documentElement.scrollHeight);

test('a CONFORMANT run: at most 2,000 px tall at 1280 px, with no description said twice', async () => {
  const work = tempDir('page-conformant');
  const run = await runCli(['run', '--results-dir', join(work, 'results'), '--summary-dir', work]);
  expect(run.code, run.stderr).toBe(0);
  const page = await pageOf(work);
  expect(await page.locator('h1').innerText()).toBe('CONFORMANT');
  expect(await heightOf(page)).toBeLessThanOrEqual(2000);
  // "No Content (No Content)": a description never repeats itself.
  for (const text of await page.locator('#matrix td:nth-child(2)').allInnerTexts()) expect(text).not.toMatch(/^(.+) \(\1\)$|（|\((.+)\).*\(\2\)/);
  await page.screenshot({ path: join(SCREENSHOTS, 'verdict-page-conformant.png'), fullPage: true });
});

test('one root cause over many cases (HTML error pages): one card naming them all, at most 3,000 px tall', async () => {
  const work = tempDir('page-one-cause');
  const server = await startReferenceServer({ seed, scenarios: true, mutant: 'error-html-page' });
  onTestFinished(() => server.close());
  const run = await runCli([
    ...tokenArgs(server.url),
    '--allow-delete',
    '--discover',
    '--scenario-control',
    '--results-dir',
    join(work, 'results'),
    '--summary-dir',
    work,
  ]);
  expect(run.code).toBe(1);
  const page = await pageOf(work);
  expect(await page.locator('h1').innerText()).toBe('NOT CONFORMANT');
  expect(await heightOf(page)).toBeLessThanOrEqual(3000);
  const failing = Number(/(\d+) failed/.exec(run.stdout)?.[1]);
  expect(failing).toBeGreaterThan(20);
  const cards = page.locator('#failures article');
  expect(await cards.count()).toBe(1);
  expect(await cards.first().locator('h3').innerText()).toContain(`${failing} cases · error-media-type + error-body-schema`);
  // Expanded, the card names every failing case, each id on one line (never wrapped mid-word).
  await cards.first().locator('summary').click();
  const ids = cards.first().locator('details code');
  expect(await ids.count()).toBe(failing);
  const wrapped = await ids.evaluateAll((codes) => codes.filter((code) => code.getClientRects().length > 1).map((code) => code.textContent));
  expect(wrapped).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'verdict-page-one-cause.png'), fullPage: true });
});

test('skip reasons are listed once, with the cases each covers', async () => {
  const work = tempDir('page-skips');
  const server = await startReferenceServer({ seed, scenarios: false });
  onTestFinished(() => server.close());
  // No --allow-delete and no scenario control: the deletion cases and the unprovokable statuses are skipped, many for one reason.
  const run = await runCli([...tokenArgs(server.url), '--results-dir', join(work, 'results'), '--summary-dir', work]);
  expect(run.code).toBe(4);
  const page = await pageOf(work);
  const reasons = await page.locator('#not-run tbody td:first-child').allInnerTexts();
  expect(reasons.length).toBeGreaterThan(1);
  expect(new Set(reasons).size).toBe(reasons.length);
  const covered = await page.locator('#not-run tbody td:last-child code').count();
  expect(covered).toBe(Number(/(\d+) skipped/.exec(run.stdout)?.[1]));
  expect(covered).toBeGreaterThan(reasons.length);
});
