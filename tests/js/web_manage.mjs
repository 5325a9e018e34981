// A manager's dashboard in headless Chromium, and a plain member refused it; reports what the pages showed.
//
//   node tests/js/web_manage.mjs '{"origin": "http://127.0.0.1:8000", "slug": "python-paris", "labels": {...},
//                                  "manager": "alice", "member": "bob", "memberToken": "...", "password": "...",
//                                  "digestTitle": "Our month"}'
//
// The manager opens /c/<slug>/manage: the charts' canvases are read for their series' colour, the key
// figures and the chart's table for screen readers are read, axe runs, and the page's width on a phone is
// measured. The member then posts (through the API, with his token) and the pulse's posts figure must rise.
// The manager sets the daily goal, drafts the digest for 30 days, retitles it, creates its task and gives
// it to the first suggested editor, publishes it, opens it and follows its first /posts/<id> link. The
// member, in a second browser, opens the dashboard.
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const SERIES_RGB = [42, 91, 215]; // the first series' colour in the dashboard's charts
const report = {
  ok: false,
  charts: {},
  figures: {},
  tableRows: null,
  pulseBefore: null,
  pulseAfter: null,
  goalShown: null,
  accessibility: null,
  phoneScrollWidth: null,
  editor: null,
  assigned: null,
  linkedTitle: null,
  linkedHeading: null,
  linkedPath: null,
  refusal: null,
  memberCanvases: null,
  memberDashboardRequests: [],
  consoleErrors: [],
  externalRequests: [],
  error: null,
};

/** The chart's canvas size and its pixels of the first series' colour, once uPlot has drawn some. */
async function drawnChart(page, id) {
  const canvas = page.getByTestId(id).locator('canvas');
  await canvas.waitFor({ state: 'visible' });
  const drawn = await page.waitForFunction(
    ([testId, rgb]) => {
      // Looked up afresh each time: a chart whose figures change is drawn on a new canvas.
      const element = document.querySelector(`[data-testid="${testId}"] canvas`);
      const { width, height } = element;
      const pixels = element.getContext('2d').getImageData(0, 0, width, height).data;
      let seriesPixels = 0;
      for (let index = 0; index < pixels.length; index += 4) {
        const near = [0, 1, 2].every((channel) => Math.abs(pixels[index + channel] - rgb[channel]) < 40);
        if (near && pixels[index + 3] > 200) seriesPixels += 1;
      }
      return seriesPixels > 0 && { width, height, seriesPixels };
    },
    [id, SERIES_RGB],
  );
  return drawn.jsonValue();
}

async function postAsMember(title) {
  const response = await fetch(`${options.origin}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${options.memberToken}` },
    body: JSON.stringify({
      query: 'mutation Post($input: CreatePostInput!) { createPost(input: $input) { id } }',
      variables: { input: { communitySlug: options.slug, title, body: 'Hello', kind: 'DISCUSSION' } },
    }),
  });
  const answer = await response.json();
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
}

const browser = await launch(options);
await reporting(report, async () => {
  const manage = `/c/${options.slug}/manage`;
  const page = await openPage(browser, options, report);
  await logIn(page, options, options.manager, manage);

  for (const id of ['chart-content', 'chart-people', 'chart-health']) report.charts[id] = await drawnChart(page, id);
  const engagement = page.getByRole('region', { name: labels.report, exact: true });
  report.figures = await engagement.locator('dl.figures > div').evaluateAll((pairs) =>
    Object.fromEntries(pairs.map((pair) => [pair.querySelector('dt').textContent, pair.querySelector('dd').textContent])),
  );
  const table = page.getByRole('table', { name: labels.contentChart, exact: true });
  report.tableRows = await table.locator('tbody tr').count();
  report.accessibility = await accessibilityViolations(page);
  await page.getByTestId('chart-content').evaluate((chart) => chart.scrollIntoView({ block: 'center' }));
  await page.evaluate(() => scrollTo(0, 0));
  await page.setViewportSize({ width: 390, height: 844 }); // a phone: the charts follow the column's width
  await page
    .waitForFunction(() => document.documentElement.scrollWidth <= innerWidth, null, { timeout: 3000 })
    .catch(() => undefined); // the width is reported, and the test says what it should be
  report.phoneScrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.setViewportSize({ width: 1280, height: 800 });

  const postsToday = page.getByRole('region', { name: labels.pulse, exact: true }).locator('[data-figure="posts"]');
  await postsToday.waitFor({ state: 'visible' });
  report.pulseBefore = await postsToday.textContent();
  await postAsMember('A post while the manager watches');
  const risen = String(Number(report.pulseBefore) + 1);
  await page.waitForFunction(([element, wanted]) => element.textContent === wanted, [await postsToday.elementHandle(), risen]);
  report.pulseAfter = await postsToday.textContent();

  await page.getByRole('spinbutton', { name: labels.dailyGoal, exact: true }).fill('3');
  await page.getByRole('button', { name: labels.setGoal, exact: true }).click();
  const goal = page.getByText(labels.goalShown, { exact: true });
  await goal.waitFor({ state: 'visible' });
  report.goalShown = await goal.textContent();

  await page.getByRole('combobox', { name: labels.period, exact: true }).selectOption({ label: labels.periodChoice });
  await page.getByRole('button', { name: labels.generate, exact: true }).click();
  const title = page.getByRole('textbox', { name: labels.digestTitle, exact: true });
  await page.waitForFunction((element) => element.value !== '', await title.elementHandle());
  await title.fill(options.digestTitle);
  await page.getByRole('button', { name: labels.createTask, exact: true }).click();
  const editor = page.getByRole('combobox', { name: labels.editor, exact: true });
  await editor.waitFor({ state: 'visible' });
  report.editor = await editor.inputValue();
  await page.getByRole('button', { name: labels.assign, exact: true }).click();
  const assigned = page.getByText(/^Given to /);
  await assigned.waitFor({ state: 'visible' });
  report.assigned = (await assigned.textContent()).trim();
  await page.getByRole('button', { name: labels.publish, exact: true }).click();
  await page.getByRole('link', { name: options.digestTitle, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: options.digestTitle, exact: true }).waitFor({ state: 'visible' });
  const postLink = page.locator('.prose a[href^="/posts/"]').first();
  report.linkedTitle = await postLink.textContent();
  await postLink.click();
  const heading = page.getByRole('heading', { level: 1, name: report.linkedTitle, exact: true });
  await heading.waitFor({ state: 'visible' });
  report.linkedHeading = await heading.textContent();
  report.linkedPath = new URL(page.url()).pathname;

  const memberPage = await openPage(browser, options, report);
  memberPage.on('request', (request) => {
    if (/\/assets\/ManagerTools/.test(request.url())) report.memberDashboardRequests.push(request.url());
  });
  await logIn(memberPage, options, options.member, manage);
  const refusal = memberPage.getByText(labels.refused, { exact: true });
  await refusal.waitFor({ state: 'visible' });
  report.refusal = await refusal.textContent();
  report.memberCanvases = await memberPage.locator('canvas').count();
});
await browser.close();
