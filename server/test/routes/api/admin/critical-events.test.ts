import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

const ALERT_AFTER = 3;

beforeAll(async () => {
  server = await startTestServer({ loginAlertAfterFailures: ALERT_AFTER, loginMaxFailuresPerAccount: 10 });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

const critical = async (as: string, limit = 100) => api.get(`/api/admin/critical-events?limit=${limit}`, tokens[as]);
const workspaceCritical = async (as: string) =>
  (await api.get('/api/activity?severity=critical&page_size=100', tokens[as])).body.items as any[];

describe('role changes', () => {
  it('admins change roles (critical); a demoted admin loses the workspace-level notifications at once', async () => {
    const run = (await api.post('/api/playbook-runs', { playbook_name: 'Inbound lead enrichment' }, tokens.acmeMember)).body;
    await api.post(`/api/playbook-runs/${run.id}/complete`, { leads_added: 5 }, tokens.acmeMember);
    const shared = async (as: string) =>
      ((await api.get('/api/notifications', tokens[as])).body.items as any[]).filter((item) => item.meta.playbook_run_id === run.id);
    expect(await shared('acmeAdmin2')).toHaveLength(1);

    const demoted = await api.patch(`/api/workspace/members/${world.users.acmeAdmin2.id}`, { role: 'member' }, tokens.acmeAdmin);
    expect(demoted.status).toBe(200);
    expect(demoted.body).toEqual({ user_id: world.users.acmeAdmin2.id, name: 'acme-admin2', role: 'member' });
    expect(await shared('acmeAdmin2')).toEqual([]);
    expect(await shared('acmeAdmin')).toHaveLength(1);
    const [entry] = (await workspaceCritical('acmeAdmin')).filter((item) => item.type === 'member.role_changed');
    expect(entry).toMatchObject({
      actor_user_id: world.users.acmeAdmin.id,
      entity_type: 'user',
      entity_id: world.users.acmeAdmin2.id,
      summary: "acme-admin changed acme-admin2's role: admin → member",
      meta: { user_id: world.users.acmeAdmin2.id, from: 'admin', to: 'member' },
    });
    // Now a member: cannot change roles any more.
    expect((await api.patch(`/api/workspace/members/${world.users.acmeMember.id}`, { role: 'admin' }, tokens.acmeAdmin2)).status).toBe(403);

    const promoted = await api.patch(`/api/workspace/members/${world.users.acmeAdmin2.id}`, { role: 'admin' }, tokens.acmeAdmin);
    expect(promoted.body.role).toBe('admin');
  });

  it('keeps the last admin, and refuses other workspaces and bad roles', async () => {
    // Globex has two admins: with one demoted, the other is the last.
    expect((await api.patch(`/api/workspace/members/${world.users.both.id}`, { role: 'member' }, tokens.globexAdmin)).status).toBe(200);
    const last = await api.patch(`/api/workspace/members/${world.users.globexAdmin.id}`, { role: 'member' }, tokens.globexAdmin);
    expect(last.status).toBe(409);
    expect(last.body.error).toBe('last_admin');
    expect((await api.request('DELETE', `/api/workspace/members/${world.users.globexAdmin.id}`, { token: tokens.globexAdmin })).status).toBe(409);
    expect((await api.patch(`/api/workspace/members/${world.users.both.id}`, { role: 'admin' }, tokens.globexAdmin)).status).toBe(200);

    expect((await api.patch(`/api/workspace/members/${world.users.globexMember.id}`, { role: 'admin' }, tokens.acmeAdmin)).status).toBe(404);
    expect((await api.patch(`/api/workspace/members/${world.users.acmeMember.id}`, { role: 'owner' }, tokens.acmeAdmin)).status).toBe(400);
    const members = await api.get('/api/workspace/members', tokens.globexMember);
    expect(members.body.items.map((member: any) => [member.name, member.role])).toEqual([
      ['both', 'admin'],
      ['globex-admin', 'admin'],
      ['globex-member', 'member'],
    ]);
  });

  it('removing a member drops their inbox of the workspace and their leads’ ownership (critical)', async () => {
    const extra = await server.db.user.create({ data: { email: `extra-${Date.now()}@test.example`, name: 'Extra', passwordHash: 'x' } });
    await server.db.membership.create({ data: { workspaceId: world.acme.id, userId: extra.id, role: 'member' } });
    const lead = (await api.post('/api/leads', { name: 'Leo Silva', owner_user_id: extra.id }, tokens.acmeAdmin)).body;
    await api.post('/api/tasks', { lead_id: lead.id, title: 'For extra', assignee_user_id: extra.id }, tokens.acmeAdmin);
    expect(await server.db.notificationReceipt.count({ where: { userId: extra.id } })).toBe(1);
    const campaign = (await api.post('/api/campaigns', { name: 'Owned by extra', owner_user_id: extra.id }, tokens.acmeAdmin)).body;
    await api.post(`/api/campaigns/${campaign.id}/send`, { lead_ids: [lead.id] }, tokens.acmeAdmin);

    expect((await api.request('DELETE', `/api/workspace/members/${extra.id}`, { token: tokens.acmeMember })).status).toBe(403);
    const removed = await api.request('DELETE', `/api/workspace/members/${extra.id}`, { token: tokens.acmeAdmin });
    expect(removed.status).toBe(204);
    expect(await server.db.notificationReceipt.count({ where: { userId: extra.id } })).toBe(0);
    expect((await api.get(`/api/leads/${lead.id}`, tokens.acmeAdmin)).body.owner_user_id).toBeNull();
    expect((await workspaceCritical('acmeAdmin'))[0]).toMatchObject({ type: 'member.removed', entity_id: extra.id });
    // What they owned keeps working; they are just no longer told.
    const outcome = await api.post(`/api/campaigns/${campaign.id}/outcomes`, { lead_id: lead.id, outcome: 'replied' }, tokens.acmeAdmin);
    expect(outcome.status).toBe(200);
    expect(await server.db.notification.count({ where: { userId: extra.id, type: 'campaign_outcome' } })).toBe(0);
  });
});

describe('failed logins', () => {
  it('an account reaching the threshold raises one critical auth.login_failed per workspace of the account', async () => {
    for (let i = 0; i < ALERT_AFTER + 1; i++) {
      expect((await api.post('/api/auth/login', { email: world.users.both.email, password: 'wrong' })).status).toBe(401);
    }
    // Unknown accounts are throttled but raise nothing: there is no workspace to tell.
    for (let i = 0; i < ALERT_AFTER; i++) await api.post('/api/auth/login', { email: 'nobody@test.example', password: 'x' });

    for (const [admin, workspace] of [['acmeAdmin', world.acme], ['globexAdmin', world.globex]] as const) {
      const entries = (await workspaceCritical(admin)).filter((item) => item.type === 'auth.login_failed');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        workspace_id: workspace.id,
        actor_user_id: null,
        entity_type: 'user',
        entity_id: world.users.both.id,
        summary: `${ALERT_AFTER} failed logins for ${world.users.both.email}`,
        meta: { email: world.users.both.email, failures: ALERT_AFTER, last_ip: '127.0.0.1' },
      });
    }
  });
});

