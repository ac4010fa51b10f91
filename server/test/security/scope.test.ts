import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEmbedUser } from '../../src/domain/embed-signature.ts';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
import {
  apiClient,
  createWorld,
  PASSWORD,
  startTestServer,
  StreamClient,
  type ApiClient,
  type TestServer,
  type World,
} from '../helper.ts';

// What a session may see: a bell session only its own workspace's inbox, a removed or demoted
// member only what they may see now, also when the stream replays from the start.
let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
const streams: StreamClient[] = [];
let acmeSecret: string;
let signedAt = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
  acmeSecret = (await api.post('/api/workspace/embed-secret', undefined, tokens.acmeAdmin)).body.secret;
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  await server.close();
});

/** A bell session for `userId` signed with Acme's secret; each call signs a new second. */
async function acmeBellSession(userId: string) {
  const timestamp = (signedAt -= 1);
  const response = await api.post('/api/embed/session', {
    workspace_id: world.acme.id,
    user_id: userId,
    timestamp,
    signature: signEmbedUser(acmeSecret, world.acme.id, userId, timestamp),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.token as string;
}

const openStream = (token: string, lastEventId?: string) => {
  const stream = new StreamClient(`${server.url}/api/notifications/stream`, { token, lastEventId });
  streams.push(stream);
  return stream;
};

const titles = (items: { title: string }[]) => items.map((item) => item.title).sort();

describe('a bell session signed by one workspace', () => {
  let acmeNote: string;
  let globexNote: string;
  let bell: string;

  beforeAll(async () => {
    const { acme, globex, users } = world;
    acmeNote = (await createNotification(server.db, { workspaceId: acme.id, userId: users.both.id, type: 'task_assigned', title: 'acme: call Ann' })).notification.id;
    globexNote = (await createNotification(server.db, { workspaceId: globex.id, userId: users.both.id, type: 'task_assigned', title: 'globex: secret deal' })).notification.id;
    bell = await acmeBellSession(users.both.id);
  });

  it('lists and counts only that workspace, and refuses another workspace by name', async () => {
    const all = await api.get('/api/notifications?limit=100', bell);
    expect(all.status).toBe(200);
    expect(titles(all.body.items)).toEqual(['acme: call Ann']);
    const other = await api.get(`/api/notifications?workspace_id=${world.globex.id}`, bell);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/workspace/);
    const count = await api.get('/api/notifications/unread-count', bell);
    expect(count.body).toEqual({ count: 1, by_workspace: { [world.acme.id]: 1 }, unseen: 1, unseen_by_workspace: { [world.acme.id]: 1 } });
    const me = await api.get('/api/me', bell);
    expect(me.body.memberships.map((membership: any) => membership.workspace_id)).toEqual([world.acme.id]);
  });

  it("changes nothing of another workspace's inbox", async () => {
    expect((await api.patch(`/api/notifications/${globexNote}`, { read: true }, bell)).status).toBe(404);
    expect((await api.post(`/api/notifications/${globexNote}/mute`, { scope: 'type' }, bell)).status).toBe(403);
    expect((await api.get('/api/notification-preferences/mutes', bell)).status).toBe(403);
    expect((await api.post('/api/notifications/mark-all-read', { workspace_id: world.globex.id }, bell)).status).toBe(403);
    expect((await api.post('/api/notifications/mark-all-seen', { workspace_id: world.globex.id }, bell)).status).toBe(403);
    const seen = await api.post('/api/notifications/mark-all-seen', {}, bell);
    expect(seen.body).toEqual({ updated: 1 });
    const read = await api.post('/api/notifications/mark-all-read', {}, bell);
    expect(read.body).toEqual({ updated: 1, undo_token: expect.any(String) });
    // The full session still sees Globex's entry untouched.
    const full = await api.get('/api/notifications/unread-count', tokens.both);
    expect(full.body).toMatchObject({ count: 1, by_workspace: { [world.globex.id]: 1 }, unseen_by_workspace: { [world.globex.id]: 1 } });
    expect((await api.patch(`/api/notifications/${acmeNote}`, { read: false }, bell)).status).toBe(200);
  });

  it('streams and replays only that workspace, whether by bearer or by ticket', async () => {
    const byBearer = openStream(bell, '0');
    const { ticket } = (await api.post('/api/notifications/stream-ticket', undefined, bell)).body as { ticket: string };
    const byTicket = new StreamClient(`${server.url}/api/notifications/stream?ticket=${ticket}&last_event_id=0`);
    streams.push(byTicket);
    for (const stream of [byBearer, byTicket]) {
      const count = await stream.next('unread_count');
      expect(Object.keys(count.data.by_workspace)).toEqual([world.acme.id]);
    }
    // Live: Globex's first, then Acme's; when Acme's arrives, Globex's would have.
    await createNotification(server.db, { workspaceId: world.globex.id, userId: world.users.both.id, type: 'task_assigned', title: 'globex: live' });
    await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.both.id, type: 'task_assigned', title: 'acme: live' });
    for (const stream of [byBearer, byTicket]) {
      await stream.take('notification.created', 2);
      expect(stream.of('notification.created').map((event) => event.data.title)).toEqual(['acme: call Ann', 'acme: live']);
      const workspaces = stream.events.flatMap((event) =>
        event.type === 'unread_count' ? Object.keys(event.data.by_workspace) : event.data.workspace_id ? [event.data.workspace_id] : [],
      );
      expect(new Set(workspaces)).toEqual(new Set([world.acme.id]));
      const updatedIds = stream.of('notification.updated').map((event) => event.data.id);
      expect(updatedIds).not.toContain(globexNote);
      expect(stream.of('resync')).toEqual([]);
    }
    // The same user's full session streams both workspaces.
    const full = openStream(tokens.both!, '0');
    await full.take('notification.created', 4);
    expect(titles(full.of('notification.created').map((event) => event.data))).toEqual([
      'acme: call Ann',
      'acme: live',
      'globex: live',
      'globex: secret deal',
    ]);
  });
});

