// A tour of the demo community in headless Chromium, as a newcomer to Cercle would take it after
// `make run`: logged in as the demo's owner, every main page, on a laptop and then on a phone.
//
//   node tests/js/web_tour.mjs '{"origin": "http://127.0.0.1:8000", "login": "ada", "password": "...",
//                                "labels": {...}, "pages": [{"name": "community", "path": "/c/demo-commons",
//                                "content": "article", "least": 10}, ...], "french": "/c/demo-commons"}'
//
// Each page: waits until it shows at least `least` elements matching `content` (its own content, not a
// loading state), runs axe-core, counts them, and on a 390x844 phone checks there is no horizontal scroll.
// Then one page in French on the phone. Screenshots when CERCLE_SCREENSHOTS is set. Prints one JSON object:
// {ok, pages: {name: {shown, accessibility, overflowX}}, french: {lang, overflowX}, consoleErrors, error}.
import { accessibilityViolations, launch, logIn, openPage, readOptions, reporting, screenshot } from './web_common.mjs';

const options = readOptions();
const PHONE = { width: 390, height: 844 };

async function visit(page, { path, content, least }) {
  await page.goto(`${options.origin}${path}`);
  await page.locator(content).nth(least - 1).waitFor({ state: 'visible' });
  return page.locator(content).count();
}

const overflows = (page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

const browser = await launch(options);
await reporting({ ok: false, pages: {}, french: null }, async (report) => {
  const page = await openPage(browser, options, report);
  await logIn(page, options, options.login, '/');
  for (const spec of options.pages) {
    const shown = await visit(page, spec);
    const accessibility = await accessibilityViolations(page);
    await screenshot(page, `demo-${spec.name}`);
    report.pages[spec.name] = { shown, accessibility, overflowX: null };
  }
  await page.setViewportSize(PHONE);
  for (const spec of options.pages) {
    await visit(page, spec);
    report.pages[spec.name].overflowX = await overflows(page);
  }

  const french = await openPage(browser, { ...options, locale: 'fr-FR', viewport: PHONE }, report);
  await logIn(french, { ...options, labels: options.frenchLabels }, options.login, '/');
  const spec = options.pages.find(({ name }) => name === options.french);
  await visit(french, spec);
  report.french = { lang: await french.evaluate(() => document.documentElement.lang), overflowX: await overflows(french) };
  await screenshot(french, `demo-${spec.name}-fr-phone`);
});
await browser.close();
