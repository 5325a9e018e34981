// Two members in two browser contexts: one publishes (through the API with its token), the other watches
// Cercle's web app show it live, loses its network meanwhile, and gets it back. Reports what the page showed.
//
//   node tests/js/web_live.mjs '{"origin": "http://127.0.0.1:8000", "slug": "python-paris",
//                                "login": "bob", "password": "...", "posterToken": "...",
//                                "labels": {"login": "Username or email", ...}}'
//
// 1. the viewer logs in and opens /c/<slug>; the poster posts; the viewer waits for the post;
// 2. the viewer opens the post; the poster comments; the viewer waits for the comment;
// 3. the viewer goes offline on the post page, the poster comments twice, the viewer comes back online;
// 4. back on /c/<slug>, the poster posts once live, then twice while the viewer is offline.
// Every wait is on what the page shows. Prints one JSON object: {ok, feed, comments, subscribedFrom,
// consoleErrors, error}: the post titles and comment texts shown at the end, in page order, and the
// `after` of every activity subscription the page sent, first ones and resumptions.
import { launch, logIn, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const { labels } = options;
const report = { ok: false, feed: [], comments: [], subscribedFrom: [], consoleErrors: [], error: null };

const browser = await launch(options);
await reporting(report, async () => {
  const poster = await browser.newContext();
  const api = async (query, variables) => {
    const response = await poster.request.post(`${options.origin}/graphql`, {
      headers: { Authorization: `Bearer ${options.posterToken}` },
      data: { query, variables },
    });
    const answer = await response.json();
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data;
  };
  const post = async (title) =>
    (await api('mutation($input: CreatePostInput!) { createPost(input: $input) { id } }', {
      input: { communitySlug: options.slug, title, body: `${title}, the body.` },
    })).createPost.id;
  const comment = (postId, body) =>
    api('mutation($input: AddCommentInput!) { addComment(input: $input) { id } }', { input: { postId, body } });

  const page = await openPage(browser, options, report);
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload));
      if (message.type === 'subscribe' && message.payload.query.includes('activity(')) {
        report.subscribedFrom.push(message.payload.variables.after ?? null);
      }
    }),
  );
  const shown = (text) => page.getByText(text, { exact: true }).waitFor({ state: 'visible' });
  // The network is cut while the poster publishes, then restored: the page must catch up by itself.
  const offlineWhile = async (publish) => {
    await page.context().setOffline(true);
    await publish();
    await page.context().setOffline(false);
  };

  await logIn(page, options, options.login, `/c/${options.slug}`);
  await page.getByRole('heading', { name: labels.feed, exact: true }).waitFor({ state: 'visible' });
  // Published at once, while the page may still be opening its subscription: it must show all the same.
  const firstId = await post('Live one');
  await shown('Live one');

  await page.getByRole('link', { name: 'Live one', exact: true }).click();
  await page.getByRole('heading', { name: 'Live one', level: 1 }).waitFor({ state: 'visible' });
  await comment(firstId, 'First live comment');
  await shown('First live comment');

  await offlineWhile(async () => {
    await comment(firstId, 'Written while offline');
    await comment(firstId, 'Written while still offline');
  });
  await shown('Written while still offline');
  await shown('Written while offline');
  report.comments = await page.locator('.comments .prose').allInnerTexts();

  await page.getByRole('link', { name: labels.backToCommunity }).click();
  await shown('Live one');
  await post('Live again');
  await shown('Live again');
  await offlineWhile(async () => {
    await post('Offline two');
    await post('Offline three');
  });
  await shown('Offline three');
  await shown('Offline two');
  report.feed = await page.locator('.post-card h3').allInnerTexts();
});
await browser.close();
