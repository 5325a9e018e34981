// What every browser test of the web app shares: a Chromium page that records console errors and
// refuses any host but Cercle's, logging in by the labelled form, axe-core, and README screenshots.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The JSON options a Python test passes as the script's one argument. */
export function readOptions() {
  return JSON.parse(process.argv[2] ?? '{}');
}

export async function launch(options) {
  return chromium.launch({ executablePath: options.executablePath ?? '/usr/bin/chromium' });
}

/**
 * A new browser context and page: `options.locale`, `options.viewport`; console errors and uncaught
 * exceptions go to `report.consoleErrors`, and requests to other hosts are blocked and listed in
 * `report.externalRequests` (the app must work without the internet).
 */
export async function openPage(browser, options, report, extra = {}) {
  const origin = new URL(options.origin);
  const context = await browser.newContext({
    locale: options.locale ?? 'en-GB',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...extra,
  });
  report.consoleErrors ??= [];
  report.externalRequests ??= [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).host === origin.host) return route.continue();
    report.externalRequests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? 20000);
  page.on('console', (message) => {
    if (message.type() === 'error') report.consoleErrors.push(`${message.text()} ${message.location().url}`);
  });
  page.on('pageerror', (error) => report.consoleErrors.push(String(error)));
  return page;
}

/** Logs in through /login as a person would (labels from the test), then lands on `next`. */
export async function logIn(page, options, login, next = '/') {
  const { labels } = options;
  await page.goto(`${options.origin}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(labels.login, { exact: true }).fill(login);
  await page.getByLabel(labels.password, { exact: true }).fill(options.password);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
  await page.waitForURL((url) => url.pathname + url.search === next);
}

/** axe-core's serious and critical violations on the page as it is now: [{id, impact, help, targets}]. */
export async function accessibilityViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => (await globalThis.axe.run(document)).violations);
  return violations
    .filter(({ impact }) => impact === 'serious' || impact === 'critical')
    .map(({ id, impact, help, nodes }) => ({ id, impact, help, targets: nodes.map(({ target }) => target.join(' ')) }));
}

/**
 * With CERCLE_SCREENSHOTS=<dir> (`make screenshots`), saves the page for the README as <dir>/<name>.png:
 * from its top, up to twice the window's height (enough to show what is below a form or a chart).
 */
export async function screenshot(page, name) {
  const directory = process.env.CERCLE_SCREENSHOTS;
  if (!directory) return;
  const { width, height } = page.viewportSize();
  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  const clip = { x: 0, y: 0, width, height: Math.min(pageHeight, 2 * height) };
  await page.screenshot({ path: join(directory, `${name}.png`), fullPage: true, clip });
}

/** Runs `body(report)` and prints the report as one JSON line, with `ok` or the `error` that stopped it. */
export async function reporting(report, body) {
  try {
    await body(report);
    report.ok = true;
  } catch (error) {
    report.error = String(error.stack ?? error);
  } finally {
    console.log(JSON.stringify(report));
  }
}
