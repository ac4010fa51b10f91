import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, eventually, startTestServer, type TestServer, type World } from '../../../helper.ts';

// Snoozed notifications wake exactly once, whichever of several instances finds them due,
// and wake after a restart for what came due while no server ran.
let world: World;
let first: TestServer;
const servers: TestServer[] = [];

const start = async (databaseUrl?: string) => {
  const server = await startTestServer({ snoozePollMs: 50 }, { databaseUrl });
  servers.push(server);
  return server;
};

beforeAll(async () => {
  first = await start();
  world = await createWorld(first.db);
});
afterAll(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const createdEvents = (server: TestServer, id: string) =>
  server.db.streamEvent.count({ where: { type: 'notification.created', data: { path: ['id'], equals: id } } });

describe('snooze across instances and restarts', () => {
  it('three instances polling every 50 ms wake each of 30 entries once', async () => {
    await start(first.databaseUrl);
    await start(first.databaseUrl);
    const api = apiClient(first.url);
    const token = await api.login(world.users.acmeAdmin.email);
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) {
      // Workspace-level: both admins hold an entry of each, 30 entries in all.
      const { notification } = await createNotification(first.db, { workspaceId: world.acme.id, userId: null, type: 'job_failed', title: `n${i}` });
      ids.push(notification.id);
    }
    const due = new Date(Date.now() + 300);
    await first.db.notificationReceipt.updateMany({ where: { notificationId: { in: ids } }, data: { snoozedUntil: due } });
    await eventually(
      async () => ((await first.db.notificationReceipt.count({ where: { snoozedUntil: { not: null } } })) === 0 ? true : undefined),
      'every entry awake',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const id of ids) {
      // Its creation once per admin, and its waking once per admin.
      expect(await createdEvents(first, id)).toBe(4);
    }
    const items = (await api.get('/api/notifications?limit=100', token)).body.items;
    expect(items).toHaveLength(15);
    expect(items.every((item: any) => item.read_at === null && item.seen_at === null && item.snoozed_until === null)).toBe(true);
  });

  it('wakes what came due while no server was running, once a server starts', async () => {
    for (const server of servers.splice(0)) await server.close();
    const databaseUrl = first.databaseUrl;
    const { createPrismaClient } = await import('../../../../src/db/prisma.ts');
    const db = createPrismaClient(databaseUrl, 2);
    const { notification } = await createNotification(db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title: 'while down' });
    await db.notificationReceipt.updateMany({
      where: { notificationId: notification.id },
      data: { snoozedUntil: new Date(Date.now() - 60_000), readAt: new Date() },
    });
    const restarted = await start(databaseUrl);
    await eventually(
      async () => ((await restarted.db.notificationReceipt.count({ where: { notificationId: notification.id, snoozedUntil: null, readAt: null } })) === 1 ? true : undefined),
      'the entry awake after restart',
    );
    expect(await createdEvents(restarted, notification.id)).toBe(2);
    await db.$disconnect();
    first = restarted;
  });
});
