// Drives Cercle's GraphiQL page in headless Chromium, as a person would, and reports what happened.
//
//   node tests/js/graphiql.mjs '{"url": "http://127.0.0.1:8000/graphql",
//                                "steps": [{"expect": "python-paris"},
//                                          {"query": "{ me { username } }",
//                                           "headers": {"Authorization": "Bearer ..."},
//                                           "expect": "\"alice\""}],
//                                "screenshot": "/tmp/graphiql.png"}'
//
// Each step optionally replaces the query and the headers (typed into GraphiQL's editors),
// runs the query (first with the execute button, then with Ctrl-Enter) and waits until the
// result pane contains `expect`. With "checkDocs", it first opens the documentation explorer and
// waits for the introspected root types. Prints one JSON object: {ok, results, docs,
// externalRequests, consoleErrors, error}. Requests to anything but the server's own host are blocked and listed
// in externalRequests: the page must work without internet.
import { chromium } from 'playwright-core';

const options = JSON.parse(process.argv[2] ?? '{}');
const timeout = options.timeoutMs ?? 20000;
const executablePath = options.executablePath ?? '/usr/bin/chromium';
const pageUrl = new URL(options.url);
const localHosts = new Set(['127.0.0.1', 'localhost', '[::1]', pageUrl.hostname]);

const report = { ok: false, results: [], externalRequests: [], consoleErrors: [], error: null };

function isLocal(url) {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  try {
    return localHosts.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

async function replaceEditorText(page, editorSelector, text) {
  const editor = page.locator(`${editorSelector} .CodeMirror`).first();
  await editor.waitFor({ state: 'visible' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText sends the text as typed input, without the editor's auto-closing of brackets.
  await page.keyboard.insertText(text);
}

async function resultText(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.result-window .CodeMirror');
    return editor && editor.CodeMirror ? editor.CodeMirror.getValue() : '';
  });
}

let page = null;
const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  timeout,
});
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(timeout);
  // Anything outside the server is recorded and refused, as it would fail offline.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    report.externalRequests.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.on('websocket', (ws) => {
    if (!isLocal(ws.url())) report.externalRequests.push(ws.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') report.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => report.consoleErrors.push(String(error)));

  await page.goto(pageUrl.toString(), { waitUntil: 'load' });
  await page.locator('.graphiql-container').waitFor({ state: 'visible' });
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ state: 'visible' });

  if (options.checkDocs) {
    // The documentation explorer lists the root types once GraphiQL has introspected the schema.
    await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Root Types').waitFor({ state: 'visible' });
    report.docs = await page.locator('.graphiql-doc-explorer').innerText();
  }

  for (const [index, step] of (options.steps ?? [{}]).entries()) {
    if (step.headers !== undefined) {
      const headersTab = page.getByRole('button', { name: 'Headers' });
      if ((await headersTab.getAttribute('aria-selected')) !== 'true') await headersTab.click();
      await replaceEditorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)', JSON.stringify(step.headers));
    }
    if (step.query !== undefined) await replaceEditorText(page, '.graphiql-query-editor', step.query);
    const before = await resultText(page);
    if (index === 0) {
      await page.locator('.graphiql-execute-button').click();
    } else {
      await page.locator('.graphiql-query-editor .CodeMirror').click();
      await page.keyboard.press('ControlOrMeta+Enter');
    }
    const expected = step.expect ?? '"data"';
    await page.waitForFunction(
      ({ expected, before }) => {
        const editor = document.querySelector('.result-window .CodeMirror');
        const text = editor && editor.CodeMirror ? editor.CodeMirror.getValue() : '';
        return text !== before && text.includes(expected);
      },
      { expected, before },
      { timeout },
    ).catch(async () => {
      throw new Error(`the result pane never showed ${JSON.stringify(expected)}; it shows: ${await resultText(page)}`);
    });
    report.results.push(await resultText(page));
  }
  report.ok = true;
} catch (error) {
  report.error = String(error?.stack ?? error);
} finally {
  if (page && options.screenshot) await page.screenshot({ path: options.screenshot }).catch(() => {});
  await browser.close();
}
console.log(JSON.stringify(report, null, 2));
process.exit(report.ok ? 0 : 1);
