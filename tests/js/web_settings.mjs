// A member's /settings in headless Chromium, in one of three runs (`options.run`):
//
//   "preferences": from the header's link, reads the sessions, logs out the other device, sets the email
//                  preferences (the language too, which switches the app to it), downloads their data, and
//                  logs this device out from the list.
//   "credentials": on a phone: a wrong current password, two new ones that differ, then a changed password;
//                  a new address asked for (shown as awaiting verification) and the link sent again.
//   "delete":      deleting the account (unticked, wrong password, then done), then the feed, the post and
//                  its comments showing "a former member" in English and in French.
//
//   node tests/js/web_settings.mjs '{"origin": "...", "run": "preferences", "labels": {...}, "login": "alice",
//                                    "password": "...", ...}'
//
// Prints one JSON object with what each step showed: see each run below; always {ok, accessibility,
// consoleErrors, externalRequests, error}.
import { readFileSync } from 'node:fs';

import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting, screenshot } from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const browser = await launch(options);

/** Presses `button` and waits for `text` to show in `where`. */
async function pressFor(where, button, text) {
  await button.click();
  const shown = where.getByText(text, { exact: true });
  await shown.waitFor({ state: 'visible' });
  return shown;
}

/** The text of the alert the API's refusal put beside `input` (its last aria-describedby). */
async function problemOf(page, input) {
  await page.locator(`[id="${await input.getAttribute('id')}"][aria-invalid="true"]`).waitFor({ state: 'attached' });
  const described = (await input.getAttribute('aria-describedby')).split(' ');
  return page.locator(`[id="${described.at(-1)}"]`).innerText();
}

