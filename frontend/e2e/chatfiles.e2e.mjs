// End-to-end: photos and files in chat, with two people in two browser
// contexts. Sanne Bakker, on a 360 px phone, attaches a photo taken
// sideways (EXIF orientation 6, with a GPS position) through the file input
// the phone's camera uses, and sends it with a caption; Anouk de Vries, on a
// 1366 px desktop, sees it appear as an upright thumbnail fetched as a small
// variant, opens the full image, and the bytes served carry no EXIF. A file
// type that is not accepted shows a Dutch refusal in the composer. Axe scans
// the screens with a file waiting and with the thumbnail shown.
//
//   PLEIN_URL=http://127.0.0.1:8080 node e2e/chatfiles.e2e.mjs
//
// Env as e2e/chat.e2e.mjs (PLEIN_URL, CHROMIUM_PATH, E2E_SCREENSHOTS).

import { assert, axeScan, BASE_URL, createRunner, desktopAndPhone, EXECUTABLE, log, login, visible, waitUntil } from './lib.mjs';

const USER_A = 'Anouk de Vries';
const USER_B = 'Sanne Bakker';
const TEAM_NAME = 'Den Helder-Centrum';
const RUN = new Date().toISOString().slice(11, 19);
const CAPTION = `Zo ziet de wond er vandaag uit (${RUN})`;

const { step, launch, run } = createRunner({
  label: 'e2e chat files',
  screenshotPrefix: 'chatfiles-',
  summary: (r) => [`${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`],
});

/**
 * A JPEG as a phone saves a photo taken sideways: stored 1600×1200 (left
 * half red, right half blue), with an EXIF segment saying "rotate 90°
 * clockwise to show" (orientation 6) and a GPS latitude reference.
 */
async function sidewaysPhoto(page) {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1600;
    canvas.height = 1200;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#d00000';
    ctx.fillRect(0, 0, 800, 1200);
    ctx.fillStyle = '#0000d0';
    ctx.fillRect(800, 0, 800, 1200);
    return canvas.toDataURL('image/jpeg', 0.92);
  });
  const jpeg = Buffer.from(dataUrl.split(',')[1], 'base64');
  // TIFF (little endian): IFD0 {Orientation=6, GPS IFD pointer}, GPS IFD {GPSLatitudeRef="N"}.
  const tiff = Buffer.alloc(8 + 2 + 24 + 4 + 2 + 12 + 4);
  let o = 0;
  const u16 = (v) => { tiff.writeUInt16LE(v, o); o += 2; };
  const u32 = (v) => { tiff.writeUInt32LE(v, o); o += 4; };
  tiff.write('II', 0); o = 2; u16(42); u32(8);
  u16(2);
  u16(0x0112); u16(3); u32(1); u32(6);
  u16(0x8825); u16(4); u32(1); u32(8 + 2 + 24 + 4);
  u32(0);
  u16(1);
  u16(0x0001); u16(2); u32(2); u32('N'.charCodeAt(0));
  u32(0);
  const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(app1Body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, app1Body, jpeg.subarray(2)]);
}

function teamChannelItem(page) {
  return page.getByTestId('chat-channel-item').filter({ hasText: TEAM_NAME });
}

async function openTeamChannel(page) {
  await page.getByRole('link', { name: /^Chat/ }).first().click();
  await visible(teamChannelItem(page), `channel item "${TEAM_NAME}"`);
  await teamChannelItem(page).getByRole('link').click();
  await visible(page.getByTestId('chat-composer'), 'composer');
}

