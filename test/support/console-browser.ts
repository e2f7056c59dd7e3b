// Headless Chromium (Debian's, through playwright-core) for the console tests: a page that records
// every console error, failed request and uncaught exception, and screenshots written to
// test-artifacts/console/ (git-ignored) for a person to look at.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from './prerequisites';

export const CONSOLE_ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'console');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export type ConsolePage = { page: Page; errors: string[]; screenshot(name: string): Promise<void>; close(): Promise<void> };

/** A page whose `errors` collects what a user would see as breakage: console errors, page errors, failed requests. */
export async function openConsolePage(browser: Browser, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`console: ${message.text()}`); });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A stream the page stops on purpose (navigation, the run's end) is aborted, not broken.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    errors.push(`request: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
  });
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  return {
    page,
    errors,
    screenshot: async (name) => { await page.screenshot({ path: path.join(CONSOLE_ARTIFACTS, `${name}.png`), fullPage: true }); },
    close: () => context.close(),
  };
}

/** Opens `path` logged in with `key` (the `#key=` fragment the console reads), once its navigation is drawn. */
export async function logInAt(tab: ConsolePage, apiUrl: string, key: string, path = '/console'): Promise<void> {
  await tab.page.goto(`${apiUrl}${path}#key=${encodeURIComponent(key)}`);
  await tab.page.locator('nav[aria-label=Console]').waitFor();
}
