/**
 * A real browser looks at what the release board and QA open: the verdict page and the Allure 3 report,
 * in headless Debian Chromium driven by playwright-core. Screenshots go to test-output/reporters/.
 * Without /usr/bin/chromium this fails — a skipped browser test would pass CI while proving nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { openFromDisk, SCREENSHOTS as screenshots, UI_TIMEOUT_MS, useBrowser } from '../support/browser.ts';
import { generateAllureReport } from '../../reporters/allure-extras.ts';
import { renderJunit } from '../../reporters/junit.ts';
import { buildSummary } from '../../reporters/summary-model.ts';
import { writeArtefacts } from '../../reporters/write-artefacts.ts';
import { writeAllureResults } from './allure-results.ts';
import { OUTCOMES, SCRIPT, summaryInput, unknownId500 } from './fixtures.ts';

const work = mkdtempSync(join(tmpdir(), 'sdrs-browser-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const browser = useBrowser();

/** Everything passes: the "before" of a regression, for the baseline and for Allure history. */
const faithful = OUTCOMES.map((o) => ({ ...o, status: 'passed' as const, violations: [], skip: undefined, transportError: undefined }));

const newPage = () => browser.newPage();

test('the verdict page shows the verdict, the matrix, and the failing case — new failures first', async () => {
  const previous = buildSummary(summaryInput({ outcomes: faithful }));
  const summary = buildSummary(summaryInput({ baseline: { summary: previous, source: 'main/conformance-summary.json' } }));
  const paths = await writeArtefacts(summary, { outDir: join(work, 'verdict') });
  const page = await newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(paths.html).href);

  await expect.poll(() => page.locator('h1').innerText()).toBe('NOT CONFORMANT');
  const matrix = page.locator('#matrix tbody tr');
  expect(await matrix.count()).toBe(5);
  expect(await matrix.allInnerTexts()).toEqual([
    expect.stringMatching(/^204\tNo Content\tverified on target\b[\s\S]*\tdeleteFailureJob.own-job$/),
    expect.stringMatching(/^400\t.*\tnot verified\b[\s\S]*\t/),
    expect.stringMatching(/^404\t.*\tnot verified\b[\s\S]*\t/),
    expect.stringMatching(/^500\t.*\tnot verified\b[\s\S]*\tdeleteFailureJob.unknown-id$/),
    expect.stringMatching(/^503\t.*\tverified on reference server only\b[\s\S]*\tscenario$/),
  ]);

  const failing = page.locator('#new-failures article', { hasText: unknownId500.caseId });
  await expect.poll(() => failing.innerText()).toContain('Expected 404 · Received 500');
  const rows = failing.locator('table.violations tbody tr');
  expect(await rows.nth(0).locator('td.expected').innerText()).toBe('404');
  expect(await rows.nth(0).locator('td.received').innerText()).toBe('500');
  // The <script> in the violation is shown as text and never ran.
  expect(await rows.nth(1).locator('td.received').innerText()).toBe(`error_msg: "${SCRIPT}"`);
  expect(await page.title()).not.toContain('pwned');
  expect(await page.locator('script').count()).toBe(0);

  const order = await page.locator('main > section').evaluateAll((sections) => sections.map((s) => s.id));
  expect(order.slice(0, 3)).toEqual(['new-failures', 'failures', 'not-run']);
  expect(requests).toEqual([pathToFileURL(paths.html).href]);
  await page.screenshot({ path: join(screenshots, 'verdict-page.png'), fullPage: true });
});

test('the JUnit XML parses, and every skip keeps its reason', async () => {
  const summary = buildSummary(summaryInput());
  const page = await newPage();
  const parsed = await page.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    return {
      errors: doc.getElementsByTagName('parsererror').length,
      skipped: [...doc.getElementsByTagName('skipped')].map((s) => s.getAttribute('message')),
      failure: doc.getElementsByTagName('failure')[0]?.textContent ?? '',
    };
  }, renderJunit(summary));
  expect(parsed.errors).toBe(0);
  expect(parsed.skipped).toEqual(summary.cases.filter((c) => c.skip).map((c) => `${c.skip!.category}: ${c.skip!.reason}`));
  expect(parsed.failure).toContain(`Received: error_msg: "${SCRIPT}"`);
});

test('the Allure 3 report, opened from file://, lists the cases, keeps history across two runs, and shows a failure with its request and response', async () => {
  const options = {
    resultsDir: join(work, 'allure-results'),
    reportDir: join(work, 'allure-report'),
    historyPath: join(work, 'allure-history', 'history.jsonl'),
    configPath: join(work, 'allurerc.json'),
    // The awesome report takes categories from the config only (the results' categories.json feeds Allure 2's).
    categories: [
      { name: 'Contract violation', matchedStatuses: ['failed' as const], messageRegex: '^\\[' },
      { name: 'Transport / environment error', matchedStatuses: ['failed' as const, 'broken' as const], messageRegex: '^transport error.*' },
    ],
  };
  const started = Date.now();
  await writeAllureResults(options.resultsDir, faithful, started - 60_000);
  await generateAllureReport(options);
  await writeAllureResults(options.resultsDir, OUTCOMES, started);
  await generateAllureReport(options);
  expect(readFileSync(options.historyPath, 'utf8').trim().split('\n')).toHaveLength(2);

  // Opened as a double-click opens it: from file://, where the browser refuses every fetch of a data file.
  const page = await newPage();
  const requests = await openFromDisk(page, join(options.reportDir, 'index.html'));
  await page.getByTestId('tree-section-title').or(page.getByTestId('tree-leaf')).first().waitFor({ timeout: UI_TIMEOUT_MS });
  for (let depth = 0; (await page.getByTestId('tree-leaf').count()) === 0 && depth < 5; depth++) await page.getByTestId('tree-section-title').last().click();
  const leaves = await page.getByTestId('tree-leaf-title').allInnerTexts();
  expect(leaves.map((title) => /^\[([^\]]+)\]/.exec(title)?.[1]).sort()).toEqual(OUTCOMES.map((o) => o.caseId).sort());
  await page.screenshot({ path: join(screenshots, 'allure-overview.png'), fullPage: true });

  await page.getByTestId('tree-leaf').filter({ hasText: unknownId500.caseId }).click();
  const error = page.getByTestId('test-result-error-message');
  await error.waitFor({ timeout: UI_TIMEOUT_MS });
  expect(await error.innerText()).toContain('Received: 500 / Expected: 404 (at status)');
  expect(await page.getByTestId('test-result-tab-history').innerText()).toMatch(/History\s*1/);
  expect(await page.getByText('Category: Contract violation').count()).toBe(1);
  for (const name of ['request (HTTP)', 'response (HTTP)']) await page.getByTestId('test-result-attachment-header').filter({ hasText: name }).click();
  const body = page.getByTestId('test-result-step-content');
  await expect.poll(() => body.first().innerText(), { timeout: UI_TIMEOUT_MS }).toContain('x-auth-token: ***');
  await expect.poll(() => body.first().innerText(), { timeout: UI_TIMEOUT_MS }).toContain('HTTP/1.1 500');
  await page.screenshot({ path: join(screenshots, 'allure-failing-case.png'), fullPage: true });
  // One file holds the whole report: the page asked for nothing beside itself (data: URLs are inline).
  expect(requests.filter((url) => !url.startsWith('data:'))).toEqual([pathToFileURL(join(options.reportDir, 'index.html')).href]);
});
