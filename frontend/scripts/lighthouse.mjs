#!/usr/bin/env node
// Lighthouse (mobile, its default: Moto G Power screen, simulated slow 4G
// with a 4× CPU slowdown) on the home page, a team page and an article, as a
// logged-in care worker, in Debian's Chromium (e2e/lib.mjs: path and flags).
// Per page: a cold load (HTTP cache, service worker and Cache Storage
// cleared; the session cookie kept) and a warm one right after it (nothing
// cleared). Reports the performance score, first/largest contentful paint,
// total blocking time and the bytes, per run and as the median.
//
//   PLEIN_URL=http://127.0.0.1:8080 node scripts/lighthouse.mjs [runs=3] [person="Anouk de Vries"]
//   make bench-web        (starts a fresh server from bin/plein for it)
//
// A measurement, not a test: the numbers go in docs/performance.md by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { LAUNCH_OPTIONS, login } from '../e2e/lib.mjs';
import { benchTargets } from './bench-targets.mjs';

const runs = Number(process.argv[2] ?? 3);
const person = process.argv[3] ?? 'Anouk de Vries';
const port = 9200 + Math.floor(Math.random() * 700);

async function audit(url, cold) {
  const result = await lighthouse(
    url,
    { port, output: 'json', logLevel: 'error', onlyCategories: ['performance'], disableStorageReset: !cold },
    undefined,
  );
  const lhr = result.lhr;
  const num = (id) => lhr.audits[id]?.numericValue ?? NaN;
  return {
    score: Math.round((lhr.categories.performance.score ?? 0) * 100),
    fcp: Math.round(num('first-contentful-paint')),
    lcp: Math.round(num('largest-contentful-paint')),
    tbt: Math.round(num('total-blocking-time')),
    kB: Math.round(num('total-byte-weight') / 1024),
    error: lhr.runtimeError?.message,
  };
}

const userDir = mkdtempSync(join(tmpdir(), 'plein-lh-'));
// A persistent context is the browser's default one: the tabs Lighthouse
// opens share the login's cookie.
const context = await chromium.launchPersistentContext(userDir, {
  ...LAUNCH_OPTIONS,
  args: [...LAUNCH_OPTIONS.args, `--remote-debugging-port=${port}`],
});
const rows = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await login(page, person);
  const pages = await benchTargets(page);
  await page.goto('about:blank');
  console.log(`Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, ${context.browser()?.version() ?? 'Chromium'}, ${runs} runs, ${person}`);
  for (const target of pages) {
    for (const kind of ['cold', 'warm']) {
      const results = [];
      for (let i = 0; i < runs; i++) {
        // A warm run follows a load of the same page (the one before it, or a cold one).
        if (kind === 'warm' && i === 0) await audit(target.url, true);
        const r = await audit(target.url, kind === 'cold');
        results.push(r);
        console.log(`  ${target.name} ${kind} run ${i + 1}: score ${r.score}, FCP ${r.fcp} ms, LCP ${r.lcp} ms, TBT ${r.tbt} ms, ${r.kB} KB${r.error ? ` (${r.error})` : ''}`);
      }
      const median = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
      rows.push({ page: target.name, kind, score: median('score'), fcp: median('fcp'), lcp: median('lcp'), tbt: median('tbt'), kB: median('kB') });
    }
  }
} finally {
  await context.close();
  rmSync(userDir, { recursive: true, force: true });
}
console.log(`\nmedian of ${runs} | score | FCP | LCP | TBT | bytes`);
for (const r of rows) console.log(`${r.page} ${r.kind} | ${r.score} | ${(r.fcp / 1000).toFixed(2)} s | ${(r.lcp / 1000).toFixed(2)} s | ${r.tbt} ms | ${r.kB} KB`);
