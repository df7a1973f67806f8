// Opens the local host's API reference page (Scalar) in Debian's headless Chromium (driven by
// playwright-core from the repo's npm packages) with every request off the host refused, waits
// until it has rendered the OpenAPI document's operations, saves a screenshot, and prints what
// the page shows as JSON on stdout for the .NET test.
//
// Usage: node tests/browser/reference-snapshot.cjs <reference page url> <screenshot.png>
'use strict';
const { run } = require('./chromium.cjs');

run('reference-snapshot.cjs', async (page, url, screenshot) => {
  const offOrigin = [];
  const requests = [];
  const origin = new URL(url).origin;
  page.on('request', (request) => requests.push(request.url()));
  // The page must work with no network: no CDN, no fonts, no telemetry. Anything else is refused and reported.
  await page.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested.startsWith(origin + '/') || requested.startsWith('data:') || requested.startsWith('blob:')) return route.continue();
    offOrigin.push(requested);
    return route.abort();
  });

  await page.goto(url, { waitUntil: 'load' });
  // Rendered once the operations' summaries from the document are on the page.
  await page.waitForFunction(() => document.body.innerText.includes('提交投保申请'), null, { timeout: 60000 });
  const shown = await page.evaluate(() => ({ title: document.title, text: document.body.innerText }));
  await page.screenshot({ path: screenshot });
  return { ...shown, offOrigin, requests };
});
