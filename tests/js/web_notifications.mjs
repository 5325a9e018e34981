// A member with Cercle's web app open on /notifications while another member, through the API with their
// token, replies to the member's post and mentions them; reports what the bell and the list showed.
//
//   node tests/js/web_notifications.mjs '{"origin": "http://127.0.0.1:8000", "login": "alice", "password": "...",
//                                         "actorToken": "...", "postId": "...", "slug": "python-paris",
//                                         "labels": {"login": "Username or email", ...}}'
//
// 1. logs in and lands on /notifications; reads the bell's count;
// 2. the actor replies to `postId`, then publishes a post naming the member: waits for the bell to count both;
// 3. marks the reply read, and waits for the bell to count one less; then marks all read.
// Every wait is on what the page shows. Prints one JSON object: {ok, counts, replyHref, items, violations,
// consoleErrors, error}: the bell's count at each step, where the reply links to, the list's first lines.
import {
  accessibilityViolations,
  launch,
  logIn,
  openPage,
  readOptions,
  reporting,
} from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const report = { ok: false, counts: [], replyHref: null, items: [], violations: [], consoleErrors: [], error: null };

const browser = await launch(options);
await reporting(report, async () => {
  const actor = await browser.newContext();
  const api = async (query, variables) => {
    const response = await actor.request.post(`${options.origin}/graphql`, {
      headers: { Authorization: `Bearer ${options.actorToken}` },
      data: { query, variables },
    });
    const answer = await response.json();
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data;
  };

  const page = await openPage(browser, options, report);
  const bell = (count) =>
    page.getByRole('link', {
      name: count === undefined ? new RegExp(`^${labels.bell}$`) : labels.bellCount.replace('{count}', count),
      exact: true,
    });
  const countNow = async () => Number((await bell().getAttribute('aria-label')).match(/\d+/)[0]);
  const counted = async (count) => {
    await bell(count).waitFor({ state: 'visible' });
    report.counts.push(count);
  };

  await logIn(page, options, options.login, '/notifications');
  await page.getByRole('heading', { name: labels.title, level: 1 }).waitFor({ state: 'visible' });
  await bell().waitFor({ state: 'visible' });
  const before = await countNow();
  report.counts.push(before);

  await api('mutation($input: AddCommentInput!) { addComment(input: $input) { id } }', {
    input: { postId: options.postId, body: 'Try ping-pong pairing' },
  });
  await api('mutation($input: CreatePostInput!) { createPost(input: $input) { id } }', {
    input: { communitySlug: options.slug, title: 'Thanks', body: `Thanks @${options.login} for the tips.` },
  });
  await counted(before + 2);
  const reply = page.getByRole('listitem').filter({ hasText: labels.reply });
  await reply.getByRole('link', { name: labels.reply }).waitFor({ state: 'visible' });
  await page.getByRole('link', { name: labels.mention }).waitFor({ state: 'visible' });
  report.replyHref = await reply.getByRole('link', { name: labels.reply }).getAttribute('href');
  report.items = (await page.locator('main li > p:first-child').allInnerTexts()).slice(0, 2);
  report.violations = await accessibilityViolations(page);

  await reply.getByRole('button', { name: labels.markRead }).click();
  await counted(before + 1);
  await page.getByRole('button', { name: labels.markAllRead }).click();
  await counted(0);
});
await browser.close();
