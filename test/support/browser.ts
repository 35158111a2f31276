import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.txt': 'text/plain',
  '.svg': 'image/svg+xml',
};

/** The Allure report fetches its data, which file:// forbids: a static server on port 0, closed after the test. */
export async function serveStatic(root: string): Promise<string> {
  const server = createServer(async (request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    if (!file.startsWith(root)) return void response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the report server did not bind a port');
  return `http://127.0.0.1:${address.port}/`;
}
