// The pages emails link to, in headless Chromium, logged out; one run per call (`options.run`):
//
//   "forgot":      /login's link to /forgot-password, asked for each of `options.addresses` in turn.
//                  Reports {confirmations: [text shown for each], accessibility}.
//   "reset":       /reset-password?token=: two different passwords, then the new one, which logs in and lands
//                  home; the same link again, and a link with no token. Reports {differ, loggedInAs,
//                  spentAgain, askAgainHref, noToken, accessibility}.
//   "verify":      /verify-email?token= (in the locale given), then the same link again. Reports {verified,
//                  spentAgain, askAgainHref, accessibility}.
//   "unsubscribe": /unsubscribe?token=: the page, what the API says before the button is pressed (the member's
//                  preferences, read with `options.token`), the press, what it says then; and a forged link.
//                  Reports {digestBefore, done, settingsHref, digestAfter, forged, accessibility}.
//
// Always {ok, consoleErrors, externalRequests, error} as well.
import { accessibilityViolations, launch, openPage, readOptions, reporting, screenshot } from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const browser = await launch(options);

async function forgot(page, report) {
  report.confirmations = [];
  for (const address of options.addresses) {
    await page.goto(`${options.origin}/login`);
    await page.getByRole('link', { name: labels.forgotLink, exact: true }).click();
    const email = page.getByRole('textbox', { name: labels.email, exact: true });
    await email.waitFor({ state: 'visible' });
    report.accessibility ??= await accessibilityViolations(page);
    await email.fill(address);
    await page.getByRole('button', { name: labels.send, exact: true }).click();
    const status = page.getByRole('status');
    await status.waitFor({ state: 'visible' });
    report.confirmations.push(await status.innerText());
  }
}

async function reset(page, report) {
  const link = `${options.origin}/reset-password?token=${encodeURIComponent(options.token)}`;
  await page.goto(link);
  const password = page.getByLabel(labels.password, { exact: true });
  const repeat = page.getByLabel(labels.repeat, { exact: true });
  const submit = page.getByRole('button', { name: labels.submit, exact: true });
  await submit.waitFor({ state: 'visible' });
  report.accessibility = await accessibilityViolations(page);
  await screenshot(page, 'reset-password');
  await password.fill(options.newPassword);
  await repeat.fill(`${options.newPassword}?`);
  await submit.click();
  await page.locator('[aria-invalid="true"]').waitFor({ state: 'visible' });
  report.differ = await page.getByRole('alert').innerText();

  await repeat.fill(options.newPassword);
  await submit.click();
  await page.waitForURL((url) => url.pathname === '/');
  const me = page.getByRole('link', { name: options.displayName, exact: true });
  await me.waitFor({ state: 'visible' });
  report.loggedInAs = await me.innerText();

  const again = await openPage(browser, options, report);
  await again.goto(link);
  await again.getByLabel(labels.password, { exact: true }).fill(options.newPassword);
  await again.getByLabel(labels.repeat, { exact: true }).fill(options.newPassword);
  await again.getByRole('button', { name: labels.submit, exact: true }).click();
  const spent = again.getByRole('alert');
  await spent.waitFor({ state: 'visible' });
  report.spentAgain = await spent.innerText();
  report.askAgainHref = await again.getByRole('link', { name: labels.askAgain, exact: true }).getAttribute('href');

  await again.goto(`${options.origin}/reset-password`);
  await again.getByRole('alert').waitFor({ state: 'visible' });
  report.noToken = await again.getByRole('alert').innerText();
}

async function verify(page, report) {
  const link = `${options.origin}/verify-email?token=${encodeURIComponent(options.token)}`;
  await page.goto(link);
  const done = page.getByRole('status');
  await done.waitFor({ state: 'visible' });
  report.verified = await done.innerText();
  report.accessibility = await accessibilityViolations(page);
  await page.goto(link);
  const spent = page.getByRole('alert');
  await spent.waitFor({ state: 'visible' });
  report.spentAgain = await spent.innerText();
  report.askAgainHref = await page.getByRole('link', { name: labels.askAgain, exact: true }).getAttribute('href');
}

/** The member's digest preference, read through the API with their token (not through the page). */
async function digestNow() {
  const response = await fetch(`${options.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ query: '{ me { emailPreferences { digest } } }' }),
  });
  return (await response.json()).data.me.emailPreferences.digest;
}

async function unsubscribe(page, report) {
  await page.goto(`${options.origin}/unsubscribe?token=${encodeURIComponent(options.unsubscribeToken)}`);
  const button = page.getByRole('button', { name: labels.submit, exact: true });
  await button.waitFor({ state: 'visible' });
  report.accessibility = await accessibilityViolations(page);
  report.digestBefore = await digestNow(); // the page was fetched and ran: nothing changed yet
  await button.click();
  const done = page.getByRole('status');
  await done.waitFor({ state: 'visible' });
  report.done = await done.innerText();
  report.settingsHref = await page.getByRole('link', { name: labels.settings, exact: true }).getAttribute('href');
  report.digestAfter = await digestNow();

  await page.goto(`${options.origin}/unsubscribe?token=${encodeURIComponent(options.forgedToken)}`);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
  const refused = page.getByRole('alert');
  await refused.waitFor({ state: 'visible' });
  report.forged = await refused.innerText();
}

const RUNS = { forgot, reset, verify, unsubscribe };

await reporting({ ok: false, accessibility: null }, async (report) => {
  const page = await openPage(browser, options, report);
  await RUNS[options.run](page, report);
});
await browser.close();
