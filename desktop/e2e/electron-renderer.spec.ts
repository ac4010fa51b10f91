// The renderer as it runs inside Electron: `window.app` comes from the preload (here a stub
// with the same AppApi shape, filled with the real server's data), no web navigation bar,
// window buttons that ask the main process to open windows.
import type { Page } from '@playwright/test';
import type { NotificationFocus } from '../src/shared/ipc.ts';
import type { NotificationItem, Me, UnreadCount } from '../src/shared/types.ts';
import { expect, expectAccessible, test } from './support/fixtures.ts';

interface StubData {
  me: Me;
  notifications: NotificationItem[];
  unread: UnreadCount;
  deployment: { serverUrl: string; serverUrlLocked: boolean; webAppBaseUrl: string; startAtLogin: boolean; startAtLoginLocked: boolean; autoUpdate: boolean; problems: string[] };
}

function installPreloadStub(data: StubData) {
  const calls: Array<[string, unknown]> = [];
  (window as unknown as { __appCalls: typeof calls }).__appCalls = calls;
  const record =
    <T>(name: string, result: T) =>
    async (...args: unknown[]) => {
      calls.push([name, args]);
      return result;
    };
  const noop = () => () => undefined;
  const settings = { serverUrl: data.deployment.serverUrl, webAppBaseUrl: data.deployment.webAppBaseUrl, soundsEnabled: true, volume: 0.7, soundByType: {}, startAtLogin: true };
  (window as unknown as { app: unknown }).app = {
    platform: 'electron',
    session: { get: record('session.get', { serverUrl: data.deployment.serverUrl, me: data.me, restoring: false }), login: record('session.login', null), logout: record('session.logout', null), switchWorkspace: record('session.switchWorkspace', null) },
    state: { get: record('state.get', { connection: 'online', unread: data.unread }) },
    notifications: {
      list: record('notifications.list', { items: data.notifications, next_cursor: null }),
      update: async (id: string, change: unknown) => {
        calls.push(['notifications.update', [id, change]]);
        return { ...data.notifications.find((n) => n.id === id), read_at: new Date().toISOString() };
      },
      markAllRead: record('notifications.markAllRead', { updated: 0 }),
      open: record('notifications.open', { opened: 'external' }),
    },
    activity: { list: record('activity.list', { items: [], next_cursor: null }) },
    admin: { activity: record('admin.activity', null), workspaces: record('admin.workspaces', null), users: record('admin.users', null), criticalEvents: record('admin.criticalEvents', null) },
    preferences: { get: record('preferences.get', { muted: false, quiet_hours: { enabled: true, start: '22:00', end: '07:00', time_zone: 'Europe/Berlin' }, types: {} }), set: record('preferences.set', null) },
    settings: { get: record('settings.get', settings), set: record('settings.set', settings), testSound: record('settings.testSound', undefined) },
    deployment: { get: record('deployment.get', data.deployment) },
    mutes: { list: record('mutes.list', { items: [] }), remove: record('mutes.remove', undefined) },
    windows: { open: record('windows.open', undefined), close: record('windows.close', undefined) },
    on: {
      state: noop,
      session: noop,
      streamEvent: noop,
      playSound: noop,
      // What the main process sends when a native toast is clicked: the test plays main's part.
      focusNotification: (cb: (f: unknown) => void) => {
        (window as unknown as { __focusNotification: typeof cb }).__focusNotification = cb;
        return () => undefined;
      },
    },
  };
}

/** Main's `notification:focus` event, as after a click on the toast of `focus.id`. */
const toastClicked = (page: Page, focus: NotificationFocus) =>
  page.evaluate((f) => (window as unknown as { __focusNotification: (f: NotificationFocus) => void }).__focusNotification(f), focus);

const calls = (page: Page) => page.evaluate(() => (window as unknown as { __appCalls: Array<[string, unknown[]]> }).__appCalls);

