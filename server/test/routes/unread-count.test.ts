import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

const personal = (userId: string, workspaceId: string, title: string) =>
  createNotification(server.db, { workspaceId, userId, type: 'task_assigned', title });
const workspaceLevel = (workspaceId: string, title: string) =>
  createNotification(server.db, { workspaceId, userId: null, type: 'playbook_completed', title });

/** What the badge must say: the unread, not archived receipts, counted row by row. */
async function counted(userId: string) {
  const groups = await server.db.notificationReceipt.groupBy({
    by: ['workspaceId'],
    where: { userId, readAt: null, archivedAt: null },
    _count: { _all: true },
  });
  const byWorkspace = Object.fromEntries(groups.map((group) => [group.workspaceId, group._count._all]));
  return { count: groups.reduce((sum, group) => sum + group._count._all, 0), by_workspace: byWorkspace };
}

async function expectExact(userKey: keyof World['users']) {
  const response = await api.get('/api/notifications/unread-count', tokens[userKey]);
  expect(response.status).toBe(200);
  // `unseen` comes on top of the maintained unread counts.
  expect(response.body, userKey).toMatchObject(await counted(world.users[userKey].id));
}

const notificationIds = async (userKey: keyof World['users']) =>
  (await server.db.notificationReceipt.findMany({ where: { userId: world.users[userKey].id }, select: { notificationId: true } })).map(
    (row) => row.notificationId,
  );

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

describe('GET /api/notifications/unread-count (maintained counter)', () => {
  it('follows create, read, unread, archive and unarchive, per workspace', async () => {
    await personal(world.users.both.id, world.acme.id, 'acme 1');
    await personal(world.users.both.id, world.acme.id, 'acme 2');
    await workspaceLevel(world.globex.id, 'globex shared'); // `both` is a globex admin
    let response = await api.get('/api/notifications/unread-count', tokens.both);
    expect(response.body).toMatchObject({ count: 3, by_workspace: { [world.acme.id]: 2, [world.globex.id]: 1 } });

    const [first, second] = await notificationIds('both');
    await api.patch(`/api/notifications/${first}`, { read: true }, tokens.both);
    await api.patch(`/api/notifications/${first}`, { read: true }, tokens.both); // twice: counted once
    await api.patch(`/api/notifications/${second}`, { archived: true }, tokens.both);
    await expectExact('both');
    await api.patch(`/api/notifications/${first}`, { read: false }, tokens.both);
    await api.patch(`/api/notifications/${second}`, { archived: false }, tokens.both);
    await expectExact('both');
    response = await api.get('/api/notifications/unread-count', tokens.both);
    expect(response.body.count).toBe(3);

    await api.post('/api/notifications/mark-all-read', { workspace_id: world.acme.id }, tokens.both);
    response = await api.get('/api/notifications/unread-count', tokens.both);
    // A workspace with nothing unread is left out, as before the counter.
    expect(response.body).toMatchObject({ count: 1, by_workspace: { [world.globex.id]: 1 } });
  });

  it('stays exact under parallel creates, reads, unreads, archives and mark-all-read', async () => {
    const admins = ['acmeAdmin', 'acmeAdmin2'] as const;
    for (let i = 0; i < 10; i++) await workspaceLevel(world.acme.id, `seed ${i}`);
    const ids = await notificationIds('acmeAdmin');
    // Waves of a dozen requests at once: each wave races changes to the same receipts and
    // counters (the test server's pool has 5 connections, so more would only queue).
    for (let round = 0; round < 6; round++) {
      for (const admin of admins) {
        const wave: Promise<{ status: number } | unknown>[] = [];
        for (const [index, id] of ids.entries()) {
          wave.push(api.patch(`/api/notifications/${id}`, { read: (round + index) % 2 === 0 }, tokens[admin]));
          if (index % 3 === 0) wave.push(api.patch(`/api/notifications/${id}`, { archived: round % 2 === 0 }, tokens[admin]));
          if (index === 5) wave.push(api.post('/api/notifications/mark-all-read', undefined, tokens[admin]));
        }
        // New workspace-level notifications reach both admins while their receipts change.
        wave.push(workspaceLevel(world.acme.id, `during ${round}`));
        wave.push(personal(world.users.acmeAdmin.id, world.acme.id, `personal ${round}`));
        // Settled, not all: a failure must not leave the rest of the wave running into the next test.
        const results = await Promise.allSettled(wave);
        const failed = results.filter(
          (result) => result.status === 'rejected' || ((result.value as { status?: number }).status ?? 200) !== 200,
        );
        expect(failed).toEqual([]);
      }
    }
    for (const admin of admins) await expectExact(admin);
    expect((await api.get('/api/notifications/unread-count', tokens.acmeAdmin)).body.count).toBeGreaterThan(0);
  });

  it('drops a removed member’s unread receipts of that workspace, and a deleted user’s', async () => {
    await personal(world.users.acmeMember.id, world.acme.id, 'for the member');
    await workspaceLevel(world.acme.id, 'for the admins');
    await expectExact('acmeMember');
    const removed = await api.request('DELETE', `/api/workspace/members/${world.users.acmeMember.id}`, { token: tokens.acmeAdmin });
    expect(removed.status).toBe(204);
    const member = await server.db.notificationUnreadCount.findMany({ where: { userId: world.users.acmeMember.id, unread: { gt: 0 } } });
    expect(member).toEqual([]);
    // Deleting a notification (cascade to receipts) takes it off every badge.
    const before = (await api.get('/api/notifications/unread-count', tokens.acmeAdmin2)).body.count;
    const shared = await server.db.notification.findFirstOrThrow({ where: { title: 'for the admins' } });
    await server.db.notification.delete({ where: { id: shared.id } });
    expect((await api.get('/api/notifications/unread-count', tokens.acmeAdmin2)).body.count).toBe(before - 1);
    await expectExact('acmeAdmin2');
  });
});
