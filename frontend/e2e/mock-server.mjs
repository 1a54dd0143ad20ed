// Stand-in for the Plein Go server, for trying the front-end and the e2e
// script without the real back-end. Serves dist/ with the production CSP,
// a tiny fake API and a fake "dev identity provider" login page.
//
//   npm run build && node e2e/mock-server.mjs            # http://127.0.0.1:4173
//   PLEIN_URL=http://127.0.0.1:4173 npm run e2e
//
// Listens on 127.0.0.1 only. Not used by unit tests or production.

import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const PORT = Number(process.env.PORT || 4173);
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const regions = [
  { id: 'den-helder', name: 'Den Helder', teamCount: 2 },
  { id: 'west-friesland', name: 'West-Friesland', teamCount: 2 },
];
const teams = [
  { id: 'den-helder-centrum', name: 'Den Helder-Centrum', regionId: 'den-helder', workingArea: ['1781', 'Centrum'], memberCount: 2 },
  { id: 'julianadorp', name: 'Julianadorp', regionId: 'den-helder', workingArea: ['1787', 'Julianadorp'], memberCount: 1 },
  { id: 'hoogwoud-opmeer', name: 'Hoogwoud-Opmeer', regionId: 'west-friesland', workingArea: ['1718'], memberCount: 1 },
  { id: 'medemblik-zuid', name: 'Medemblik Zuid', regionId: 'west-friesland', workingArea: ['1671'], memberCount: 1 },
];
const users = {
  'u-anouk': {
    id: 'u-anouk',
    name: 'Anouk de Vries',
    email: 'anouk.devries@noorderkwartier.example',
    roles: ['zorgmedewerker'],
    teams: [{ id: 'den-helder-centrum', name: 'Den Helder-Centrum', regionId: 'den-helder', teamRoles: ['planning'] }],
  },
  'u-ruud': {
    id: 'u-ruud',
    name: 'Ruud Bakker',
    email: 'ruud.bakker@noorderkwartier.example',
    roles: ['regiomanager'],
    teams: [],
  },
};
const members = {
  'den-helder-centrum': [
    { userId: 'u-anouk', name: 'Anouk de Vries', roles: ['zorgmedewerker'], teamRoles: ['planning'] },
    { userId: 'u-bram', name: 'Bram Jansen', roles: ['wijkverpleegkundige'], teamRoles: ['kwaliteit', 'financien'] },
  ],
};

/** sessionId → { userId, csrfToken } */
const sessions = new Map();

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
}

function json(res, status, value) {
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
}

function problem(res, status, title, detail) {
  send(res, status, JSON.stringify({ type: 'about:blank', title, status, detail }), {
    'Content-Type': 'application/problem+json',
    'Cache-Control': 'no-store',
  });
}

function currentSession(req) {
  const match = /(?:^|;\s*)plein_session=([^;]+)/.exec(req.headers.cookie || '');
  return match ? sessions.get(match[1]) : undefined;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function safeReturn(path) {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') ? path : '/';
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function loginPage(returnTo) {
  const buttons = Object.values(users)
    .map((u) => `<li><button type="submit" name="user" value="${u.id}">${escapeHtml(u.name)}</button></li>`)
    .join('');
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Dev login</title></head>
<body><main><h1>Dev identity provider</h1>
<form method="post" action="/auth/dev-callback"><input type="hidden" name="return_to" value="${escapeHtml(returnTo)}">
<ul>${buttons}</ul></form></main></body></html>`;
}

async function handleApi(req, res, url) {
  const session = currentSession(req);
  const path = url.pathname.replace(/^\/api\/v1/, '');
  if (!session) return problem(res, 401, 'Niet ingelogd', 'Log in om verder te gaan.');
  if (req.method !== 'GET' && req.headers['x-csrf-token'] !== session.csrfToken) {
    return problem(res, 403, 'Ongeldig CSRF-token', 'Vernieuw de pagina en probeer het opnieuw.');
  }
  if (req.method === 'GET' && path === '/session') {
    return json(res, 200, { user: users[session.userId], csrfToken: session.csrfToken });
  }
  if (req.method === 'POST' && path === '/auth/logout') {
    for (const [id, s] of sessions) if (s === session) sessions.delete(id);
    res.setHeader('Set-Cookie', 'plein_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    return json(res, 200, { redirect: '/' });
  }
  if (req.method === 'GET' && path === '/regions') return json(res, 200, { items: regions });
  const region = /^\/regions\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && region) {
    const r = regions.find((x) => x.id === decodeURIComponent(region[1]));
    if (!r) return problem(res, 404, 'Regio niet gevonden');
    return json(res, 200, { id: r.id, name: r.name, teams: teams.filter((t) => t.regionId === r.id) });
  }
  if (req.method === 'GET' && path === '/teams') {
    const regionId = url.searchParams.get('region');
    return json(res, 200, { items: regionId ? teams.filter((t) => t.regionId === regionId) : teams });
  }
  const team = /^\/teams\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && team) {
    const t = teams.find((x) => x.id === decodeURIComponent(team[1]));
    if (!t) return problem(res, 404, 'Team niet gevonden');
    const region = regions.find((r) => r.id === t.regionId);
    return json(res, 200, {
      ...t,
      regionName: region?.name ?? t.regionId,
      description: `Wij zijn team ${t.name}: een zelfsturend wijkteam.\n\nWe werken dag en avond in ${t.workingArea.join(', ')}.`,
      contact: { phone: '0223 - 12 34 56', email: `${t.id}@noorderkwartier.example` },
      members: members[t.id] ?? [],
      updatedAt: '2026-11-01T09:30:00Z',
    });
  }
  return problem(res, 404, 'Niet gevonden');
}

async function serveStatic(req, res, url) {
  const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
  let file = join(DIST, rel);
  if (!file.startsWith(DIST)) return send(res, 400, 'bad path');
  const info = await stat(file).catch(() => null);
  if (!info || !info.isFile()) file = join(DIST, 'index.html'); // SPA fallback
  try {
    const body = await readFile(file);
    const immutable = file.includes(`${join(DIST, 'assets')}`);
    send(res, 200, body, {
      'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  } catch {
    send(res, 500, 'dist/ missing: run npm run build first', { 'Content-Type': 'text/plain' });
  }
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url || '/', `http://${req.headers.host || '127.0.0.1'}`);
    if (url.pathname.startsWith('/api/')) return await handleApi(req, res, url);
    if (url.pathname === '/auth/login') {
      return send(res, 200, loginPage(safeReturn(url.searchParams.get('return_to'))), {
        'Content-Type': 'text/html; charset=utf-8',
      });
    }
    if (url.pathname === '/auth/dev-callback' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const userId = form.get('user');
      if (!userId || !users[userId]) return send(res, 400, 'unknown user');
      const sid = randomBytes(16).toString('hex');
      sessions.set(sid, { userId, csrfToken: randomBytes(16).toString('hex') });
      return send(res, 303, '', {
        Location: safeReturn(form.get('return_to')),
        'Set-Cookie': `plein_session=${sid}; Path=/; HttpOnly; SameSite=Lax`,
      });
    }
    return await serveStatic(req, res, url);
  } catch (error) {
    send(res, 500, String(error), { 'Content-Type': 'text/plain' });
  }
});

server.listen(PORT, '127.0.0.1', () => {
  process.stdout.write(`mock Plein server on http://127.0.0.1:${PORT} (serving ${DIST})\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
