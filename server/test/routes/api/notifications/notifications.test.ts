import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

const personal = (userId: string, workspaceId: string, title: string) =>
  createNotification(server.db, {
    workspaceId,
    userId,
    type: 'task_assigned',
    title,
    body: `body of ${title}`,
    targetUrl: '/leads/7?tab=tasks',
    meta: { task_id: 't1', lead_id: '7' },
  });
const workspaceLevel = (workspaceId: string, title: string) =>
  createNotification(server.db, { workspaceId, userId: null, type: 'playbook_completed', title, body: '243 leads added' });

const titles = (response: { body: { items: { title: string }[] } }) => response.body.items.map((item) => item.title);

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.db.notification.deleteMany();
});

describe('GET /api/notifications', () => {
  it('shows personal notifications to their user, workspace-level ones to that workspace’s admins only', async () => {
    const mine = await personal(world.users.acmeMember.id, world.acme.id, 'for acme member');
    await personal(world.users.acmeAdmin.id, world.acme.id, 'for acme admin');
    await workspaceLevel(world.acme.id, 'acme playbook');
    await workspaceLevel(world.globex.id, 'globex playbook');

    expect(titles(await api.get('/api/notifications', tokens.acmeMember))).toEqual(['for acme member']);
    expect(titles(await api.get('/api/notifications', tokens.acmeAdmin))).toEqual(['acme playbook', 'for acme admin']);
    expect(titles(await api.get('/api/notifications', tokens.acmeAdmin2))).toEqual(['acme playbook']);
    expect(titles(await api.get('/api/notifications', tokens.globexAdmin))).toEqual(['globex playbook']);
    expect(titles(await api.get('/api/notifications', tokens.globexMember))).toEqual([]);
    // `both` is an admin of Globex and a member of Acme: across workspaces, without switching.
    expect(titles(await api.get('/api/notifications', tokens.both))).toEqual(['globex playbook']);
    expect(titles(await api.get('/api/notifications', tokens.superAdmin))).toEqual([]);

    const [item] = (await api.get('/api/notifications', tokens.acmeMember)).body.items;
    expect(item).toEqual({
      id: mine.notification.id,
      workspace_id: world.acme.id,
      user_id: world.users.acmeMember.id,
      type: 'task_assigned',
      title: 'for acme member',
      body: 'body of for acme member',
      target_url: '/leads/7?tab=tasks',
      meta: { task_id: 't1', lead_id: '7' },
      read_at: null,
      archived_at: null,
      claimed_by: null,
      claimed_at: null,
      escalated_at: null,
      seen_at: null,
      snoozed_until: null,
      reason: 'It was sent to you',
      created_at: expect.any(String),
      first_arrived_at: expect.any(String),
    });
    expect(item.first_arrived_at).toBe(item.created_at);
  });

  it('keeps read state per admin for workspace-level notifications', async () => {
    const { notification } = await workspaceLevel(world.acme.id, 'shared');
    const read = await api.patch(`/api/notifications/${notification.id}`, { read: true }, tokens.acmeAdmin);
    expect(read.status).toBe(200);
    expect(read.body.read_at).not.toBeNull();
    expect((await api.get('/api/notifications', tokens.acmeAdmin)).body.items[0].read_at).not.toBeNull();
    expect((await api.get('/api/notifications', tokens.acmeAdmin2)).body.items[0].read_at).toBeNull();
    expect((await api.get('/api/notifications/unread-count', tokens.acmeAdmin)).body.count).toBe(0);
    expect((await api.get('/api/notifications/unread-count', tokens.acmeAdmin2)).body.count).toBe(1);
  });

  it('filters only_unread, honours limit and pages by cursor', async () => {
    for (let i = 0; i < 7; i++) await personal(world.users.acmeMember.id, world.acme.id, `n${i}`);
    const all = await api.get('/api/notifications?limit=3', tokens.acmeMember);
    expect(all.body).toMatchObject({ page_size: 3 });
    expect(titles(all)).toEqual(['n6', 'n5', 'n4']);
    const next = await api.get(`/api/notifications?limit=3&cursor=${all.body.next_cursor}`, tokens.acmeMember);
    expect(titles(next)).toEqual(['n3', 'n2', 'n1']);
    const last = await api.get(`/api/notifications?limit=3&cursor=${next.body.next_cursor}`, tokens.acmeMember);
    expect(titles(last)).toEqual(['n0']);
    expect(last.body.next_cursor).toBeNull();

    const n5 = all.body.items[1].id;
    await api.patch(`/api/notifications/${n5}`, { read: true }, tokens.acmeMember);
    const unread = await api.get('/api/notifications?only_unread=true&limit=100', tokens.acmeMember);
    expect(titles(unread)).toEqual(['n6', 'n4', 'n3', 'n2', 'n1', 'n0']);
  });

  it('leaves archived notifications out unless archived=true', async () => {
    const { notification } = await personal(world.users.acmeMember.id, world.acme.id, 'to archive');
    await personal(world.users.acmeMember.id, world.acme.id, 'kept');
    const archived = await api.patch(`/api/notifications/${notification.id}`, { archived: true }, tokens.acmeMember);
    expect(archived.body.archived_at).not.toBeNull();
    expect(titles(await api.get('/api/notifications', tokens.acmeMember))).toEqual(['kept']);
    expect(titles(await api.get('/api/notifications?archived=true', tokens.acmeMember))).toEqual(['to archive']);
    expect((await api.get('/api/notifications/unread-count', tokens.acmeMember)).body.count).toBe(1);
    const restored = await api.patch(`/api/notifications/${notification.id}`, { archived: false }, tokens.acmeMember);
    expect(restored.body.archived_at).toBeNull();
    expect(titles(await api.get('/api/notifications', tokens.acmeMember))).toEqual(['kept', 'to archive']);
  });

  it('filters by workspace for users of several workspaces', async () => {
    await personal(world.users.both.id, world.acme.id, 'acme side');
    await personal(world.users.both.id, world.globex.id, 'globex side');
    await workspaceLevel(world.globex.id, 'globex admins');
    expect(titles(await api.get(`/api/notifications?workspace_id=${world.acme.id}`, tokens.both))).toEqual(['acme side']);
    const count = await api.get('/api/notifications/unread-count', tokens.both);
    expect(count.body).toEqual({
      count: 3,
      by_workspace: { [world.acme.id]: 1, [world.globex.id]: 2 },
      unseen: 3,
      unseen_by_workspace: { [world.acme.id]: 1, [world.globex.id]: 2 },
    });
  });

  it('refuses bad parameters with 400', async () => {
    for (const query of ['limit=101', 'limit=0', 'only_unread=maybe', 'workspace_id=1', 'cursor=%%%', 'sort=asc']) {
      const response = await api.get(`/api/notifications?${query}`, tokens.acmeMember);
      expect(response.status, query).toBe(400);
      expect(response.body.error, query).toBe('invalid_request');
    }
    expect((await api.get('/api/notifications')).status).toBe(401);
  });
});

