// Opens the local host's API reference page (Scalar) in Debian's headless Chromium (driven by
// playwright-core from the repo's npm packages) with every request off the host refused, waits
// until it has rendered the OpenAPI document's operations, saves a screenshot, and prints what
// the page shows as JSON on stdout for the .NET test.
//
// Usage: node tests/browser/reference-snapshot.cjs <reference page url> <screenshot.png>
// CHROMIUM_PATH overrides /usr/bin/chromium (Debian: apt-get install -y chromium fonts-noto-cjk).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

async function main() {
  const [url, screenshot] = process.argv.slice(2);
  if (!url || !screenshot) throw new Error('usage: reference-snapshot.cjs <url> <screenshot.png>');
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}; install it with: apt-get install -y chromium fonts-noto-cjk`);
  }

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'huiminbao-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
    locale: 'zh-CN',
  });
  try {
    const page = context.pages()[0] || await context.newPage();
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
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
    process.stdout.write(JSON.stringify({ ...shown, offOrigin, requests }));
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write((error && error.stack) || String(error));
  process.exit(1);
});
