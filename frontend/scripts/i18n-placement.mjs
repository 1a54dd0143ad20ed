#!/usr/bin/env node
// Where each translation key belongs (docs/architecture.md, "Translations").
//
// The shell's texts live in src/i18n/{nl,en}.json and are in the first
// download; a feature's texts live beside its code in
// src/features/<f>/i18n/{nl,en}.json, mounted under `<f>.`, and come with the
// feature's lazily loaded pages (lib/lazyPages.tsx). A key's place follows
// from the module graph, read from the source text:
//
// - a `<f>.…` key in the global file that no file of the first download
//   (static imports from src/main.tsx) uses, but a lazily loaded file does,
//   belongs in features/<f>/i18n;
// - a key in a feature bundle that a file of the first download uses belongs
//   in the global file (under `<f>.…`: i18n/index.ts merges the two);
// - every key a lazily loaded module uses must be in the global file or in a
//   bundle its `lazyPages(…, [features])` call loads.
//
// Used: literal keys in quotes ('chat.send'), and template prefixes
// (`chat.presence.${status}` uses every key under chat.presence).
//
//   node scripts/i18n-placement.mjs         report (exit 1 when something is out of place)
//   node scripts/i18n-placement.mjs --fix   move the keys, in nl and en alike
//
// src/i18n/placement.test.ts runs the report in `npm test`.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const LANGS = ['nl', 'en'];
const STATIC_IMPORT = /(?:^|[;\n])\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC_IMPORT = /import\(\s*['"]([^'"]+)['"]\s*\)/g;
const LAZY_PAGES = /lazyPages\(\s*\(\)\s*=>\s*import\(\s*'([^']+)'\s*\)\s*(?:,\s*\[([^\]]*)\])?/g;

/** Source path relative to src/ → text; tests, test helpers and fixtures left out. */
export function readSources(src = SRC) {
  const out = new Map();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'test') walk(path);
      } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$|\.d\.ts$|testing\.tsx?$/.test(name)) {
        out.set(relative(src, path), readFileSync(path, 'utf8'));
      }
    }
  };
  walk(src);
  return out;
}

function resolveImport(src, from, spec) {
  if (!spec.startsWith('.')) return null; // a package
  const base = join(dirname(join(src, from)), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (/\.tsx?$/.test(c) && existsSync(c)) return relative(src, c);
  }
  return null; // css, json
}

/** The files a module brings through static imports (not `import type`), itself included. */
export function staticClosure(sources, entry, src = SRC, seen = new Set()) {
  if (seen.has(entry) || !sources.has(entry)) return seen;
  seen.add(entry);
  for (const m of sources.get(entry).matchAll(STATIC_IMPORT)) {
    const target = resolveImport(src, entry, m[1]);
    if (target) staticClosure(sources, target, src, seen);
  }
  return seen;
}

const readJSON = (path) => JSON.parse(readFileSync(path, 'utf8'));
const writeJSON = (path, value) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

