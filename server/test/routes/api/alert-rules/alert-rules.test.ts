import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordActivity } from '../../../../src/services/activity/record-activity.ts';
import { evaluateAlertRules, fireIfDue } from '../../../../src/services/alert-rules/evaluate-alert-rules.ts';
import { apiClient, createWorld, eventually, startTestServer, StreamClient, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let second: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

const rule = (overrides: Record<string, unknown> = {}) => ({
  name: 'Failing jobs',
  types: ['job.failed'],
  threshold: 3,
  window_minutes: 10,
  notify: { roles: ['admin'] },
  ...overrides,
});

const alertsOf = (userId: string) =>
  server.db.notificationReceipt.findMany({
    where: { userId, notification: { type: 'alert_rule_triggered' } },
    select: { notification: { select: { title: true, body: true, meta: true, workspaceId: true } } },
  });

async function failJob(token: string | undefined, error = 'boom', client = api) {
  const job = await client.post('/api/jobs', { kind: 'enrichment' }, token);
  expect(job.status).toBe(201);
  const failed = await client.post(`/api/jobs/${job.body.id}/fail`, { error }, token);
  expect(failed.status).toBe(200);
}

beforeAll(async () => {
  // Evaluation runs on its own timer; 100 ms keeps these tests quick.
  server = await startTestServer({ alertEvaluationMs: 100 });
  second = await startTestServer({ alertEvaluationMs: 100 }, { databaseUrl: server.databaseUrl });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(async () => {
  await second?.close();
  await server?.close();
});

describe('alert rules: managing them', () => {
  it('lets workspace admins create, list, change and delete the rules of their workspace, each change audited', async () => {
    const created = await api.post('/api/alert-rules', rule({ min_severity: 'warning', channels: ['in_app', 'email'] }), tokens.acmeAdmin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      workspace_id: world.acme.id,
      workspace_name: 'Acme',
      name: 'Failing jobs',
      types: ['job.failed'],
      min_severity: 'warning',
      threshold: 3,
      window_minutes: 10,
      notify: { roles: ['admin'], user_ids: [], super_admins: false },
      channels: ['in_app', 'email'],
      created_by: { id: world.users.acmeAdmin.id, name: 'acme-admin' },
      last_fired_at: null,
    });
    const id = created.body.id;
    expect((await api.get('/api/alert-rules', tokens.acmeAdmin2)).body.items.map((r: any) => r.id)).toContain(id);

    const patched = await api.patch(`/api/alert-rules/${id}`, { threshold: 5, notify: { user_ids: [world.users.acmeMember.id] } }, tokens.acmeAdmin2);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ threshold: 5, notify: { roles: [], user_ids: [world.users.acmeMember.id] }, name: 'Failing jobs' });

    expect((await api.request('DELETE', `/api/alert-rules/${id}`, { token: tokens.acmeAdmin })).status).toBe(204);
    expect((await api.get('/api/alert-rules', tokens.acmeAdmin)).body.items.map((r: any) => r.id)).not.toContain(id);
    expect((await api.request('DELETE', `/api/alert-rules/${id}`, { token: tokens.acmeAdmin })).status).toBe(404);

    const audit = (await api.get(`/api/activity?entity_type=alert_rule&entity_id=${id}`, tokens.acmeAdmin)).body.items;
    expect(audit.map((entry: any) => entry.type)).toEqual(['alert_rule.deleted', 'alert_rule.updated', 'alert_rule.created']);
    expect(audit[1].meta.changes).toEqual({
      threshold: { from: 3, to: 5 },
      notify: { from: { roles: ['admin'], user_ids: [], super_admins: false }, to: { roles: [], user_ids: [world.users.acmeMember.id], super_admins: false } },
    });
    expect(audit[2].actor_name).toBe('acme-admin');
    // Audit entries are for admins.
    expect((await api.get(`/api/activity?entity_type=alert_rule&entity_id=${id}`, tokens.acmeMember)).body.items).toEqual([]);
  });

  it("keeps each workspace's rules to itself: another workspace gets 404, members 403", async () => {
    const { body: acmeRule } = await api.post('/api/alert-rules', rule({ name: 'Acme only' }), tokens.acmeAdmin);
    expect((await api.get('/api/alert-rules', tokens.globexAdmin)).body.items.map((r: any) => r.id)).not.toContain(acmeRule.id);
    const patched = await api.patch(`/api/alert-rules/${acmeRule.id}`, { name: 'hijacked' }, tokens.globexAdmin);
    expect(patched.status).toBe(404);
    expect((await api.request('DELETE', `/api/alert-rules/${acmeRule.id}`, { token: tokens.globexAdmin })).status).toBe(404);
    for (const call of [
      api.get('/api/alert-rules', tokens.acmeMember),
      api.post('/api/alert-rules', rule(), tokens.acmeMember),
      api.patch(`/api/alert-rules/${acmeRule.id}`, { name: 'x' }, tokens.acmeMember),
    ]) {
      expect((await call).status).toBe(403);
    }
    expect((await api.get('/api/alert-rules')).status).toBe(401);
    // A workspace admin cannot aim a rule at another workspace.
    expect((await api.post('/api/alert-rules', rule({ workspace_id: world.globex.id }), tokens.acmeAdmin)).status).toBe(403);
    expect((await server.db.alertRule.findUniqueOrThrow({ where: { id: acmeRule.id } })).name).toBe('Acme only');
    // Super admins see and filter every workspace's rules.
    const all = (await api.get(`/api/alert-rules?workspace_id=${world.acme.id}`, tokens.superAdmin)).body.items;
    expect(all.map((r: any) => r.id)).toContain(acmeRule.id);
    expect((await api.get(`/api/alert-rules?workspace_id=${world.globex.id}`, tokens.superAdmin)).body.items.map((r: any) => r.id)).not.toContain(acmeRule.id);
    await api.request('DELETE', `/api/alert-rules/${acmeRule.id}`, { token: tokens.superAdmin });
  });

  it('refuses rules that tell nobody, tell someone outside the workspace, or are malformed', async () => {
    const refused = async (body: unknown, status: number, error?: string, token = tokens.acmeAdmin) => {
      const response = await api.post('/api/alert-rules', body, token);
      expect(response.status, JSON.stringify(body)).toBe(status);
      if (error) expect(response.body.error).toBe(error);
      expect(response.body.message).toBeTruthy();
    };
    await refused(rule({ notify: {} }), 400, 'no_recipients');
    await refused(rule({ notify: { user_ids: [world.users.globexAdmin.id] } }), 400, 'recipient_not_member');
    await refused(rule({ notify: { super_admins: true } }), 403);
    await refused(rule({ types: ['api_key.created'], notify: { roles: ['member'] } }), 400, 'recipient_cannot_see');
    await refused(rule({ types: ['api_key.created'], notify: { user_ids: [world.users.acmeMember.id] } }), 400, 'recipient_cannot_see');
    await refused(rule({ types: ['no.such_type'] }), 400);
    await refused(rule({ types: [] }), 400);
    await refused(rule({ threshold: 0 }), 400);
    await refused(rule({ window_minutes: 100_000 }), 400);
    await refused(rule({ channels: ['sms'] }), 400);
    await refused(rule({ extra: true }), 400);
    await refused(rule({ name: '' }), 400);
    // Across workspaces: super admins only, and roles need a workspace.
    await refused(rule({ notify: { roles: ['admin'] } }), 400, undefined, tokens.superAdmin);
    await refused(rule({ notify: { user_ids: [world.users.acmeAdmin.id] } }), 400, 'recipient_not_member', tokens.superAdmin);
    await refused(rule({ workspace_id: '00000000-0000-4000-8000-000000000000' }), 400, undefined, tokens.superAdmin);
    expect((await api.patch('/api/alert-rules/00000000-0000-4000-8000-000000000000', { name: 'x' }, tokens.acmeAdmin)).status).toBe(404);
    expect((await api.patch('/api/alert-rules/not-a-uuid', { name: 'x' }, tokens.acmeAdmin)).status).toBe(400);
    expect(await server.db.alertRule.count({ where: { name: 'Failing jobs', workspaceId: world.acme.id } })).toBe(0);
  });
});

