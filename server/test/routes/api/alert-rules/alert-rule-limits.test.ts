import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordActivity } from '../../../../src/services/activity/record-activity.ts';
import { apiClient, createWorld, eventually, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

/** Rules per workspace on this server: small, so reaching the cap takes a few requests. */
const CAP = 3;

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

const rule = (overrides: Record<string, unknown> = {}) => ({
  name: 'Failing jobs',
  types: ['job.failed'],
  threshold: 1,
  window_minutes: 1,
  notify: { roles: ['admin'] },
  ...overrides,
});

/** Alerts of one rule in Globex's admin's inbox. */
const alertsOfRule = (ruleId: string) =>
  server.db.notificationReceipt.count({
    where: { userId: world.users.globexAdmin.id, notification: { type: 'alert_rule_triggered', meta: { path: ['alert_rule_id'], equals: ruleId } } },
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startTestServer({ alertEvaluationMs: 100, alertRulesPerWorkspace: CAP });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(async () => {
  await server?.close();
});

describe('alert rules never fire on alerts', () => {
  it('refuses `alert_rule.triggered` in a new or changed rule with a 400 naming `types`, changing nothing', async () => {
    const created = await api.post('/api/alert-rules', rule({ name: 'Alerts on alerts', types: ['job.failed', 'alert_rule.triggered'] }), tokens.acmeAdmin);
    expect(created.status).toBe(400);
    expect(created.body.error).toBe('alert_rule_type_refused');
    expect(created.body.message).toContain('`types`');
    expect(created.body.message).toContain('alert_rule.triggered');
    expect(await server.db.alertRule.count({ where: { name: 'Alerts on alerts' } })).toBe(0);

    const { body: kept } = await api.post('/api/alert-rules', rule({ name: 'Kept as it was' }), tokens.acmeAdmin);
    const patched = await api.patch(`/api/alert-rules/${kept.id}`, { types: ['alert_rule.triggered'] }, tokens.acmeAdmin);
    expect(patched.status).toBe(400);
    expect(patched.body.error).toBe('alert_rule_type_refused');
    expect((await server.db.alertRule.findUniqueOrThrow({ where: { id: kept.id } })).types).toEqual(['job.failed']);
    // Super admins' rules across workspaces are refused alike.
    const fleet = await api.post('/api/alert-rules', rule({ types: ['alert_rule.triggered'], notify: { super_admins: true } }), tokens.superAdmin);
    expect(fleet.status).toBe(400);
    expect(fleet.body.error).toBe('alert_rule_type_refused');
    await server.db.alertRule.delete({ where: { id: kept.id } });
  });

  it('never lets rules already watching alerts set each other off: one real trigger, then quiet over many ticks', async () => {
    // Globex: one ordinary rule, and two stored before the API refused the type, each watching alerts.
    const { body: trigger } = await api.post('/api/alert-rules', rule({ name: 'First failure' }), tokens.globexAdmin);
    const watchers = await Promise.all(
      ['Echo A', 'Echo B'].map((name) =>
        server.db.alertRule.create({
          data: { workspaceId: world.globex.id, name, types: ['alert_rule.triggered'], threshold: 1, windowMinutes: 1, notify: { roles: ['admin'] }, channels: ['in_app'] },
        }),
      ),
    );
    await recordActivity(server.db, { workspaceId: world.globex.id, actorUserId: null, type: 'job.failed', summary: 'Job Enrich failed', severity: 'critical' });
    await eventually(async () => ((await alertsOfRule(trigger.id)) > 0 ? true : undefined), 'the real alert');

    // Each round, the watchers' quiet window ends (as a minute later) and the evaluator ticks several times.
    for (let round = 0; round < 4; round++) {
      await sleep(600);
      await server.db.$executeRaw`
        UPDATE alert_rules SET last_fired_at = last_fired_at - interval '1 minute'
         WHERE workspace_id = ${world.globex.id}::uuid AND name LIKE 'Echo %' AND last_fired_at IS NOT NULL`;
    }
    await sleep(600);
    const perWatcher = await Promise.all(watchers.map((watcher) => alertsOfRule(watcher.id)));
    console.log(`alerts per watcher after one trigger and 4 quiet windows: ${perWatcher.join(', ')}`);
    for (const count of perWatcher) expect(count).toBeLessThanOrEqual(1);
    expect(await alertsOfRule(trigger.id)).toBe(1);
    expect(await server.db.activity.count({ where: { workspaceId: world.globex.id, type: 'alert_rule.triggered' } })).toBeLessThanOrEqual(3);
    await server.db.alertRule.deleteMany({ where: { workspaceId: world.globex.id } });
  });
});

describe('alert rules: a cap per workspace', () => {
  it(`refuses a workspace's rule beyond ${CAP} with a 409 naming the cap, and leaves other workspaces free`, async () => {
    for (let i = 0; i < CAP; i++) {
      expect((await api.post('/api/alert-rules', rule({ name: `Acme rule ${i}` }), tokens.acmeAdmin)).status).toBe(201);
    }
    const refused = await api.post('/api/alert-rules', rule({ name: 'One too many' }), tokens.acmeAdmin);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('alert_rule_limit');
    expect(refused.body.message).toContain(`${CAP} alert rules`);
    expect(await server.db.alertRule.count({ where: { workspaceId: world.acme.id } })).toBe(CAP);
    // A super admin cannot go past it either, and other workspaces keep their own room.
    expect((await api.post('/api/alert-rules', rule({ name: 'Super too', workspace_id: world.acme.id }), tokens.superAdmin)).status).toBe(409);
    const globex = await api.post('/api/alert-rules', rule({ name: 'Globex rule' }), tokens.globexAdmin);
    expect(globex.status).toBe(201);
    // Changing a rule at the cap is fine; deleting one makes room again.
    const [first] = (await api.get('/api/alert-rules', tokens.acmeAdmin)).body.items;
    expect((await api.patch(`/api/alert-rules/${first.id}`, { threshold: 2 }, tokens.acmeAdmin)).status).toBe(200);
    expect((await api.request('DELETE', `/api/alert-rules/${first.id}`, { token: tokens.acmeAdmin })).status).toBe(204);
    expect((await api.post('/api/alert-rules', rule({ name: 'Room again' }), tokens.acmeAdmin)).status).toBe(201);
    await server.db.alertRule.deleteMany({});
  });

  it('holds the cap exactly under 20 parallel creates one below it', async () => {
    for (let i = 0; i < CAP - 1; i++) {
      expect((await api.post('/api/alert-rules', rule({ name: `Globex rule ${i}` }), tokens.globexAdmin)).status).toBe(201);
    }
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.post('/api/alert-rules', rule({ name: `Parallel ${i}` }), tokens.globexAdmin)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
    expect(await server.db.alertRule.count({ where: { workspaceId: world.globex.id } })).toBe(CAP);
    await server.db.alertRule.deleteMany({});
  });

  it('caps rules across workspaces (super admins) alike', async () => {
    for (let i = 0; i < CAP; i++) {
      expect((await api.post('/api/alert-rules', rule({ name: `Fleet ${i}`, notify: { super_admins: true } }), tokens.superAdmin)).status).toBe(201);
    }
    const refused = await api.post('/api/alert-rules', rule({ name: 'Fleet too many', notify: { super_admins: true } }), tokens.superAdmin);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`${CAP} alert rules`);
    expect(await server.db.alertRule.count({ where: { workspaceId: null } })).toBe(CAP);
    await server.db.alertRule.deleteMany({});
  });
});
