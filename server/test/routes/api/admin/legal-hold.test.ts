import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintainActivityPartitions } from '../../../../src/services/activity/activity-partitions.ts';
import { recordActivity } from '../../../../src/services/activity/record-activity.ts';
import { pruneReadNotifications } from '../../../../src/services/housekeeping/prune-read-notifications.ts';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { pruneWorkspaceActivity } from '../../../../src/services/retention/activity-retention.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

const DAY = 24 * 3600 * 1000;
const MIN_DAYS = 7;

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ activityMinRetentionDays: MIN_DAYS });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

const holdUrl = (workspaceId: string) => `/api/admin/workspaces/${workspaceId}/legal-hold`;
const place = (workspaceId: string, reason: string, token = tokens.superAdmin) => api.put(holdUrl(workspaceId), { reason }, token);
const lift = (workspaceId: string, reason: string, token = tokens.superAdmin) =>
  api.request('DELETE', holdUrl(workspaceId), { body: { reason }, token });

const entriesOf = (workspaceId: string, type: string) =>
  server.db.activity.findMany({ where: { workspaceId, type }, select: { summary: true, meta: true, chainSeq: true } });
const summaries = async (workspaceId: string) =>
  (await server.db.activity.findMany({ where: { workspaceId }, select: { summary: true } })).map((row) => row.summary);
const verify = async (workspaceId: string) => (await api.get(`/api/activity/verify?chain=${workspaceId}`, tokens.superAdmin)).body;

describe('legal hold', () => {
  it('is placed and lifted by super admins only, each time as a chained entry; bad input changes nothing', async () => {
    const { acme } = world;
    expect((await place(acme.id, 'matter 1', tokens.acmeAdmin)).status).toBe(403);
    expect((await api.put(holdUrl(acme.id), { reason: 'x' })).status).toBe(401);
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'ok', extra: 1 }, { reason: 'x'.repeat(501) }]) {
      expect((await api.put(holdUrl(acme.id), body, tokens.superAdmin)).status, JSON.stringify(body).slice(0, 40)).toBe(400);
    }
    expect((await place('00000000-0000-4000-8000-000000000000', 'matter 1')).status).toBe(404);
    expect((await api.put('/api/admin/workspaces/nope/legal-hold', { reason: 'x' }, tokens.superAdmin)).status).toBe(400);
    expect((await api.get(holdUrl(acme.id), tokens.superAdmin)).body).toMatchObject({ held: false, since: null, reason: null });
    expect(await entriesOf(acme.id, 'workspace.legal_hold_placed')).toHaveLength(0);

    // Many at once: one hold, one entry.
    const placed = await Promise.all(Array.from({ length: 6 }, () => place(acme.id, 'Matter 2026-17')));
    expect(placed.map((response) => response.status)).toEqual(Array(6).fill(200));
    expect(placed[0]!.body).toMatchObject({ workspace_id: acme.id, held: true, reason: 'Matter 2026-17', by_user_id: world.users.superAdmin.id });
    expect(await entriesOf(acme.id, 'workspace.legal_hold_placed')).toEqual([
      expect.objectContaining({ meta: { reason: 'Matter 2026-17' }, summary: expect.stringContaining('placed a legal hold: Matter 2026-17') }),
    ]);
    expect((await api.get(holdUrl(acme.id), tokens.superAdmin)).body).toMatchObject({ held: true, reason: 'Matter 2026-17' });
    expect((await api.get(holdUrl(acme.id), tokens.acmeAdmin)).status).toBe(403);

    expect((await lift(acme.id, 'settled', tokens.acmeAdmin)).status).toBe(403);
    const lifted = await Promise.all([lift(acme.id, 'Settled'), lift(acme.id, 'Settled')]);
    expect(lifted.map((response) => response.body.held)).toEqual([false, false]);
    expect(await entriesOf(acme.id, 'workspace.legal_hold_lifted')).toHaveLength(1);
    expect(await verify(acme.id)).toMatchObject({ ok: true, first_broken: null });
  });

  it('keeps activity and notifications from retention, partition drops, notification pruning and member removal', async () => {
    const { acme, globex } = world;
    const now = new Date();
    const old = new Date(now.getTime() - 400 * DAY);
    for (const workspace of [acme, globex]) {
      await recordActivity(server.db, { workspaceId: workspace.id, actorUserId: null, type: 'job.created', summary: `${workspace.name} very old`, createdAt: old });
      await recordActivity(server.db, {
        workspaceId: workspace.id, actorUserId: null, type: 'job.created', summary: `${workspace.name} old`, createdAt: new Date(now.getTime() - 60 * DAY),
      });
    }
    await server.db.workspace.updateMany({ where: { id: { in: [acme.id, globex.id] } }, data: { activityRetentionDays: 30 } });
    expect((await place(acme.id, 'Matter 9')).status).toBe(200);

    // The workspace's own retention.
    const pruned = await pruneWorkspaceActivity(server.db, 0, now, MIN_DAYS);
    expect(pruned).toEqual({ [globex.id]: 2 });
    expect(await summaries(acme.id)).toEqual(expect.arrayContaining(['Acme very old', 'Acme old']));
    expect(await summaries(globex.id)).not.toContain('Globex old');

    // The server's retention, a whole month at a time: the month stays while it holds a held entry.
    await recordActivity(server.db, { workspaceId: globex.id, actorUserId: null, type: 'job.created', summary: 'Globex very old again', createdAt: old });
    await server.db.$queryRaw`SELECT ensure_activity_partition(${old}::timestamptz)`;
    const maintained = await maintainActivityPartitions(server.db, { now, retentionDays: 365 });
    expect(maintained.dropped).toEqual([]);
    expect(await summaries(acme.id)).toContain('Acme very old');
    expect(await summaries(globex.id)).not.toContain('Globex very old again');
    expect((await entriesOf(globex.id, 'activity.pruned')).map((entry) => (entry.meta as { policy: string }).policy)).toEqual(
      expect.arrayContaining(['workspace retention 30 days', 'ACTIVITY_RETENTION_DAYS=365']),
    );
    expect(await entriesOf(acme.id, 'activity.pruned')).toEqual([]);

    // Read notifications past their retention.
    for (const [workspace, user] of [[acme, world.users.acmeMember], [globex, world.users.globexMember]] as const) {
      await createNotification(server.db, { workspaceId: workspace.id, userId: user.id, type: 'task_assigned', title: `${workspace.name} old read` });
    }
    await server.db.$executeRaw`UPDATE notifications SET created_at = ${old}, updated_at = ${old} WHERE title LIKE '% old read'`;
    await server.db.$executeRaw`UPDATE notification_receipts r SET created_at = ${old}, read_at = now(), seen_at = now()
      FROM notifications n WHERE n.id = r.notification_id AND n.title LIKE '% old read'`;
    expect(await pruneReadNotifications(server.db, { retentionDays: 90 })).toMatchObject({ receipts: 1, notifications: 1 });
    const titles = async () => (await server.db.notification.findMany({ select: { title: true } })).map((row) => row.title);
    expect(await titles()).toContain('Acme old read');
    expect(await titles()).not.toContain('Globex old read');

    // A member removed: out of their inbox, kept for the hold.
    await createNotification(server.db, { workspaceId: acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title: 'Acme for the member' });
    const before = await api.get('/api/notifications', tokens.acmeMember);
    expect(before.body.items.map((item: { title: string }) => item.title)).toContain('Acme for the member');
    const removed = await api.request('DELETE', `/api/workspace/members/${world.users.acmeMember.id}`, { token: tokens.acmeAdmin });
    expect(removed.status).toBe(204);
    expect(await server.db.notificationReceipt.count({ where: { userId: world.users.acmeMember.id } })).toBe(0);
    const kept = await server.db.legalHoldPreservedRow.findMany({ where: { workspaceId: acme.id } });
    expect(kept.map((row) => ({ table: row.tableName, user: (row.row as { user_id: string }).user_id }))).toEqual([
      { table: 'notification_receipts', user: world.users.acmeMember.id },
      { table: 'notification_receipts', user: world.users.acmeMember.id },
    ]);
    expect(await titles()).toEqual(expect.arrayContaining(['Acme old read', 'Acme for the member']));
    // Nothing of another workspace is kept.
    await server.db.notification.deleteMany({ where: { workspaceId: globex.id } });
    expect(await server.db.legalHoldPreservedRow.count({ where: { workspaceId: globex.id } })).toBe(0);

    expect(await verify(acme.id)).toMatchObject({ ok: true });
    expect(await verify(globex.id)).toMatchObject({ ok: true });

    // Lifted: retention applies again, and the purge is a signed entry.
    expect((await lift(acme.id, 'Matter 9 closed')).status).toBe(200);
    expect(await pruneWorkspaceActivity(server.db, 0, now, MIN_DAYS)).toEqual({ [acme.id]: 2 });
    expect(await verify(acme.id)).toMatchObject({ ok: true, first_broken: null });
  });
});

