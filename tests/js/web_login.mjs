// Logs in to Cercle's web app in headless Chromium, as a person would, and reports what the page showed.
//
//   node tests/js/web_login.mjs '{"origin": "http://127.0.0.1:8000", "locale": "fr-FR",
//                                 "labels": {"login": "Nom d'utilisateur ou e-mail", ...},
//                                 "login": "alice", "password": "...", "expect": "Alice",
//                                 "viewport": {"width": 390, "height": 844}}'
//
// Checks the login page with axe-core, fills the fields found by their labels, presses the button found
// by its name, and waits until the page shows `expect`. Prints one JSON object: {ok, accessibility,
// cookies, storage, overflowX, externalRequests, consoleErrors, error}.
import { accessibilityViolations, launch, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const browser = await launch(options);
await reporting({ ok: false, accessibility: null, cookies: [], storage: '', overflowX: null }, async (report) => {
  const page = await openPage(browser, options, report);
  await page.goto(`${options.origin}/login`);
  await page.getByRole('button', { name: options.labels.submit, exact: true }).waitFor();
  report.accessibility = await accessibilityViolations(page);
  await page.getByLabel(options.labels.login, { exact: true }).fill(options.login);
  await page.getByLabel(options.labels.password, { exact: true }).fill(options.password);
  await page.getByRole('button', { name: options.labels.submit, exact: true }).click();
  await page.getByText(options.expect, { exact: false }).first().waitFor({ state: 'visible' });
  report.cookies = (await page.context().cookies()).map(({ name, httpOnly, sameSite }) => ({ name, httpOnly, sameSite }));
  report.storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  report.overflowX = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
});
await browser.close();