describe('PATCH /api/notifications/{id}', () => {
  it('marks read and unread again', async () => {
    const { notification } = await personal(world.users.acmeMember.id, world.acme.id, 'x');
    const read = await api.patch(`/api/notifications/${notification.id}`, { read: true }, tokens.acmeMember);
    expect(read.body).toMatchObject({ id: notification.id, read_at: expect.any(String), archived_at: null });
    const again = await api.patch(`/api/notifications/${notification.id}`, { read: true }, tokens.acmeMember);
    expect(again.body.read_at).toBe(read.body.read_at);
    const unread = await api.patch(`/api/notifications/${notification.id}`, { read: false }, tokens.acmeMember);
    expect(unread.body.read_at).toBeNull();
  });

  it('answers 404 for every notification the caller does not receive, and changes nothing', async () => {
    const memberOwn = await personal(world.users.acmeMember.id, world.acme.id, 'member only');
    const acmeShared = await workspaceLevel(world.acme.id, 'acme admins');
    const globexOwn = await personal(world.users.globexMember.id, world.globex.id, 'globex member');
    const attempts: [string, string][] = [
      ['acmeAdmin', memberOwn.notification.id], // another user's personal notification, same workspace
      ['acmeMember', acmeShared.notification.id], // workspace-level, but not an admin
      ['globexAdmin', acmeShared.notification.id], // another workspace
      ['acmeAdmin', globexOwn.notification.id],
      ['superAdmin', memberOwn.notification.id],
      ['acmeMember', '00000000-0000-4000-8000-000000000000'],
    ];
    for (const [who, id] of attempts) {
      const response = await api.patch(`/api/notifications/${id}`, { read: true, archived: true }, tokens[who]);
      expect(response.status, who).toBe(404);
      expect(response.body).toEqual({ error: 'not_found', message: 'No such notification.' });
    }
    const receipts = await server.db.notificationReceipt.findMany();
    expect(receipts.every((receipt) => receipt.readAt === null && receipt.archivedAt === null)).toBe(true);
  });

  it('rejects malformed ids and bodies with 400, writing nothing', async () => {
    const { notification } = await personal(world.users.acmeMember.id, world.acme.id, 'x');
    const url = `/api/notifications/${notification.id}`;
    const cases: [string, unknown][] = [
      ['/api/notifications/123', { read: true }],
      [url, {}],
      [url, { read: 'yes' }],
      [url, { read: true, pinned: true }],
      [url, [true]],
    ];
    for (const [path, body] of cases) {
      const response = await api.patch(path, body, tokens.acmeMember);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(response.body).sort()).toEqual(['error', 'message']);
    }
    const oversized = await api.patch(url, { read: true, padding: 'x'.repeat(2 * 1024 * 1024) }, tokens.acmeMember);
    expect(oversized.status).toBe(413);
    const receipt = await server.db.notificationReceipt.findFirstOrThrow({ where: { notificationId: notification.id } });
    expect(receipt.readAt).toBeNull();
  });
});

