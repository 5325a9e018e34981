// A newcomer registers, joins and sees their welcome, while a member with the community open sees them arrive.
//
//   node tests/js/web_welcome.mjs '{"origin": "...", "slug": "python-paris", "community": "Python Paris",
//                                   "labels": {...}, "member": "bob", "password": "...",
//                                   "newcomer": {"username": "dave", "displayName": "Dave", "email": "...",
//                                                "skills": "python", "experience": "..."}}'
//
// Context A logs the member in on /c/<slug> and waits until its welcomes subscription is sent. Context B
// registers through /register (with skills and experience), opens the community from the home page, joins,
// and waits for its welcome; axe-core checks that page. Then A waits for the greeting link, and follows it.
// Prints one JSON object: {ok, actions, introduction, greeting, announced, greetingOpens, accessibility,
// consoleErrors, externalRequests, error}.
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting, screenshot } from './web_common.mjs';

const options = readOptions();
const { labels, newcomer } = options;
const browser = await launch(options);

/** A link's path as the router reads it (ids are URI-encoded in hrefs). */
async function pathOf(link) {
  return decodeURIComponent(new URL(await link.evaluate((anchor) => anchor.href)).pathname);
}

await reporting({ ok: false, actions: [], accessibility: null }, async (report) => {
  const member = await openPage(browser, options, report);
  const subscribed = member.waitForEvent('websocket').then((socket) =>
    socket.waitForEvent('framesent', { predicate: ({ payload }) => String(payload).includes('LiveWelcomes') }),
  );
  await logIn(member, options, options.member, `/c/${options.slug}`);
  await subscribed;

  const page = await openPage(browser, options, report);
  await page.goto(`${options.origin}/register`);
  await page.getByLabel(labels.username, { exact: true }).fill(newcomer.username);
  await page.getByLabel(labels.email, { exact: true }).fill(newcomer.email);
  await page.getByLabel(labels.password, { exact: true }).fill(options.password);
  await page.getByLabel(labels.displayName, { exact: true }).fill(newcomer.displayName);
  await page.getByLabel(labels.skills, { exact: true }).fill(newcomer.skills);
  await page.getByLabel(labels.experience, { exact: true }).fill(newcomer.experience);
  await page.getByRole('button', { name: labels.register, exact: true }).click();
  await page.getByRole('link', { name: options.community, exact: true }).click();
  await page.getByRole('button', { name: labels.join, exact: true }).click();

  const welcome = page.getByRole('region', { name: labels.welcome, exact: true });
  await welcome.waitFor({ state: 'visible' });
  for (const item of await welcome.getByRole('listitem').all()) {
    const link = item.getByRole('link');
    report.actions.push({ kind: await item.locator('.kind').innerText(), title: await link.innerText(), path: await pathOf(link) });
  }
  report.introduction = await pathOf(welcome.getByRole('link', { name: labels.readIntroduction, exact: true }));
  report.accessibility = await accessibilityViolations(page);
  await screenshot(page, 'welcome');

  const greeting = member.getByRole('link', { name: labels.greet, exact: true });
  await greeting.waitFor({ state: 'visible' });
  report.greeting = await pathOf(greeting);
  report.announced = await member.locator('[aria-live="polite"]', { hasText: newcomer.displayName }).innerText();
  await greeting.click();
  report.greetingOpens = await member.getByRole('heading', { level: 1 }).innerText();

  await welcome.getByRole('button', { name: labels.dismiss, exact: true }).click();
  await welcome.waitFor({ state: 'detached' });
  await page.reload();
  await page.getByRole('region', { name: labels.composer, exact: true }).waitFor({ state: 'visible' });
  report.welcomeAfterDismissal = await welcome.isVisible();
});
await browser.close();
