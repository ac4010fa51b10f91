// A small stand-in for the real server (shapes from @tray-notify/contract), in-process over HTTP
// on 127.0.0.1, for the shared core's tests; and the platform hooks of a test around it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { Alert } from '../shared/alert-scheduler.ts';
import { createAppService, type AppService, type PlatformHooks } from '../shared/app-service.ts';
import type { AppState, Session } from '../shared/ipc.ts';
import { DEFAULT_SETTINGS, type LocalSettings } from '../shared/settings.ts';
import type { FetchLike } from '../shared/stream-client.ts';
import type { Me, NotificationItem, StreamEvent } from '../shared/types.ts';
import { me, notification } from './fixtures.ts';

export type FakeApiServer = ReturnType<typeof fakeApiServer>;

export function fakeApiServer(user: Me) {
  const notifications: NotificationItem[] = [notification({ target_url: '/leads/1' }), notification({ read_at: new Date().toISOString() })];
  const streams: http.ServerResponse[] = [];
  const requests: string[] = [];
  let validToken = 'tok-1';
  let account = user;
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
        return password === 'right' ? json(200, { token: validToken, expires_at: '', user: account }) : json(401, { error: 'invalid_credentials', message: 'Wrong email or password.' });
      }
      if (req.headers.authorization !== `Bearer ${validToken}`) return json(401, { error: 'unauthorized', message: 'Log in.' });
      if (url.pathname === '/api/me') return json(200, account);
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
      if (url.pathname === '/api/activity' || url.pathname === '/api/admin/activity') return json(200, { items: [], page: 1, page_size: 20, next_cursor: null });
      if (url.pathname.startsWith('/api/admin/')) return json(200, { items: [] });
      return json(404, { error: 'not_found', message: 'No route.' });
    });
  });
  return {
    server,
    notifications,
    streams,
    requests,
    revoke: () => (validToken = 'revoked'),
    /** Who the token belongs to. */
    get user() {
      return account;
    },
    set user(u: Me) {
      account = u;
    },
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

/** Platform hooks over in-memory stores, every callback a spy; `token()` reads the stored token. */
export function testHooks(baseUrl: string) {
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

/**
 * Per test: a fresh fake server, and app cores on it (`create`, or `login` as the rep) that are
 * stopped afterwards.
 */
export function withFakeApi() {
  let srv: FakeApiServer;
  let base = '';
  const cores: AppService[] = [];
  beforeEach(async () => {
    srv = fakeApiServer(me());
    base = await srv.listen();
  });
  afterEach(async () => {
    for (const c of cores.splice(0)) c.live.stop();
    await srv.close();
  });
  const create = (extra: Partial<PlatformHooks> = {}) => {
    const { h, token } = testHooks(base);
    const core = createAppService({ ...h, ...extra });
    cores.push(core);
    return { h, token, core, ...core };
  };
  return {
    get srv() {
      return srv;
    },
    get base() {
      return base;
    },
    create,
    async login(extra: Partial<PlatformHooks> = {}) {
      const app = create(extra);
      await app.session.login({ serverUrl: base, email: 'rep@acme.test', password: 'right' });
      return app;
    },
  };
}

/** Waits (real time: HTTP and the stream) until the condition holds. */
export const until = async (pred: () => boolean) => vi.waitFor(() => expect(pred()).toBe(true), { timeout: 3000 });