describe('GET /api/admin/critical-events', () => {
  it('gives super admins the latest critical activity across workspaces, newest first', async () => {
    const job = (await api.post('/api/jobs', { kind: 'csv_import' }, tokens.globexMember)).body;
    await api.post(`/api/jobs/${job.id}/fail`, { error: 'bad file' }, tokens.globexMember);
    await api.post('/api/api-keys', { name: 'Audit me' }, tokens.acmeAdmin);

    const response = await critical('superAdmin');
    expect(response.status).toBe(200);
    const items = response.body.items as any[];
    expect(items.every((item) => item.severity === 'critical')).toBe(true);
    expect(items.slice(0, 2).map((item) => [item.type, item.workspace_name])).toEqual([
      ['api_key.created', 'Acme'],
      ['job.failed', 'Globex'],
    ]);
    const times = items.map((item) => item.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(items.map((item) => item.type)).toEqual(expect.arrayContaining(['auth.login_failed', 'member.role_changed', 'member.removed']));
    expect((await critical('superAdmin', 1)).body.items).toHaveLength(1);
  });

  it('is for super admins only, and validates limit', async () => {
    for (const user of ['acmeAdmin', 'acmeMember', 'globexAdmin']) expect((await critical(user)).status).toBe(403);
    expect((await api.get('/api/admin/critical-events')).status).toBe(401);
    expect((await critical('superAdmin', 0)).status).toBe(400);
    expect((await critical('superAdmin', 101)).status).toBe(400);
  });

  it("workspace admins get their own workspace's critical activity; members do not see audit entries", async () => {
    const acme = await workspaceCritical('acmeAdmin');
    expect(acme.length).toBeGreaterThan(0);
    expect(acme.every((item) => item.workspace_id === world.acme.id)).toBe(true);
    expect(acme.map((item) => item.type)).toContain('api_key.created');

    const member = await workspaceCritical('acmeMember');
    const audit = ['auth.login_failed', 'member.role_changed', 'member.removed', 'api_key.created', 'api_key.revoked'];
    expect(member.some((item) => audit.includes(item.type))).toBe(false);
    expect((await api.get('/api/activity?type=api_key.created', tokens.acmeMember)).body.items).toEqual([]);
    // Operational failures are everyone's business.
    const globexMember = await workspaceCritical('globexMember');
    expect(globexMember.map((item) => item.type)).toContain('job.failed');
  });
});