function flatten(value, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

/** The keys a text uses: literal ones and template prefixes. */
function usage(text) {
  const literal = new Set([...text.matchAll(/['"]([a-zA-Z]\w*(?:\.\w+)+)['"]/g)].map((m) => m[1]));
  const prefixes = [...text.matchAll(/`([a-zA-Z]\w*(?:\.\w+)*\.)\$\{/g)].map((m) => m[1]);
  return (key) => {
    const base = key.replace(/_(zero|one|two|few|many|other)$/, '');
    return literal.has(base) || prefixes.some((p) => base.startsWith(p));
  };
}

/** The feature folders with a translation bundle. */
function bundleFeatures(src) {
  const dir = join(src, 'features');
  return readdirSync(dir).filter((f) => existsSync(join(dir, f, 'i18n', 'nl.json')));
}

/**
 * What is out of place: `moves` (key, from, to: 'global' or a feature) and
 * `undeclared` (a lazily loaded module using a feature bundle its lazyPages
 * call does not load).
 */
export function analyse(src = SRC) {
  const sources = readSources(src);
  const eager = staticClosure(sources, 'main.tsx', src);
  const eagerUses = usage([...eager].map((f) => sources.get(f)).join('\n'));
  const lazyUses = usage([...sources].filter(([f]) => !eager.has(f)).map(([, t]) => t).join('\n'));
  const features = bundleFeatures(src);
  const global = flatten(readJSON(join(src, 'i18n', 'nl.json')));
  const moves = [];
  for (const key of Object.keys(global)) {
    const feature = key.split('.')[0];
    if (features.includes(feature) && !eagerUses(key) && lazyUses(key)) moves.push({ key, from: 'global', to: feature });
  }
  const bundleKeys = new Map();
  for (const feature of features) {
    const keys = Object.keys(flatten(readJSON(join(src, 'features', feature, 'i18n', 'nl.json')), feature));
    bundleKeys.set(feature, keys);
    for (const key of keys) if (eagerUses(key)) moves.push({ key, from: feature, to: 'global' });
  }
  const undeclared = [];
  for (const [file, text] of sources) {
    for (const m of text.matchAll(LAZY_PAGES)) {
      const entry = resolveImport(src, file, m[1]);
      const declared = (m[2] ?? '').split(',').map((s) => s.trim().replace(/^'|'$/g, '')).filter(Boolean);
      const files = [...staticClosure(sources, entry, src)].filter((f) => !eager.has(f));
      const uses = usage(files.map((f) => sources.get(f)).join('\n'));
      for (const [feature, keys] of bundleKeys) {
        if (declared.includes(feature)) continue;
        const used = keys.filter((k) => uses(k) && !eagerUses(k));
        if (used.length) undeclared.push({ file, entry, feature, example: used[0] });
      }
    }
  }
  return { moves, undeclared, features };
}

function take(tree, path) {
  const parts = path.split('.');
  const last = parts.pop();
  let node = tree;
  const trail = [];
  for (const p of parts) {
    trail.push([node, p]);
    node = node?.[p];
  }
  const value = node?.[last];
  if (value === undefined) return undefined;
  delete node[last];
  for (const [parent, p] of trail.reverse()) if (Object.keys(parent[p]).length === 0) delete parent[p];
  return value;
}

function put(tree, path, value) {
  const parts = path.split('.');
  const last = parts.pop();
  let node = tree;
  for (const p of parts) node = node[p] ??= {};
  node[last] = value;
}

/** Moves the keys `analyse` found out of place, in both languages; plural forms move together. */
export function fix(moves, src = SRC) {
  for (const lang of LANGS) {
    const files = new Map();
    const load = (where) => {
      const path = where === 'global' ? join(src, 'i18n', `${lang}.json`) : join(src, 'features', where, 'i18n', `${lang}.json`);
      if (!files.has(path)) files.set(path, existsSync(path) ? readJSON(path) : {});
      return files.get(path);
    };
    for (const { key, from, to } of moves) {
      const inBundle = (where) => (where === 'global' ? key : key.slice(where.length + 1));
      const value = take(load(from), inBundle(from));
      if (value !== undefined) put(load(to), inBundle(to), value);
    }
    for (const [path, value] of files) writeJSON(path, value);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { moves, undeclared } = analyse();
  if (process.argv.includes('--fix') && moves.length) {
    fix(moves);
    console.log(`moved ${moves.length} keys (nl and en)`);
  } else {
    for (const m of moves) console.log(`${m.key}: move from ${m.from === 'global' ? 'src/i18n' : `features/${m.from}/i18n`} to ${m.to === 'global' ? 'src/i18n' : `features/${m.to}/i18n`}`);
  }
  for (const u of undeclared) console.log(`${u.file}: the pages ${u.entry} use ${u.example}; add '${u.feature}' to its lazyPages(…, [features])`);
  if ((moves.length && !process.argv.includes('--fix')) || undeclared.length) process.exit(1);
}
