import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, eventually, startTestServer, StreamClient, type TestServer, type World } from '../../../helper.ts';

// The tray app's core (session, stream, alert scheduler, notifier) against the real server and a
// real stream, Electron replaced by its typed fake: the second client is the API (another
// device, the web app), and its stream where it needs one.
vi.mock('electron', async () => (await import('../../../../../desktop/src/testing/electron-fake.ts')).electronFake);
const { FakeNotification, resetElectronFake } = await import('../../../../../desktop/src/testing/electron-fake.ts');
const { Notifier } = await import('../../../../../desktop/src/main/notifier.ts');
const { createAppService } = await import('../../../../../desktop/src/shared/app-service.ts');
const { testHooks } = await import('../../../../../desktop/src/testing/fake-api-server.ts');

type AppService = ReturnType<typeof createAppService>;

let server: TestServer;
let world: World;
const cores: AppService[] = [];
const streams: StreamClient[] = [];

const TRAY_DEVICE = 'tray-under-test-01';
const WEB_DEVICE = 'web-tab-elsewhere-1';

/** The tray app as index.ts wires it, signed in as `email`, on macOS (toasts with buttons). */
async function trayApp(email: string) {
  const { h } = testHooks(server.url);
  const log = { warn: vi.fn(), info: vi.fn() };
  let core!: AppService;
  const notifier = new Notifier({
    platform: 'darwin',
    openNotification: (id) => core.notifications.openFromToast(id),
    toastAction: (id, action) => core.notifications.fromToast(id, action),
    toastOutcome: (ids, shown, reason) => ids.forEach((id) => core.live.toastOutcome(id, shown, reason)),
    showInBell: vi.fn(),
    openBell: vi.fn(),
    log,
  });
  core = createAppService({
    ...h,
    showAlert: (alert, name) => notifier.show(alert, name),
    clearAlert: (id) => notifier.clear(id),
    client: 'tray',
    deviceId: TRAY_DEVICE,
  });
  cores.push(core);
  await core.session.login({ serverUrl: server.url, email, password: 'test-password' });
  await eventually(() => (core.live.state.connection === 'online' ? true : undefined), 'the tray stream online');
  return { core, notifier };
}

/** The notification as the user's list shows it (the snoozed list for snoozed ones). */
async function listed(token: string, id: string, query = '') {
  const page = await apiClient(server.url).get(`/api/notifications?limit=100${query}`, token);
  return (page.body.items as { id: string; read_at: string | null; snoozed_until: string | null }[]).find((n) => n.id === id);
}

const toastOf = (title: string) => FakeNotification.instances.find((n) => n.options.title === title || n.options.body === title);

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server.db);
});
beforeEach(() => resetElectronFake());
afterEach(() => {
  for (const core of cores.splice(0)) core.live.stop();
  for (const stream of streams.splice(0)) stream.close();
});
afterAll(() => server?.close());

