import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { expirePresence, MAX_ACTIVE_DEVICES } from '../../../../src/services/presence/presence.ts';
import { apiClient, createWorld, eventually, startTestServer, StreamClient, type TestServer, type World } from '../../../helper.ts';

// Two instances of the app on one database, as behind a load balancer: the user's devices hold
// their streams on different instances and report presence to either.
let serverA: TestServer;
let serverB: TestServer;
let world: World;
const clients: StreamClient[] = [];

const TRAY = 'tray-device-0001';
const WEB = 'web-tab-device-01';

function streamOn(server: TestServer, token: string) {
  const client = new StreamClient(`${server.url}/api/notifications/stream`, { token });
  clients.push(client);
  return client;
}

async function presenceRows(userId: string) {
  return serverA.db.$queryRawUnsafe<{ device_id: string }[]>('SELECT device_id FROM device_presence WHERE user_id = $1::uuid ORDER BY device_id', userId);
}

beforeAll(async () => {
  serverA = await startTestServer();
  serverB = await startTestServer({}, { databaseUrl: serverA.databaseUrl });
  world = await createWorld(serverA.db);
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await serverB?.close();
  await serverA?.close();
});

describe('presence: the server says which devices alert', () => {
  it('tells streams on both instances when the user becomes active on one device, and when that device goes idle', async () => {
    const user = world.users.acmeMember;
    const token = await apiClient(serverA.url).login(user.email);
    const onA = streamOn(serverA, token);
    const onB = streamOn(serverB, token);
    // On connect: nobody active, every device alerts.
    expect((await onA.next('alert_devices')).data).toEqual({ devices: null });
    expect((await onB.next('alert_devices')).data).toEqual({ devices: null });

    const active = await apiClient(serverB.url).post('/api/presence', { device_id: WEB, client: 'web', active: true }, token);
    expect(active.status).toBe(200);
    expect(active.body).toEqual({ devices: [WEB], active_for_seconds: 90 });
    expect((await onA.next('alert_devices')).data).toEqual({ devices: [WEB] });
    expect((await onB.next('alert_devices')).data).toEqual({ devices: [WEB] });

    // A refresh that changes nothing is not announced again.
    expect((await apiClient(serverA.url).post('/api/presence', { device_id: WEB, client: 'web', active: true }, token)).status).toBe(200);

    // A second device joins: both alert.
    await apiClient(serverA.url).post('/api/presence', { device_id: TRAY, client: 'tray', active: true }, token);
    expect((await onB.next('alert_devices')).data).toEqual({ devices: [TRAY, WEB].sort() });

    await apiClient(serverA.url).post('/api/presence', { device_id: WEB, client: 'web', active: false }, token);
    expect((await onB.next('alert_devices')).data).toEqual({ devices: [TRAY] });
    await apiClient(serverB.url).post('/api/presence', { device_id: TRAY, client: 'tray', active: false }, token);
    expect((await onB.next('alert_devices')).data).toEqual({ devices: null });
    await eventually(() => (onA.of('alert_devices').length >= 5 ? true : undefined), 'the same changes on A');
    onA.skipReceived();
    // Exactly the changes: connect, web, web+tray, tray, nobody.
    expect(onA.of('alert_devices').map((e) => e.data.devices)).toEqual([null, [WEB], [TRAY, WEB].sort(), [TRAY], null]);

    // Another user's streams hear nothing of it.
    const other = streamOn(serverA, await apiClient(serverA.url).login(world.users.acmeAdmin.email));
    await other.next('alert_devices');
    await apiClient(serverA.url).post('/api/presence', { device_id: WEB, client: 'web', active: true }, token);
    await onA.next('alert_devices');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(other.of('alert_devices')).toHaveLength(1);
    await apiClient(serverA.url).post('/api/presence', { device_id: WEB, client: 'web', active: false }, token);
  });

  it('"alert on every device" turns the rule off, on every instance, and back', async () => {
    const user = world.users.acmeAdmin2;
    const token = await apiClient(serverA.url).login(user.email);
    const onB = streamOn(serverB, token);
    await onB.next('alert_devices');
    await apiClient(serverA.url).post('/api/presence', { device_id: WEB, client: 'web', active: true }, token);
    expect((await onB.next('alert_devices')).data).toEqual({ devices: [WEB] });

    const on = await apiClient(serverA.url).put('/api/presence/alert-every-device', { enabled: true }, token);
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ devices: null, alert_every_device: true });
    expect((await onB.next('alert_devices')).data).toEqual({ devices: null });
    // Still active, still every device: a new stream is told so.
    const late = streamOn(serverB, token);
    expect((await late.next('alert_devices')).data).toEqual({ devices: null });
    expect((await apiClient(serverB.url).get('/api/presence', token)).body).toEqual({ devices: null, alert_every_device: true });

    await apiClient(serverB.url).put('/api/presence/alert-every-device', { enabled: false }, token);
    expect((await onB.next('alert_devices')).data).toEqual({ devices: [WEB] });
    expect((await apiClient(serverA.url).get('/api/presence', token)).body).toEqual({ devices: [WEB], alert_every_device: false });
    await apiClient(serverA.url).post('/api/presence', { device_id: WEB, client: 'web', active: false }, token);
  });

  it('forgets a device that stopped reporting once, even when both instances expire at once', async () => {
    const user = world.users.globexMember;
    const token = await apiClient(serverA.url).login(user.email);
    const onA = streamOn(serverA, token);
    await onA.next('alert_devices');
    await apiClient(serverB.url).post('/api/presence', { device_id: TRAY, client: 'tray', active: true }, token);
    expect((await onA.next('alert_devices')).data).toEqual({ devices: [TRAY] });

    // The tray app went away without a word (crash, lid closed): its report runs out.
    await serverA.db.$executeRawUnsafe("UPDATE device_presence SET active_until = now() - interval '1 second' WHERE user_id = $1::uuid", user.id);
    const [a, b] = await Promise.all([expirePresence(serverA.db), expirePresence(serverB.db)]);
    expect(a + b).toBe(1);
    expect((await onA.next('alert_devices')).data).toEqual({ devices: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(onA.of('alert_devices')).toHaveLength(3);
    expect(await presenceRows(user.id)).toEqual([]);
  });

  it('caps active devices per user under parallel reports, and the streams end on the set that is stored', async () => {
    const user = world.users.both;
    const token = await apiClient(serverA.url).login(user.email);
    const onA = streamOn(serverA, token);
    await onA.next('alert_devices');
    const devices = Array.from({ length: MAX_ACTIVE_DEVICES + 5 }, (_, i) => `parallel-device-${String(i).padStart(2, '0')}`);
    const responses = await Promise.all(
      devices.map((device_id, i) => apiClient(i % 2 ? serverA.url : serverB.url).post('/api/presence', { device_id, client: 'web', active: true }, token)),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(MAX_ACTIVE_DEVICES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const stored = (await presenceRows(user.id)).map((row) => row.device_id);
    expect(stored).toHaveLength(MAX_ACTIVE_DEVICES);
    // Each report saw the set the previous one left: the last event is the stored set.
    await eventually(() => (onA.of('alert_devices').length === MAX_ACTIVE_DEVICES + 1 ? true : undefined), 'one event per accepted device');
    expect(onA.of('alert_devices').at(-1)!.data).toEqual({ devices: stored });
    await serverA.db.$executeRawUnsafe('DELETE FROM device_presence WHERE user_id = $1::uuid', user.id);
  });

  it('refuses bad reports with a 400 and changes nothing; asks for a sign-in', async () => {
    const user = world.users.globexAdmin;
    const token = await apiClient(serverA.url).login(user.email);
    const api = apiClient(serverA.url);
    for (const body of [
      { device_id: 'short', client: 'web', active: true },
      { device_id: 'has spaces in it!', client: 'web', active: true },
      { device_id: WEB, client: 'phone', active: true },
      { device_id: WEB, client: 'web', active: 'yes' },
      { device_id: WEB, client: 'web', active: true, extra: 1 },
      { device_id: WEB, client: 'web' },
    ]) {
      const response = await api.post('/api/presence', body, token);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api.put('/api/presence/alert-every-device', { enabled: 'no' }, token)).status).toBe(400);
    expect(await presenceRows(user.id)).toEqual([]);
    expect((await api.get('/api/presence', token)).body).toEqual({ devices: null, alert_every_device: false });
    expect((await api.post('/api/presence', { device_id: WEB, client: 'web', active: true })).status).toBe(401);
    expect((await api.get('/api/presence')).status).toBe(401);
  });

  it('a read on one instance reaches the stream on the other with the state a toast closes on', async () => {
    const user = world.users.acmeMember;
    const token = await apiClient(serverA.url).login(user.email);
    const onB = streamOn(serverB, token);
    await onB.next('unread_count');
    const { notification } = await createNotification(serverA.db, { workspaceId: world.acme.id, userId: user.id, type: 'task_assigned', title: 'close me' });
    await onB.next('notification.created');
    const read = await apiClient(serverA.url).patch(`/api/notifications/${notification.id}`, { read: true }, token);
    expect(read.status).toBe(200);
    expect((await onB.next('notification.updated')).data).toMatchObject({ id: notification.id, read_at: read.body.read_at });
  });
});
