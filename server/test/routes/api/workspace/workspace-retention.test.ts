// PUT /api/workspace/activity-retention: a workspace's admins set how long its activity is kept,
// within the server's ACTIVITY_RETENTION_DAYS, audited, and only for their own workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
const PATH = '/api/workspace/activity-retention';

const stored = async (workspaceId: string) =>
  (await server.db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { activityRetentionDays: true } })).activityRetentionDays;
const audit = async (token: string | undefined) => (await api.get(`/api/activity?type=workspace.retention_changed&page_size=100`, token)).body.items as any[];

beforeAll(async () => {
  server = await startTestServer({ activityRetentionDays: 90 });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

describe('workspace admins set their activity retention', () => {
  it('lets an admin set it for their own workspace only; members and super admins without a workspace are refused', async () => {
    const member = await api.put(PATH, { retention_days: 30 }, tokens.acmeMember);
    expect(member.status).toBe(403);
    expect(member.body.message).toBe('Only admins of this workspace can do this.');
    // A super admin belongs to no workspace: they use the admin route with the workspace's id.
    expect((await api.put(PATH, { retention_days: 30 }, tokens.superAdmin)).status).toBe(403);
    expect((await api.put(PATH, { retention_days: 30 })).status).toBe(401);
    expect(await stored(world.acme.id)).toBeNull();

    const set = await api.put(PATH, { retention_days: 30 }, tokens.acmeAdmin);
    expect(set.status).toBe(200);
    expect(set.headers.get('content-type')).toMatch(/^application\/json/);
    expect(set.body).toEqual({ workspace_id: world.acme.id, workspace_name: 'Acme', retention_days: 30, workspace_days: 30, server_days: 90 });
    expect((await api.get(PATH, tokens.acmeAdmin2)).body.retention_days).toBe(30);
    // Globex is untouched and sees nothing of Acme's change.
    expect((await api.get(PATH, tokens.globexAdmin)).body).toMatchObject({ workspace_id: world.globex.id, retention_days: 90, workspace_days: null });
    expect(await stored(world.globex.id)).toBeNull();
    expect(await audit(tokens.globexAdmin)).toEqual([]);
  });

  it('refuses days outside 1..the server maximum with a clear 400, changing nothing', async () => {
    await server.db.workspace.update({ where: { id: world.globex.id }, data: { activityRetentionDays: 45 } });
    const above = await api.put(PATH, { retention_days: 91 }, tokens.globexAdmin);
    expect(above.status).toBe(400);
    expect(above.body).toMatchObject({ error: 'retention_above_server' });
    expect(above.body.message).toContain('90');
    for (const body of [{ retention_days: 0 }, { retention_days: -5 }, { retention_days: 1.5 }, { retention_days: null }, { retention_days: 'ten' }, {}, { retention_days: 10, extra: 1 }]) {
      const res = await api.put(PATH, body, tokens.globexAdmin);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toMatch(/retention_days|unknown field/);
    }
    const raw = await api.request('PUT', PATH, { token: tokens.globexAdmin, rawBody: '{"retention_days":', headers: { 'content-type': 'application/json' } });
    expect(raw.status).toBe(400);
    expect(await stored(world.globex.id)).toBe(45);
    // The maximum itself is allowed.
    expect((await api.put(PATH, { retention_days: 90 }, tokens.globexAdmin)).body).toMatchObject({ retention_days: 90, workspace_days: 90 });
  });

  it('records each change in the workspace\'s activity, by whom and from what', async () => {
    const before = (await audit(tokens.acmeAdmin)).length;
    expect((await api.put(PATH, { retention_days: 14 }, tokens.acmeAdmin2)).status).toBe(200);
    // Setting the same value again changes nothing and records nothing.
    expect((await api.put(PATH, { retention_days: 14 }, tokens.acmeAdmin2)).status).toBe(200);
    const entries = await audit(tokens.acmeAdmin);
    expect(entries).toHaveLength(before + 1);
    expect(entries[0]).toMatchObject({
      actor_user_id: world.users.acmeAdmin2.id,
      actor_name: 'acme-admin2',
      severity: 'warning',
      meta: { changes: { retention_days: { from: 30, to: 14 } } },
    });
    expect(entries[0].summary).toBe('acme-admin2 set activity retention to 14 days (was 30 days)');
  });

  it('holds under parallel changes: the audit trail chains from each value to the next and ends at the stored one', async () => {
    const values = [3, 5, 7, 11, 13, 17, 19, 23];
    const before = (await audit(tokens.acmeAdmin)).length;
    const start = await stored(world.acme.id);
    const results = await Promise.all(values.map((days, i) => api.put(PATH, { retention_days: days }, i % 2 ? tokens.acmeAdmin : tokens.acmeAdmin2)));
    expect(results.map((r) => r.status)).toEqual(values.map(() => 200));
    const entries = (await audit(tokens.acmeAdmin)).slice(0, (await audit(tokens.acmeAdmin)).length - before).reverse();
    expect(entries).toHaveLength(values.length);
    let previous = start;
    for (const entry of entries) {
      expect(entry.meta.changes.retention_days.from).toBe(previous);
      previous = entry.meta.changes.retention_days.to;
    }
    expect(previous).toBe(await stored(world.acme.id));
    expect(new Set(entries.map((e) => e.meta.changes.retention_days.to))).toEqual(new Set(values));
  });
});
