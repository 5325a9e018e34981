// Takes part in a post through Cercle's web app: two members in two browsers, each waiting on what the page shows.
//
//   node tests/js/web_post_actions.mjs '{"origin": "...", "labels": {...}, "password": "...", "postId": "...",
//                                        "author": "alice", "member": "bob", "slug": "python-paris", "tag": "help"}'
//
// bob comments and replies to alice's first comment, reacts to the post and thanks alice with kudos; alice
// (the question's author) sees bob's comment arrive live, accepts it as the answer and deletes her other
// comment, then retitles her draft `draftId` and publishes it; then bob's community feed is filtered by `tag`,
// of alice's two new posts only the one with the tag arrives in it live; bob narrows it by kind, then clears it. Prints one JSON object (see `report`).
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting } from './web_common.mjs';

const options = readOptions();
const { labels, texts } = options;
const report = {
  ok: false,
  commentShown: 0,
  replyShown: 0,
  replyNested: false,
  likePressed: null,
  likeCount: null,
  kudosOfferedToAuthor: null,
  kudosSent: null,
  acceptedMarked: false,
  deletedGone: false,
  draftPublished: false,
  horizontalScroll: null,
  filteredAddress: null,
  filteredTitles: [],
  liveTitles: [],
  tagSelected: null,
  narrowedAddress: null,
  narrowedTitles: [],
  clearedAddress: null,
  accessibility: null,
  consoleErrors: [],
  error: null,
};

/** The comment holding `text`, innermost first (a comment's item also holds its replies'). */
const commentWith = (page, text) =>
  page.getByRole('region', { name: labels.comments }).getByRole('listitem').filter({ hasText: text }).last();

