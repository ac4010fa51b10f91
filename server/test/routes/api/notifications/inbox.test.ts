import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, startTestServer, StreamClient, type ApiClient, type TestServer, type World } from '../../../helper.ts';

// Triage: seen vs unread, snooze, "why", mutes, super admins' critical events, query flags.
let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
const clients: StreamClient[] = [];

const personal = (userId: string, title: string, extra: { type?: string; meta?: Record<string, string>; workspaceId?: string } = {}) =>
  createNotification(server.db, {
    workspaceId: extra.workspaceId ?? world.acme.id,
    userId,
    type: extra.type ?? 'task_assigned',
    title,
    targetUrl: '/leads/7?tab=tasks',
    meta: extra.meta,
  });
const inbox = async (token: string, query = '') => (await api.get(`/api/notifications${query}`, token)).body.items as any[];
const counts = async (token: string) => (await api.get('/api/notifications/unread-count', token)).body;
const stream = (token: string) => {
  const client = new StreamClient(`${server.url}/api/notifications/stream`, { token });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  server = await startTestServer({ appBaseUrl: 'https://sales.example.com/', snoozePollMs: 100 });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(async () => {
  for (const client of clients) client.close();
  await server.close();
});
beforeEach(async () => {
  await server.db.notification.deleteMany();
  await server.db.notificationMute.deleteMany();
  await server.db.notificationPreference.deleteMany();
});

describe('target_url with APP_BASE_URL', () => {
  it('is absolute on the host app in the list, the PATCH answer and the stream', async () => {
    const live = stream(tokens.acmeMember!);
    await live.next('unread_count');
    const { notification } = await personal(world.users.acmeMember.id, 'go there');
    expect((await live.next('notification.created')).data.target_url).toBe('https://sales.example.com/leads/7?tab=tasks');
    expect((await inbox(tokens.acmeMember!))[0].target_url).toBe('https://sales.example.com/leads/7?tab=tasks');
    const patched = await api.patch(`/api/notifications/${notification.id}`, { read: true }, tokens.acmeMember);
    expect(patched.body.target_url).toBe('https://sales.example.com/leads/7?tab=tasks');
  });
});

describe('seen vs unread', () => {
  it('counts unseen apart from unread; mark-all-seen clears the badge and leaves them unread', async () => {
    await personal(world.users.acmeMember.id, 'one');
    await personal(world.users.acmeMember.id, 'two');
    expect(await counts(tokens.acmeMember!)).toMatchObject({ count: 2, unseen: 2 });
    const listed = await inbox(tokens.acmeMember!);
    expect(listed.map((item) => item.seen_at)).toEqual([null, null]);

    // What arrives after the list was shown stays unseen.
    const before = listed[0].created_at;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await personal(world.users.acmeMember.id, 'three');
    const seen = await api.post('/api/notifications/mark-all-seen', { before }, tokens.acmeMember);
    expect(seen.body).toEqual({ updated: 2 });
    expect(await counts(tokens.acmeMember!)).toMatchObject({ count: 3, unseen: 1 });
    expect((await inbox(tokens.acmeMember!, '?only_unread=1')).map((item) => [item.title, item.seen_at === null])).toEqual([
      ['three', true],
      ['two', false],
      ['one', false],
    ]);
    expect((await api.post('/api/notifications/mark-all-seen', null, tokens.acmeMember)).body).toEqual({ updated: 1 });
    expect(await counts(tokens.acmeMember!)).toMatchObject({ count: 3, unseen: 0 });
  });

  it('PATCH seen toggles it; reading marks seen; marking unread keeps it seen', async () => {
    const { notification } = await personal(world.users.acmeMember.id, 'x');
    const url = `/api/notifications/${notification.id}`;
    expect((await api.patch(url, { seen: true }, tokens.acmeMember)).body).toMatchObject({ seen_at: expect.any(String), read_at: null });
    expect((await api.patch(url, { seen: false }, tokens.acmeMember)).body.seen_at).toBeNull();
    const read = (await api.patch(url, { read: true }, tokens.acmeMember)).body;
    expect(read.seen_at).not.toBeNull();
    expect((await api.patch(url, { read: false }, tokens.acmeMember)).body).toMatchObject({ read_at: null, seen_at: read.seen_at });
  });

  it('mark-all-seen under parallel requests marks each entry once', async () => {
    for (let i = 0; i < 12; i++) await personal(world.users.acmeMember.id, `n${i}`);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => api.post('/api/notifications/mark-all-seen', {}, tokens.acmeMember)),
    );
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(results.reduce((sum, result) => sum + result.body.updated, 0)).toBe(12);
    expect((await counts(tokens.acmeMember!)).unseen).toBe(0);
  });

  it('refuses bad bodies with 400', async () => {
    for (const body of [{ before: 'yesterday' }, { workspace_id: 'nope' }, { all: true }]) {
      expect((await api.post('/api/notifications/mark-all-seen', body, tokens.acmeMember)).status).toBe(400);
    }
  });
});

