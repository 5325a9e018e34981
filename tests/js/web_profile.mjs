// A member's profile in headless Chromium on a phone: their communities on the home page, the search, their
// standing, editing the profile (a refused field, then a saved change), and the profile in French.
//
//   node tests/js/web_profile.mjs '{"origin": "...", "labels": {...}, "frLabels": {...}, "login": "bob",
//                                   "password": "...", "displayName": "Bob", "search": "book",
//                                   "edit": {"tooLong": "xxx...", "displayName": "Bob Builder", "bio": "...",
//                                            "skills": "design, figma"},
//                                   "viewport": {"width": 390, "height": 844}}'
//
// Prints one JSON object: {ok, yourCommunities, searchResults, standing, accessibility, overflowX,
// refusedField, problem, savedName, savedAbout, french, consoleErrors, externalRequests, error}.
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const { labels, frLabels, edit } = options;
const browser = await launch(options);

await reporting({ ok: false, accessibility: null }, async (report) => {
  const page = await openPage(browser, options, report);
  await logIn(page, options, options.login, '/');
  const yours = page.getByRole('navigation', { name: labels.yours, exact: true });
  await yours.getByText(labels.pending, { exact: false }).waitFor({ state: 'visible' });
  report.yourCommunities = await yours.getByRole('listitem').allInnerTexts();

  const cards = page.locator('.cards > li h2');
  await page.getByRole('searchbox', { name: labels.search, exact: true }).fill(options.search);
  await page.waitForFunction((wanted) => {
    const titles = [...document.querySelectorAll('.cards > li h2')].map((title) => title.textContent);
    return titles.length > 0 && titles.every((title) => title.toLowerCase().includes(wanted));
  }, options.search);
  report.searchResults = await cards.allInnerTexts();

  await page.getByRole('link', { name: options.displayName, exact: true }).click();
  const standing = page.getByRole('region', { name: labels.standing, exact: true });
  await standing.getByRole('heading', { name: labels.kudos, exact: true }).waitFor({ state: 'visible' });
  report.standing = await standing.innerText();
  report.accessibility = await accessibilityViolations(page);
  report.overflowX = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

  const form = page.getByRole('region', { name: labels.edit, exact: true });
  const displayName = form.getByRole('textbox', { name: labels.displayName, exact: true });
  await displayName.fill(edit.tooLong);
  await form.getByRole('button', { name: labels.save, exact: true }).click();
  const invalid = form.locator('[aria-invalid="true"]');
  await invalid.waitFor({ state: 'visible' });
  report.refusedField = await invalid.getAttribute('name');
  report.problem = await page.locator(`[id="${(await invalid.getAttribute('aria-describedby')).split(' ').at(-1)}"]`).innerText();

  await displayName.fill(edit.displayName);
  await form.getByRole('textbox', { name: labels.bio, exact: true }).fill(edit.bio);
  await form.getByRole('textbox', { name: labels.skills, exact: true }).fill(edit.skills);
  await form.getByRole('button', { name: labels.save, exact: true }).click();
  await form.getByText(labels.saved, { exact: true }).waitFor({ state: 'visible' });
  report.savedName = await page.getByRole('heading', { level: 1 }).innerText();
  report.savedAbout = await page.getByRole('region', { name: labels.about, exact: true }).innerText();
  report.stillValid = (await form.locator('[aria-invalid="true"]').count()) === 0;

  const french = await openPage(browser, { ...options, locale: 'fr-FR' }, report);
  await french.goto(`${options.origin}/members/${options.login}`);
  const enFrancais = french.getByRole('region', { name: frLabels.standing, exact: true });
  await enFrancais.getByRole('heading', { name: frLabels.kudos, exact: true }).waitFor({ state: 'visible' });
  report.french = await enFrancais.innerText();
  report.frenchEditForm = await french.getByRole('region', { name: frLabels.edit, exact: true }).count();
});
await browser.close();
