import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
let acmeKey: string;
let globexKey: string;

async function createKey(as: string, name: string) {
  const response = await api.post('/api/api-keys', { name }, tokens[as]);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; key: string; prefix: string };
}

const withKey = (key: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  api.request('POST', path, { body, headers: { authorization: `Bearer ${key}`, ...headers } });

const inbox = async (as: string) => (await api.get('/api/notifications?limit=100', tokens[as])).body.items as any[];

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
  acmeKey = (await createKey('acmeAdmin', 'Warehouse sync')).key;
  globexKey = (await createKey('globexAdmin', 'Globex sync')).key;
});
afterAll(() => server.close());

describe('API keys', () => {
  it('admins create a key (shown once), list it by prefix, and revoke it', async () => {
    const created = await createKey('acmeAdmin2', 'CRM bridge');
    expect(created).toMatchObject({
      name: 'CRM bridge',
      key: expect.stringMatching(/^tnk_[\w-]{43}$/),
      created_by: { id: world.users.acmeAdmin2.id, name: 'acme-admin2' },
      revoked_at: null,
    });
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const stored = await server.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(stored)).not.toContain(created.key);

    const listed = await api.get('/api/api-keys', tokens.acmeAdmin);
    const item = listed.body.items.find((key: any) => key.id === created.id);
    expect(item).toMatchObject({ name: 'CRM bridge', prefix: created.prefix });
    expect(item).not.toHaveProperty('key');
    expect((await api.get('/api/api-keys', tokens.globexAdmin)).body.items.map((key: any) => key.name)).toEqual(['Globex sync']);

    expect((await withKey(created.key, '/api/events', { events: [{ type: 'lead.created', summary: 'x' }] })).status).toBe(201);
    const revoked = await api.request('DELETE', `/api/api-keys/${created.id}`, { token: tokens.acmeAdmin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    const refused = await withKey(created.key, '/api/events', { events: [{ type: 'lead.created', summary: 'x' }] });
    expect(refused.status).toBe(401);

    const audit = await api.get(`/api/activity?entity_id=${created.id}`, tokens.acmeAdmin);
    expect(audit.body.items.map((entry: any) => [entry.type, entry.severity, entry.actor_user_id])).toEqual([
      ['api_key.revoked', 'critical', world.users.acmeAdmin.id],
      ['api_key.created', 'critical', world.users.acmeAdmin2.id],
    ]);
    // Revoking again changes nothing and records nothing.
    await api.request('DELETE', `/api/api-keys/${created.id}`, { token: tokens.acmeAdmin });
    expect((await api.get(`/api/activity?entity_id=${created.id}`, tokens.acmeAdmin)).body.items).toHaveLength(2);
  });

  it('members get 403, other workspaces 404, anonymous 401', async () => {
    const key = await createKey('acmeAdmin', 'to protect');
    expect((await api.get('/api/api-keys', tokens.acmeMember)).status).toBe(403);
    expect((await api.post('/api/api-keys', { name: 'x' }, tokens.acmeMember)).status).toBe(403);
    expect((await api.request('DELETE', `/api/api-keys/${key.id}`, { token: tokens.acmeMember })).status).toBe(403);
    expect((await api.request('DELETE', `/api/api-keys/${key.id}`, { token: tokens.globexAdmin })).status).toBe(404);
    expect((await api.get('/api/api-keys')).status).toBe(401);
    expect((await api.post('/api/api-keys', { name: 'x', scopes: [] }, tokens.acmeAdmin)).status).toBe(400);
    const stillThere = await server.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stillThere.revokedAt).toBeNull();
  });
});