test.describe('renderer inside Electron (preload API)', () => {
  let data: StubData;
  test.beforeEach(async ({ page, request, baseURL }) => {
    const login = await request.post('/api/auth/login', { data: { email: 'admin@acme.test', password: 'demo-password' } });
    const { token } = (await login.json()) as { token: string };
    const headers = { Authorization: `Bearer ${token}` };
    data = {
      me: (await (await request.get('/api/me', { headers })).json()) as Me,
      notifications: ((await (await request.get('/api/notifications?limit=20', { headers })).json()) as { items: NotificationItem[] }).items,
      unread: (await (await request.get('/api/notifications/unread-count', { headers })).json()) as UnreadCount,
      deployment: { serverUrl: baseURL!, serverUrlLocked: true, webAppBaseUrl: 'https://app.acme.example', startAtLogin: true, startAtLoginLocked: true, autoUpdate: true, problems: ['Policy value "serverUrl" in HKLM is not an http(s) URL; using the default.'] },
    };
    await page.addInitScript(installPreloadStub, data);
  });

  test('tray dropdown: no web navigation, click asks main to open the notification, footer opens windows', async ({ page, shot }) => {
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.setViewportSize({ width: 380, height: 520 });
    await page.goto('/#/bell');
    await expect(page.getByRole('heading', { name: /Notifications/ })).toBeVisible();
    // With the preload's API, the web adapter (its own core and HTTP client) is never loaded.
    expect(scripts.some((p) => /\/assets\/index-[\w-]+\.js$/.test(p))).toBe(true);
    expect(scripts.filter((p) => p.includes('/assets/browser-'))).toEqual([]);
    await expect(page.getByRole('navigation')).toHaveCount(0);
    // Windowed: the rows in view are in the page, the list tells assistive tech how many there are.
    await expect(page.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(data.notifications.length));
    await expect(page.getByRole('button', { name: 'Settings' })).toBeInViewport();
    await shot('tray-dropdown');

    const first = data.notifications[0]!;
    await page.getByTestId('notification').first().locator('.notification-main').click();
    await expect.poll(async () => (await calls(page)).filter(([n]) => n === 'notifications.open')).toEqual([['notifications.open', [first.id]]]);
    await page.getByRole('button', { name: 'Activity' }).click();
    await expect.poll(async () => (await calls(page)).filter(([n]) => n === 'windows.open')).toEqual([['windows.open', ['activity']]]);
    await expect(page.getByRole('button', { name: 'Admin activity' })).toHaveCount(0);
  });

  test('a clicked toast: the dropdown scrolls to its notification and highlights it, or shows it in place', async ({ page, shot }) => {
    await page.setViewportSize({ width: 380, height: 520 });
    await page.goto('/#/bell');
    expect(data.notifications.length).toBeGreaterThan(6);
    // Windowed: the rows in view are in the page, the list tells assistive tech how many there are.
    await expect(page.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(data.notifications.length));
    const row = (n: NotificationItem) => page.locator(`[data-testid="notification"][data-id="${n.id}"]`);
    const last = data.notifications[data.notifications.length - 1]!;
    await expect(row(last)).not.toBeInViewport();

    await toastClicked(page, { id: last.id, detail: false });
    await expect(row(last)).toBeInViewport();
    await expect(row(last)).toHaveAttribute('aria-current', 'true');
    await expect(row(last)).toHaveClass(/\bhighlighted\b/);
    await expect(row(last).locator('.notification-main')).toBeFocused();
    await expect(page.locator('.notification.highlighted')).toHaveCount(1);
    await shot('toast-clicked-highlight');
    await expectAccessible(page, 'bell with a highlighted notification');

    // One without a host-app target: shown in place, and back in the list it is the one highlighted.
    const other = data.notifications[data.notifications.length - 3]!;
    await toastClicked(page, { id: other.id, detail: true });
    await expect(page.getByTestId('notification-detail')).toContainText(other.title);
    await page.getByRole('button', { name: '← Back to the list' }).click();
    await expect(row(other)).toBeInViewport();
    await expect(row(other)).toHaveAttribute('aria-current', 'true');
    await expect(row(other).locator('.notification-main')).toBeFocused();
    await expect(row(last)).not.toHaveAttribute('aria-current', 'true');
  });

  test('settings show what IT manages, and configuration problems', async ({ page, shot }) => {
    await page.setViewportSize({ width: 900, height: 1500 });
    await page.goto('/#/settings');
    await expect(page.getByTestId('deployment-problems')).toContainText('not an http(s) URL');
    await expect(page.getByRole('checkbox', { name: /Start at login/ })).toBeDisabled();
    await expect(page.getByLabel(/Server URL/)).toBeDisabled();
    await expect(page.getByText('Managed by your IT department').first()).toBeVisible();
    await shot('settings-managed');
  });
});