describe('POST /api/notifications/mark-all-read', () => {
  it('marks the caller’s unread notifications only and returns how many', async () => {
    await personal(world.users.acmeAdmin.id, world.acme.id, 'a');
    await personal(world.users.acmeAdmin.id, world.acme.id, 'b');
    await workspaceLevel(world.acme.id, 'shared');
    await personal(world.users.acmeMember.id, world.acme.id, 'member');
    const response = await api.post('/api/notifications/mark-all-read', undefined, tokens.acmeAdmin);
    expect(response.body).toEqual({ updated: 3, undo_token: expect.any(String) });
    expect((await api.get('/api/notifications/unread-count', tokens.acmeAdmin)).body.count).toBe(0);
    expect((await api.get('/api/notifications/unread-count', tokens.acmeAdmin2)).body.count).toBe(1);
    expect((await api.get('/api/notifications/unread-count', tokens.acmeMember)).body.count).toBe(1);
    expect((await api.post('/api/notifications/mark-all-read', undefined, tokens.acmeAdmin)).body).toEqual({ updated: 0, undo_token: null });
  });

  it('can be limited to one workspace', async () => {
    await personal(world.users.both.id, world.acme.id, 'acme');
    await personal(world.users.both.id, world.globex.id, 'globex');
    const response = await api.post('/api/notifications/mark-all-read', { workspace_id: world.globex.id }, tokens.both);
    expect(response.body).toEqual({ updated: 1, undo_token: expect.any(String) });
    expect((await api.get('/api/notifications/unread-count', tokens.both)).body).toEqual({
      count: 1,
      by_workspace: { [world.acme.id]: 1 },
      unseen: 1,
      unseen_by_workspace: { [world.acme.id]: 1 },
    });
    const bad = await api.post('/api/notifications/mark-all-read', { workspace: world.globex.id }, tokens.both);
    expect(bad.status).toBe(400);
  });
});

describe('createNotification', () => {
  it('commits with the caller’s transaction and leaves nothing when it rolls back', async () => {
    await expect(
      server.db.$transaction(async (tx) => {
        await createNotification(tx, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title: 'rolled back' });
        throw new Error('domain change failed');
      }),
    ).rejects.toThrow('domain change failed');
    expect(await server.db.notification.count({ where: { title: 'rolled back' } })).toBe(0);
    expect(await server.db.streamEvent.count({ where: { data: { path: ['title'], equals: 'rolled back' } } })).toBe(0);
  });

  it('refuses a personal notification for someone outside the workspace', async () => {
    await expect(personal(world.users.globexMember.id, world.acme.id, 'wrong')).rejects.toThrow(/not a member/);
    expect(await server.db.notification.count()).toBe(0);
  });
});
