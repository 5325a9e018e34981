// Takes part in a community through Cercle's web app in headless Chromium, and reports what the page showed.
//
//   node tests/js/web_compose.mjs '{"origin": "http://127.0.0.1:8000", "slug": "python-paris", "invite": null,
//                                   "login": "bob", "password": "...", "labels": {...},
//                                   "post": {"title": "...", "body": "**bold**", "tags": "a, b", "kind": "Question"},
//                                   "join": {"button": "Join", "expect": "Write a post"}}'
//
// Logs in by the labelled form and lands on /c/<slug> (with ?invite=<code> when given), then either
// writes `post` (waits for the server's preview, publishes, waits for the post at the top of the feed)
// or presses the `join.button` and waits for the text `join.expect`. Every wait is on what the page
// shows; with `post.refused`, it waits instead for the field the server refused. Prints one JSON object:
// {ok, previewHtml, firstFeedTitle, inviteCode, invalidField, problem, composerShown, consoleErrors, error}.
import { chromium } from 'playwright-core';

const options = JSON.parse(process.argv[2] ?? '{}');
const labels = options.labels;
const report = {
  ok: false,
  previewHtml: null,
  firstFeedTitle: null,
  inviteCode: null,
  invalidField: null,
  problem: null,
  composerShown: false,
  consoleErrors: [],
  error: null,
};

const browser = await chromium.launch({ executablePath: options.executablePath ?? '/usr/bin/chromium' });
try {
  const context = await browser.newContext({ locale: options.locale ?? 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? 20000);
  page.on('console', (message) => {
    // The browser asks for /favicon.ico by itself; the app has none (yet), and that is no error of the page.
    const url = message.location().url;
    if (message.type() !== 'error' || url.endsWith('/favicon.ico')) return;
    report.consoleErrors.push(`${message.text()} ${url}`);
  });
  page.on('pageerror', (error) => report.consoleErrors.push(String(error)));

  const community = `/c/${options.slug}` + (options.invite ? `?invite=${encodeURIComponent(options.invite)}` : '');
  await page.goto(`${options.origin}/login?next=${encodeURIComponent(community)}`);
  await page.getByLabel(labels.login, { exact: true }).fill(options.login);
  await page.getByLabel(labels.password, { exact: true }).fill(options.password);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
  const composer = page.getByRole('region', { name: labels.composer, exact: true });

  if (options.post) {
    const { title, body, tags, kind } = options.post;
    await composer.getByRole('textbox', { name: labels.title, exact: true }).fill(title);
    await composer.getByRole('textbox', { name: labels.body, exact: true }).fill(body);
    const preview = composer.getByRole('region', { name: labels.preview, exact: true }).getByTestId('preview');
    await preview.locator('strong').first().waitFor({ state: 'visible' });
    report.previewHtml = await preview.innerHTML();
    await composer.getByRole('textbox', { name: labels.tags, exact: true }).fill(tags);
    await composer.getByRole('combobox', { name: labels.kind, exact: true }).selectOption({ label: kind });
    await composer.getByRole('button', { name: labels.publish, exact: true }).click();
    if (options.post.refused) {
      // The server names the field at fault (`extensions.field`): the page marks it and says why beside it.
      const invalid = composer.locator('[aria-invalid="true"]');
      await invalid.waitFor({ state: 'visible' });
      report.invalidField = await invalid.getAttribute('name');
      const described = (await invalid.getAttribute('aria-describedby')).split(' ');
      report.problem = await page.locator(`[id="${described.at(-1)}"]`).innerText();
    } else {
      const feed = page.getByRole('region', { name: labels.feed, exact: true });
      await feed.getByRole('heading', { name: title, exact: true }).waitFor({ state: 'visible' });
      report.firstFeedTitle = await feed.getByRole('article').first().getByRole('heading').innerText();
    }
  } else {
    const button = page.getByRole('button', { name: options.join.button, exact: true });
    await button.waitFor({ state: 'visible' });
    const code = page.getByRole('textbox', { name: labels.code, exact: true });
    if (options.invite) report.inviteCode = await code.inputValue();
    await button.click();
    await page.getByText(options.join.expect, { exact: true }).waitFor({ state: 'visible' });
  }
  report.composerShown = await composer.isVisible();
  report.ok = true;
} catch (error) {
  report.error = String(error);
} finally {
  await browser.close();
  console.log(JSON.stringify(report));
}
