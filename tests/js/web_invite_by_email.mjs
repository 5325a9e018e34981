// A manager invites people by email from /c/<slug>/manage in headless Chromium.
//
//   node tests/js/web_invite_by_email.mjs '{"origin": "...", "slug": "python-paris", "login": "alice",
//     "password": "...", "labels": {...}, "addresses": "carol@example.org, dave@example.org"}'
//
// Sends the form empty (refused beside the field), then with the addresses; reads the polite note and the
// invitations listed. Prints one JSON object: {ok, empty, sent, listed, accessibility, consoleErrors,
// externalRequests, error}.
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const browser = await launch(options);

await reporting({ ok: false, accessibility: null }, async (report) => {
  const page = await openPage(browser, options, report);
  await logIn(page, options, options.login, `/c/${options.slug}/manage`);
  const form = page.getByRole('form', { name: labels.byEmail, exact: true });
  const addresses = form.getByRole('textbox', { name: labels.emails, exact: true });
  const send = form.getByRole('button', { name: labels.send, exact: true });
  await send.waitFor({ state: 'visible' });
  report.accessibility = await accessibilityViolations(page);

  await send.click();
  await form.locator('[aria-invalid="true"]').waitFor({ state: 'visible' });
  report.empty = await page.locator(`[id="${(await addresses.getAttribute('aria-describedby')).split(' ').at(-1)}"]`).innerText();

  await addresses.fill(options.addresses);
  await send.click();
  const sent = form.getByText(labels.sent, { exact: true });
  await sent.waitFor({ state: 'visible' });
  report.sent = await sent.innerText();
  report.cleared = (await addresses.inputValue()) === '';
  const list = page.getByRole('list', { name: labels.list, exact: true });
  await list.getByText(labels.sentTo, { exact: false }).first().waitFor({ state: 'visible' });
  report.listed = await list.getByRole('listitem').allInnerTexts();
});
await browser.close();
