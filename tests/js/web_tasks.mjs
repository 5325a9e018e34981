// The task board through Cercle's web app: a member volunteers, a manager assigns with Cercle's
// suggestions, and the member sees the card move and marks it done; then the member's board on a phone.
//
//   node tests/js/web_tasks.mjs '{"origin": "...", "slug": "python-paris", "password": "...", "labels": {...},
//                                 "member": "bob", "manager": "alice", "task": "Organise the meetup",
//                                 "memberName": "Bob"}'
//
// Prints one JSON object: {ok, offeredText, suggestions: [{name, reason}], movedLive, inReview,
// accessibility, overflowX, consoleErrors, externalRequests, error}.
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const board = `/c/${options.slug}/tasks`;
const browser = await launch(options);

const column = (page, name) => page.getByRole('region', { name: new RegExp(`^${name} \\(`) });
const card = (page, name) => column(page, name).getByRole('listitem').filter({ hasText: options.task });

await reporting(
  { ok: false, offeredText: null, suggestions: [], movedLive: false, inReview: false, accessibility: null, overflowX: null },
  async (report) => {
    const member = await openPage(browser, options, report);
    await logIn(member, options, options.member, board);
    await card(member, labels.open).getByRole('button', { name: labels.volunteer, exact: true }).click();
    report.offeredText = await card(member, labels.open).getByText(labels.offered).innerText();

    const manager = await openPage(browser, options, report);
    await logIn(manager, options, options.manager, board);
    await card(manager, labels.open).waitFor();
    report.accessibility = await accessibilityViolations(manager);
    await card(manager, labels.open).getByRole('button', { name: labels.assign, exact: true }).click();
    const suggested = card(manager, labels.open).getByRole('listitem');
    await suggested.first().waitFor();
    for (const row of await suggested.all()) {
      report.suggestions.push({
        name: await row.getByRole('link').innerText(),
        reason: await row.locator('.reason').innerText(),
      });
    }
    const assignTo = `${labels.assignTo} ${options.memberName}`;
    await card(manager, labels.open).getByRole('button', { name: assignTo, exact: true }).click();
    await card(manager, labels.inProgress).waitFor();

    // The member's board follows the community's activity: the card moves without a reload.
    await card(member, labels.inProgress).waitFor();
    report.movedLive = true;
    await card(member, labels.inProgress).getByRole('button', { name: labels.markDone, exact: true }).click();
    await card(member, labels.inReview).waitFor();
    report.inReview = true;

    await member.setViewportSize({ width: 390, height: 844 });
    await member.reload();
    await card(member, labels.inReview).waitFor();
    report.overflowX = await member.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  },
);
await browser.close();