describe('the tray app with another client of the same user', () => {
  it('closes the toast shown here when the notification is read on the other client, within a second', async () => {
    const user = world.users.acmeMember;
    const { notifier } = await trayApp(user.email);
    const { notification } = await createNotification(server.db, { workspaceId: world.acme.id, userId: user.id, type: 'task_assigned', title: 'Call Northwind back' });
    // After the burst window (1.5 s) the toast is on screen.
    const toast = await eventually(() => toastOf('Call Northwind back'), 'the toast', 5_000);
    expect(toast.show).toHaveBeenCalled();
    expect(toast.options.actions?.map((a) => a.text)).toEqual(['Mark read', 'Snooze 1 h', 'Open']);
    expect(notifier.pending).toBe(1);

    const token = await apiClient(server.url).login(user.email);
    expect((await apiClient(server.url).patch(`/api/notifications/${notification.id}`, { read: true }, token)).status).toBe(200);
    // From the moment the other client's read is done (its answer), not from when it was sent:
    // on a busy machine the request alone can take a good part of a second.
    const readAt = Date.now();
    await eventually(() => (toast.closed ? true : undefined), 'the toast closed', 1_000);
    expect(Date.now() - readAt).toBeLessThan(1_000);
    expect(notifier.pending).toBe(0);
  });

  it('closes a summary toast only once everything it summarised is handled', async () => {
    const user = world.users.acmeAdmin2;
    await trayApp(user.email);
    const ids: string[] = [];
    for (const title of ['one', 'two', 'three']) {
      ids.push((await createNotification(server.db, { workspaceId: world.acme.id, userId: user.id, type: 'task_assigned', title })).notification.id);
    }
    const summary = await eventually(() => FakeNotification.instances.find((n) => n.options.title?.includes('3 new')), 'the summary toast', 5_000);
    const token = await apiClient(server.url).login(user.email);
    await apiClient(server.url).patch(`/api/notifications/${ids[0]}`, { read: true }, token);
    await apiClient(server.url).patch(`/api/notifications/${ids[1]}`, { archived: true }, token);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(summary.closed).toBe(false);
    await apiClient(server.url).patch(`/api/notifications/${ids[2]}`, { snoozed_until: new Date(Date.now() + 3_600_000).toISOString() }, token);
    await eventually(() => (summary.closed ? true : undefined), 'the summary closed', 1_000);
  });

  it('stays silent while the user is active on another device, and alerts again once that device is idle', async () => {
    const user = world.users.globexMember;
    const { core } = await trayApp(user.email);
    const token = await apiClient(server.url).login(user.email);
    const active = await apiClient(server.url).post('/api/presence', { device_id: WEB_DEVICE, client: 'web', active: true }, token);
    expect(active.body.devices).toEqual([WEB_DEVICE]);
    await eventually(() => (core.live.state.alertsHere === false ? true : undefined), 'the tray told it is silent');

    await createNotification(server.db, { workspaceId: world.globex.id, userId: user.id, type: 'task_assigned', title: 'while you are elsewhere' });
    // It arrives (badge, list) but neither toasts nor sounds here.
    await eventually(() => (core.live.state.unread.count === 1 ? true : undefined), 'the unread badge');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(toastOf('while you are elsewhere')).toBeUndefined();

    await apiClient(server.url).post('/api/presence', { device_id: WEB_DEVICE, client: 'web', active: false }, token);
    await eventually(() => (core.live.state.alertsHere ? true : undefined), 'the tray alerting again');
    await createNotification(server.db, { workspaceId: world.globex.id, userId: user.id, type: 'task_assigned', title: 'nobody active' });
    await eventually(() => toastOf('nobody active'), 'the toast', 5_000);
  });

  it('activity on the tray (system idle time) silences the user\'s other streams', async () => {
    const user = world.users.globexAdmin;
    const { core } = await trayApp(user.email);
    const token = await apiClient(server.url).login(user.email);
    const other = new StreamClient(`${server.url}/api/notifications/stream`, { token });
    streams.push(other);
    expect((await other.next('alert_devices')).data).toEqual({ devices: null });
    core.live.noteActivity();
    expect((await other.next('alert_devices')).data).toEqual({ devices: [TRAY_DEVICE] });
    // More input within 30 s sends nothing more.
    core.live.noteActivity();
    core.live.noteActivity();
    core.live.noteIdle();
    expect((await other.next('alert_devices')).data).toEqual({ devices: null });
    expect(other.of('alert_devices')).toHaveLength(3);
  });

  it('a toast\'s Mark read marks it read on the server, through the same PATCH as the click in the list, undoable there', async () => {
    const user = world.users.both;
    await trayApp(user.email);
    const { notification } = await createNotification(server.db, { workspaceId: world.acme.id, userId: user.id, type: 'reply_received', title: 'Re: pricing' });
    const toast = await eventually(() => toastOf('Re: pricing'), 'the toast', 5_000);
    const labels = toast.options.actions!.map((a) => a.text);
    expect(labels).toEqual(['Mark read', 'Snooze 1 h', 'Open', 'Open conversation']);
    toast.pressAction(labels.indexOf('Mark read'));
    const token = await apiClient(server.url).login(user.email);
    const read = await eventually(async () => {
      const got = await listed(token, notification.id);
      return got?.read_at ? got : undefined;
    }, 'read on the server');
    expect(read.id).toBe(notification.id);
    // Undoable in the list: the same PATCH back.
    expect((await apiClient(server.url).patch(`/api/notifications/${notification.id}`, { read: false }, token)).body.read_at).toBeNull();
  });

  it('a toast\'s Snooze 1 h snoozes it for an hour on the server', async () => {
    const user = world.users.acmeAdmin;
    await trayApp(user.email);
    const { notification } = await createNotification(server.db, { workspaceId: world.acme.id, userId: user.id, type: 'task_assigned', title: 'snooze me' });
    const toast = await eventually(() => toastOf('snooze me'), 'the toast', 5_000);
    const pressed = Date.now();
    toast.pressAction(toast.options.actions!.findIndex((a) => a.text === 'Snooze 1 h'));
    const token = await apiClient(server.url).login(user.email);
    const snoozed = await eventually(async () => {
      const got = await listed(token, notification.id, '&snoozed=true');
      return got?.snoozed_until ? got : undefined;
    }, 'snoozed on the server');
    const until = Date.parse(snoozed.snoozed_until!);
    expect(until - pressed).toBeGreaterThan(3_590_000);
    expect(until - pressed).toBeLessThan(3_700_000);
  });
});
