// Stand-in for the Plein Go server, for trying the front-end and the e2e
// scripts without the real back-end. Serves dist/ with the production CSP,
// a tiny fake API, an in-memory chat (REST + websocket, docs/protocol.md)
// and a fake "dev identity provider" login page.
//
//   npm run build && node e2e/mock-server.mjs            # http://127.0.0.1:4173
//   PLEIN_URL=http://127.0.0.1:4173 npm run e2e
//
// Listens on 127.0.0.1 only. Not used by unit tests or production.

import { createHash, randomBytes } from 'node:crypto';
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
  'u-sanne': {
    id: 'u-sanne',
    name: 'Sanne Bakker',
    email: 'sanne.bakker@noorderkwartier.example',
    roles: ['zorgmedewerker'],
    teams: [{ id: 'den-helder-centrum', name: 'Den Helder-Centrum', regionId: 'den-helder', teamRoles: ['scholing'] }],
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
    { userId: 'u-sanne', name: 'Sanne Bakker', roles: ['zorgmedewerker'], teamRoles: ['scholing'] },
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
    for (const conn of chat.connections) if (conn.session === session) conn.close(4001, 'session ended');
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
  if (path.startsWith('/chat/')) return handleChatApi(req, res, url, path, session);
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

// ---------------------------------------------------------------------------
// Chat: REST endpoints and the websocket protocol (docs/protocol.md), in
// memory. Enough for the chat e2e flow; not a reference implementation.
// ---------------------------------------------------------------------------

const REACTIONS = new Set(['👍', '❤️', '😊', '🙏', '✅', '😮']);
const people = [
  ...Object.values(users).map((u) => ({ id: u.id, name: u.name, teams: u.teams.map((t) => t.name) })),
  { id: 'u-bram', name: 'Bram Jansen', teams: ['Den Helder-Centrum'] },
];
const personName = (id) => people.find((p) => p.id === id)?.name ?? id;

const chat = {
  /** @type {Set<WsConnection>} */
  connections: new Set(),
  /** id → { id, kind, name, teamId, topic, members: Set<userId>, entries: [], clientIds: Map } */
  channels: new Map(),
  /** `${ch}:${userId}` → read seq */
  reads: new Map(),
  nextId: 1,
};

function addChannel(channel) {
  chat.channels.set(channel.id, { topic: '', teamId: null, entries: [], clientIds: new Map(), ...channel });
  return chat.channels.get(channel.id);
}

{
  const teamChannel = addChannel({
    id: 'team-den-helder-centrum',
    kind: 'team',
    name: 'Den Helder-Centrum',
    teamId: 'den-helder-centrum',
    members: new Set(['u-anouk', 'u-sanne', 'u-bram']),
  });
  const yesterday = new Date(Date.now() - 24 * 3600_000).toISOString();
  appendEntry(teamChannel, 'u-bram', {
    kind: 'msg',
    body: 'Vergeet het **teamoverleg** niet, morgen om 13:00.',
    clientId: 'seed-1',
    at: yesterday,
  });
  for (const member of teamChannel.members) chat.reads.set(`${teamChannel.id}:${member}`, 1);
  addChannel({
    id: 'open-wondzorg',
    kind: 'open',
    name: 'Wondzorg',
    topic: 'Tips en vragen over wondzorg',
    members: new Set(['u-bram']),
  });
}

function renderBody(body) {
  const html = escapeHtml(body)
    .replace(/&#60;@([\w-]+)&#62;/g, (_, id) => `<span class="mention">@${escapeHtml(personName(id))}</span>`)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\n/g, '<br>');
  return `<p>${html}</p>`;
}

function appendEntry(channel, by, fields) {
  const entry = {
    ch: channel.id,
    seq: channel.entries.length + 1,
    by,
    byName: personName(by),
    at: new Date().toISOString(),
    ...fields,
  };
  if (entry.kind === 'msg' || entry.kind === 'edit') {
    entry.html = renderBody(entry.body);
    entry.mentions = [...entry.body.matchAll(/<@([\w-]+)>/g)].map((m) => m[1]);
  }
  if (entry.kind === 'msg') {
    entry.mentionsTeam = /(^|\s)@team\b/.test(entry.body);
    entry.reply = entry.reply || 0;
  }
  channel.entries.push(entry);
  if (entry.clientId) channel.clientIds.set(`${by}:${entry.clientId}`, entry.seq);
  return entry;
}

function summaryFor(channel, userId) {
  const readSeq = chat.reads.get(`${channel.id}:${userId}`) ?? 0;
  const unreadMsgs = channel.entries.filter((e) => e.kind === 'msg' && e.seq > readSeq && e.by !== userId);
  const summary = {
    id: channel.id,
    kind: channel.kind,
    name: channel.name,
    teamId: channel.teamId,
    lastSeq: channel.entries.length,
    readSeq,
    unread: unreadMsgs.length,
    mentions: unreadMsgs.filter((e) => e.mentions.includes(userId) || e.mentionsTeam).length,
  };
  if (channel.kind === 'dm' || channel.kind === 'group') {
    summary.members = [...channel.members].map((id) => ({ id, name: personName(id) }));
  }
  return summary;
}

function channelsOf(userId) {
  return [...chat.channels.values()].filter((c) => c.members.has(userId));
}

function toUser(userId, frame, except) {
  for (const conn of chat.connections) if (conn.userId === userId && conn !== except) conn.queue(frame);
}

function toMembers(channel, frame, except) {
  for (const conn of chat.connections) if (channel.members.has(conn.userId) && conn !== except) conn.queue(frame);
}

function plainText(body) {
  return body.replace(/<@([\w-]+)>/g, (_, id) => `@${personName(id)}`).replace(/\*\*/g, '');
}

/** A minimal RFC 6455 server connection (text frames, ping/pong, close). */
class WsConnection {
  constructor(socket, session) {
    this.socket = socket;
    this.session = session;
    this.userId = session.userId;
    this.buffer = Buffer.alloc(0);
    this.fragments = [];
    this.outbox = [];
    this.closed = false;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => this.drop());
    socket.on('error', () => this.drop());
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const buf = this.buffer;
      if (buf.length < 2) return;
      const fin = (buf[0] & 0x80) !== 0;
      const opcode = buf[0] & 0x0f;
      const masked = (buf[1] & 0x80) !== 0;
      let length = buf[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buf.length < 4) return;
        length = buf.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buf.length < 10) return;
        length = Number(buf.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (buf.length < offset + length) return;
      const payload = Buffer.from(buf.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < payload.length; i += 1) payload[i] ^= buf[maskOffset + (i % 4)];
      this.buffer = buf.subarray(offset + length);

      if (opcode === 0x8) return this.close(1000);
      if (opcode === 0x9) this.writeFrame(0xa, payload);
      if (opcode === 0x1 || opcode === 0x0) {
        this.fragments.push(payload);
        if (fin) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          if (text.length > 16 * 1024) return this.close(1009, 'too large');
          handleFrame(this, text);
        }
      }
    }
  }

  writeFrame(opcode, payload) {
    if (this.closed) return;
    const length = payload.length;
    let header;
    if (length < 126) header = Buffer.from([0x80 | opcode, length]);
    else if (length < 65536) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(length, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(length), 2);
    }
    this.socket.write(Buffer.concat([header, payload]));
  }

  /** Queue a frame; frames queued in the same tick go out as one JSON array. */
  queue(frame) {
    this.outbox.push(frame);
    if (this.outbox.length === 1) {
      setImmediate(() => {
        const frames = this.outbox;
        this.outbox = [];
        this.writeFrame(0x1, Buffer.from(JSON.stringify(frames.length === 1 ? frames[0] : frames)));
      });
    }
  }

  close(code, reason = '') {
    if (this.closed) return;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.writeFrame(0x8, payload);
    this.closed = true;
    this.socket.end();
    chat.connections.delete(this);
  }

  drop() {
    this.closed = true;
    chat.connections.delete(this);
  }
}