describe('a member removed or demoted', () => {
  async function newMember(role: 'admin' | 'member') {
    const user = await server.db.user.create({
      data: { email: `leaver-${randomUUID().slice(0, 8)}@test.example`, name: 'leaver', passwordHash: (await server.db.user.findUniqueOrThrow({ where: { id: world.users.acmeAdmin.id } })).passwordHash },
    });
    await server.db.membership.create({ data: { workspaceId: world.acme.id, userId: user.id, role } });
    return { id: user.id, token: await api.login(user.email, PASSWORD) };
  }

  it('replays none of the removed workspace after removal', async () => {
    const leaver = await newMember('member');
    for (const title of ['plan A', 'plan B', 'plan C']) {
      await createNotification(server.db, { workspaceId: world.acme.id, userId: leaver.id, type: 'task_assigned', title });
    }
    const before = openStream(leaver.token, '0');
    await before.take('notification.created', 3);
    before.close();
    const bell = await acmeBellSession(leaver.id);

    const removed = await api.request('DELETE', `/api/workspace/members/${leaver.id}`, { token: tokens.acmeAdmin });
    expect(removed.status).toBe(204);
    const after = openStream(leaver.token, '0');
    await after.next('unread_count');
    expect(after.of('notification.created')).toEqual([]);
    expect(JSON.stringify(after.events)).not.toContain('plan A');
    // Told to refetch, it finds nothing of the workspace either.
    expect(after.of('resync')).toHaveLength(1);
    expect((await api.get('/api/notifications', leaver.token)).body.items).toEqual([]);
    // A bell session the workspace signed before reaches nothing now, not even their other workspaces.
    expect((await api.get('/api/notifications', bell)).status).toBe(403);
    expect((await api.get('/api/notifications/unread-count', bell)).status).toBe(403);
    const bellStream = await fetch(`${server.url}/api/notifications/stream`, { headers: { authorization: `Bearer ${bell}` } });
    expect(bellStream.status).toBe(403);
  });

  it('replays no workspace-level notification after a demotion, and keeps their own', async () => {
    const demoted = await newMember('admin');
    await createNotification(server.db, { workspaceId: world.acme.id, userId: demoted.id, type: 'task_assigned', title: 'yours: call Bob' });
    await createNotification(server.db, { workspaceId: world.acme.id, userId: null, type: 'job_failed', title: 'admins: payroll export failed' });
    const before = openStream(demoted.token, '0');
    await before.take('notification.created', 2);
    before.close();

    const changed = await api.patch(`/api/workspace/members/${demoted.id}`, { role: 'member' }, tokens.acmeAdmin);
    expect(changed.status).toBe(200);
    const after = openStream(demoted.token, '0');
    await after.next('notification.created');
    await after.next('unread_count');
    expect(after.of('notification.created').map((event) => event.data.title)).toEqual(['yours: call Bob']);
    expect(JSON.stringify(after.events)).not.toContain('payroll');
    expect(titles((await api.get('/api/notifications', demoted.token)).body.items)).toEqual(['yours: call Bob']);
  });
});
