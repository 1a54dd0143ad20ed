// Renders the app icons (web app manifest, Apple touch icon) from the mark in
// public/favicon.svg with Debian's Chromium through playwright-core, so the
// PNGs can be made again after the mark changes:
//   node scripts/icons.mjs     (writes public/icons/*.png; commit them)
// "any" icons are the mark on a transparent ground; "maskable" icons put the
// mark inside the 80 % safe zone on the theme colour, as Android crops them.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const out = (name) => new URL(`../public/icons/${name}`, import.meta.url).pathname;
const icons = [
  { name: 'icon-192.png', size: 192, pad: 0, ground: 'transparent' },
  { name: 'icon-512.png', size: 512, pad: 0, ground: 'transparent' },
  { name: 'maskable-512.png', size: 512, pad: 0.2, ground: '#0f4c5c' },
  { name: 'apple-touch-icon-180.png', size: 180, pad: 0.08, ground: '#0f4c5c' },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
try {
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const inner = Math.round(icon.size * (1 - icon.pad));
    await page.setContent(
      `<html><body style="margin:0;background:${icon.ground};display:grid;place-items:center;width:${icon.size}px;height:${icon.size}px">` +
        svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `) +
        '</body></html>',
    );
    await page.screenshot({ path: out(icon.name), omitBackground: icon.ground === 'transparent' });
    await page.close();
    process.stdout.write(`${icon.name}\n`);
  }
} finally {
  await browser.close();
}