describe('only_unread and other flags', () => {
  it('accepts 1/0/true/false like the original API, and refuses anything else', async () => {
    const { notification } = await personal(world.users.acmeMember.id, 'read one');
    await api.patch(`/api/notifications/${notification.id}`, { read: true }, tokens.acmeMember);
    await personal(world.users.acmeMember.id, 'unread one');
    expect((await inbox(tokens.acmeMember!, '?only_unread=1')).map((item) => item.title)).toEqual(['unread one']);
    expect((await inbox(tokens.acmeMember!, '?only_unread=true')).map((item) => item.title)).toEqual(['unread one']);
    expect(await inbox(tokens.acmeMember!, '?only_unread=0')).toHaveLength(2);
    expect(await inbox(tokens.acmeMember!, '?only_unread=false')).toHaveLength(2);
    const bad = await api.get('/api/notifications?only_unread=yes', tokens.acmeMember);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
  });

  it('filters by type', async () => {
    await personal(world.users.acmeMember.id, 'a task');
    await personal(world.users.acmeMember.id, 'a reply', { type: 'reply_received' });
    expect((await inbox(tokens.acmeMember!, '?type=reply_received')).map((item) => item.title)).toEqual(['a reply']);
    expect(await inbox(tokens.acmeMember!, '?type=reply_received,task_assigned')).toHaveLength(2);
    expect((await api.get('/api/notifications?type=DROP%20TABLE', tokens.acmeMember)).status).toBe(400);
  });
});

describe('snooze', () => {
  it('hides the item from the list and both counts until then, and lists it with snoozed=true', async () => {
    const { notification } = await personal(world.users.acmeMember.id, 'later');
    await personal(world.users.acmeMember.id, 'now');
    const until = new Date(Date.now() + 3600_000).toISOString();
    const patched = await api.patch(`/api/notifications/${notification.id}`, { snoozed_until: until }, tokens.acmeMember);
    expect(patched.status).toBe(200);
    expect(patched.body.snoozed_until).toBe(until);
    expect((await inbox(tokens.acmeMember!)).map((item) => item.title)).toEqual(['now']);
    expect(await counts(tokens.acmeMember!)).toMatchObject({ count: 1, unseen: 1 });
    expect((await inbox(tokens.acmeMember!, '?snoozed=true')).map((item) => item.title)).toEqual(['later']);
    // Mark-all-read leaves the snoozed one alone.
    await api.post('/api/notifications/mark-all-read', {}, tokens.acmeMember);
    expect((await inbox(tokens.acmeMember!, '?snoozed=1'))[0].read_at).toBeNull();
    // Unsnooze: back in the list.
    await api.patch(`/api/notifications/${notification.id}`, { snoozed_until: null }, tokens.acmeMember);
    expect((await inbox(tokens.acmeMember!)).map((item) => item.title).sort()).toEqual(['later', 'now']);
  });

  it('refuses a time in the past, more than a year ahead, or not a time, with 400', async () => {
    const { notification } = await personal(world.users.acmeMember.id, 'x');
    for (const snoozed_until of [new Date(Date.now() - 1000).toISOString(), new Date(Date.now() + 400 * 86400_000).toISOString(), 'tomorrow', 5]) {
      const response = await api.patch(`/api/notifications/${notification.id}`, { snoozed_until }, tokens.acmeMember);
      expect(response.status, String(snoozed_until)).toBe(400);
    }
    expect((await inbox(tokens.acmeMember!))[0].snoozed_until).toBeNull();
  });

  it('wakes up at the top as unread and unseen, with a notification.created event on the stream', async () => {
    const { notification } = await personal(world.users.acmeMember.id, 'snoozed');
    await api.patch(`/api/notifications/${notification.id}`, { read: true }, tokens.acmeMember);
    await api.patch(`/api/notifications/${notification.id}`, { snoozed_until: new Date(Date.now() + 600).toISOString() }, tokens.acmeMember);
    await personal(world.users.acmeMember.id, 'newer');
    const live = stream(tokens.acmeMember!);
    await live.next('unread_count');
    const woke = await live.next('notification.created', 10_000);
    expect(woke.data).toMatchObject({ id: notification.id, read_at: null, seen_at: null, snoozed_until: null });
    const listed = await inbox(tokens.acmeMember!);
    expect(listed.map((item) => item.title)).toEqual(['snoozed', 'newer']);
    expect(await counts(tokens.acmeMember!)).toMatchObject({ count: 2, unseen: 2 });
    // At the top by the time it woke, and still able to say when it first arrived.
    const arrived = notification.created_at;
    for (const item of [woke.data, listed[0]]) {
      expect(item.first_arrived_at).toBe(arrived);
      expect(Date.parse(item.created_at)).toBeGreaterThan(Date.parse(arrived));
    }
  });
});

