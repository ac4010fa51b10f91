import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { signEmbedUser } from '../../src/domain/embed-signature.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { createLogger } from '../../src/logger.ts';
import { apiClient, createWorld, PASSWORD, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';
import { createAcmeResources, ROUTES } from './route-table.ts';

// The production logger, capturing its lines, and every response body as it leaves the
// server: no ticket, token, key, secret or password may reach the log, however the client
// spells the query string, and none may appear in any response but the one that hands it out.

let server: TestServer;
let app: App;
let base: string;
let api: ApiClient;
let world: World;
const lines: string[] = [];
let token: string;

/** Every response body the app sent, in order, as it went on the wire (streams included). */
const responses: { route: string; status: number; body: string }[] = [];

function captureResponses(request: IncomingMessage, response: ServerResponse) {
  const chunks: Buffer[] = [];
  const take = (chunk: unknown, encoding?: unknown) => {
    if (chunk == null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.write = ((chunk: unknown, ...rest: unknown[]) => (take(chunk, rest[0]), write(chunk, ...rest))) as typeof response.write;
  response.end = ((chunk?: unknown, ...rest: unknown[]) => (take(chunk, rest[0]), end(chunk, ...rest))) as typeof response.end;
  response.once('close', () =>
    responses.push({ route: `${request.method} ${request.url!.split('?')[0]}`, status: response.statusCode, body: Buffer.concat(chunks).toString() }),
  );
}

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server.db);
  token = await apiClient(server.url).login(world.users.acmeMember.email);
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  app = await buildApp({
    config: { ...loadConfig({}), databaseUrl: server.databaseUrl, webRoot: '/nonexistent' },
    prisma: server.db,
    logger: createLogger('info', destination),
  });
  // Ahead of Fastify's own listener, so the wrapper sees every byte it writes.
  app.server.prependListener('request', captureResponses);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  api = apiClient(base);
});
afterAll(async () => {
  app.streamHub.closeStreams();
  app.server.closeAllConnections();
  await app.close();
  await server.close();
});