describe('POST /api/events', () => {
  it('records activity for the key’s workspace and notifies by the flows’ rules', async () => {
    const response = await api.request('POST', '/api/events', {
      headers: { 'x-api-key': acmeKey },
      body: {
        events: [
          { type: 'lead.created', summary: 'Lead imported from HubSpot', entity_type: 'lead', entity_id: 'hs-1', occurred_at: '2026-11-20T10:00:00.000Z' },
          { type: 'job.failed', summary: 'Nightly sync failed', entity_type: 'job', entity_id: 'sync-7', meta: { kind: 'crm_sync', error: 'token expired' } },
        ],
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ accepted: 2, activity_ids: [expect.any(String), expect.any(String)], notifications: 1 });

    const entries = (await api.get('/api/activity?entity_type=job&entity_id=sync-7', tokens.acmeAdmin)).body.items;
    expect(entries).toEqual([
      expect.objectContaining({ type: 'job.failed', severity: 'critical', actor_user_id: null, meta: { kind: 'crm_sync', error: 'token expired', source: 'integration' } }),
    ]);
    const imported = (await api.get('/api/activity?entity_id=hs-1', tokens.acmeMember)).body.items;
    expect(imported[0]).toMatchObject({ summary: 'Lead imported from HubSpot', created_at: '2026-11-20T10:00:00.000Z' });
    expect((await api.get('/api/activity?entity_id=hs-1', tokens.globexAdmin)).body.items).toEqual([]);

    const [notification] = (await inbox('acmeAdmin')).filter((item) => item.meta.job_id === 'sync-7');
    expect(notification).toMatchObject({
      user_id: null,
      type: 'job_failed',
      title: 'Job failed: crm sync',
      body: 'token expired',
      target_url: '/jobs/sync-7',
    });
    expect((await inbox('globexAdmin')).some((item) => item.meta.job_id === 'sync-7')).toBe(false);
  });

  it('refuses bad batches whole: 401 without a key, 400 for audit types, unknown fields, empty or over 500', async () => {
    const before = await server.db.activity.count();
    expect((await api.post('/api/events', { events: [{ type: 'lead.created', summary: 'x' }] })).status).toBe(401);
    // A user's session token is not an API key.
    expect((await withKey(tokens.acmeAdmin!, '/api/events', { events: [{ type: 'lead.created', summary: 'x' }] })).status).toBe(401);
    const bad = [
      { events: [] },
      { events: Array.from({ length: 501 }, (_, i) => ({ type: 'lead.created', summary: `e${i}` })) },
      { events: [{ type: 'api_key.created', summary: 'forged' }] },
      { events: [{ type: 'lead.created', summary: 'ok' }, { type: 'lead.created', summary: 'x', actor: 'me' }] },
      { events: [{ type: 'lead.created' }] },
      { events: [{ type: 'lead.created', summary: 'x', entity_id: 'no-type' }] },
      { events: [{ type: 'lead.created', summary: 'x' }], extra: true },
    ];
    for (const body of bad) {
      const response = await withKey(acmeKey, '/api/events', body);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    }
    const idOnly = await withKey(acmeKey, '/api/events', { events: [{ type: 'lead.created', summary: 'x', entity_id: 'no-type' }] });
    expect(idOnly.body.message).toContain('entity_type');
    expect(await server.db.activity.count()).toBe(before);
  });

  it('takes 500 events in one call', async () => {
    const events = Array.from({ length: 500 }, (_, i) => ({ type: 'email.found', summary: `found ${i}`, entity_type: 'lead', entity_id: 'bulk' }));
    const response = await withKey(globexKey, '/api/events', { events });
    expect(response.status).toBe(201);
    expect(response.body.accepted).toBe(500);
    expect(await server.db.activity.count({ where: { workspaceId: world.globex.id, entityId: 'bulk' } })).toBe(500);
  });

  it('records batches of one workspace sent at once each all or nothing: one the database refuses is undone alone, its notification too', async () => {
    // A value PostgreSQL refuses, after the batch's notification is written: its savepoint must undo both.
    await server.db.$executeRawUnsafe(
      `CREATE FUNCTION test_refuse_entry() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22023'; END $$`,
    );
    await server.db.$executeRawUnsafe(
      `CREATE TRIGGER test_refuse_entry BEFORE INSERT ON activities FOR EACH ROW WHEN (NEW.summary = 'refused') EXECUTE FUNCTION test_refuse_entry()`,
    );
    try {
      const tag = crypto.randomUUID();
      const batch = (i: number) => ({
        events: [
          { type: 'playbook.completed', summary: `Run ${i}`, entity_type: 'playbook_run', entity_id: `${tag}-${i}`, meta: { playbook: 'Together', leads_added: 1 } },
          ...Array.from({ length: 20 }, (_, j) => ({ type: 'lead.updated', summary: `Lead ${j} of batch ${i}`, entity_type: 'lead', entity_id: `${tag}-${i}` })),
          ...(i === 3 ? [{ type: 'lead.updated', summary: 'refused', entity_type: 'lead', entity_id: `${tag}-${i}` }] : []),
          ...(i === 5 ? [{ type: 'lead.updated', summary: 'Not critical', severity: 'critical' }] : []),
        ],
      });
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => withKey(acmeKey, '/api/events', batch(i), { 'idempotency-key': `${tag}-${i}` })));
      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 400, 201, 400, 201, 201]);
      expect(answers[3]!.body).toMatchObject({ error: 'invalid_value' });

      const recorded = await server.db.$queryRaw<{ entity_id: string; entries: number }[]>`
        SELECT entity_id, count(*)::int AS entries FROM activities WHERE entity_id LIKE ${`${tag}-%`} GROUP BY entity_id ORDER BY entity_id`;
      expect(recorded).toEqual([0, 1, 2, 4, 6, 7].map((i) => ({ entity_id: `${tag}-${i}`, entries: 21 })));
      const notified = await server.db.$queryRaw<{ run: string }[]>`
        SELECT DISTINCT meta->>'playbook_run_id' AS run FROM notifications WHERE meta->>'playbook_run_id' LIKE ${`${tag}-%`} ORDER BY 1`;
      expect(notified.map(({ run }) => run)).toEqual([0, 1, 2, 4, 6, 7].map((i) => `${tag}-${i}`));
      // The refused batch stored no Idempotency-Key: sent again without the bad event, it is recorded.
      const again = await withKey(acmeKey, '/api/events', { events: batch(3).events.slice(0, 21) }, { 'idempotency-key': `${tag}-3` });
      expect(again.status).toBe(201);
      const chain = await api.get(`/api/activity/verify`, tokens.acmeAdmin);
      expect(chain.body).toMatchObject({ ok: true, first_broken: null });
    } finally {
      await server.db.$executeRawUnsafe('DROP TRIGGER test_refuse_entry ON activities');
      await server.db.$executeRawUnsafe('DROP FUNCTION test_refuse_entry()');
    }
  });

  it('answers the ids of the entries it wrote, in the order sent, with or without an Idempotency-Key', async () => {
    const events = ['first', 'second', 'third'].map((summary) => ({ type: 'lead.updated', summary, entity_type: 'lead', entity_id: 'ordered' }));
    const headerSets: Record<string, string>[] = [{}, { 'idempotency-key': 'ordered-1' }];
    for (const headers of headerSets) {
      const response = await withKey(acmeKey, '/api/events', { events }, headers);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ accepted: 3, notifications: 0 });
      const ids = response.body.activity_ids as string[];
      const rows = await server.db.activity.findMany({ where: { id: { in: ids } }, select: { id: true, summary: true, workspaceId: true } });
      expect(ids.map((id) => rows.find((row) => row.id === id)?.summary)).toEqual(['first', 'second', 'third']);
      expect(rows.every((row) => row.workspaceId === world.acme.id)).toBe(true);
      // The feed lists them newest first: the batch's last event on top.
      const feed = (await api.get('/api/activity?entity_type=lead&entity_id=ordered&page_size=3', tokens.acmeAdmin)).body as { items: { id: string }[] };
      expect(feed.items.map((item) => item.id)).toEqual([...ids].reverse());
      await server.db.activity.deleteMany({ where: { id: { in: ids } } });
    }
  });

  it('honours Idempotency-Key: a retry replays the first response with no second effect; another body is 422', async () => {
    const body = { events: [{ type: 'playbook.completed', summary: 'Done', entity_type: 'playbook_run', entity_id: 'run-9', meta: { playbook: 'Webinar import', leads_added: 12 } }] };
    const first = await withKey(acmeKey, '/api/events', body, { 'idempotency-key': 'batch-1' });
    expect(first.status).toBe(201);
    const retry = await withKey(acmeKey, '/api/events', body, { 'idempotency-key': 'batch-1' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await server.db.activity.count({ where: { entityId: 'run-9' } })).toBe(1);
    const notifications = (await inbox('acmeAdmin')).filter((item) => item.meta.playbook_run_id === 'run-9');
    expect(notifications.map((item) => item.body)).toEqual(['Webinar import completed (12 leads added)']);

    const concurrent = await Promise.all(
      [1, 2, 3].map(() => withKey(acmeKey, '/api/events', { events: [{ type: 'lead.created', summary: 'once', entity_type: 'lead', entity_id: 'conc' }] }, { 'idempotency-key': 'batch-2' })),
    );
    expect(concurrent.map((response) => response.status)).toEqual([201, 201, 201]);
    expect(await server.db.activity.count({ where: { entityId: 'conc' } })).toBe(1);
    // One of them recorded it; the others waited on its key and replayed the same answer.
    expect(concurrent.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expect(new Set(concurrent.map((response) => JSON.stringify(response.body))).size).toBe(1);

    const changed = await withKey(acmeKey, '/api/events', { events: [{ type: 'lead.created', summary: 'other' }] }, { 'idempotency-key': 'batch-1' });
    expect(changed.status).toBe(422);
    expect(changed.body.error).toBe('idempotency_key_reused');
    // Keys are per workspace: Globex may use the same one.
    expect((await withKey(globexKey, '/api/events', body, { 'idempotency-key': 'batch-1' })).headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('POST /api/inbound/replies', () => {
  async function leadOwnedBy(as: string, name = 'Sofia Novak') {
    return (await api.post('/api/leads', { name, email: 'sofia@vandelay.test' }, tokens[as])).body as { id: string };
  }

  it("tells the lead's owner; replies in quick succession collapse into one notification", async () => {
    const lead = await leadOwnedBy('acmeMember');
    const reply = (subject: string) =>
      withKey(acmeKey, '/api/inbound/replies', { lead_id: lead.id, subject, snippet: 'Sounds good, call me' });
    const first = await reply('Re: Q4 pricing');
    expect(first.status).toBe(201);
    let [notification] = (await inbox('acmeMember')).filter((item) => item.type === 'reply_received');
    expect(notification).toEqual({
      id: first.body.notification_id,
      workspace_id: world.acme.id,
      user_id: world.users.acmeMember.id,
      type: 'reply_received',
      title: 'New reply from Sofia Novak',
      body: 'Re: Q4 pricing: Sounds good, call me',
      target_url: `/leads/${lead.id}`,
      meta: { lead_id: lead.id, reply_id: first.body.id, count: 1 },
      read_at: null,
      archived_at: null,
      claimed_by: null,
      claimed_at: null,
      escalated_at: null,
      seen_at: null,
      snoozed_until: null,
      reason: 'You own this lead',
      created_at: expect.any(String),
      first_arrived_at: notification!.created_at,
    });
    const activity = (await api.get(`/api/activity?entity_id=${lead.id}&type=email.reply_received`, tokens.acmeMember)).body.items;
    expect(activity[0]).toMatchObject({ summary: 'Sofia Novak replied: Re: Q4 pricing', actor_user_id: null });

    await reply('Re: Q4 pricing (2)');
    const third = await reply('Re: Q4 pricing (3)');
    const replies = (await inbox('acmeMember')).filter((item) => item.type === 'reply_received');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      id: first.body.notification_id,
      title: '3 new replies from Sofia Novak',
      body: 'Latest: Re: Q4 pricing (3)',
      meta: { lead_id: lead.id, reply_id: third.body.id, count: 3 },
    });
    expect(new Date(replies[0].created_at).getTime()).toBeGreaterThan(new Date(notification.created_at).getTime());
    // At the top by the latest reply, and still saying when the first came.
    expect(replies[0].first_arrived_at).toBe(notification.created_at);
    expect((await api.get('/api/notifications/unread-count', tokens.acmeMember)).body.by_workspace[world.acme.id]).toBeGreaterThanOrEqual(1);
    // Live clients hear about the update, not a second new notification.
    const events = await server.db.streamEvent.findMany({ where: { userId: world.users.acmeMember.id }, orderBy: { seq: 'asc' } });
    const aboutIt = events.filter((event) => (event.data as { id?: string }).id === first.body.notification_id);
    expect(aboutIt.map((event) => event.type)).toEqual(['notification.created', 'notification.updated', 'notification.updated']);
    expect(aboutIt[2]!.data).toMatchObject({ title: '3 new replies from Sofia Novak', read_at: null, archived_at: null, first_arrived_at: notification.created_at });
    expect(aboutIt[0]!.data).toMatchObject({ first_arrived_at: notification.created_at });
    [notification] = replies;

    // Read: the next reply is news again.
    await api.patch(`/api/notifications/${notification.id}`, { read: true }, tokens.acmeMember);
    await reply('Re: one more thing');
    const after = (await inbox('acmeMember')).filter((item) => item.type === 'reply_received');
    expect(after.map((item) => item.title)).toEqual(['New reply from Sofia Novak', '3 new replies from Sofia Novak']);
  });

  it('concurrent replies from one lead still collapse into one notification', async () => {
    const lead = await leadOwnedBy('acmeAdmin2', 'Ethan Garcia');
    const replies = await Promise.all(
      [1, 2, 3, 4].map((n) => withKey(acmeKey, '/api/inbound/replies', { lead_id: lead.id, subject: `Re: ${n}` })),
    );
    expect(replies.map((reply) => reply.status)).toEqual([201, 201, 201, 201]);
    const notifications = (await inbox('acmeAdmin2')).filter((item) => item.meta.lead_id === lead.id);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ title: '4 new replies from Ethan Garcia', meta: { count: 4 } });
  });

  it("a lead without an owner notifies the admins; another workspace's lead is 404", async () => {
    const lead = await leadOwnedBy('acmeAdmin', 'Aria Berg');
    await api.patch(`/api/leads/${lead.id}`, { owner_user_id: null }, tokens.acmeAdmin);
    const response = await withKey(acmeKey, '/api/inbound/replies', { lead_id: lead.id, subject: 'Hello' });
    expect(response.status).toBe(201);
    for (const admin of ['acmeAdmin', 'acmeAdmin2']) {
      expect((await inbox(admin)).some((item) => item.id === response.body.notification_id)).toBe(true);
    }
    const before = await server.db.emailReply.count();
    expect((await withKey(globexKey, '/api/inbound/replies', { lead_id: lead.id, subject: 'Hello' })).status).toBe(404);
    expect((await api.post('/api/inbound/replies', { lead_id: lead.id, subject: 'Hello' }, tokens.acmeAdmin)).status).toBe(401);
    expect(await server.db.emailReply.count()).toBe(before);
  });
});