describe('why was I notified', () => {
  it('says it in plain words for each way of receiving one', async () => {
    const lead = (await api.post('/api/leads', { name: 'Jane Roe', owner_user_id: world.users.acmeMember.id }, tokens.acmeAdmin)).body;
    await api.post('/api/tasks', { lead_id: lead.id, title: 'Call', assignee_user_id: world.users.acmeMember.id }, tokens.acmeAdmin);
    const job = (await api.post('/api/jobs', { kind: 'csv_import' }, tokens.acmeMember)).body;
    await api.post(`/api/jobs/${job.id}/fail`, { error: 'bad column' }, tokens.acmeMember);

    expect((await inbox(tokens.acmeMember!)).map((item) => [item.type, item.reason])).toEqual([
      ['task_assigned', 'You were assigned this task'],
    ]);
    expect((await inbox(tokens.acmeAdmin!)).map((item) => [item.type, item.reason])).toEqual([
      ['job_failed', 'You are an admin of Acme'],
    ]);
    expect((await inbox(tokens.superAdmin!)).map((item) => [item.type, item.title, item.reason])).toEqual([
      [
        'critical_job_failed',
        'csv_import job failed: bad column',
        'You are a super admin: critical events of every workspace reach you (this one from Acme)',
      ],
    ]);
  });
});

