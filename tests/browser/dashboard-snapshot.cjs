// Opens the ops dashboard in Debian's headless Chromium (driven by playwright-core from the repo's
// npm packages), waits until it has rendered the tally, saves a screenshot, and prints what the
// page shows as JSON on stdout for the .NET test to compare with the API.
//
// Usage: node tests/browser/dashboard-snapshot.cjs <dashboard url> <screenshot.png>
'use strict';
const { run } = require('./chromium.cjs');

run('dashboard-snapshot.cjs', async (page, url, screenshot) => {
  const problems = [];
  const offOrigin = [];
  const requests = [];
  const origin = new URL(url).origin;
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push('pageerror: ' + error.message));
  page.on('console', (message) => { if (message.type() === 'error') problems.push('console: ' + message.text()); });
  // Everything must come from the host itself: no CDN, no fonts, no analytics.
  await page.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested.startsWith(origin + '/')) return route.continue();
    offOrigin.push(requested);
    return route.abort();
  });

  // The link with the ops key hands out the console cookie and moves on to /api/console/.
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForURL((current) => current.pathname === '/api/console/', { timeout: 30000 });
  await page.waitForFunction(() => Number(document.body.dataset.loads || 0) >= 1, null, { timeout: 30000 });
  const shown = await page.evaluate(() => {
    const text = (selector) => document.querySelector(selector).textContent.trim();
    const rows = (selector) => Array.from(document.querySelectorAll(selector + ' tbody tr'))
      .map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent.trim()));
    return {
      title: document.title,
      cumulative: text('#cumulative'),
      todayEnrolled: text('#today-enrolled'),
      todayDay: text('#today-day'),
      yesterdayEnrolled: text('#yesterday-enrolled'),
      asOf: text('#as-of'),
      statusHidden: document.getElementById('status').hidden,
      districts: rows('#district-table'),
      daily: rows('#daily-table'),
      canvases: document.querySelectorAll('#daily-chart canvas, #district-chart canvas, #rate-chart canvas, #minutes-chart canvas').length,
      rate: text('#rate'),
      rateNote: text('#rate-note'),
      health: {
        acceptedPerMinute: text('#accepted-per-minute'),
        signupsBacklog: text('#signups-backlog'),
        lag: text('#lag'),
        needsReview: text('#needs-review'),
        insuranceCircuit: text('#insurance-circuit'),
        sendFailures: text('#send-failures'),
        warningsHidden: document.getElementById('health-warnings').hidden,
        queues: rows('#queue-table'),
      },
      echartsVersion: typeof echarts === 'undefined' ? null : echarts.version,
      dataAsOf: document.body.dataset.asOf,
      csvHref: document.getElementById('csv-link').href,
    };
  });
  // The CSV link works with the console cookie alone.
  shown.csv = await page.evaluate(async (href) => {
    const response = await fetch(href, { credentials: 'same-origin' });
    return { status: response.status, type: response.headers.get('content-type'), firstLine: (await response.text()).split('\r\n')[0] };
  }, shown.csvHref);
  shown.finalUrl = page.url();
  await page.screenshot({ path: screenshot, fullPage: true });
  return { ...shown, problems, offOrigin, requests };
}, {
  // Far from Beijing on purpose: the page must take "today" from the API, not the browser.
  timezoneId: 'America/Los_Angeles',
});
