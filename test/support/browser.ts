import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { beforeAll, onTestFinished } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Bounded waits: the Allure report is a JS app that renders after fetching its data. */
export const UI_TIMEOUT_MS = 20_000;
export const SCREENSHOTS = fileURLToPath(new URL('../../test-output/reporters/', import.meta.url));

/**
 * Headless Debian Chromium for the file's tests, driven by playwright-core. Without /usr/bin/chromium
 * every page request fails — a skipped browser test would pass CI while proving nothing.
 */
export function useBrowser(): { newPage(): Promise<Page> } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
    return () => browser?.close();
  });
  return {
    async newPage() {
      if (!browser)
        throw new Error(
          `${CHROMIUM} is missing: the browser test needs Debian's Chromium and never skips. Install it with: ./scripts/setup-system.sh (apt-get install -y chromium)`,
        );
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      onTestFinished(() => page.close());
      return page;
    },
  };
}

/**
 * Opens a page from disk, as a double-click does (file://, where a page may fetch nothing of its own).
 * Anything off the machine is refused, so a test never calls the internet; returns every URL asked for.
 */
export async function openFromDisk(page: Page, file: string): Promise<string[]> {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.route(
    (target) => target.protocol !== 'file:' && target.protocol !== 'data:',
    (route) => route.abort(),
  );
  await page.goto(pathToFileURL(file).href);
  return requests;
}
