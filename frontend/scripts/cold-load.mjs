#!/usr/bin/env node
// Cold load of the home route (/) as a logged-in person on a slow phone:
// Chromium through the DevTools protocol with DevTools' "Fast 3G" (562.5 ms
// round trip, 1.44 Mbit/s down, 675 kbit/s up) and the CPU slowed 4×, the
// HTTP cache disabled. Reports, per run and as the median: time to the home
// page's heading (navigation start → <h1> in <main> with the greeting and
// no loading status), the load event, and the bytes transferred.
//
//   PLEIN_URL=http://127.0.0.1:8080 node scripts/cold-load.mjs [runs=3] [person="Anouk de Vries"]
//
// A measurement, not a test: numbers go in docs/performance.md by hand.
import { chromium } from 'playwright-core';
import { BASE_URL, LAUNCH_OPTIONS, login } from '../e2e/lib.mjs';

const runs = Number(process.argv[2] ?? 3);
const person = process.argv[3] ?? 'Anouk de Vries';
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };

const browser = await chromium.launch(LAUNCH_OPTIONS);
const results = [];
try {
  const context = await browser.newContext();
  const setup = await context.newPage();
  await login(setup, person); // unthrottled: only the session cookie is kept
  await setup.close();
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    let bytes = 0;
    let js = 0;
    const types = new Map();
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => {
      bytes += e.encodedDataLength;
      if (types.get(e.requestId) === 'Script') js += e.encodedDataLength;
    });
    await page.goto(`${BASE_URL}/`, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction(
      () => !!document.querySelector('main h1') && !document.querySelector('main [role="status"].loading'),
      null,
      { timeout: 120_000, polling: 50 },
    );
    const t = await page.evaluate(() => ({
      heading: performance.now(),
      load: performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? 0,
    }));
    results.push({ headingMs: Math.round(t.heading), loadMs: Math.round(t.load), kB: Math.round(bytes / 1024), jsKB: Math.round(js / 1024) });
    console.log(`run ${i + 1}: home heading ${results.at(-1).headingMs} ms, load event ${results.at(-1).loadMs} ms, ${results.at(-1).kB} KB transferred (JS ${results.at(-1).jsKB} KB)`);
    await page.close();
  }
} finally {
  await browser.close();
}
const median = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
console.log(`median of ${runs}: home heading ${median('headingMs')} ms, load event ${median('loadMs')} ms, ${median('kB')} KB transferred (JS ${median('jsKB')} KB)`);