describe('alert rules: firing', () => {
  it('notifies each recipient once, live, naming the rule and the entries, when the threshold is reached in the window', async () => {
    const { body: created } = await api.post(
      '/api/alert-rules',
      rule({ name: 'Three failures', notify: { roles: ['admin'], user_ids: [world.users.acmeMember.id] } }),
      tokens.acmeAdmin,
    );
    const stream = new StreamClient(`${server.url}/api/notifications/stream`, { token: tokens.acmeAdmin });
    await stream.waitOpen();
    try {
      await failJob(tokens.acmeAdmin, 'first');
      await failJob(tokens.acmeAdmin, 'second');
      // Globex failures and other types do not count towards Acme's rule.
      await failJob(tokens.globexAdmin);
      await failJob(tokens.globexAdmin);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await alertsOf(world.users.acmeAdmin.id)).toEqual([]);

      await failJob(tokens.acmeAdmin, 'third');
      const event = await eventually(
        () => stream.of('notification.created').find((e) => e.data.type === 'alert_rule_triggered'),
        'the alert on the stream',
      );
      expect(event.data).toMatchObject({ title: 'Alert: Three failures', workspace_id: world.acme.id });
      // Types in words, and a link to the activity window showing the entries that fired it.
      expect(event.data.body).toContain('3 × Job failed within 10 min');
      const linked = new URLSearchParams(event.data.target_url.replace(/^\/activity\?/, '')).get('ids')!.split(',');
      expect(event.data.target_url).toMatch(/^\/activity\?ids=/);
      const shown = (await api.get(`/api/activity?ids=${linked.join(',')}`, tokens.acmeMember)).body.items;
      expect(shown.map((entry: any) => entry.summary).join(' | ')).toMatch(/third.*second.*first/);
      expect(shown.map((entry: any) => entry.type)).toEqual(['job.failed', 'job.failed', 'job.failed']);
      // Another workspace reaches none of them through the same link.
      expect((await api.get(`/api/activity?ids=${linked.join(',')}`, tokens.globexAdmin)).body.items).toEqual([]);
      for (const ids of ['nope', `${linked[0]},`, Array.from({ length: 101 }, () => linked[0]).join(',')]) {
        expect((await api.get(`/api/activity?ids=${ids}`, tokens.acmeAdmin)).status, ids.slice(0, 40)).toBe(400);
      }
      expect(event.data.meta).toMatchObject({ alert_rule_id: created.id, alert_rule_name: 'Three failures', count: 3 });
      expect(event.data.meta.entries.map((entry: any) => entry.summary).join(' | ')).toMatch(/third.*second.*first/);
      for (const user of [world.users.acmeAdmin, world.users.acmeAdmin2, world.users.acmeMember]) {
        await eventually(async () => ((await alertsOf(user.id)).length === 1 ? true : undefined), `alert for ${user.name}`);
      }
      expect(await alertsOf(world.users.globexAdmin.id)).toEqual([]);

      // Quiet for the window: more failures, more ticks, no second alert.
      await failJob(tokens.acmeAdmin);
      await failJob(tokens.acmeAdmin);
      await failJob(tokens.acmeAdmin);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await alertsOf(world.users.acmeAdmin.id)).toHaveLength(1);
      const audit = (await api.get(`/api/activity?type=alert_rule.triggered`, tokens.acmeAdmin)).body.items;
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ entity_id: created.id, severity: 'warning', meta: { recipient_count: 3, count: 3 } });
      expect((await api.get('/api/alert-rules', tokens.acmeAdmin)).body.items.find((r: any) => r.id === created.id).last_fired_at).not.toBeNull();
    } finally {
      stream.close();
      await server.db.alertRule.delete({ where: { id: created.id } });
    }
  });

  it('fires exactly once per window under a burst of parallel writes and racing evaluators', async () => {
    const { body: created } = await api.post(
      '/api/alert-rules',
      rule({ name: 'Burst', threshold: 5, window_minutes: 60, notify: { roles: ['admin'] } }),
      tokens.globexAdmin,
    );
    // 40 failures at once (8 through the API of both instances, 32 straight into the log),
    // while both instances evaluate every 100 ms and this test runs ten more evaluations.
    const secondApi = apiClient(second.url);
    const writes = [
      ...Array.from({ length: 8 }, (_, i) => failJob(tokens.globexAdmin, `burst ${i}`, i % 2 ? secondApi : api)),
      ...Array.from({ length: 32 }, (_, i) =>
        recordActivity(i % 2 ? second.db : server.db, { workspaceId: world.globex.id, actorUserId: null, type: 'job.failed', summary: `burst direct ${i}`, severity: 'critical' }),
      ),
    ];
    const racing = Array.from({ length: 10 }, (_, i) => evaluateAlertRules(i % 2 ? second.db : server.db));
    await Promise.all([...writes, ...racing]);
    await Promise.all(Array.from({ length: 10 }, () => fireIfDue(second.db, created.id)));
    await eventually(async () => ((await alertsOf(world.users.globexAdmin.id)).length > 0 ? true : undefined), 'the burst alert');
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const user of [world.users.globexAdmin, world.users.both]) {
      expect((await alertsOf(user.id)).filter((alert) => (alert.notification.meta as any).alert_rule_id === created.id)).toHaveLength(1);
    }
    expect(await server.db.activity.count({ where: { type: 'alert_rule.triggered', entityId: created.id } })).toBe(1);
  });

  it('counts only matching severity, and fires again after the window with new entries only', async () => {
    // Its own database and no background evaluation, so each evaluation here is the only one.
    const quiet = await startTestServer({ alertEvaluationMs: 3600_000 });
    const world = await createWorld(quiet.db);
    const api = apiClient(quiet.url);
    const server = quiet;
    const tokens = { acmeAdmin: await api.login(world.users.acmeAdmin.email) };
    const { body: created } = await api.post(
      '/api/alert-rules',
      rule({ name: 'Critical leads', types: ['lead.created'], min_severity: 'critical', threshold: 2, window_minutes: 1, notify: { user_ids: [world.users.acmeAdmin2.id] }, channels: ['in_app', 'email'] }),
      tokens.acmeAdmin,
    );
    const add = (severity: 'info' | 'critical') =>
      recordActivity(server.db, { workspaceId: world.acme.id, actorUserId: null, type: 'lead.created', summary: `lead ${severity}`, severity });
    await add('info');
    await add('info');
    await add('critical');
    expect(await fireIfDue(server.db, created.id)).toBe(false);
    await add('critical');
    expect(await fireIfDue(server.db, created.id)).toBe(true);
    expect(await fireIfDue(server.db, created.id)).toBe(false);
    // A minute later: the entries that fired it are out of the window; two new ones fire it again.
    await server.db.$executeRaw`UPDATE alert_rules SET last_fired_at = last_fired_at - interval '61 seconds'`;
    await server.db.$executeRaw`UPDATE activities SET created_at = created_at - interval '61 seconds'`;
    expect(await fireIfDue(server.db, created.id)).toBe(false);
    await add('critical');
    await add('critical');
    expect(await fireIfDue(server.db, created.id)).toBe(true);
    const alerts = await quiet.db.notificationReceipt.count({ where: { userId: world.users.acmeAdmin2.id, notification: { type: 'alert_rule_triggered' } } });
    expect(alerts).toBe(2);
    // The email channel queues each alert for the digest, although email is off by default for this type.
    expect(await quiet.db.emailOutbox.count({ where: { userId: world.users.acmeAdmin2.id, notification: { type: 'alert_rule_triggered' } } })).toBe(2);
    await quiet.close();
  });

  it('lets super admins watch every workspace and be told themselves', async () => {
    const created = await api.post(
      '/api/alert-rules',
      rule({ name: 'Any playbook failure', types: ['playbook.failed'], threshold: 1, notify: { super_admins: true } }),
      tokens.superAdmin,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ workspace_id: null, workspace_name: null });
    // Workspace admins do not see rules across workspaces.
    expect((await api.get('/api/alert-rules', tokens.globexAdmin)).body.items.map((r: any) => r.id)).not.toContain(created.body.id);
    await recordActivity(server.db, { workspaceId: world.globex.id, actorUserId: null, type: 'playbook.failed', summary: 'Playbook Enrich failed', severity: 'critical' });
    const alerts = await eventually(async () => {
      const found = await alertsOf(world.users.superAdmin.id);
      return found.length > 0 ? found : undefined;
    }, 'the super admin alert');
    expect(alerts[0]!.notification).toMatchObject({ title: 'Alert: Any playbook failure', workspaceId: world.globex.id });
    const inbox = (await api.get('/api/notifications', tokens.superAdmin)).body.items;
    expect(inbox[0]).toMatchObject({ type: 'alert_rule_triggered', title: 'Alert: Any playbook failure' });
    await server.db.alertRule.delete({ where: { id: created.body.id } });
  });

  it("audits changes to rules across workspaces where only super admins see them", async () => {
    const created = await api.post('/api/alert-rules', rule({ name: 'Fleet-wide outcomes', types: ['campaign.outcome'], threshold: 5000, notify: { super_admins: true } }), tokens.superAdmin);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await api.patch(`/api/alert-rules/${id}`, { threshold: 4000 }, tokens.superAdmin)).status).toBe(200);
    expect((await api.request('DELETE', `/api/alert-rules/${id}`, { token: tokens.superAdmin })).status).toBe(204);

    const feed = `/api/admin/activity?entity_type=alert_rule&entity_id=${id}`;
    const audit = (await api.get(feed, tokens.superAdmin)).body.items;
    expect(audit.map((entry: any) => entry.type)).toEqual(['alert_rule.deleted', 'alert_rule.updated', 'alert_rule.created']);
    expect(audit[1]).toMatchObject({ workspace_id: null, workspace_name: null, actor_name: 'super', meta: { changes: { threshold: { from: 5000, to: 4000 } } } });
    // No workspace's log shows them, and its admins cannot reach the super admins' feed.
    for (const admin of ['acmeAdmin', 'globexAdmin'] as const) {
      expect((await api.get(`/api/activity?entity_type=alert_rule&entity_id=${id}`, tokens[admin])).body.items).toEqual([]);
      expect((await api.get(feed, tokens[admin])).status).toBe(403);
    }
    // The export carries them with an empty workspace.
    const exported = await api.request('GET', `/api/admin/activity/export?format=ndjson&entity_type=alert_rule&entity_id=${id}`, { token: tokens.superAdmin });
    expect(exported.status).toBe(200);
    expect(String(exported.body).trim().split('\n').map((line) => JSON.parse(line).workspace_id)).toEqual([null, null, null]);
    // A rule across workspaces never counts these entries as workspace activity.
    const watcher = await api.post('/api/alert-rules', rule({ name: 'Rule churn', types: ['alert_rule.updated'], threshold: 1, notify: { super_admins: true } }), tokens.superAdmin);
    expect((await api.patch(`/api/alert-rules/${watcher.body.id}`, { threshold: 2 }, tokens.superAdmin)).status).toBe(200);
    expect(await fireIfDue(server.db, watcher.body.id)).toBe(false);
    await server.db.alertRule.delete({ where: { id: watcher.body.id } });
  });
});
