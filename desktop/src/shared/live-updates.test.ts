import { describe, expect, it } from 'vitest';
import { until, withFakeApi } from '../testing/fake-api-server.ts';
import { notification } from '../testing/fixtures.ts';
import { ManualTimers } from '../testing/manual-timers.ts';
import { DEFAULT_SETTINGS } from './settings.ts';

describe('LiveUpdates against an HTTP server', () => {
  const api = withFakeApi();

  it('alerts for a notification that arrives on the stream and bumps the count', async () => {
    const timers = new ManualTimers();
    const { h, live } = await api.login({ timers });
    await until(() => api.srv.streams.length === 1);
    const n = notification({ title: 'Playbook failed' });
    api.srv.streams[0]?.write(`id: 5\nevent: notification.created\ndata: ${JSON.stringify(n)}\n\n`);
    await until(() => h.onStreamEvent.mock.calls.some(([e]) => e.id === '5'));
    expect(h.showAlert).not.toHaveBeenCalled(); // held for the burst window, in case more follow
    timers.advance(1_500);
    expect(h.showAlert).toHaveBeenCalledTimes(1);
    const [alert, name] = h.showAlert.mock.calls[0]!;
    expect(alert).toMatchObject({ kind: 'single', notification: { title: 'Playbook failed' } });
    expect(name('ws-acme')).toBe('Acme Sales');
    expect(h.playSound).toHaveBeenCalledWith('chime', DEFAULT_SETTINGS.volume);
    expect(live.state.unread.count).toBe(2);
    // The same notification again (e.g. replayed after a resume) does not alert twice, not
    // even as the burst summary once the burst window (1.5 s) is over.
    api.srv.streams[0]?.write(`id: 6\nevent: notification.created\ndata: ${JSON.stringify(n)}\n\n`);
    await until(() => h.onStreamEvent.mock.calls.some(([e]) => e.id === '6'));
    timers.advance(2_000);
    expect(h.showAlert).toHaveBeenCalledTimes(1);
  });

  it('follows read changes made elsewhere: the count comes from the server event, or is fetched when none comes', async () => {
    const timers = new ManualTimers();
    const { h, live } = await api.login({ timers });
    await until(() => api.srv.streams.length === 1);
    expect(live.state.unread.count).toBe(1);
    api.srv.streams[0]?.write('id: 8\nevent: unread_count\ndata: {"count":7,"by_workspace":{"ws-acme":7}}\n\n');
    await until(() => live.state.unread.count === 7);
    // Read on another device, and the server sends only the item change: the count is fetched
    // once things settle (1 s without an `unread_count` event).
    api.srv.notifications[0]!.read_at = new Date().toISOString();
    const id = api.srv.notifications[0]!.id;
    api.srv.streams[0]?.write(`id: 9\nevent: notification.updated\ndata: {"id":"${id}","read_at":"x","archived_at":null}\n\n`);
    await until(() => h.onStreamEvent.mock.calls.some(([e]) => e.id === '9'));
    expect(live.state.unread.count).toBe(7); // not yet: the server's own event may still come
    timers.advance(1_000);
    await until(() => live.state.unread.count === 0);
  });

  it('alerts when a repeat collapses into an unread notification, without counting a new unread', async () => {
    const { h, live } = await api.login();
    await until(() => api.srv.streams.length === 1);
    const existing = api.srv.notifications[0]!;
    const collapsed = { ...existing, type: 'reply_received', title: '3 new replies from Northwind' };
    api.srv.streams[0]?.write(`id: 10\nevent: notification.updated\ndata: ${JSON.stringify(collapsed)}\n\n`);
    await until(() => h.showAlert.mock.calls.length === 1);
    expect(h.showAlert.mock.calls[0]![0]).toMatchObject({ kind: 'single', notification: { title: '3 new replies from Northwind' } });
    expect(live.state.unread.count).toBe(1);
  });

  it('a new stream refetches the unread list for what came before it opened; a server resync refetches the count too', async () => {
    const timers = new ManualTimers();
    const { h } = await api.login({ timers });
    await until(() => api.srv.streams.length === 1);
    const lists = () => api.srv.requests.filter((r) => r === 'GET /api/notifications').length;
    const counts = () => api.srv.requests.filter((r) => r === 'GET /api/notifications/unread-count').length;
    // At login: the count and the list of what exists (not alerted); once the stream is open,
    // the list again, while the count comes on the stream itself.
    await until(() => lists() === 2);
    expect(counts()).toBe(1);
    const arrived = notification({ id: 'n-gap', title: 'Arrived before the stream opened' });
    api.srv.notifications.unshift(arrived);
    api.srv.streams[0]?.write('id: 3\nevent: resync\ndata: {}\n\n');
    await until(() => lists() === 3 && counts() === 2);
    // The server has the request; the app has its answer a moment later. Let the virtual clock
    // run only as real time passes, so the 1.5 s burst window starts once the item is held.
    await until(() => {
      timers.advance(100);
      return h.showAlert.mock.calls.length > 0;
    });
    expect(h.showAlert).toHaveBeenCalledTimes(1);
    expect(h.showAlert.mock.calls[0]![0]).toMatchObject({ kind: 'single', notification: { title: 'Arrived before the stream opened' } });
  });

  it('does not alert for notifications that existed before login', async () => {
    const timers = new ManualTimers();
    const { h, live } = await api.login({ timers });
    await live.poll();
    timers.advance(2_000); // past the burst window: nothing was held back either
    expect(h.showAlert).not.toHaveBeenCalled();
  });

  it('alerts for a snoozed notification that wakes, though its id was loaded before, and only once', async () => {
    const timers = new ManualTimers();
    const { h } = await api.login({ timers });
    await until(() => api.srv.streams.length === 1);
    // Known since login; the server announces its wake-up as new, with a new created_at.
    const known = api.srv.notifications[0]!;
    const woken = { ...known, read_at: null, seen_at: null, created_at: new Date(Date.parse(known.created_at) + 3_600_000).toISOString() };
    api.srv.streams[0]?.write(`id: 11\nevent: notification.created\ndata: ${JSON.stringify(known)}\n\n`);
    await until(() => h.onStreamEvent.mock.calls.some(([e]) => e.id === '11'));
    timers.advance(1_500);
    expect(h.showAlert).not.toHaveBeenCalled(); // the same arrival again is no news
    api.srv.streams[0]?.write(`id: 12\nevent: notification.created\ndata: ${JSON.stringify(woken)}\n\n`);
    await until(() => h.onStreamEvent.mock.calls.some(([e]) => e.id === '12'));
    timers.advance(1_500);
    expect(h.showAlert).toHaveBeenCalledTimes(1);
    expect(h.showAlert.mock.calls[0]![0]).toMatchObject({ kind: 'single', notification: { id: known.id, created_at: woken.created_at } });
    api.srv.streams[0]?.write(`id: 13\nevent: notification.created\ndata: ${JSON.stringify(woken)}\n\n`);
    await until(() => h.onStreamEvent.mock.calls.some(([e]) => e.id === '13'));
    timers.advance(2_000);
    expect(h.showAlert).toHaveBeenCalledTimes(1);
  });

  it('says that the server has no preferences API instead of pretending defaults were saved', async () => {
    const { live } = await api.login();
    await expect(live.getPreferences()).rejects.toMatchObject({ code: 'preferences_unavailable' });
  });
});
