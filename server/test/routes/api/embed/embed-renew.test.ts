import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEmbedUser } from '../../../../src/domain/embed-signature.ts';
import { apiClient, createWorld, eventually, startTestServer, StreamClient, type ApiClient, type TestServer, type World } from '../../../helper.ts';

// A bell session renewed while the host page stays open: POST /api/embed/session/renew.
let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
let acmeSecret: string;
let lastSignedAt = Math.floor(Date.now() / 1000);

async function bellSession(userId: string) {
  const timestamp = (lastSignedAt -= 1);
  const res = await api.post('/api/embed/session', {
    workspace_id: world.acme.id,
    user_id: userId,
    timestamp,
    signature: signEmbedUser(acmeSecret, world.acme.id, userId, timestamp),
  });
  expect(res.status).toBe(200);
  return res.body as { token: string; expires_at: string };
}
const renew = (token?: string) => api.post('/api/embed/session/renew', undefined, token);

beforeAll(async () => {
  server = await startTestServer({}, { stream: { sessionCheckMs: 100, retryMs: 200 } });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
  acmeSecret = (await api.post('/api/workspace/embed-secret', undefined, tokens.acmeAdmin)).body.secret;
});
afterAll(() => server.close());

describe('POST /api/embed/session/renew', () => {
  it('exchanges a live bell session for a new hour; the old one ends and the stream moves to the new one', async () => {
    const first = await bellSession(world.users.acmeMember.id);
    const stream = new StreamClient(`${server.url}/api/notifications/stream`, { token: first.token });
    await stream.waitOpen();
    try {
      const renewed = await renew(first.token);
      expect(renewed.status).toBe(200);
      expect(renewed.headers.get('content-type')).toMatch(/^application\/json/);
      expect(renewed.body).toEqual({ token: expect.any(String), expires_at: expect.any(String), user: { id: world.users.acmeMember.id, name: 'acme-member' } });
      expect(renewed.body.token).not.toBe(first.token);
      const expiresIn = Date.parse(renewed.body.expires_at) - Date.now();
      expect(expiresIn).toBeGreaterThan(59 * 60_000);
      expect(expiresIn).toBeLessThanOrEqual(60 * 60_000);

      // The new session is the bell's: inbox yes, anything else no.
      expect((await api.get('/api/notifications/unread-count', renewed.body.token)).status).toBe(200);
      expect((await api.get('/api/activity', renewed.body.token)).status).toBe(403);
      // The old one is over, and renews nothing more.
      expect((await api.get('/api/notifications/unread-count', first.token)).status).toBe(401);
      expect((await renew(first.token)).status).toBe(401);
      // Its stream is closed by the session sweep, and cannot reconnect on the old session.
      await eventually(() => (stream.readyState === 2 && stream.errors.includes(401) ? true : undefined), 'the old session’s stream closed');
    } finally {
      stream.close();
    }
  });

  it('renews each session once under parallel requests', async () => {
    const session = await bellSession(world.users.acmeMember.id);
    const live = () => server.db.session.count({ where: { userId: world.users.acmeMember.id, scope: 'notifications', revokedAt: null, expiresAt: { gt: new Date() } } });
    const before = await live();
    const results = await Promise.all(Array.from({ length: 8 }, () => renew(session.token)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
    // One session ended, one opened: the winner's token works, the renewed one does not.
    expect(await live()).toBe(before);
    const winner = results.find((r) => r.status === 200)!.body.token as string;
    expect((await api.get('/api/notifications/unread-count', winner)).status).toBe(200);
    expect((await api.get('/api/notifications/unread-count', session.token)).status).toBe(401);
  });

  it('refuses app sessions, anonymous callers, and someone no longer in the workspace', async () => {
    const app = await renew(tokens.acmeMember);
    expect(app.status).toBe(403);
    expect(app.body.message).toMatch(/embedded bell/);
    expect((await renew()).status).toBe(401);
    expect((await renew('not-a-token')).status).toBe(401);

    const session = await bellSession(world.users.acmeAdmin2.id);
    await server.db.membership.delete({ where: { workspaceId_userId: { workspaceId: world.acme.id, userId: world.users.acmeAdmin2.id } } });
    const removed = await renew(session.token);
    expect(removed.status).toBe(401);
    expect(await server.db.session.count({ where: { userId: world.users.acmeAdmin2.id, scope: 'notifications', revokedAt: null } })).toBe(1);
  });
});