describe('what the log holds', () => {
  it('never a stream ticket, however the query spells it, nor tokens or passwords', async () => {
    const ticket = (await app.inject({ method: 'POST', url: '/api/notifications/stream-ticket', headers: { authorization: `Bearer ${token}` } })).json().ticket;
    for (const url of [`/api/notifications/stream?%74icket=${ticket}`, `/api/notifications/stream?ticket=${ticket}`, `/api/notifications/stream?x=1&t%69cket=${ticket}`]) {
      // The first opens a stream (the ticket is single-use): hang up once the answer has begun.
      const response = await fetch(base + url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      await response?.body?.cancel();
    }
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@test.example', password: PASSWORD } });
    await app.inject({ method: 'GET', url: `/api/notifications?token=${token}`, headers: { authorization: `Bearer ${token}` } });
    const log = lines.join('');
    expect(log).toContain('/api/notifications/stream');
    expect(log).not.toContain(ticket);
    expect(log).not.toContain(token);
    expect(log).not.toContain(PASSWORD);
  });
});

/** The responses that hand a secret out, and the field it is in. */
const HANDED_OUT: Record<string, string> = {
  'POST /api/auth/login': 'token',
  'POST /api/embed/session': 'token',
  'POST /api/embed/session/renew': 'token',
  'POST /api/api-keys': 'key',
  'POST /api/workspace/embed-secret': 'secret',
  'POST /api/notifications/stream-ticket': 'ticket',
};

describe('no secret in any response body or log line', () => {
  it('drives login, API keys, stream tickets and embed sessions, then every route: each secret appears only in the response that hands it out', async () => {
    const start = responses.length;
    // Known before any response: passwords (right, wrong, and one too long to be valid).
    const wrongPasswords = ['Wrong-Passw0rd!', 'tr0ub4dor&3 "quoted"', 'p'.repeat(1100)];
    const known = [PASSWORD, ...wrongPasswords];

    const login = async (email: string, password = PASSWORD) => api.post('/api/auth/login', { email, password });
    const tokens: Record<string, string> = {};
    for (const who of ['acmeAdmin', 'acmeMember', 'globexAdmin', 'superAdmin'] as const) {
      const response = await login(world.users[who].email);
      expect(response.status).toBe(200);
      tokens[who] = response.body.token;
    }
    for (const password of wrongPasswords) expect((await login(world.users.acmeAdmin.email, password)).status).toBeGreaterThanOrEqual(400);
    // A password typed into the email field, and one sent for an account that does not exist.
    expect((await login(PASSWORD)).status).toBe(401);
    expect((await login('nobody@test.example')).status).toBe(401);

    const key = (await api.post('/api/api-keys', { name: 'warehouse' }, tokens.acmeAdmin)).body.key as string;
    const withKey = (method: string, path: string, body?: unknown) =>
      api.request(method, path, { body, headers: { authorization: `Bearer ${key}` } });
    expect((await withKey('POST', '/api/events', { events: [{ type: 'lead.created', summary: 'from the warehouse' }] })).status).toBe(201);
    // A key where a session is wanted, and a session where a key is wanted.
    expect((await withKey('GET', '/api/notifications')).status).toBeGreaterThanOrEqual(400);
    expect((await api.post('/api/events', { events: [{ type: 'lead.created', summary: 'x' }] }, tokens.acmeMember)).status).toBeGreaterThanOrEqual(400);

    const ticket = (await api.post('/api/notifications/stream-ticket', undefined, tokens.acmeMember)).body.ticket as string;
    const stream = await fetch(`${base}/api/notifications/stream?ticket=${ticket}`);
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read();
    await reader.cancel();
    // Spent: refused, without echoing it.
    expect((await fetch(`${base}/api/notifications/stream?ticket=${ticket}`)).status).toBe(401);

    const embedSecret = (await api.post('/api/workspace/embed-secret', undefined, tokens.acmeAdmin)).body.secret as string;
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signEmbedUser(embedSecret, world.acme.id, world.users.acmeMember.id, timestamp);
    known.push(signature);
    const embed = await api.post('/api/embed/session', { workspace_id: world.acme.id, user_id: world.users.acmeMember.id, timestamp, signature });
    expect(embed.status).toBe(200);
    expect((await api.get('/api/notifications', embed.body.token)).status).toBe(200);
    // A second bell session, renewed: the renewal hands out a token too.
    const otherSignature = signEmbedUser(embedSecret, world.acme.id, world.users.acmeMember.id, timestamp - 1);
    known.push(otherSignature);
    const other = await api.post('/api/embed/session', { workspace_id: world.acme.id, user_id: world.users.acmeMember.id, timestamp: timestamp - 1, signature: otherSignature });
    expect(other.status).toBe(200);
    expect((await api.post('/api/embed/session/renew', undefined, other.body.token)).status).toBe(200);

    // Tokens where they do not belong: in the query string, malformed, revoked.
    expect((await api.get(`/api/notifications?token=${tokens.acmeMember}`, tokens.acmeMember)).status).toBe(400);
    expect((await api.get('/api/me', `${tokens.acmeMember}x`)).status).toBe(401);

    // Every route as each kind of caller: what they read must not carry what was handed out.
    const ids = await createAcmeResources(api, world, tokens.acmeAdmin!, tokens.acmeMember!);
    const callers = { superAdmin: tokens.superAdmin, acmeMember: tokens.acmeMember, acmeAdmin: tokens.acmeAdmin, key, embed: embed.body.token };
    const call = async (route: string, bearer: string) => {
      const [method, pattern] = route.split(' ') as [string, string];
      const entry = ROUTES[route]!;
      const path = pattern.replace(/\{[^}]+\}/, () => (entry.id ? ids[entry.id] : ''));
      if (path === '/api/notifications/stream') {
        const response = await fetch(base + path, { headers: { authorization: `Bearer ${bearer}` } });
        await response.body?.cancel();
        return;
      }
      await api.request(method, path, { token: bearer, body: entry.body?.(ids) });
    };
    for (const bearer of Object.values(callers)) {
      for (const route of Object.keys(ROUTES).filter((route) => route.startsWith('GET '))) await call(route, bearer);
    }
    // Then every write as Acme's admin, logging out last.
    const writes = Object.keys(ROUTES).filter((route) => !route.startsWith('GET ') && route !== 'POST /api/auth/logout');
    for (const route of [...writes, 'POST /api/auth/logout']) await call(route, tokens.acmeAdmin!);
    expect((await api.get('/api/me', tokens.acmeAdmin)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the last 'close' events

    // Secrets handed out, each with the one response allowed to show it.
    const handedOut: { value: string; at: number; route: string }[] = [];
    for (const [index, response] of responses.entries()) {
      const field = HANDED_OUT[response.route];
      if (!field || response.status >= 300) continue;
      const value = JSON.parse(response.body)[field] as string;
      expect(value, `${response.route} handed out its ${field}`).toEqual(expect.any(String));
      handedOut.push({ value, at: index, route: response.route });
    }
    for (const route of Object.keys(HANDED_OUT)) expect(handedOut.some((secret) => secret.route === route), route).toBe(true);
    const secrets = [...known.map((value) => ({ value, at: -1, route: 'the test' })), ...handedOut];
    expect(secrets.map((secret) => secret.value)).toEqual(expect.arrayContaining([key, ticket, embedSecret, embed.body.token, ...Object.values(tokens)]));

    const checked = responses.slice(start);
    expect(checked.length).toBeGreaterThan(150);
    for (const [offset, response] of checked.entries()) {
      const index = start + offset;
      // Stored forms must not come out either: password hashes, token hashes.
      expect(response.body, response.route).not.toMatch(/\$argon2/);
      for (const secret of secrets) {
        if (secret.at === index) continue;
        for (const form of [secret.value, hashToken(secret.value)]) {
          expect(response.body.includes(form), `${response.route} (${response.status}) shows a secret from ${secret.route}: ${response.body.slice(0, 300)}`).toBe(false);
        }
      }
    }
    const log = lines.join('');
    expect(log).toContain('/api/embed/session');
    for (const secret of secrets) {
      for (const form of [secret.value, hashToken(secret.value)]) {
        expect(log.includes(form), `the log shows a secret from ${secret.route}`).toBe(false);
      }
    }
  });
});