describe('super admins and critical events', () => {
  it('get every critical event live, by their own preference per type (on by default, with desktop and sound)', async () => {
    const live = stream(tokens.superAdmin!);
    await live.next('unread_count');
    const created = (await api.post('/api/api-keys', { name: 'sync' }, tokens.globexAdmin)).body;
    const event = await live.next('notification.created');
    expect(event.data).toMatchObject({ type: 'critical_api_key', workspace_id: world.globex.id });
    const preferences = (await api.get('/api/notification-preferences', tokens.superAdmin)).body;
    expect(preferences.types.critical_api_key).toEqual({ in_app: true, desktop: true, sound: true, email: false });

    await api.put(
      '/api/notification-preferences',
      { ...preferences, types: { ...preferences.types, critical_api_key: { ...preferences.types.critical_api_key, in_app: false } } },
      tokens.superAdmin,
    );
    await api.request('DELETE', `/api/api-keys/${created.id}`, { token: tokens.globexAdmin });
    const job = (await api.post('/api/jobs', { kind: 'enrichment' }, tokens.globexMember)).body;
    await api.post(`/api/jobs/${job.id}/fail`, { error: 'timeout' }, tokens.globexMember);
    expect((await live.next('notification.created')).data.type).toBe('critical_job_failed');
    expect((await inbox(tokens.superAdmin!)).map((item) => item.type)).toEqual(['critical_job_failed', 'critical_api_key']);
    // Members and workspace admins do not get the super admins' copies.
    expect((await inbox(tokens.globexAdmin!)).map((item) => item.type)).toEqual(['job_failed']);
  });

  it('tells a super admin without a workspace what that means, in plain words', async () => {
    const response = await api.get('/api/activity', tokens.superAdmin);
    expect(response.status).toBe(403);
    expect(response.body.message).not.toMatch(/PUT|\/api\//);
    expect(response.body.message).toMatch(/super admin/);
  });
});

describe('mutes', () => {
  it('muting a type stops it on every channel until undone, for that user only', async () => {
    const { notification } = await personal(world.users.acmeMember.id, 'first');
    const muted = await api.post(`/api/notifications/${notification.id}/mute`, { scope: 'type' }, tokens.acmeMember);
    expect(muted.status).toBe(200);
    expect(muted.body).toMatchObject({ scope: 'type', key: 'task_assigned', label: 'All “Task assigned to you” notifications' });
    const live = stream(tokens.acmeMember!);
    await live.next('unread_count');
    await personal(world.users.acmeMember.id, 'muted one');
    await personal(world.users.acmeMember.id, 'a reply', { type: 'reply_received' });
    await personal(world.users.acmeAdmin.id, 'not muted for others');
    expect((await live.next('notification.created')).data.title).toBe('a reply');
    expect(live.of('notification.created')).toHaveLength(1);
    expect((await inbox(tokens.acmeMember!)).map((item) => item.title)).toEqual(['a reply', 'first']);
    expect((await inbox(tokens.acmeAdmin!)).map((item) => item.title)).toEqual(['not muted for others']);

    const listed = (await api.get('/api/notification-preferences/mutes', tokens.acmeMember)).body.items;
    expect(listed).toEqual([muted.body]);
    expect((await api.request('DELETE', `/api/notification-preferences/mutes/${muted.body.id}`, { token: tokens.acmeAdmin })).status).toBe(404);
    expect((await api.request('DELETE', `/api/notification-preferences/mutes/${muted.body.id}`, { token: tokens.acmeMember })).status).toBe(204);
    await personal(world.users.acmeMember.id, 'after undo');
    expect((await inbox(tokens.acmeMember!))[0].title).toBe('after undo');
  });

  it('muting an entity stops everything about that lead (also mail), nothing else', async () => {
    const lead = (await api.post('/api/leads', { name: 'Ann Lee', owner_user_id: world.users.acmeMember.id }, tokens.acmeAdmin)).body;
    const other = (await api.post('/api/leads', { name: 'Bob Ray', owner_user_id: world.users.acmeMember.id }, tokens.acmeAdmin)).body;
    await api.post('/api/tasks', { lead_id: lead.id, title: 'Call Ann', assignee_user_id: world.users.acmeMember.id }, tokens.acmeAdmin);
    const [item] = await inbox(tokens.acmeMember!);
    const muted = await api.post(`/api/notifications/${item.id}/mute`, { scope: 'entity' }, tokens.acmeMember);
    expect(muted.body).toMatchObject({ scope: 'entity', key: `lead:${lead.id}`, label: 'Everything about the lead Ann Lee' });
    await api.put(
      '/api/notification-preferences',
      { muted: false, quiet_hours: { enabled: false, start: '22:00', end: '07:00', time_zone: 'UTC' }, types: { task_assigned: { in_app: true, desktop: true, sound: true, email: true } } },
      tokens.acmeMember,
    );
    await api.post('/api/tasks', { lead_id: lead.id, title: 'Mail Ann', assignee_user_id: world.users.acmeMember.id }, tokens.acmeAdmin);
    await api.post('/api/tasks', { lead_id: other.id, title: 'Call Bob', assignee_user_id: world.users.acmeMember.id }, tokens.acmeAdmin);
    expect((await inbox(tokens.acmeMember!)).map((item) => item.body.split(' — ')[0])).toEqual(['Call Bob', 'Call Ann']);
    const queued = await server.db.emailOutbox.findMany({ where: { userId: world.users.acmeMember.id }, select: { notification: { select: { body: true } } } });
    expect(queued.map((row) => row.notification.body.split(' — ')[0])).toEqual(['Call Bob']);
  });

  it('answers 404 for a notification the caller does not receive, 400 for an entity mute of something about nothing', async () => {
    const { notification } = await personal(world.users.acmeMember.id, 'about nothing');
    expect((await api.post(`/api/notifications/${notification.id}/mute`, { scope: 'type' }, tokens.acmeAdmin)).status).toBe(404);
    const none = await api.post(`/api/notifications/${notification.id}/mute`, { scope: 'entity' }, tokens.acmeMember);
    expect(none.status).toBe(400);
    expect(none.body.error).toBe('no_entity');
    expect((await api.post(`/api/notifications/${notification.id}/mute`, { scope: 'everything' }, tokens.acmeMember)).status).toBe(400);
    expect(await server.db.notificationMute.count()).toBe(0);
  });

  it('parallel mutes of the same thing make one mute', async () => {
    const { notification } = await personal(world.users.acmeMember.id, 'x');
    const results = await Promise.all(
      Array.from({ length: 8 }, () => api.post(`/api/notifications/${notification.id}/mute`, { scope: 'type' }, tokens.acmeMember)),
    );
    expect(new Set(results.map((result) => result.status))).toEqual(new Set([200]));
    expect(new Set(results.map((result) => result.body.id)).size).toBe(1);
    expect(await server.db.notificationMute.count()).toBe(1);
  });
});

describe('activity links', () => {
  it('are absolute on the host app like notifications’ (the activity detail opens them there)', async () => {
    const lead = await api.post('/api/leads', { name: 'Linked lead' }, tokens.acmeAdmin);
    expect(lead.status).toBe(201);
    const feed = await api.get(`/api/activity?entity_type=lead&entity_id=${lead.body.id}`, tokens.acmeAdmin);
    expect(feed.body.items.map((item: { target_url: string | null }) => item.target_url)).toEqual([`https://sales.example.com/leads/${lead.body.id}`]);
  });
});
