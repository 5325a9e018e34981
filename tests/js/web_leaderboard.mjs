// A member follows a community's leaderboard and badges in Cercle's web app, in headless Chromium.
//
//   node tests/js/web_leaderboard.mjs '{"origin": "...", "slug": "python-paris", "login": "bob", "password": "...",
//                                       "labels": {...}, "fr": {...}, "badge": "Speaker", "progressBadge": "Contributor"}'
//
// Logs in, opens /c/<slug>/leaderboard?period=WEEK and reads the board and the viewer's rank. Then prints
// {"waiting": "points"} and waits, without reloading, for the board to reorder (the Python test makes
// someone overtake the viewer meanwhile) and for the "overtaken" toast; prints {"waiting": "badge"} and
// waits for the toast of the badge the test awards, dismisses it by its close button. axe-core checks the
// leaderboard, then the badges page (catalogue and progress); a second context checks the leaderboard in
// French on a phone. The last line printed is the report:
// {ok, before, after, ownRankBefore, ownRankAfter, announced, reloaded, overtakenToast, badgeToast,
//  toastDismissed, badgeHeld, progress, french, accessibility, consoleErrors, error}.
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const report = { accessibility: {} };
const board = `/c/${options.slug}/leaderboard?period=WEEK`;

/** The board's member column, best first. */
async function members(page) {
  return page.getByRole('table').getByRole('cell').getByRole('link').allInnerTexts();
}

/** Tells the Python test what to do next; it answers through the API, the page through its live updates. */
function waitingFor(step) {
  console.log(JSON.stringify({ waiting: step }));
}

const browser = await launch(options);
await reporting(report, async () => {
  try {
    const page = await openPage(browser, options, report);
    await logIn(page, options, options.login, board);
    const table = page.getByRole('table', { name: labels.caption });
    await table.getByRole('row').nth(1).waitFor();
    report.before = await members(page);
    const ownRank = page.getByText(labels.ownRankPrefix);
    report.ownRankBefore = await ownRank.innerText();
    await page.evaluate(() => {
      globalThis.sameDocument = true; // gone if the page reloads
    });

    waitingFor('points');
    const first = table.getByRole('row').nth(1); // after the header
    await first.getByRole('link', { name: options.overtaker, exact: true }).waitFor();
    report.after = await members(page);
    await page.getByText(labels.ownRankPrefix).filter({ hasNotText: report.ownRankBefore }).waitFor();
    report.ownRankAfter = await ownRank.innerText();
    report.reloaded = !(await page.evaluate(() => globalThis.sameDocument === true));
    report.announced = await page.locator('main [aria-live="polite"]').last().innerText();
    const toasts = page.getByRole('region', { name: labels.toasts, exact: true });
    const overtaken = toasts.getByRole('listitem').filter({ hasText: options.overtaker });
    await overtaken.waitFor();
    report.overtakenToast = await overtaken.locator('p').innerText();

    waitingFor('badge');
    const awarded = toasts.getByRole('listitem').filter({ hasText: options.badge });
    await awarded.waitFor();
    report.badgeToast = await awarded.locator('p').innerText();
    report.accessibility.leaderboard = await accessibilityViolations(page);
    await awarded.getByRole('button', { name: labels.dismiss, exact: true }).click();
    await awarded.waitFor({ state: 'detached' });
    report.toastDismissed = true;

    await page.getByRole('navigation', { name: labels.sections }).getByRole('link', { name: labels.badges, exact: true }).click();
    const held = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: options.badge, exact: true }) });
    await held.getByText(labels.held).waitFor();
    report.badgeHeld = true;
    const progressing = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: options.progressBadge, exact: true }) });
    const bar = progressing.getByRole('progressbar', { name: `${labels.progressOf} ${options.progressBadge}` });
    report.progress = {
      text: (await progressing.locator('p').filter({ has: page.getByRole('progressbar') }).innerText()).trim(),
      value: await bar.getAttribute('value'),
      max: await bar.getAttribute('max'),
    };
    report.accessibility.badges = await accessibilityViolations(page);

    const phone = { width: 390, height: 844 };
    const french = await openPage(browser, { ...options, locale: 'fr-FR', viewport: phone }, report);
    await logIn(french, { ...options, labels: options.fr }, options.login, board);
    const frenchTable = french.getByRole('table', { name: options.fr.caption });
    await frenchTable.getByRole('row').nth(1).waitFor();
    report.french = {
      heading: await french.getByRole('heading', { level: 1 }).innerText(),
      ownRank: await french.getByText(options.fr.ownRankPrefix).innerText(),
      periods: await french.getByRole('navigation', { name: options.fr.periods }).getByRole('link').allInnerTexts(),
      fitsPhone: await french.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
    };
    report.accessibility.french = await accessibilityViolations(french);
  } finally {
    await browser.close();
  }
});
