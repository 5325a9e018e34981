// Logs in to Cercle's web app in headless Chromium, as a person would, and reports what the page showed.
//
//   node tests/js/web_login.mjs '{"url": "http://127.0.0.1:8000/login", "locale": "fr-FR",
//                                 "labels": {"login": "Nom d'utilisateur ou e-mail", ...},
//                                 "login": "alice", "password": "...", "expect": "Alice",
//                                 "viewport": {"width": 390, "height": 844}, "screenshot": "/tmp/login.png"}'
//
// Fills the fields found by their labels, presses the button found by its name, and waits until the
// page shows `expect`. Prints one JSON object: {ok, cookies, storage, overflowX, externalRequests,
// consoleErrors, error}. Requests to anything but the server's own host are blocked and listed.
import { chromium } from 'playwright-core';

const options = JSON.parse(process.argv[2] ?? '{}');
const timeout = options.timeoutMs ?? 20000;
const pageUrl = new URL(options.url);
const report = { ok: false, cookies: [], storage: '', overflowX: null, externalRequests: [], consoleErrors: [], error: null };

const browser = await chromium.launch({ executablePath: options.executablePath ?? '/usr/bin/chromium' });
try {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-GB',
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).host === pageUrl.host) return route.continue();
    report.externalRequests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('console', (message) => message.type() === 'error' && report.consoleErrors.push(message.text()));
  page.on('pageerror', (error) => report.consoleErrors.push(String(error)));

  await page.goto(options.url);
  await page.getByLabel(options.labels.login, { exact: true }).fill(options.login);
  await page.getByLabel(options.labels.password, { exact: true }).fill(options.password);
  await page.getByRole('button', { name: options.labels.submit, exact: true }).click();
  await page.getByText(options.expect, { exact: false }).first().waitFor({ state: 'visible' });

  report.cookies = (await context.cookies()).map(({ name, httpOnly, sameSite }) => ({ name, httpOnly, sameSite }));
  report.storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  report.overflowX = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  if (options.screenshot) await page.screenshot({ path: options.screenshot, fullPage: true });
  report.ok = true;
} catch (error) {
  report.error = String(error);
} finally {
  await browser.close();
  console.log(JSON.stringify(report));
}
