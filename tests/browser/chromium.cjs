// What the browser tests share: Debian's headless Chromium, driven by playwright-core from the
// repo's npm packages, in a throw-away profile, and the script's entry point (arguments, the JSON
// it prints for the .NET test, errors on stderr with exit 1).
// CHROMIUM_PATH overrides /usr/bin/chromium (Debian: apt-get install -y chromium fonts-noto-cjk).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

// Runs snapshot(page, url, screenshot) in a fresh Chromium page and prints what it returns as JSON.
function run(name, snapshot, contextOptions = {}) {
  main(name, snapshot, contextOptions).catch((error) => {
    process.stderr.write((error && error.stack) || String(error));
    process.exit(1);
  });
}

async function main(name, snapshot, contextOptions) {
  const [url, screenshot] = process.argv.slice(2);
  if (!url || !screenshot) throw new Error(`usage: ${name} <url> <screenshot.png>`);
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
    ...contextOptions,
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    const shown = await snapshot(page, url, screenshot);
    process.stdout.write(JSON.stringify(shown));
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

module.exports = { run };
