import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getActivityRetention, pruneWorkspaceActivity, setActivityRetention } from '../../../../src/services/retention/activity-retention.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
const DAY = 24 * 3600 * 1000;

/** `count` entries `daysAgo` days old in the workspace. */
const addOld = (workspaceId: string, daysAgo: number, count: number) =>
  server.db.$executeRaw`
    INSERT INTO activities (workspace_id, type, summary, created_at)
    SELECT ${workspaceId}::uuid, 'job.created', 'old ' || g, ${new Date(Date.now() - daysAgo * DAY)}::timestamptz
      FROM generate_series(1, ${count}::int) g`;

beforeAll(async () => {
  server = await startTestServer({ activityRetentionDays: 90 });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

describe('activity retention per workspace', () => {
  it('is the server default until a super admin sets less; workspace admins see it, nobody else sets it', async () => {
    expect((await api.get('/api/workspace/activity-retention', tokens.acmeAdmin)).body).toEqual({
      workspace_id: world.acme.id,
      workspace_name: 'Acme',
      retention_days: 90,
      workspace_days: null,
      server_days: 90,
    });
    expect((await api.get('/api/workspace/activity-retention', tokens.acmeMember)).status).toBe(403);
    const path = `/api/admin/workspaces/${world.acme.id}/activity-retention`;
    expect((await api.put(path, { retention_days: 30 }, tokens.acmeAdmin)).status).toBe(403);
    expect((await api.get(path, tokens.acmeAdmin)).status).toBe(403);

    const above = await api.put(path, { retention_days: 91 }, tokens.superAdmin);
    expect(above.status).toBe(400);
    expect(above.body).toMatchObject({ error: 'retention_above_server' });
    expect(above.body.message).toContain('90');
    for (const body of [{ retention_days: 0 }, { retention_days: null }, { retention_days: 'ten' }, {}, { retention_days: 10, extra: 1 }]) {
      expect((await api.put(path, body, tokens.superAdmin)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api.put(`/api/admin/workspaces/00000000-0000-4000-8000-000000000000/activity-retention`, { retention_days: 5 }, tokens.superAdmin)).status).toBe(404);

    const set = await api.put(path, { retention_days: 30 }, tokens.superAdmin);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ retention_days: 30, workspace_days: 30, server_days: 90 });
    expect((await api.get('/api/workspace/activity-retention', tokens.acmeAdmin2)).body.retention_days).toBe(30);
    // Globex keeps the default.
    expect((await api.get('/api/workspace/activity-retention', tokens.globexAdmin)).body.retention_days).toBe(90);
    const audit = (await api.get('/api/activity?type=workspace.retention_changed', tokens.acmeAdmin)).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: 'super', meta: { changes: { retention_days: { from: null, to: 30 } } } });
    expect(audit[0].summary).toContain('30 days');

    // Back to the server's, audited too; then set again for the next test.
    const cleared = await api.request('DELETE', path, { token: tokens.superAdmin });
    expect(cleared.body).toMatchObject({ retention_days: 90, workspace_days: null });
    expect((await api.get('/api/activity?type=workspace.retention_changed', tokens.acmeAdmin)).body.items[0].meta.changes).toEqual({
      retention_days: { from: 30, to: null },
    });
  });

  it('prunes what a workspace no longer keeps, in the background, recording it once', async () => {
    await server.db.workspace.update({ where: { id: world.acme.id }, data: { activityRetentionDays: 30 } });
    await addOld(world.acme.id, 31, 120);
    await addOld(world.acme.id, 29, 7);
    await addOld(world.globex.id, 31, 5);

    // Several instances at once: one prunes and records, the others skip the workspace.
    const runs = await Promise.all(Array.from({ length: 4 }, () => pruneWorkspaceActivity(server.db, 90)));
    expect(runs.map((run) => run[world.acme.id] ?? 0).sort()).toEqual([0, 0, 0, 120]);
    expect(await pruneWorkspaceActivity(server.db, 90)).toEqual({});

    const acmeOld = await server.db.activity.count({ where: { workspaceId: world.acme.id, summary: { startsWith: 'old ' } } });
    expect(acmeOld).toBe(7);
    expect(await server.db.activity.count({ where: { workspaceId: world.globex.id, summary: { startsWith: 'old ' } } })).toBe(5);
    const audit = (await api.get('/api/activity?type=activity.pruned', tokens.acmeAdmin)).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: null, meta: { deleted: 120, retention_days: 30 } });
    expect((await api.get('/api/activity?type=activity.pruned', tokens.acmeMember)).body.items).toEqual([]);
  });

  it('has no ceiling when the server keeps everything (ACTIVITY_RETENTION_DAYS=0)', async () => {
    const workspace = await server.db.workspace.create({ data: { name: 'Forever', slug: `forever-${Date.now()}` } });
    expect(await getActivityRetention(server.db, workspace.id, 0)).toMatchObject({ retention_days: null, workspace_days: null, server_days: null });
    const actor = { userId: world.users.superAdmin.id, name: 'super' };
    expect(await setActivityRetention(server.db, { workspaceId: workspace.id, days: 5000, serverDays: 0, actor })).toMatchObject({ retention_days: 5000 });
    await setActivityRetention(server.db, { workspaceId: workspace.id, days: 10, serverDays: 0, actor });
    await addOld(workspace.id, 11, 3);
    expect((await pruneWorkspaceActivity(server.db, 0))[workspace.id]).toBe(3);
  });
});