describe('ACTIVITY_MIN_RETENTION_DAYS', () => {
  it('bounds what a workspace may set, and what pruning deletes whatever was set before', async () => {
    const url = `/api/admin/workspaces/${world.globex.id}/activity-retention`;
    const below = await api.put(url, { retention_days: MIN_DAYS - 1 }, tokens.superAdmin);
    expect(below.status).toBe(400);
    expect(below.body.error).toBe('retention_below_minimum');
    expect((await api.put(url, { retention_days: MIN_DAYS }, tokens.superAdmin)).body.retention_days).toBe(MIN_DAYS);

    // A shorter setting from before the minimum existed: pruning keeps the minimum anyway.
    await server.db.workspace.update({ where: { id: world.globex.id }, data: { activityRetentionDays: 1 } });
    const now = new Date();
    await recordActivity(server.db, {
      workspaceId: world.globex.id, actorUserId: null, type: 'job.created', summary: 'three days old', createdAt: new Date(now.getTime() - 3 * DAY),
    });
    await recordActivity(server.db, {
      workspaceId: world.globex.id, actorUserId: null, type: 'job.created', summary: 'ten days old', createdAt: new Date(now.getTime() - 10 * DAY),
    });
    expect(await pruneWorkspaceActivity(server.db, 0, now, MIN_DAYS)).toEqual({ [world.globex.id]: 1 });
    expect(await summaries(world.globex.id)).toContain('three days old');
    expect(await summaries(world.globex.id)).not.toContain('ten days old');
  });
});
