import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { signEmbedUser } from '../../src/domain/embed-signature.ts';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
import {
  apiClient,
  createWorld,
  eventually,
  startTestServer,
  StreamClient,
  type ApiClient,
  type TestServer,
  type World,
} from '../helper.ts';

// The embedded bell's sign-in: the host backend signs the user id with the workspace secret.
let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
let acmeSecret: string;

const now = () => Math.floor(Date.now() / 1000);
// A signature is good once: each one here is of another second (all within the accepted age).
let lastSignedAt = now();
const freshTimestamp = () => (lastSignedAt -= 1);
const exchange = (body: Record<string, unknown>) => api.post('/api/embed/session', body);
const signed = (secret: string, workspaceId: string, userId: string, timestamp = freshTimestamp()) => ({
  workspace_id: workspaceId,
  user_id: userId,
  timestamp,
  signature: signEmbedUser(secret, workspaceId, userId, timestamp),
});

beforeAll(async () => {
  // 200 sign-ins at once from this one address: above the anonymous limit of a real deployment.
  const rateLimit = { ...loadConfig({}).rateLimit, anonymousWritesPerAddress: 1000 };
  server = await startTestServer({ embedDemo: true, rateLimit }, { stream: { sessionCheckMs: 100, retryMs: 200 } });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
  const rotated = await api.post('/api/workspace/embed-secret', undefined, tokens.acmeAdmin);
  expect(rotated.status).toBe(200);
  acmeSecret = rotated.body.secret;
});
afterAll(() => server.close());

describe('embed secret', () => {
  it('is for admins: created, shown once, then only reported as configured', async () => {
    expect((await api.post('/api/workspace/embed-secret', undefined, tokens.acmeMember)).status).toBe(403);
    const status = await api.get('/api/workspace/embed-secret', tokens.acmeAdmin);
    expect(status.body).toEqual({ configured: true, rotated_at: expect.any(String) });
    expect(JSON.stringify(status.body)).not.toContain(acmeSecret);
    expect((await api.get('/api/workspace/embed-secret', tokens.globexAdmin)).body).toEqual({ configured: false, rotated_at: null });
  });
});

