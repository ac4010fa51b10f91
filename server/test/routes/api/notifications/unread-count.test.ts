import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { wakeSnoozed } from '../../../../src/services/notifications/wake-snoozed.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

const personal = (userId: string, workspaceId: string, title: string) =>
  createNotification(server.db, { workspaceId, userId, type: 'task_assigned', title });
const workspaceLevel = (workspaceId: string, title: string) =>
  createNotification(server.db, { workspaceId, userId: null, type: 'playbook_completed', title });

/** What the badge must say, counted row by row: unread and unseen entries, not archived, not snoozed. */
async function counted(userId: string) {
  const rows = await server.db.$queryRaw<{ workspace_id: string; unread: number; unseen: number }[]>`
    SELECT workspace_id, count(*) FILTER (WHERE read_at IS NULL)::int AS unread, count(*) FILTER (WHERE seen_at IS NULL)::int AS unseen
      FROM notification_receipts
     WHERE user_id = ${userId}::uuid AND archived_at IS NULL AND (snoozed_until IS NULL OR snoozed_until <= now())
     GROUP BY workspace_id`;
  const per = (key: 'unread' | 'unseen') => Object.fromEntries(rows.filter((row) => row[key] > 0).map((row) => [row.workspace_id, row[key]]));
  const sum = (key: 'unread' | 'unseen') => rows.reduce((total, row) => total + row[key], 0);
  return { count: sum('unread'), by_workspace: per('unread'), unseen: sum('unseen'), unseen_by_workspace: per('unseen') };
}

async function expectExact(userKey: keyof World['users']) {
  const response = await api.get('/api/notifications/unread-count', tokens[userKey]);
  expect(response.status).toBe(200);
  expect(response.body, userKey).toEqual(await counted(world.users[userKey].id));
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

  it('stays exact under parallel creates, reads, unreads, archives, seen, snoozes, mark-all-read and mark-all-seen', async () => {
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
          if (index % 4 === 1) wave.push(api.patch(`/api/notifications/${id}`, { seen: round % 2 === 1 }, tokens[admin]));
          // Snoozed for an hour, or back now.
          if (index % 5 === 2) {
            const snoozed_until = round % 2 === 0 ? new Date(Date.now() + 3600_000).toISOString() : null;
            wave.push(api.patch(`/api/notifications/${id}`, { snoozed_until }, tokens[admin]));
          }
          if (index === 5) wave.push(api.post('/api/notifications/mark-all-read', undefined, tokens[admin]));
          if (index === 7) wave.push(api.post('/api/notifications/mark-all-seen', {}, tokens[admin]));
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

  it('hides a snoozed entry from both counts, counts it again when its time comes (before and after the waker moves it), once', async () => {
    const { notification } = await personal(world.users.globexMember.id, world.globex.id, 'snooze me');
    await personal(world.users.globexMember.id, world.globex.id, 'stays');
    const before = (await api.get('/api/notifications/unread-count', tokens.globexMember)).body;
    expect(before).toMatchObject({ count: 2, unseen: 2 });
    const snoozed = await api.patch(`/api/notifications/${notification.id}`, { snoozed_until: new Date(Date.now() + 3600_000).toISOString() }, tokens.globexMember);
    expect(snoozed.status).toBe(200);
    expect((await api.get('/api/notifications/unread-count', tokens.globexMember)).body).toMatchObject({ count: 1, unseen: 1 });
    // Its time comes (moved into the past here); the waker has not run yet.
    await server.db.notificationReceipt.update({
      where: { notificationId_userId: { notificationId: notification.id, userId: world.users.globexMember.id } },
      data: { snoozedUntil: new Date(Date.now() - 1000) },
    });
    expect((await api.get('/api/notifications/unread-count', tokens.globexMember)).body).toEqual(before);
    expect(await wakeSnoozed(server.db)).toBeGreaterThanOrEqual(1);
    expect((await api.get('/api/notifications/unread-count', tokens.globexMember)).body).toEqual(before);
    await expectExact('globexMember');
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