async function preferences(page, report) {
  await logIn(page, options, options.login, '/');
  await page.getByRole('link', { name: labels.settingsLink, exact: true }).click();
  const sessions = page.getByRole('region', { name: labels.sessions, exact: true });
  await sessions.getByRole('button', { name: labels.revokeThis, exact: true }).waitFor({ state: 'visible' });
  report.accessibility = await accessibilityViolations(page);
  await screenshot(page, 'settings');
  report.sessionsBefore = await sessions.getByRole('listitem').allInnerTexts();

  const other = sessions.getByRole('listitem').filter({ hasText: options.otherDevice });
  await pressFor(sessions, other.getByRole('button'), labels.revoked);
  report.sessionsAfter = await sessions.getByRole('listitem').allInnerTexts();

  const form = page.getByRole('region', { name: labels.preferences, exact: true });
  await form.getByRole('combobox', { name: labels.digest, exact: true }).selectOption({ label: options.choose.digest });
  await form
    .getByRole('combobox', { name: labels.notifications, exact: true })
    .selectOption({ label: options.choose.notifications });
  await form.getByRole('combobox', { name: labels.language, exact: true }).selectOption({ label: options.choose.language });
  await form.getByRole('button', { name: labels.save, exact: true }).click();
  // Saved in French: the app now speaks it, the note included.
  const { fr } = options;
  await page.getByRole('heading', { level: 1, name: fr.title, exact: true }).waitFor({ state: 'visible' });
  await page.getByText(fr.saved, { exact: true }).waitFor({ state: 'visible' });
  report.htmlLang = await page.evaluate(() => document.documentElement.lang);
  const frForm = page.getByRole('region', { name: fr.preferences, exact: true });
  report.chosenShown = await frForm.getByRole('combobox').evaluateAll((selects) =>
    selects.map((select) => select.selectedOptions[0].textContent),
  );

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: fr.export, exact: true }).click(),
  ]);
  report.exportName = download.suggestedFilename();
  report.exported = JSON.parse(readFileSync(await download.path(), 'utf8'));

  const frSessions = page.getByRole('region', { name: fr.sessions, exact: true });
  await frSessions.getByRole('button', { name: fr.revokeThis, exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('link', { name: fr.login, exact: true }).waitFor({ state: 'visible' });
  report.loggedOut = true;
}

async function credentials(page, report) {
  await logIn(page, options, options.login, '/settings');
  const password = page.getByRole('region', { name: labels.password, exact: true });
  await password.getByRole('button', { name: labels.changePassword, exact: true }).waitFor({ state: 'visible' });
  report.accessibility = await accessibilityViolations(page);
  report.overflowX = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  const current = password.getByLabel(labels.currentPassword, { exact: true });
  const fresh = password.getByLabel(labels.newPassword, { exact: true });
  const repeat = password.getByLabel(labels.repeatPassword, { exact: true });
  const change = password.getByRole('button', { name: labels.changePassword, exact: true });

  await current.fill('not my password');
  await fresh.fill(options.newPassword);
  await repeat.fill(options.newPassword);
  await change.click();
  report.wrongCurrent = await problemOf(page, current);

  await current.fill(options.password);
  await repeat.fill(`${options.newPassword}!`);
  await change.click();
  report.differ = await problemOf(page, repeat);

  await repeat.fill(options.newPassword);
  await pressFor(password, change, labels.passwordChanged);
  report.fieldsCleared = (await current.inputValue()) === '' && (await fresh.inputValue()) === '';

  const email = page.getByRole('region', { name: labels.email, exact: true });
  await email.getByLabel(labels.newEmail, { exact: true }).fill(options.newEmail);
  await email.getByLabel(labels.emailPassword, { exact: true }).fill(options.newPassword);
  await email.getByRole('button', { name: labels.changeEmail, exact: true }).click();
  await email.getByText(options.newEmail, { exact: false }).first().waitFor({ state: 'visible' });
  await email.locator('.pending-email').waitFor({ state: 'visible' });
  report.pending = await email.locator('.pending-email').innerText();
  await pressFor(email, email.getByRole('button', { name: labels.resend, exact: true }), labels.resent);
  report.emailSection = await email.innerText();
}

async function deleteAccount(page, report) {
  await logIn(page, options, options.login, '/settings');
  const section = page.getByRole('region', { name: labels.delete, exact: true });
  const password = section.getByLabel(labels.deletePassword, { exact: true });
  const confirm = section.getByRole('checkbox', { name: labels.deleteConfirm, exact: true });
  const submit = section.getByRole('button', { name: labels.deleteSubmit, exact: true });
  await submit.waitFor({ state: 'visible' });
  report.accessibility = await accessibilityViolations(page);

  await password.fill(options.password);
  await submit.click();
  report.unticked = await problemOf(page, confirm);

  await password.fill('not my password');
  await confirm.check();
  await submit.click();
  report.wrongPassword = await problemOf(page, password);

  await password.fill(options.password);
  await submit.click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('link', { name: labels.headerLogin, exact: true }).waitFor({ state: 'visible' });
  report.loggedOut = true;

  await page.goto(`${options.origin}/c/${options.slug}`);
  const card = page.locator('article.post-card').filter({ hasText: options.postTitle });
  await card.getByText(labels.former, { exact: true }).waitFor({ state: 'visible' });
  report.card = await card.innerText();
  report.cardProfileLinks = await card.locator('a[href^="/members/"]').count();

  await page.goto(`${options.origin}/posts/${options.postId}`);
  const article = page.getByRole('article');
  await article.getByRole('heading', { level: 1, name: options.postTitle }).waitFor({ state: 'visible' });
  await article.locator('.comment').first().waitFor({ state: 'visible' });
  report.byline = await article.locator('.post-meta').first().innerText();
  report.comments = await article.locator('.comment > .post-meta').allInnerTexts();
  report.postProfileLinks = await article.locator('a[href^="/members/"]').evaluateAll((links) =>
    links.map((link) => link.textContent),
  );
  report.postAccessibility = await accessibilityViolations(page);

  const french = await openPage(browser, { ...options, locale: 'fr-FR' }, report);
  await french.goto(`${options.origin}/posts/${options.postId}`);
  await french.locator('.comment').first().waitFor({ state: 'visible' });
  report.frenchByline = await french.locator('.post-meta').first().innerText();
}

const RUNS = { preferences, credentials, delete: deleteAccount };

await reporting({ ok: false, accessibility: null }, async (report) => {
  const page = await openPage(browser, options, report, { acceptDownloads: true });
  await RUNS[options.run](page, report);
});
await browser.close();