const browser = await launch(options);
await reporting(report, async () => {
  const postPath = `/posts/${encodeURIComponent(options.postId)}`;
  const bob = await openPage(browser, options, report);
  const alice = await openPage(browser, options, report);
  await logIn(bob, options, options.member, postPath);
  await logIn(alice, options, options.author, postPath);

  // bob answers the question; alice sees it arrive live
  await bob.getByRole('textbox', { name: labels.comment, exact: true }).fill(texts.answer);
  await bob.getByRole('button', { name: labels.send, exact: true }).click();
  await commentWith(alice, texts.answer).waitFor({ state: 'visible' });

  // bob replies to alice's first thoughts, with the reply form open for axe
  await commentWith(bob, texts.first).getByRole('button', { name: labels.reply, exact: true }).first().click();
  const replyBox = bob.getByRole('textbox', { name: labels.replyTo, exact: true });
  await replyBox.fill(texts.reply);
  report.accessibility = await accessibilityViolations(bob);
  await bob.getByRole('button', { name: labels.send, exact: true }).first().click();
  await replyBox.waitFor({ state: 'detached' });
  await commentWith(alice, texts.reply).waitFor({ state: 'visible' });
  report.commentShown = await bob.getByText(texts.answer, { exact: true }).count();
  report.replyShown = await bob.getByText(texts.reply, { exact: true }).count();
  report.replyNested = await commentWith(bob, texts.first).getByText(texts.reply, { exact: true }).isVisible();

  // bob likes the post (its buttons come first, before the comments')
  const like = bob.getByRole('group', { name: labels.react }).first().getByRole('button', { name: /^Like/ });
  await like.click();
  await bob.waitForSelector('.reaction-buttons button[aria-pressed="true"]');
  report.likePressed = await like.getAttribute('aria-pressed');
  report.likeCount = await like.locator('strong').innerText();

  // bob thanks alice, the post's author; alice is not offered to thank herself
  await bob.getByRole('textbox', { name: labels.kudosMessage, exact: true }).fill(texts.kudos);
  await bob.getByRole('button', { name: labels.kudosSend, exact: true }).click();
  report.kudosSent = await bob.getByText(texts.kudosSent).innerText();
  report.kudosOfferedToAuthor = await alice.getByRole('textbox', { name: labels.kudosMessage }).count();

  // alice accepts bob's answer and deletes her other comment
  await commentWith(alice, texts.answer).getByRole('button', { name: labels.accept, exact: true }).click();
  await commentWith(alice, texts.answer).getByText(labels.accepted, { exact: true }).waitFor({ state: 'visible' });
  report.acceptedMarked = true;
  await commentWith(alice, texts.mistake).getByRole('button', { name: labels.delete, exact: true }).click();
  await alice.getByText(texts.mistake, { exact: true }).waitFor({ state: 'detached' });
  report.deletedGone = true;

  // alice retitles her draft and publishes it
  await alice.goto(`${options.origin}/posts/${encodeURIComponent(options.draftId)}`);
  await alice.getByRole('textbox', { name: labels.title, exact: true }).fill(texts.draftTitle);
  await alice.getByRole('button', { name: labels.save, exact: true }).click();
  await alice.getByRole('heading', { level: 1, name: texts.draftTitle, exact: true }).waitFor({ state: 'visible' });
  await alice.getByRole('button', { name: labels.publish, exact: true }).click();
  await alice.getByRole('heading', { name: labels.editDraft }).waitFor({ state: 'detached' });
  report.draftPublished = true;

  // on a phone, the post page with its forms scrolls only down
  await bob.setViewportSize({ width: 390, height: 844 });
  report.horizontalScroll = await bob.evaluate(() => document.documentElement.scrollWidth > innerWidth);

  // bob follows a tag of a card in the feed: the feed is filtered, and the address says by what
  await bob.goto(`${options.origin}/c/${options.slug}`);
  const feed = bob.getByRole('region', { name: labels.feed, exact: true });
  await feed.getByRole('link', { name: `#${options.tag}`, exact: true }).first().click();
  await feed.getByRole('link', { name: labels.clearFilter }).waitFor({ state: 'visible' });
  await feed.getByRole('article').filter({ hasNotText: `#${options.tag}` }).first().waitFor({ state: 'detached' });
  report.filteredAddress = new URL(bob.url()).search;
  report.filteredTitles = await feed.getByRole('article').getByRole('heading').allInnerTexts();

  // alice posts twice, off the filter then on it: only the second arrives in bob's filtered feed
  const createPost = async (title, tags) =>
    alice.evaluate(
      async ({ slug, title, tags }) => {
        const query = 'mutation($input: CreatePostInput!) { createPost(input: $input) { id } }';
        const input = { communitySlug: slug, title, body: 'Live', tags };
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ query, variables: { input } }),
        });
        return response.json();
      },
      { slug: options.slug, title, tags },
    );
  await createPost(texts.liveOff, ['photos']);
  await createPost(texts.liveOn, [options.tag]);
  await feed.getByRole('heading', { name: texts.liveOn, exact: true }).waitFor({ state: 'visible' });
  report.liveTitles = await feed.getByRole('article').getByRole('heading').allInnerTexts();

  // bob narrows the filter to discussions with its select, then clears the filter
  report.tagSelected = await feed.getByRole('combobox', { name: labels.byTag, exact: true }).inputValue();
  await feed.getByRole('combobox', { name: labels.byKind, exact: true }).selectOption({ label: labels.discussion });
  await feed.getByRole('heading', { name: options.question, exact: true }).waitFor({ state: 'detached' });
  await feed.getByRole('heading', { name: texts.liveOn, exact: true }).waitFor({ state: 'visible' });
  report.narrowedAddress = new URL(bob.url()).search;
  report.narrowedTitles = await feed.getByRole('article').getByRole('heading').allInnerTexts();
  await feed.getByRole('link', { name: labels.clearFilter }).click();
  await feed.getByRole('heading', { name: texts.liveOff, exact: true }).waitFor({ state: 'visible' });
  report.clearedAddress = new URL(bob.url()).search;
});
await browser.close();