function chatConnect(socket, session) {
  const conn = new WsConnection(socket, session);
  chat.connections.add(conn);
  conn.queue({
    type: 'ready',
    user: { id: conn.userId, name: personName(conn.userId) },
    channels: channelsOf(conn.userId).map((c) => summaryFor(c, conn.userId)),
    instance: 'mock',
  });
}

function handleFrame(conn, text) {
  let f;
  try {
    f = JSON.parse(text);
  } catch {
    return conn.queue({ type: 'error', code: 'bad_frame', message: 'not JSON' });
  }
  const id = typeof f.id === 'string' ? f.id : undefined;
  const fail = (code, message) => conn.queue({ type: 'error', id, code, message, clientId: f.clientId });
  const channel = typeof f.ch === 'string' ? chat.channels.get(f.ch) : undefined;
  const needsChannel = ['send', 'edit', 'delete', 'react', 'sync', 'history', 'read', 'typing'];
  if (needsChannel.includes(f.type) && (!channel || !channel.members.has(conn.userId))) {
    return fail('not_found', 'no such channel');
  }
  const me = conn.userId;

  function store(fields) {
    if (typeof f.clientId !== 'string' || f.clientId.length < 1 || f.clientId.length > 64) {
      return fail('bad_frame', 'clientId');
    }
    const known = channel.clientIds.get(`${me}:${f.clientId}`);
    if (known) return conn.queue({ type: 'ack', id, clientId: f.clientId, ch: channel.id, seq: known, duplicate: true });
    const entry = appendEntry(channel, me, { ...fields, clientId: f.clientId });
    conn.queue({ type: 'ack', id, clientId: f.clientId, ch: channel.id, seq: entry.seq, duplicate: false });
    toMembers(channel, { type: 'entry', entry });
    return entry;
  }

  function ownTarget() {
    const target = channel.entries[(f.target ?? 0) - 1];
    if (!target || target.kind !== 'msg') {
      fail('invalid', 'target');
      return null;
    }
    return target;
  }

  switch (f.type) {
    case 'send': {
      if (typeof f.body !== 'string' || f.body.trim().length < 1 || f.body.length > 8000) return fail('invalid', 'body');
      const reply = Number.isInteger(f.reply) && f.reply > 0 ? f.reply : 0;
      if (reply && channel.entries[reply - 1]?.kind !== 'msg') return fail('invalid', 'reply');
      const entry = store({ kind: 'msg', body: f.body, reply });
      if (!entry) return;
      for (const member of channel.members) {
        if (member === me) continue;
        const direct = channel.kind === 'dm' || channel.kind === 'group';
        const mentioned = entry.mentions.includes(member) || entry.mentionsTeam;
        if (!direct && !mentioned) continue;
        toUser(member, {
          type: 'notify',
          kind: direct ? 'dm' : 'mention',
          ch: channel.id,
          seq: entry.seq,
          by: me,
          byName: entry.byName,
          excerpt: plainText(entry.body).slice(0, 120),
        });
      }
      return;
    }
    case 'edit': {
      const target = ownTarget();
      if (!target) return;
      if (target.by !== me) return fail('forbidden', 'not your message');
      if (typeof f.body !== 'string' || !f.body.trim() || f.body.length > 8000) return fail('invalid', 'body');
      store({ kind: 'edit', target: target.seq, body: f.body });
      return;
    }
    case 'delete': {
      const target = ownTarget();
      if (!target) return;
      if (target.by !== me) return fail('forbidden', 'not your message');
      store({ kind: 'delete', target: target.seq });
      return;
    }
    case 'react': {
      const target = ownTarget();
      if (!target) return;
      if (!REACTIONS.has(f.emoji)) return fail('invalid', 'emoji');
      store({ kind: f.on === false ? 'unreact' : 'react', target: target.seq, emoji: f.emoji });
      return;
    }
    case 'sync': {
      const after = Math.max(0, Number(f.after) || 0);
      const limit = Math.min(200, Math.max(1, Number(f.limit) || 100));
      const entries = channel.entries.slice(after, after + limit);
      conn.queue({ type: 'entries', id, ch: channel.id, entries, more: after + limit < channel.entries.length });
      return;
    }
    case 'history': {
      const before = Number(f.before) || 0;
      const limit = Math.min(100, Math.max(1, Number(f.limit) || 50));
      const end = before > 0 ? Math.min(before - 1, channel.entries.length) : channel.entries.length;
      const start = Math.max(0, end - limit);
      conn.queue({ type: 'entries', id, ch: channel.id, entries: channel.entries.slice(start, end), more: start > 0 });
      return;
    }
    case 'read': {
      const seq = Math.min(Number(f.seq) || 0, channel.entries.length);
      const key = `${channel.id}:${me}`;
      if (seq > (chat.reads.get(key) ?? 0)) {
        chat.reads.set(key, seq);
        toUser(me, { type: 'read', ch: channel.id, seq }, conn);
      }
      return;
    }
    case 'typing':
      for (const other of chat.connections) {
        if (other.userId !== me && channel.members.has(other.userId)) {
          other.queue({ type: 'typing', ch: channel.id, user: me, name: personName(me) });
        }
      }
      return;
    case 'presence':
      return;
    case 'ping':
      return conn.queue({ type: 'pong', id });
    default:
      return fail('bad_frame', 'unknown type');
  }
}

