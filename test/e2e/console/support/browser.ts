import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (browser downloads do not work on our machines), driven by playwright-core. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../../test-results/console');

/**
 * `describe` when Chromium is installed. Without it: a loud skip on a developer machine, a failing test in CI
 * (.ci/apt-packages installs chromium there, so a missing browser is a broken pipeline, not a reason to skip).
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (see .ci/apt-packages)`);
      });
    });
  } else {
    console.warn(
      `\n  SKIPPED "${name}": no Chromium at ${CHROMIUM_PATH}. Install it (apt-get install -y chromium) ` +
        'or set CHROMIUM_PATH to run the console browser tests.\n',
    );
    describe.skip(name, body);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page that records what would be invisible otherwise: uncaught errors, console errors (a CSP or Trusted Types
 * violation is reported there) and failed requests. Tests assert the list stays empty.
 */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000); // below Jest's 30 s, so a stuck step names its locator
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('requestfailed', (req) => {
    // A navigation away aborts the page's own pending requests; that is not a failure of the page.
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${req.url()}`);
  });
  return { page, problems };
}

/** Saves a full-page screenshot as test-results/console/<name>.png (a CI artifact). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Every form control has an accessible name, and the page has exactly one h1. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const headings = document.querySelectorAll('h1');
    if (headings.length !== 1) problems.push(`${headings.length} h1 elements`);
    for (const el of Array.from(
      document.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href]'),
    )) {
      const labelled =
        (el as HTMLInputElement).labels?.length ||
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        el.textContent?.trim();
      if (!labelled) problems.push(`unlabelled ${el.outerHTML.slice(0, 80)}`);
    }
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) {
      problems.push('the page scrolls sideways');
    }
    return problems;
  });
}

/** Cumulative Layout Shift of the current document so far (Chromium's layout-shift entries, buffered). */
export function cumulativeLayoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) total += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(Math.round(total * 1000) / 1000), 200);
      }),
  );
}
