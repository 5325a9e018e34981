// The community page's first load in headless Chromium, for `python -m bench webload`.
//
//   node bench/webload_client.mjs '{"executablePath": "/usr/bin/chromium", "url": "http://127.0.0.1:8123/c/bench-feed",
//                                   "runs": 10}'
//
// Each run opens a fresh browser context (empty cache, like a first visit) and times, from the
// navigation's start: the first post shown, the feed's own GraphQL request, and the live connection
// ready (graphql-ws acknowledged the connection and the page sent its subscription). A second load in
// the same context gives the cached figures. Then the feed's request, as the page sent it, is replayed
// with fetch() `runs` times: one GraphQL request, the floor the page is compared with.
// Prints one JSON object: {cold: [...], warm: [...], request: [ms...]} or {error}.
import { chromium } from 'playwright-core';

const options = JSON.parse(process.argv[2]);

async function load(page) {
  let feedRequest = null;
  let subscribed = null;
  const started = performance.now();
  const feedAnswered = new Promise((resolve) => {
    page.on('requestfinished', (request) => {
      if (request.method() === 'POST' && (request.postData() ?? '').includes('CommunityFeed')) {
        feedRequest ??= request.postData();
        resolve(performance.now() - started);
      }
    });
  });
  const live = new Promise((resolve) => {
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        if (String(payload).includes('"subscribe"') && subscribed === null) {
          subscribed = performance.now() - started;
          resolve(subscribed);
        }
      }),
    );
  });
  await page.goto(options.url);
  await page.getByRole('article').first().waitFor({ state: 'visible' });
  const firstPost = performance.now() - started;
  return { firstPost, feed: await feedAnswered, live: await live, feedRequest };
}

const browser = await chromium.launch({ executablePath: options.executablePath });
try {
  const report = { cold: [], warm: [], request: [] };
  let feedRequest = null;
  for (let run = 0; run < options.runs; run += 1) {
    const context = await browser.newContext();
    const cold = await load(await context.newPage());
    const warm = await load(await context.newPage());
    feedRequest = cold.feedRequest;
    report.cold.push({ firstPost: cold.firstPost, feed: cold.feed, live: cold.live });
    report.warm.push({ firstPost: warm.firstPost, feed: warm.feed, live: warm.live });
    await context.close();
  }
  const endpoint = new URL('/graphql', options.url);
  for (let run = 0; run < options.runs; run += 1) {
    const started = performance.now();
    const answer = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: feedRequest,
    });
    const body = await answer.json();
    report.request.push(performance.now() - started);
    if (!body.data?.community) throw new Error(`the replayed feed request failed: ${JSON.stringify(body)}`);
  }
  console.log(JSON.stringify(report));
} catch (error) {
  console.log(JSON.stringify({ error: String(error.stack ?? error) }));
} finally {
  await browser.close();
}
