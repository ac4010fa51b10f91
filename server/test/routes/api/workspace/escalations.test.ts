import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, eventually, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

// Escalation of unclaimed workspace-level alerts: who may set it, what is refused, and that an
// item escalates exactly once with two server instances sweeping the same database.
let world: World;
let first: TestServer;
let api: ApiClient;
const servers: TestServer[] = [];
const tokens: Record<string, string> = {};

const start = async (databaseUrl?: string) => {
  const server = await startTestServer({ escalationPollMs: 50 }, { databaseUrl });
  servers.push(server);
  return server;
};

beforeAll(async () => {
  first = await start();
  world = await createWorld(first.db);
  api = apiClient(first.url);
  for (const name of ['acmeAdmin', 'acmeAdmin2', 'acmeMember', 'globexAdmin', 'superAdmin'] as const) {
    tokens[name] = await api.login(world.users[name].email);
  }
});
afterAll(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const RULE = { type: 'job_failed', after_minutes: 5, notify_super_admins: true, email_admins: true };
const shared = async (title: string, type = 'job_failed', workspaceId = world.acme.id) =>
  (await createNotification(first.db, { workspaceId, userId: null, type, title })).notification.id;
/** As if it arrived `minutes` ago: the sweep compares with the database's clock. */
const age = (ids: string[], minutes: number) =>
  first.db.$executeRaw`UPDATE notifications SET created_at = now() - make_interval(mins => ${minutes}) WHERE id = ANY(${ids}::uuid[])`;

describe('GET/PUT /api/workspace/notification-escalations', () => {
  it('admins set them per type; members cannot; another workspace sees none; bad input changes nothing', async () => {
    expect((await api.get('/api/workspace/notification-escalations', tokens.acmeAdmin)).body).toEqual({ items: [] });
    const saved = await api.put('/api/workspace/notification-escalations', { items: [RULE] }, tokens.acmeAdmin);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ items: [RULE] });

    expect((await api.put('/api/workspace/notification-escalations', { items: [] }, tokens.acmeMember)).status).toBe(403);
    expect((await api.get('/api/workspace/notification-escalations', tokens.acmeMember)).status).toBe(403);
    expect((await api.get('/api/workspace/notification-escalations', tokens.globexAdmin)).body).toEqual({ items: [] });

    const refused = [
      { items: [RULE, RULE] },
      { items: [{ ...RULE, notify_super_admins: false, email_admins: false }] },
      { items: [{ ...RULE, type: 'task_assigned' }] },
      { items: [{ ...RULE, after_minutes: 0 }] },
      { items: [{ ...RULE, extra: 1 }] },
    ];
    for (const body of refused) {
      const response = await api.put('/api/workspace/notification-escalations', body, tokens.acmeAdmin);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(typeof response.body.message).toBe('string');
    }
    expect((await api.get('/api/workspace/notification-escalations', tokens.acmeAdmin2)).body).toEqual({ items: [RULE] });
    const log = (await api.get('/api/activity?type=workspace.escalations_changed', tokens.acmeAdmin)).body.items;
    expect(log).toHaveLength(1);
    expect(log[0].summary).toContain('after 5 minutes');
  });

  it('escalates each due item exactly once across two instances; claimed, read, recent and other types do not', async () => {
    await api.put('/api/workspace/notification-escalations', { items: [RULE] }, tokens.acmeAdmin);
    // Created while only the first instance sweeps; the second joins before they come due.
    const due = await Promise.all(Array.from({ length: 12 }, (_, i) => shared(`Sync job ${i} failed`)));
    const claimed = await shared('Claimed failure');
    const read = await shared('Read failure');
    const recent = await shared('Recent failure');
    const otherType = await shared('Playbook failure', 'playbook_failed');
    const globex = await shared('Globex failure', 'job_failed', world.globex.id);
    expect((await api.post(`/api/notifications/${claimed}/claim`, undefined, tokens.acmeAdmin2)).status).toBe(200);
    expect((await api.patch(`/api/notifications/${read}`, { read: true }, tokens.acmeAdmin2)).status).toBe(200);
    await start(first.databaseUrl);

    await age([...due, claimed, read, otherType, globex], 10);
    await age([recent], 2);
    await eventually(
      async () => ((await first.db.notification.count({ where: { id: { in: due }, escalatedAt: { not: null } } })) === due.length ? true : undefined),
      'every due item escalated',
    );
    // Several more sweeps of both instances.
    await new Promise((resolve) => setTimeout(resolve, 400));

    for (const id of due) {
      const told = await first.db.notification.count({ where: { type: 'critical_other', meta: { path: ['escalated_notification_id'], equals: id } } });
      expect(told, id).toBe(1);
      expect(await first.db.activity.count({ where: { type: 'notification.escalated', entityId: id } }), id).toBe(1);
      // Into each Acme admin's digest once (two admins).
      expect(await first.db.emailOutbox.count({ where: { notificationId: id } }), id).toBe(2);
    }
    const untouched = await first.db.notification.findMany({ where: { id: { in: [claimed, read, recent, otherType, globex] } } });
    expect(untouched.map((row) => row.escalatedAt)).toEqual([null, null, null, null, null]);
    expect(await first.db.activity.count({ where: { type: 'notification.escalated' } })).toBe(due.length);

    // What the super admin and the Acme admins see: the escalation, in the log and on the item.
    const superInbox = (await api.get('/api/notifications?limit=100', tokens.superAdmin)).body.items as any[];
    const escalation = superInbox.find((item) => item.title === 'Unclaimed for 5 minutes: Sync job 0 failed');
    expect(escalation).toMatchObject({ type: 'critical_other', read_at: null });
    const item = ((await api.get('/api/notifications?limit=100', tokens.acmeAdmin)).body.items as any[]).find((entry) => entry.id === due[0]);
    expect(Date.parse(item.escalated_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(item.claimed_by).toBeNull();
    const log = (await api.get('/api/activity?type=notification.escalated&page_size=50', tokens.acmeAdmin)).body.items as any[];
    expect(log).toHaveLength(due.length);
    expect(log.find((entry) => entry.entity_id === due[0]).summary).toContain('Sync job 0 failed');
    expect((await api.get('/api/activity?type=notification.escalated', tokens.globexAdmin)).body.items).toHaveLength(0);

    // A claim after the escalation still works, and the item does not escalate again.
    expect((await api.post(`/api/notifications/${due[0]}/claim`, undefined, tokens.acmeAdmin)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await first.db.activity.count({ where: { type: 'notification.escalated', entityId: due[0] } })).toBe(1);
    // Two instances and a few dozen notifications on a shared 2-core machine: more than the default.
  }, 120_000);
});
