#!/usr/bin/env node
// Reports the JavaScript (and CSS) a cold load of the home route (/) fetches:
// the build's entry chunk and every chunk it imports statically, followed
// through dist/.vite/manifest.json (build.manifest in vite.config.ts). Lazy
// routes (dynamic imports) are not part of it; each is listed with what it
// adds. Sizes are gzip -9 and brotli q11 as the server sends them
// (scripts/precompress.ts).
//
//   npm run build && node scripts/route-weight.mjs [--budget-kb 100] [--json]
//
// With --budget-kb the exit status is 1 when the home route's gzipped JS is larger.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const args = process.argv.slice(2);
const budgetAt = args.indexOf('--budget-kb');
const budgetKB = budgetAt >= 0 ? Number(args[budgetAt + 1]) : null;
const asJSON = args.includes('--json');

const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const sizeCache = new Map();
function sizes(file) {
  if (!sizeCache.has(file)) {
    const raw = readFileSync(join(dist, file));
    sizeCache.set(file, {
      raw: raw.length,
      gzip: gzipSync(raw, { level: 9 }).length,
      brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  return sizeCache.get(file);
}

/** The chunk keys reachable from key through static imports, key first. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const k of manifest[key].imports ?? []) closure(k, seen);
  return seen;
}

function weigh(keys, exclude = new Set()) {
  const js = { raw: 0, gzip: 0, brotli: 0, files: [] };
  const css = { raw: 0, gzip: 0, brotli: 0, files: [] };
  const cssSeen = new Set();
  for (const k of keys) {
    if (exclude.has(k)) continue;
    const chunk = manifest[k];
    const s = sizes(chunk.file);
    js.raw += s.raw;
    js.gzip += s.gzip;
    js.brotli += s.brotli;
    js.files.push({ file: chunk.file, ...s });
    for (const c of chunk.css ?? []) {
      if (cssSeen.has(c)) continue;
      cssSeen.add(c);
      const cs = sizes(c);
      css.raw += cs.raw;
      css.gzip += cs.gzip;
      css.brotli += cs.brotli;
      css.files.push({ file: c, ...cs });
    }
  }
  return { js, css };
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
if (!entryKey) throw new Error('no entry chunk in the manifest');
const home = closure(entryKey);
const homeWeight = weigh(home);
const lazy = [...new Set(Object.values(manifest).flatMap((c) => c.dynamicImports ?? []))]
  .map((k) => ({ chunk: k, ...weigh(closure(k), home) }))
  .sort((a, b) => b.js.gzip - a.js.gzip);

const kb = (n) => (n / 1024).toFixed(1);
if (asJSON) {
  console.log(JSON.stringify({ home: homeWeight, lazy }, null, 2));
} else {
  console.log(`home route (/): ${homeWeight.js.files.length} JS files, ${kb(homeWeight.js.raw)} KB raw, ` +
    `${kb(homeWeight.js.gzip)} KB gzip, ${kb(homeWeight.js.brotli)} KB brotli; ` +
    `CSS ${kb(homeWeight.css.gzip)} KB gzip`);
  for (const f of homeWeight.js.files) console.log(`  ${f.file.padEnd(44)} ${kb(f.raw).padStart(7)} KB  gzip ${kb(f.gzip).padStart(6)} KB`);
  if (lazy.length) {
    console.log(`lazy chunks (${lazy.length}), what each adds beyond the home route, gzip:`);
    for (const l of lazy) console.log(`  ${l.chunk.padEnd(44)} JS ${kb(l.js.gzip).padStart(6)} KB  CSS ${kb(l.css.gzip).padStart(5)} KB`);
  }
}
if (budgetKB !== null && homeWeight.js.gzip > budgetKB * 1024) {
  console.error(`home route JS ${kb(homeWeight.js.gzip)} KB gzip is over the budget of ${budgetKB} KB`);
  process.exit(1);
}