async function main() {
  const browser = await launch();
  const { a: anouk, b: sanne, problems } = await desktopAndPhone(browser, [USER_A, USER_B]);
  const both = [sanne, anouk];

  // What Anouk's browser fetches from the chat file URLs.
  const fetched = [];
  anouk.on('response', async (response) => {
    if (!/\/api\/v1\/chat\/channels\/[^/]+\/attachments\//.test(response.url())) return;
    const body = await response.body().catch(() => null);
    fetched.push({ url: response.url(), status: response.status(), bytes: body ? body.length : 0 });
  });

  log(`e2e chat files: Plein at ${BASE_URL} with ${EXECUTABLE}`);

  await step(`${USER_B} (360 px phone) and ${USER_A} (1366 px) open the team channel`, both, async () => {
    await login(anouk, USER_A);
    await login(sanne, USER_B);
    await openTeamChannel(anouk);
    await openTeamChannel(sanne);
  });

  let photo;
  await step(`${USER_B} attaches a sideways phone photo with GPS in its EXIF`, both, async () => {
    photo = await sidewaysPhoto(sanne);
    await sanne.getByTestId('chat-attach-input').setInputFiles({ name: 'wond.jpg', mimeType: 'image/jpeg', buffer: photo });
    const chips = sanne.getByTestId('chat-composer-files');
    await visible(chips, 'the waiting files');
    await waitUntil('upload finished', () => chips.innerText(), (t) => t.includes('Klaar om te versturen'));
    await axeScan(sanne, 'the composer with a photo waiting (phone)');
  });

  await step(`a file type Plein does not accept is refused in Dutch`, both, async () => {
    await sanne.getByTestId('chat-attach-input').setInputFiles({ name: 'script.html', mimeType: 'text/html', buffer: Buffer.from('<script>alert(1)</script>') });
    const chips = sanne.getByTestId('chat-composer-files');
    // The chat's own text: the types it takes and the size limit.
    await waitUntil('refusal shown', () => chips.innerText(), (t) => t.includes('Dit soort bestand kan niet in de chat') && t.includes('tot 10 MB per bestand'));
    await axeScan(sanne, 'the composer with a refused file (phone)');
  });

  await step(`the refused file is removed; the photo stays`, both, async () => {
    const chips = sanne.getByTestId('chat-composer-files');
    await sanne.getByRole('button', { name: 'script.html weghalen' }).click();
    await waitUntil('refused file removed', () => chips.innerText(), (t) => !t.includes('script.html') && t.includes('wond.jpg'));
  });

  await step(`${USER_B} sends the photo with a caption`, both, async () => {
    await sanne.getByTestId('chat-composer').fill(CAPTION);
    await sanne.getByTestId('chat-send').click();
    const own = sanne.getByTestId('chat-message').filter({ hasText: CAPTION });
    await visible(own.getByTestId('chat-attachment-image'), 'own thumbnail');
    assert((await sanne.getByTestId('chat-composer-files').count()) === 0, 'the composer still lists files after sending');
    const width = await sanne.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `page is ${width}px wide on a 360px screen`);
  });

  let thumbSrc = '';
  await step(`${USER_A} sees the photo as an upright thumbnail, fetched as a small variant`, both, async () => {
    const message = anouk.getByTestId('chat-message').filter({ hasText: CAPTION });
    const img = message.getByTestId('chat-attachment-image');
    await visible(img, 'thumbnail in the message');
    await waitUntil(
      'thumbnail loaded',
      () => img.evaluate((el) => ({ w: el.naturalWidth, h: el.naturalHeight, src: el.currentSrc, done: el.complete })),
      (v) => v.done && v.w > 0,
    );
    const v = await img.evaluate((el) => ({ w: el.naturalWidth, h: el.naturalHeight, src: el.currentSrc }));
    assert(v.h > v.w, `thumbnail should be upright (portrait) after orientation, is ${v.w}×${v.h}`);
    assert(/[?&]w=(320|640)\b/.test(v.src), `thumbnail should be a small variant, fetched ${v.src}`);
    thumbSrc = v.src;
    const box = await img.boundingBox();
    assert(box && box.width <= 241, `thumbnail is ${box?.width}px wide`);
    await axeScan(anouk, 'the channel with a photo message (desktop)');
  });

  await step(`${USER_A} opens the full image; what is served has no EXIF or GPS`, both, async () => {
    const link = anouk.getByTestId('chat-message').filter({ hasText: CAPTION }).getByRole('link', { name: /wond\.jpg groot openen/ });
    const [popup] = await Promise.all([anouk.context().waitForEvent('page'), link.click()]);
    await popup.waitForLoadState();
    assert(/\/attachments\/ca-[0-9a-f]{32}$/.test(popup.url()), `full image opened at ${popup.url()}`);
    const served = await anouk.evaluate(async (url) => {
      const r = await fetch(url);
      const b = new Uint8Array(await r.arrayBuffer());
      const text = Array.from(b.subarray(0, 4096), (c) => String.fromCharCode(c)).join('');
      return { status: r.status, type: r.headers.get('content-type'), size: b.length, exif: text.includes('Exif\0\0'), app1: text.includes('\xff\xe1') };
    }, popup.url());
    await popup.close();
    assert(served.status === 200 && served.type === 'image/jpeg', `download ${served.status} ${served.type}`);
    assert(!served.exif && !served.app1, 'the served photo still has an EXIF segment');
    const thumb = fetched.find((f) => f.url === thumbSrc);
    log(`    uploaded ${photo.length} bytes; thumbnail fetched ${thumb ? thumb.bytes : '?'} bytes (${thumbSrc.replace(/^.*\?/, '?')}); full image ${served.size} bytes`);
  });

  await step('no CSP violations or page errors', both, async () => {
    assert(problems.length === 0, `the pages reported:\n${problems.join('\n')}`);
  });

  await browser.close();
}

await run(main);
