// Drives the server's web page in headless Chromium (Debian's /usr/bin/chromium through playwright-core): enters
// the API key, picks a real photo, waits for the result, and reports what the page drew; keeps a screenshot.
//
//   node page_test.js URL IMAGE SCREENSHOT [API_KEY]
'use strict';
const {chromium} = require('playwright-core');

const [url, image, screenshot, apiKey] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
  const requests = [];
  try {
    const page = await browser.newPage({viewport: {width: 1280, height: 900}});
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);
    if (apiKey) {
      await page.fill('#key', apiKey);
      await page.dispatchEvent('#key', 'change');
    }
    await page.waitForSelector('body[data-models]', {timeout: 30000});
    const models = await page.$$eval('#model option', (os) => os.map((o) => o.value));
    const pixelsBefore = await page.evaluate(() => document.getElementById('canvas').toDataURL().length);
    await page.setInputFiles('#file', image);
    await page.waitForFunction(() => document.body.dataset.done || document.body.dataset.error, null, {timeout: 60000});
    const result = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      return {
        error: document.body.dataset.error || null,
        instances: Number(document.body.dataset.instances),
        maskPixels: Number(document.body.dataset.maskPixels),
        status: document.getElementById('status').textContent,
        rows: document.querySelectorAll('#instances tbody tr').length,
        canvas: [c.width, c.height],
      };
    });
    await page.screenshot({path: screenshot, fullPage: true});
    const origin = new URL(url).origin;
    result.models = models;
    result.pixelsBefore = pixelsBefore;
    result.foreignRequests = requests.filter((r) => !r.startsWith(origin) && !r.startsWith('data:'));
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await browser.close();
  }
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