async function readJson(req) {
  try {
    return JSON.parse((await readBody(req)) || '{}');
  } catch {
    return {};
  }
}

async function handleChatApi(req, res, url, path, session) {
  const me = session.userId;
  if (req.method === 'GET' && path === '/chat/channels') {
    return json(res, 200, { items: channelsOf(me).map((c) => summaryFor(c, me)) });
  }
  if (req.method === 'GET' && path === '/chat/browse') {
    const items = [...chat.channels.values()]
      .filter((c) => c.kind === 'open')
      .map((c) => ({ id: c.id, name: c.name, topic: c.topic, memberCount: c.members.size, joined: c.members.has(me) }));
    return json(res, 200, { items });
  }
  if (req.method === 'GET' && path === '/chat/people') {
    const q = (url.searchParams.get('q') || '').trim().toLowerCase();
    if (q.length < 2) return problem(res, 422, 'Zoekterm te kort', 'Typ minstens 2 tekens.');
    return json(res, 200, { items: people.filter((p) => p.name.toLowerCase().includes(q)) });
  }
  if (req.method === 'POST' && path === '/chat/channels') {
    const body = await readJson(req);
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name || name.length > 80 || !['open', 'closed'].includes(body.kind)) {
      return problem(res, 422, 'Ongeldig kanaal', 'Geef een naam (max. 80 tekens) en soort (open/besloten).');
    }
    const channel = addChannel({
      id: `ch-${chat.nextId++}`,
      kind: body.kind,
      name,
      topic: typeof body.topic === 'string' ? body.topic : '',
      members: new Set([me]),
    });
    toUser(me, { type: 'channel', channel: summaryFor(channel, me) });
    return json(res, 201, summaryFor(channel, me));
  }
  if (req.method === 'POST' && path === '/chat/dm') {
    const body = await readJson(req);
    const ids = [...new Set(Array.isArray(body.userIds) ? body.userIds : [])].filter((id) => id !== me);
    if (ids.length < 1 || ids.length > 8 || ids.some((id) => !people.some((p) => p.id === id))) {
      return problem(res, 422, 'Ongeldige deelnemers', 'Kies 1 tot 8 collega’s.');
    }
    const kind = ids.length === 1 ? 'dm' : 'group';
    const wanted = new Set([me, ...ids]);
    let channel = [...chat.channels.values()].find(
      (c) => c.kind === kind && c.members.size === wanted.size && [...wanted].every((id) => c.members.has(id)),
    );
    if (!channel) {
      channel = addChannel({ id: `dm-${chat.nextId++}`, kind, name: '', members: wanted });
      for (const member of wanted) toUser(member, { type: 'channel', channel: summaryFor(channel, member) });
    }
    return json(res, 200, summaryFor(channel, me));
  }
  const action = /^\/chat\/channels\/([^/]+)\/(join|leave)$/.exec(path);
  if (req.method === 'POST' && action) {
    const channel = chat.channels.get(decodeURIComponent(action[1]));
    const visible = channel && (channel.members.has(me) || channel.kind === 'open');
    if (!visible) return problem(res, 404, 'Kanaal niet gevonden');
    if (action[2] === 'join') {
      if (channel.kind !== 'open' && !channel.members.has(me)) return problem(res, 404, 'Kanaal niet gevonden');
      channel.members.add(me);
      toUser(me, { type: 'channel', channel: summaryFor(channel, me) });
      return json(res, 200, summaryFor(channel, me));
    }
    if (channel.kind === 'team') return problem(res, 422, 'Teamkanaal', 'Een teamkanaal kun je niet verlaten.');
    channel.members.delete(me);
    toUser(me, { type: 'channel_removed', ch: channel.id });
    return send(res, 204, '');
  }
  const invite = /^\/chat\/channels\/([^/]+)\/members\/([^/]+)$/.exec(path);
  if (req.method === 'PUT' && invite) {
    const channel = chat.channels.get(decodeURIComponent(invite[1]));
    const userId = decodeURIComponent(invite[2]);
    if (!channel || !channel.members.has(me)) return problem(res, 404, 'Kanaal niet gevonden');
    if (!['closed', 'group'].includes(channel.kind)) return problem(res, 422, 'Uitnodigen kan hier niet');
    if (!people.some((p) => p.id === userId)) return problem(res, 404, 'Persoon niet gevonden');
    channel.members.add(userId);
    toUser(userId, { type: 'channel', channel: summaryFor(channel, userId) });
    return send(res, 204, '');
  }
  return problem(res, 404, 'Niet gevonden');
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

// Chat websocket: same-origin check, session cookie, RFC 6455 handshake.
server.on('upgrade', (req, socket) => {
  const url = new URL(req.url || '/', `http://${req.headers.host || '127.0.0.1'}`);
  const session = currentSession(req);
  const refuse = (status) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  if (url.pathname !== '/api/v1/ws') return refuse('404 Not Found');
  if (!session) return refuse('401 Unauthorized');
  if (req.headers.origin !== `http://${req.headers.host}`) return refuse('403 Forbidden');
  const key = req.headers['sec-websocket-key'];
  if (!key) return refuse('400 Bad Request');
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  chatConnect(socket, session);
});

server.listen(PORT, '127.0.0.1', () => {
  process.stdout.write(`mock Plein server on http://127.0.0.1:${PORT} (serving ${DIST})\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
