import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from './alert-scheduler.ts';
import { AppService, type PlatformHooks } from './app-service.ts';
import type { AppState, Session } from './ipc.ts';
import { DEFAULT_SETTINGS, type LocalSettings } from './settings.ts';
import type { FetchLike } from './stream-client.ts';
import { me as meFixture, notification } from '../testing/fixtures.ts';
import { ManualTimers } from '../testing/manual-timers.ts';
import type { Me, NotificationItem, StreamEvent } from './types.ts';

/** A small stand-in for the real server (shapes from @tray-notify/contract), in-process over HTTP. */
function fakeServer(user: Me) {
  const notifications: NotificationItem[] = [notification({ target_url: '/leads/1' }), notification({ read_at: new Date().toISOString() })];
  const streams: http.ServerResponse[] = [];
  const requests: string[] = [];
  let validToken = 'tok-1';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${url.pathname}`);
      const json = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      if (url.pathname === '/api/auth/login') {
        const { password } = JSON.parse(body) as { password: string };
        return password === 'right' ? json(200, { token: validToken, expires_at: '', user }) : json(401, { error: 'invalid_credentials', message: 'Wrong email or password.' });
      }
      if (req.headers.authorization !== `Bearer ${validToken}`) return json(401, { error: 'unauthorized', message: 'Log in.' });
      if (url.pathname === '/api/me') return json(200, user);
      if (url.pathname === '/api/auth/logout') return json(204, {});
      if (url.pathname === '/api/notifications/unread-count') {
        const count = notifications.filter((n) => !n.read_at).length;
        return json(200, { count, by_workspace: { 'ws-acme': count } });
      }
      if (url.pathname === '/api/notifications' && req.method === 'GET') {
        const items = url.searchParams.get('only_unread') === 'true' ? notifications.filter((n) => !n.read_at) : notifications;
        return json(200, { items, page: 1, page_size: 20, next_cursor: null });
      }
      const m = /^\/api\/notifications\/([^/]+)$/.exec(url.pathname);
      if (m && req.method === 'PATCH') {
        const n = notifications.find((x) => x.id === m[1]);
        if (!n) return json(404, { error: 'not_found', message: 'No such notification.' });
        if ((JSON.parse(body) as { read?: boolean }).read) n.read_at = new Date().toISOString();
        return json(200, n);
      }
      if (url.pathname === '/api/notifications/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': hello\n\n');
        streams.push(res);
        return;
      }
      if (url.pathname === '/api/admin/activity') return json(200, { items: [], next_cursor: null });
      return json(404, { error: 'not_found', message: 'No route.' });
    });
  });
  return {
    server,
    notifications,
    streams,
    requests,
    revoke: () => (validToken = 'revoked'),
    async listen() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => {
      streams.forEach((s) => s.destroy());
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function hooks(baseUrl: string) {
  let settings: LocalSettings = { ...DEFAULT_SETTINGS, serverUrl: baseUrl, webAppBaseUrl: 'https://app.acme.test' };
  let token: string | null = null;
  const h = {
    fetch: globalThis.fetch as unknown as FetchLike,
    tokens: { load: () => token, save: (t: string | null) => void (token = t) },
    settings: { load: () => settings, save: (s: LocalSettings) => (settings = s) },
    showAlert: vi.fn<(a: Alert, name: (id: string) => string) => void>(),
    playSound: vi.fn(),
    openInBrowser: vi.fn<(url: string) => void>(),
    openActivity: vi.fn(),
    onState: vi.fn<(s: AppState) => void>(),
    onSession: vi.fn<(s: Session) => void>(),
    onStreamEvent: vi.fn<(e: StreamEvent) => void>(),
    log: { info: vi.fn(), warn: vi.fn() },
  } satisfies PlatformHooks;
  return { h, token: () => token };
}

describe('AppService against an HTTP server', () => {
  let srv: ReturnType<typeof fakeServer>;
  let base: string;
  let service: AppService | null = null;

  beforeEach(async () => {
    srv = fakeServer(meFixture());
    base = await srv.listen();
  });
  afterEach(async () => {
    service?.stop();
    await srv.close();
  });

  const until = async (pred: () => boolean) => vi.waitFor(() => expect(pred()).toBe(true), { timeout: 3000 });

  it('logs in, stores the token, goes online with the unread count', async () => {
    const { h, token } = hooks(base);
    service = new AppService(h);
    const session = await service.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
    expect(session.me?.email).toBe('rep@acme.test');
    expect(token()).toBe('tok-1');
    await until(() => service?.state.connection === 'online');
    expect(service.state.unread.count).toBe(1);
  });

  it('rejects a wrong password with the server\'s message and stores nothing', async () => {
    const { h, token } = hooks(base);
    service = new AppService(h);
    await expect(service.login({ serverUrl: base, email: 'rep@acme.test', password: 'wrong' })).rejects.toMatchObject({
      status: 401,
      message: 'Wrong email or password.',
    });
    expect(token()).toBeNull();
  });

  it('alerts for a notification that arrives on the stream and bumps the count', async () => {
    const { h } = hooks(base);
    const timers = new ManualTimers();
    service = new AppService({ ...h, timers });
    await service.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
    await until(() => srv.streams.length === 1);
    const n = notification({ title: 'Playbook failed' });
    srv.streams[0]?.write(`id: 5\nevent: notification.created\ndata: ${JSON.stringify(n)}\n\n`);
    await until(() => h.onStreamEvent.mock.calls.some(([e]) => e.id === '5'));
    expect(h.showAlert).not.toHaveBeenCalled(); // held for the burst window, in case more follow
    timers.advance(1_500);
    expect(h.showAlert).toHaveBeenCalledTimes(1);
    const [alert, name] = h.showAlert.mock.calls[0]!;
    expect(alert).toMatchObject({ kind: 'single', notification: { title: 'Playbook failed' } });
    expect(name('ws-acme')).toBe('Acme Sales');
    expect(h.playSound).toHaveBeenCalledWith('chime', DEFAULT_SETTINGS.volume);
    expect(service.state.unread.count).toBe(2);
    // The same notification again (e.g. replayed after a resume) does not alert twice, not
    // even as the burst summary once the burst window (1.5 s) is over.
    srv.streams[0]?.write(`id: 6\nevent: notification.created\ndata: ${JSON.stringify(n)}\n\n`);
    await until(() => h.onStreamEvent.mock.calls.some(([e]) => e.id === '6'));
    timers.advance(2_000);
    expect(h.showAlert).toHaveBeenCalledTimes(1);
  });

  it('follows read changes made elsewhere: the count comes from the server event, or is fetched when none comes', async () => {
    const { h } = hooks(base);
    service = new AppService(h);
    await service.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
    await until(() => srv.streams.length === 1);
    expect(service.state.unread.count).toBe(1);
    srv.streams[0]?.write('id: 8\nevent: unread_count\ndata: {"count":7,"by_workspace":{"ws-acme":7}}\n\n');
    await until(() => service?.state.unread.count === 7);
    // Read on another device, and the server sends only the item change: the count is fetched.
    srv.notifications[0]!.read_at = new Date().toISOString();
    const id = srv.notifications[0]!.id;
    srv.streams[0]?.write(`id: 9\nevent: notification.updated\ndata: {"id":"${id}","read_at":"x","archived_at":null}\n\n`);
    await until(() => service?.state.unread.count === 0);
  });

  it('alerts when a repeat collapses into an unread notification, without counting a new unread', async () => {
    const { h } = hooks(base);
    service = new AppService(h);
    await service.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
    await until(() => srv.streams.length === 1);
    const existing = srv.notifications[0]!;
    const collapsed = { ...existing, type: 'reply_received', title: '3 new replies from Northwind' };
    srv.streams[0]?.write(`id: 10\nevent: notification.updated\ndata: ${JSON.stringify(collapsed)}\n\n`);
    await until(() => h.showAlert.mock.calls.length === 1);
    expect(h.showAlert.mock.calls[0]![0]).toMatchObject({ kind: 'single', notification: { title: '3 new replies from Northwind' } });
    expect(service.state.unread.count).toBe(1);
  });

  it('does not alert for notifications that existed before login', async () => {
    const { h } = hooks(base);
    const timers = new ManualTimers();
    service = new AppService({ ...h, timers });
    await service.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
    await service.poll();
    timers.advance(2_000); // past the burst window: nothing was held back either
    expect(h.showAlert).not.toHaveBeenCalled();
  });

  it('marks read and opens the target on the web app origin; refuses and logs a foreign target', async () => {
    const { h } = hooks(base);
    service = new AppService(h);
    await service.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
    const first = srv.notifications[0]!;
    expect(await service.openNotification(first.id)).toEqual({ opened: 'external' });
    expect(first.read_at).not.toBeNull();
    expect(h.openInBrowser).toHaveBeenCalledWith('https://app.acme.test/leads/1');

    const evil = notification({ target_url: 'https://evil.test/phish' });
    srv.notifications.push(evil);
    expect(await service.openNotification(evil.id)).toEqual({ opened: 'refused' });
    expect(h.openInBrowser).toHaveBeenCalledTimes(1);
    expect(h.log.warn).toHaveBeenCalledWith('refused to open notification target', expect.objectContaining({ target: 'https://evil.test/phish' }));
  });

  it('refuses the admin feed to a user who is not a super admin, without asking the server', async () => {
    const { h } = hooks(base);
    service = new AppService(h);
    await service.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
    expect(() => service!.adminActivity({})).toThrow(/super admins/);
    expect(srv.requests).not.toContain('GET /api/admin/activity');
  });

  it('signs out when the server revokes the token', async () => {
    const { h, token } = hooks(base);
    service = new AppService(h);
    await service.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
    srv.revoke();
    await expect(service.listNotifications({})).rejects.toMatchObject({ status: 401 });
    expect(token()).toBeNull();
    expect(service.session.me).toBeNull();
    expect(service.state.connection).toBe('signed-out');
    expect(h.onSession).toHaveBeenLastCalledWith(expect.objectContaining({ me: null }));
  });

  it('restores a stored session at start', async () => {
    const { h } = hooks(base);
    h.tokens.save('tok-1');
    service = new AppService(h);
    const s = await service.start();
    expect(s.me?.name).toBe('Rita Rep');
  });
});

describe('AppService preferences', () => {
  it('says that the server has no preferences API instead of pretending defaults were saved', async () => {
    const srv = fakeServer(meFixture());
    const base = await srv.listen();
    const { h } = hooks(base);
    const service = new AppService(h);
    try {
      await service.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
      await expect(service.getPreferences()).rejects.toMatchObject({ code: 'preferences_unavailable' });
    } finally {
      service.stop();
      await srv.close();
    }
  });
});

describe('AppService offline at start', () => {
  it('keeps the stored session while the server is unreachable and loads the account once it answers', async () => {
    const srv = fakeServer(meFixture());
    const base = await srv.listen();
    await srv.close(); // nothing listens there now
    const { h } = hooks(base);
    h.tokens.save('tok-1');
    const service = new AppService(h);
    try {
      const s = await service.start();
      expect(s).toMatchObject({ me: null, restoring: true });
      expect(h.tokens.load()).toBe('tok-1');
      await vi.waitFor(() => expect(service.state.connection).toBe('offline'), { timeout: 3000 });

      // The server comes back on the same port: the stream reconnects and the account loads.
      const port = Number(new URL(base).port);
      const again = fakeServer(meFixture());
      await new Promise<void>((r) => again.server.listen(port, '127.0.0.1', r));
      try {
        service.resume();
        await vi.waitFor(() => expect(service.session).toMatchObject({ me: { name: 'Rita Rep' }, restoring: false }), { timeout: 5000 });
        expect(h.onSession).toHaveBeenLastCalledWith(expect.objectContaining({ restoring: false }));
      } finally {
        service.stop();
        await again.close();
      }
    } finally {
      service.stop();
    }
  });
});
