import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintainActivityPartitions, partitionNames } from '../../src/services/activity/activity-partitions.ts';
import { recordActivity } from '../../src/services/activity/record-activity.ts';
import { pruneReadNotifications } from '../../src/services/housekeeping/prune-read-notifications.ts';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, startTestServer, type TestServer, type World } from '../helper.ts';

let server: TestServer;
let world: World;
const DAY = 24 * 3600 * 1000;
const monthName = (date: Date) => `activities_${date.getUTCFullYear()}_${String(date.getUTCMonth() + 1).padStart(2, '0')}`;

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server.db);
});
afterAll(() => server.close());

const entry = (summary: string, createdAt: Date) =>
  recordActivity(server.db, { workspaceId: world.acme.id, actorUserId: null, type: 'job.created', summary, createdAt });
const partitionOf = async (summary: string) =>
  (await server.db.$queryRaw<{ p: string }[]>`SELECT tableoid::regclass::text AS p FROM activities WHERE summary = ${summary}`)[0]?.p;

describe('activity partitions and ACTIVITY_RETENTION_DAYS', () => {
  it('creates the coming months, moves rows out of the default partition, and drops whole months past the retention', async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 400 * DAY);
    const recent = new Date(now.getTime() - 20 * DAY);
    await entry('old', old);
    await entry('recent', recent);
    await entry('far future', new Date(Date.UTC(now.getUTCFullYear() + 3, 0, 15)));
    // No partition for those months yet: the rows wait in the default partition.
    expect(await partitionOf('old')).toBe('activities_default');

    const first = await maintainActivityPartitions(server.db, { now });
    expect(first.dropped).toEqual([]);
    const names = await partitionNames(server.db);
    for (let ahead = 0; ahead <= 2; ahead++) {
      expect(names).toContain(monthName(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1))));
    }
    expect(await partitionOf('recent')).toBe(monthName(recent));

    // Creating the old month takes its row out of the default partition.
    await server.db.$queryRaw`SELECT ensure_activity_partition(${old}::timestamptz)`;
    expect(await partitionOf('old')).toBe(monthName(old));

    const second = await maintainActivityPartitions(server.db, { now, retentionDays: 365 });
    expect(second.dropped).toEqual([monthName(old)]);
    expect(await partitionNames(server.db)).not.toContain(monthName(old));
    expect(await partitionOf('old')).toBeUndefined();
    expect(await partitionOf('recent')).toBe(monthName(recent));
    expect(await partitionOf('far future')).toBe('activities_default');

    // A row older than the retention in the default partition is deleted there.
    await entry('ancient', new Date(now.getTime() - 5000 * DAY));
    expect((await maintainActivityPartitions(server.db, { now, retentionDays: 365 })).deletedFromDefault).toBe(1);
    expect(await partitionOf('ancient')).toBeUndefined();

    // The feed reads across what is left.
    const api = apiClient(server.url);
    const token = await api.login(world.users.acmeAdmin.email);
    const feed = await api.get('/api/activity?page_size=100', token);
    expect(feed.status).toBe(200);
    const items = feed.body.items as { summary: string; type: string }[];
    expect(items.filter((item) => item.type !== 'activity.pruned').map((item) => item.summary)).toEqual(['far future', 'recent']);
    // Each deletion is itself an entry of the workspace's chain: the month dropped, then the straggler.
    expect(items.filter((item) => item.type === 'activity.pruned').map((item) => item.summary)).toEqual([
      expect.stringContaining('Deleted 1 activity entry dated before'),
      expect.stringContaining('Deleted 1 activity entry of'),
    ]);
  });

  it('gives new entries time-ordered UUIDv7 ids', async () => {
    const a = await entry('id 1', new Date());
    const b = await entry('id 2', new Date());
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id < b.id).toBe(true);
    // The first 48 bits are the time in ms.
    expect(Math.abs(parseInt(a.id.replace(/-/g, '').slice(0, 12), 16) - a.createdAt.getTime())).toBeLessThan(60_000);
  });
});

describe('NOTIFICATION_READ_RETENTION_DAYS', () => {
  it('deletes old read receipts in batches, and notifications nobody holds any more; unread ones stay', async () => {
    const personal = (title: string) =>
      createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title });
    await personal('old read 1');
    await personal('old read 2');
    await personal('old read 3');
    await personal('old unread');
    await personal('new read');
    await createNotification(server.db, { workspaceId: world.acme.id, userId: null, type: 'playbook_completed', title: 'old shared' });
    const ago = new Date(Date.now() - 100 * DAY);
    await server.db.$executeRaw`UPDATE notifications SET created_at = ${ago}, updated_at = ${ago} WHERE title LIKE 'old%'`;
    await server.db.$executeRaw`UPDATE notification_receipts r SET created_at = ${ago} FROM notifications n WHERE n.id = r.notification_id AND n.title LIKE 'old%'`;
    await server.db.$executeRaw`UPDATE notification_receipts r SET read_at = now(), seen_at = now() FROM notifications n
      WHERE n.id = r.notification_id AND (n.title IN ('old read 1', 'old read 2', 'old read 3', 'new read')
        OR (n.title = 'old shared' AND r.user_id = ${world.users.acmeAdmin.id}::uuid))`;
    const unreadBefore = await server.db.notificationUnreadCount.findMany({ orderBy: [{ userId: 'asc' }, { workspaceId: 'asc' }] });

    const pruned = await pruneReadNotifications(server.db, { retentionDays: 90, batchSize: 2 });
    expect(pruned).toMatchObject({ receipts: 4, notifications: 3 });
    expect(pruned.batches).toBeGreaterThanOrEqual(2);
    const left = await server.db.notification.findMany({ select: { title: true }, orderBy: { title: 'asc' } });
    expect(left.map((n) => n.title)).toEqual(['new read', 'old shared', 'old unread']);
    // The shared one stays for the admin who has not read it.
    const shared = await server.db.notificationReceipt.findMany({ where: { notification: { title: 'old shared' } } });
    expect(shared.map((r) => r.userId)).toEqual([world.users.acmeAdmin2.id]);
    expect(await server.db.notificationUnreadCount.findMany({ orderBy: [{ userId: 'asc' }, { workspaceId: 'asc' }] })).toEqual(unreadBefore);
    expect((await pruneReadNotifications(server.db, { retentionDays: 90 })).receipts).toBe(0);
  });
});
