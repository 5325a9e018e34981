// An event's waitlist and check-in through Cercle's web app, two members in two browser contexts.
//
//   node tests/js/web_events.mjs '{"origin": "...", "slug": "python-paris", "password": "...", "labels": {...},
//                                  "first": "bob", "second": "carol", "fullEvent": "<id>", "liveEvent": "<id>"}'
//
// `first` answers Going to the one-seat `fullEvent`; `second` answers Going and reads their place in
// line; `first` then says Not going and `second`'s open page shows the seat is theirs (no reload).
// `second` then checks in to `liveEvent`, which is under way. axe-core checks the event page and the
// community's events page, which must fit a phone's width. Prints one JSON object: {ok, waitlistText, promotedText, checkedInText,
// accessibility: {event, events}, overflowX, consoleErrors, externalRequests, error}.
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const browser = await launch(options);

async function memberOnEvent(login, eventId, report) {
  const page = await openPage(browser, options, report);
  await logIn(page, options, login, `/events/${encodeURIComponent(eventId)}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page;
}

const answer = (page, label) => page.getByRole('button', { name: label, exact: true }).click();
const state = (page) => page.getByTestId('viewer-state');

await reporting(
  { ok: false, waitlistText: null, promotedText: null, checkedInText: null, accessibility: {}, overflowX: null },
  async (report) => {
    const first = await memberOnEvent(options.first, options.fullEvent, report);
    await answer(first, labels.going);
    await state(first).getByText(labels.youGo, { exact: true }).waitFor();

    const second = await memberOnEvent(options.second, options.fullEvent, report);
    await answer(second, labels.going);
    await state(second).getByText(labels.inLine).waitFor();
    report.waitlistText = await state(second).innerText();
    report.accessibility.event = await accessibilityViolations(second);

    // The seat given up reaches the second member's open page through the community's activity.
    await answer(first, labels.notGoing);
    await state(first).getByText(labels.youDecline, { exact: true }).waitFor();
    await state(second).getByText(labels.youGo, { exact: true }).waitFor();
    report.promotedText = await state(second).innerText();

    await second.goto(`${options.origin}/events/${encodeURIComponent(options.liveEvent)}`);
    await second.getByRole('button', { name: labels.checkIn, exact: true }).click();
    await state(second).getByText(labels.checkedIn).waitFor();
    report.checkedInText = await state(second).innerText();

    await second.goto(`${options.origin}/c/${options.slug}/events`);
    await second.getByRole('heading', { name: labels.upcoming, exact: true }).waitFor();
    report.accessibility.events = await accessibilityViolations(second);
    await second.setViewportSize({ width: 390, height: 844 });
    report.overflowX = await second.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  },
);
await browser.close();
