#!/usr/bin/env node
// Cold and warm loads as a logged-in person on a slow phone: Chromium through
// the DevTools protocol with DevTools' "Fast 3G" (562.5 ms round trip,
// 1.44 Mbit/s down, 675 kbit/s up) and the CPU slowed 4×. Pages: home, the
// person's first team page, the first article (scripts/bench-targets.mjs).
// Cold: HTTP cache cleared and disabled, no service worker yet (a fresh
// browser context per page). Warm: the same page again in that context, HTTP
// cache on (what a second visit meets). Reports, per run and as the median:
// time to the page's heading (navigation start → an <h1> in <main> and no
// loading status), the load event, when the session's answer arrived
// (resource timing of GET /api/v1/session), when the page's last own API
// answer arrived before the heading ("data answered"), and the bytes transferred.
//
//   PLEIN_URL=http://127.0.0.1:8080 [BENCH_PAGES=home] node scripts/cold-load.mjs [runs=3] [person="Anouk de Vries"]
//
// A measurement, not a test: numbers go in docs/performance.md by hand.
import { chromium } from 'playwright-core';
import { LAUNCH_OPTIONS, login } from '../e2e/lib.mjs';
import { benchTargets } from './bench-targets.mjs';

const runs = Number(process.argv[2] ?? 3);
const person = process.argv[3] ?? 'Anouk de Vries';
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };

/** One throttled load of url in page; cold clears and disables the HTTP cache. */
async function load(context, page, url, cold) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (cold) await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: cold });
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
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  await page.waitForFunction(
    () => !!document.querySelector('main h1') && !document.querySelector('main [role="status"].loading'),
    null,
    { timeout: 120_000, polling: 50 },
  );
  const t = await page.evaluate(() => ({
    heading: performance.now(),
    load: performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? 0,
    // The first answer to GET /api/v1/session (index.html preloads it).
    session: performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/api/v1/session')?.responseEnd ?? 0,
    // The last answer of the page's own API requests (all but the session) that came before the heading.
    data: Math.max(0, ...performance.getEntriesByType('resource').filter((e) => { const p = new URL(e.name).pathname; return p.startsWith('/api/v1/') && p !== '/api/v1/session'; }).map((e) => e.responseEnd)),
  }));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.detach();
  return { headingMs: Math.round(t.heading), loadMs: Math.round(t.load), sessionMs: Math.round(t.session), dataMs: Math.round(t.data), kB: Math.round(bytes / 1024), jsKB: Math.round(js / 1024) };
}

const browser = await chromium.launch(LAUNCH_OPTIONS);
const results = new Map();
const record = (key, r) => {
  if (!results.has(key)) results.set(key, []);
  results.get(key).push(r);
  console.log(`${key}: heading ${r.headingMs} ms, load event ${r.loadMs} ms, session answered ${r.sessionMs} ms, data answered ${r.dataMs} ms, ${r.kB} KB transferred (JS ${r.jsKB} KB)`);
};
try {
  const setup = await browser.newContext();
  const first = await setup.newPage();
  await login(first, person); // unthrottled
  // BENCH_PAGES=home,article measures only those (names as benchTargets gives them).
  const only = process.env.BENCH_PAGES?.split(',');
  const pages = (await benchTargets(first)).filter((p) => !only || only.includes(p.name));
  const state = await setup.storageState(); // the session cookie only
  await setup.close();
  for (let i = 0; i < runs; i++) {
    for (const target of pages) {
      // A fresh context: no HTTP cache, no service worker, the same cookie.
      const context = await browser.newContext({ storageState: state, serviceWorkers: 'block' });
      const page = await context.newPage();
      record(`${target.name} cold`, await load(context, page, target.url, true));
      const again = await context.newPage();
      record(`${target.name} warm`, await load(context, again, target.url, false));
      await context.close();
    }
  }
} finally {
  await browser.close();
}
const median = (list, k) => list.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
console.log(`\nmedian of ${runs} | heading | load event | session answered | data answered | transferred (JS)`);
for (const [key, list] of results) {
  console.log(`${key} | ${(median(list, 'headingMs') / 1000).toFixed(2)} s | ${(median(list, 'loadMs') / 1000).toFixed(2)} s | ${(median(list, 'sessionMs') / 1000).toFixed(2)} s | ${(median(list, 'dataMs') / 1000).toFixed(2)} s | ${median(list, 'kB')} KB (${median(list, 'jsKB')} KB)`);
}