describe('POST /api/embed/session', () => {
  it('opens a one-hour session limited to the inbox for a correctly signed member', async () => {
    await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title: 'for the bell' });
    const response = await exchange(signed(acmeSecret, world.acme.id, world.users.acmeMember.id));
    expect(response.status).toBe(200);
    expect(response.body.user).toEqual({ id: world.users.acmeMember.id, name: 'acme-member' });
    const lifetime = Date.parse(response.body.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(59 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);
    const token = response.body.token as string;
    expect((await api.get('/api/notifications', token)).body.items.map((item: any) => item.title)).toEqual(['for the bell']);
    expect((await api.get('/api/notifications/unread-count', token)).body.count).toBe(1);
    expect((await api.get('/api/me', token)).status).toBe(200);
    expect((await api.post('/api/notifications/stream-ticket', undefined, token)).status).toBe(200);
    // Nothing outside the inbox.
    expect((await api.get('/api/activity', token)).status).toBe(403);
    expect((await api.post('/api/leads', { name: 'x' }, token)).status).toBe(403);
    expect((await api.put('/api/notification-preferences', {}, token)).status).toBe(403);
  });

  it('refuses every wrong signature with the same 401', async () => {
    const { acme, globex, users } = world;
    const globexSecret = (await api.post('/api/workspace/embed-secret', undefined, tokens.globexAdmin)).body.secret;
    const cases = [
      { ...signed(acmeSecret, acme.id, users.acmeMember.id), signature: 'f'.repeat(64) },
      signed(globexSecret, acme.id, users.acmeMember.id), // another workspace's secret
      signed(acmeSecret, acme.id, users.globexMember.id), // not a member of Acme
      signed(acmeSecret, acme.id, users.acmeMember.id, now() - 400), // too old
      signed(acmeSecret, acme.id, users.acmeMember.id, now() + 400), // from the future
      { ...signed(acmeSecret, acme.id, users.acmeMember.id), user_id: users.acmeAdmin.id }, // signed for someone else
      signed(globexSecret, globex.id, users.superAdmin.id), // no membership at all
    ];
    for (const body of cases) {
      const response = await exchange(body);
      expect(response.status, JSON.stringify(body)).toBe(401);
      expect(response.body.error).toBe('invalid_signature');
    }
    expect(await server.db.session.count({ where: { scope: 'notifications', userId: { in: [users.globexMember.id, users.acmeAdmin.id, users.superAdmin.id] } } })).toBe(0);
  });

  it('stops accepting signatures of a rotated secret', async () => {
    const old = signed(acmeSecret, world.acme.id, world.users.acmeMember.id);
    acmeSecret = (await api.post('/api/workspace/embed-secret', undefined, tokens.acmeAdmin2)).body.secret;
    expect((await exchange(old)).status).toBe(401);
    expect((await exchange(signed(acmeSecret, world.acme.id, world.users.acmeMember.id))).status).toBe(200);
  });

  it('accepts a signature once, also when 200 requests bring it at the same moment', async () => {
    const body = signed(acmeSecret, world.acme.id, world.users.acmeMember.id);
    const before = await server.db.session.count({ where: { scope: 'notifications' } });
    const responses = await Promise.all(Array.from({ length: 200 }, () => exchange(body)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(199);
    expect(responses.find((response) => response.status === 409)!.body).toMatchObject({
      error: 'signature_used',
      message: expect.stringMatching(/already been used/),
    });
    expect(await server.db.session.count({ where: { scope: 'notifications' } })).toBe(before + 1);
    // A wrong signature is still the same 401, used or not.
    expect((await exchange({ ...body, signature: 'f'.repeat(64) })).status).toBe(401);
  });

  it('answers 400 to malformed requests', async () => {
    const good = signed(acmeSecret, world.acme.id, world.users.acmeMember.id);
    for (const body of [{ ...good, signature: 'xyz' }, { ...good, timestamp: 'now' }, { ...good, workspace_id: 'acme' }, { ...good, extra: 1 }, {}]) {
      expect((await exchange(body)).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('rotating the embed secret', () => {
  it('is a critical audit event, and ends the bell sessions of the old secret at once', async () => {
    const bell = (await exchange(signed(acmeSecret, world.acme.id, world.users.acmeMember.id))).body.token as string;
    const stream = new StreamClient(`${server.url}/api/notifications/stream`, { token: bell });
    try {
      await stream.next('unread_count');
      const rotated = await api.post('/api/workspace/embed-secret', undefined, tokens.acmeAdmin);
      expect(rotated.status).toBe(200);
      acmeSecret = rotated.body.secret;

      expect((await api.get('/api/notifications', bell)).status).toBe(401);
      await eventually(() => (stream.errors.includes(401) ? true : undefined), 'the old bell stream refused');
      // Full sessions and the new secret's bell sessions are unaffected.
      expect((await api.get('/api/notifications', tokens.acmeMember)).status).toBe(200);
      const fresh = await exchange(signed(acmeSecret, world.acme.id, world.users.acmeMember.id));
      expect((await api.get('/api/notifications', fresh.body.token)).status).toBe(200);

      const audit = await api.get('/api/activity?type=embed_secret.rotated', tokens.acmeAdmin);
      expect(audit.body.items[0]).toMatchObject({ severity: 'critical', actor_user_id: world.users.acmeAdmin.id });
      expect(JSON.stringify(audit.body)).not.toContain(acmeSecret);
      const told = (await api.get('/api/notifications?limit=100', tokens.superAdmin)).body.items as any[];
      expect(told.some((item) => item.meta.activity_id === audit.body.items[0].id)).toBe(true);
    } finally {
      stream.close();
    }
  });
});

describe('the live stream with an embedded bell\'s session', () => {
  const streams: StreamClient[] = [];
  afterAll(() => streams.forEach((client) => client.close()));
  const bellSession = async () => {
    const response = await exchange(signed(acmeSecret, world.acme.id, world.users.acmeMember.id));
    expect(response.status).toBe(200);
    return response.body.token as string;
  };
  const notify = (title: string) =>
    createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title });

  it('opens with the session as bearer (the bell\'s stream client) and with a ticket it asked for, and both deliver new notifications', async () => {
    const token = await bellSession();
    const byBearer = new StreamClient(`${server.url}/api/notifications/stream`, { token });
    streams.push(byBearer);
    await byBearer.next('unread_count');
    const ticket = await api.post('/api/notifications/stream-ticket', undefined, token);
    expect(ticket.status).toBe(200);
    const byTicket = new StreamClient(`${server.url}/api/notifications/stream?ticket=${ticket.body.ticket}`);
    streams.push(byTicket);
    await byTicket.next('unread_count');
    await notify('live in the bell');
    expect((await byBearer.next('notification.created')).data.title).toBe('live in the bell');
    expect((await byTicket.next('notification.created')).data.title).toBe('live in the bell');
  });

  it('gives nothing broader: the ticket is no bearer token, opens no other route and only one stream', async () => {
    const token = await bellSession();
    const { ticket } = (await api.post('/api/notifications/stream-ticket', undefined, token)).body as { ticket: string };
    expect((await api.get('/api/notifications', ticket)).status).toBe(401);
    expect((await fetch(`${server.url}/api/activity?ticket=${ticket}`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/notifications?ticket=${ticket}`)).status).toBe(401);
    const first = new StreamClient(`${server.url}/api/notifications/stream?ticket=${ticket}`);
    streams.push(first);
    await first.next('unread_count');
    expect((await fetch(`${server.url}/api/notifications/stream?ticket=${ticket}`)).status).toBe(401);
    // The session itself stays inside the inbox, on the stream's side too.
    expect((await api.get('/api/activity', token)).status).toBe(403);
  });
});

describe('/embed', () => {
  it('serves a demo host page whose signature opens a session (EMBED_DEMO only)', async () => {
    const page = await fetch(`${server.url}/embed/demo?email=${encodeURIComponent(world.users.globexMember.email)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/embed/bell.js">');
    const attr = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(html)![1]!;
    const response = await exchange({
      workspace_id: attr('workspace-id'),
      user_id: attr('user-id'),
      timestamp: Number(attr('timestamp')),
      signature: attr('signature'),
    });
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(world.users.globexMember.id);
    // Reloads within the same second: each page gets a signature of its own.
    for (let reload = 0; reload < 3; reload++) {
      const again = await (await fetch(`${server.url}/embed/demo?email=${encodeURIComponent(world.users.globexMember.email)}`)).text();
      const value = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(again)![1]!;
      const body = { workspace_id: value('workspace-id'), user_id: value('user-id'), timestamp: Number(value('timestamp')), signature: value('signature') };
      expect((await exchange(body)).status).toBe(200);
    }
    expect((await fetch(`${server.url}/embed/demo?email=nobody@x.test`)).status).toBe(404);
  });

  it('has no demo page without EMBED_DEMO', async () => {
    const plain = await startTestServer({}, { databaseUrl: server.databaseUrl });
    try {
      // Whatever answers the path (the web app's fallback page), nothing signs a user in.
      const html = await (await fetch(`${plain.url}/embed/demo?email=${encodeURIComponent(world.users.acmeMember.email)}`)).text();
      expect(html).not.toContain('signature=');
      expect(html).not.toContain('<tray-notify-bell');
    } finally {
      await plain.close();
    }
  });
});
