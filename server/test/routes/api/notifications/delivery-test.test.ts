import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, StreamClient, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

// "Send me a test alert": a real notification through the normal path to the caller only, and
// each client's report on whether it showed the toast (and why not).
let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
const streams: StreamClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const name of ['acmeAdmin', 'acmeMember', 'globexAdmin', 'superAdmin'] as const) {
    tokens[name] = await api.login(world.users[name].email);
  }
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  await server?.close();
});

describe('POST /api/notifications/test and delivery reports', () => {
  it('sends the caller a real notification: in their inbox and on their stream, nobody else\'s', async () => {
    const mine = new StreamClient(`${server.url}/api/notifications/stream`, { token: tokens.acmeMember });
    const admin = new StreamClient(`${server.url}/api/notifications/stream`, { token: tokens.acmeAdmin });
    streams.push(mine, admin);
    await mine.next('unread_count');
    await admin.next('unread_count');

    const sent = await api.post('/api/notifications/test', undefined, tokens.acmeMember);
    expect(sent.status).toBe(201);
    expect(sent.body.reports).toEqual([]);
    expect(sent.body.notification).toMatchObject({ type: 'test_alert', title: 'Test alert', workspace_id: world.acme.id, read_at: null, claimed_by: null });
    const id = sent.body.notification.id;

    expect((await mine.next('notification.created')).data).toMatchObject({ id, title: 'Test alert' });
    expect((await mine.next('unread_count')).data.count).toBe(1);
    const inbox = (await api.get('/api/notifications', tokens.acmeMember)).body.items as any[];
    expect(inbox.map((item) => item.id)).toEqual([id]);
    expect((await api.get('/api/notifications', tokens.acmeAdmin)).body.items.some((item: any) => item.id === id)).toBe(false);
    expect(admin.of('notification.created')).toHaveLength(0);
  });

  it('takes one report per client (a later one replaces it) with the round trip measured by the server', async () => {
    const sent = await api.post('/api/notifications/test', undefined, tokens.acmeMember);
    const id = sent.body.notification.id;
    await new Promise((resolve) => setTimeout(resolve, 120));

    const web = await api.post(`/api/notifications/${id}/delivery-report`, { shown: false, reason: 'permission_denied', client: 'web' }, tokens.acmeMember);
    expect(web.status).toBe(200);
    expect(web.body).toMatchObject({ client: 'web', shown: false, reason: 'permission_denied' });
    expect(web.body.round_trip_ms).toBeGreaterThanOrEqual(100);
    expect(web.body.round_trip_ms).toBeLessThan(60_000);
    const desktop = await api.post(`/api/notifications/${id}/delivery-report`, { shown: true, client: 'desktop' }, tokens.acmeMember);
    expect(desktop.body).toMatchObject({ client: 'desktop', shown: true, reason: null });
    const again = await api.post(`/api/notifications/${id}/delivery-report`, { shown: false, reason: 'quiet_hours', client: 'web' }, tokens.acmeMember);
    expect(again.status).toBe(200);

    const reports = await api.get(`/api/notifications/${id}/delivery-reports`, tokens.acmeMember);
    expect(reports.status).toBe(200);
    expect(reports.body.notification.id).toBe(id);
    expect(reports.body.reports.map((report: any) => [report.client, report.shown, report.reason]).sort()).toEqual([
      ['desktop', true, null],
      ['web', false, 'quiet_hours'],
    ]);
  });

  it('reports only on the caller\'s own notifications; bad reports are 400 and store nothing', async () => {
    const id = (await api.post('/api/notifications/test', undefined, tokens.acmeMember)).body.notification.id;
    for (const as of ['acmeAdmin', 'globexAdmin', 'superAdmin']) {
      expect((await api.post(`/api/notifications/${id}/delivery-report`, { shown: true, client: 'web' }, tokens[as])).status, as).toBe(404);
      expect((await api.get(`/api/notifications/${id}/delivery-reports`, tokens[as])).status, as).toBe(404);
    }
    const bad = [
      { shown: 'yes', client: 'web' },
      { shown: false, reason: 'bored', client: 'web' },
      { shown: true },
      { shown: true, client: '' },
      { shown: true, client: 'web', extra: 1 },
    ];
    for (const body of bad) {
      const response = await api.post(`/api/notifications/${id}/delivery-report`, body, tokens.acmeMember);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api.post('/api/notifications/not-a-uuid/delivery-report', { shown: true, client: 'web' }, tokens.acmeMember)).status).toBe(400);
    expect((await api.post('/api/notifications/test', undefined, undefined)).status).toBe(401);
    expect(await server.db.notificationDeliveryReport.count({ where: { notificationId: id } })).toBe(0);
  });

  it('a super admin with no workspace is told to choose one', async () => {
    const response = await api.post('/api/notifications/test', undefined, tokens.superAdmin);
    expect(response.status).toBe(403);
    expect(response.body.message).toContain('workspace');
  });
});
