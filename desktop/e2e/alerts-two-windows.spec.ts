import type { APIRequestContext, Page } from '@playwright/test';
import { Api, expect, expectAccessible, installSpies, pressToastAction, test, toasts } from './support/fixtures.ts';

// Two windows (tabs) of the same user, each its own device: what one does to a notification
// closes the other's toast; where the person is active decides which one rings.
const USER = 'rep@globex.test';

async function everyDevice(request: APIRequestContext, api: Api, enabled: boolean) {
  const res = await request.put('/api/presence/alert-every-device', { headers: { Authorization: `Bearer ${api.token}` }, data: { enabled } });
  expect(res.status()).toBe(200);
}

async function alertingDevices(api: Api): Promise<string[] | null> {
  return (await api.get<{ devices: string[] | null }>('/api/presence')).body.devices;
}

/** The notification the assignment made (every task toast has the same title; the id tells them apart). */
async function newestId(api: Api, task: string): Promise<string> {
  let id: string | undefined;
  await expect.poll(async () => (id = (await api.notifications('limit=10')).find((n) => n.body?.includes(task))?.id)).toBeTruthy();
  return id!;
}

async function openBell(page: Page) {
  await page.goto('/#/bell');
  // The stream can take seconds to open on a busy machine.
  await expect(page.getByTestId('live-state')).toContainText('Live', { timeout: 20_000 });
}

test.describe('alerts across two windows of the same user', () => {
  // Two windows, a stream each, on a 2-core machine shared with other work.
  test.describe.configure({ timeout: 120_000 });
  let api: Api;
  let userId: string;
  let admin: Api;
  let pages: Page[] = [];

  test.beforeEach(async ({ page, context, loginAs, request }) => {
    api = await loginAs(USER);
    userId = (await api.get<{ id: string }>('/api/me')).body.id;
    admin = await Api.login(request, 'admin@globex.test');
    const other = await context.newPage();
    await other.addInitScript(installSpies);
    pages = [page, other];
  });

  test.afterEach(async ({ request }) => {
    // Leave no device active for the next spec of this user: each window says it went idle.
    await everyDevice(request, api, false);
    for (const p of pages) await p.evaluate(() => window.dispatchEvent(new Event('pagehide'))).catch(() => undefined);
    await expect.poll(() => alertingDevices(api)).toBeNull();
  });

  test('a read in one window closes the toast the other window shows, within a second', async ({ request }) => {
    await everyDevice(request, api, true);
    const [a, b] = pages as [Page, Page];
    await openBell(a);
    await openBell(b);
    await admin.assignTask(userId, 'Clear me everywhere');
    const id = await newestId(api, 'Clear me everywhere');
    for (const p of [a, b]) await expect.poll(async () => (await toasts(p)).some((t) => t.tag === id && !t.closed)).toBe(true);

    const item = a.locator(`[data-testid="notification"][data-id="${id}"]`);
    await item.getByRole('button', { name: 'Mark read' }).click();
    await expect.poll(async () => (await toasts(b)).find((t) => t.tag === id)?.closed).toBe(true);
    // Within a second of the server's read (one clock: the same machine); polling from here
    // would add the busy machine's own delays.
    const readAt = Date.parse((await api.notifications('limit=10')).find((n) => n.id === id)!.read_at!);
    const closedAt = (await toasts(b)).find((t) => t.tag === id)!.closedAt!;
    expect(closedAt - readAt).toBeLessThan(1_000);
    await expect(b.locator(`[data-testid="notification"][data-id="${id}"]`)).toHaveAttribute('data-unread', 'false');
    await expectAccessible(b, 'the bell with its live state');
  });

  test('activity in one window silences the other: the new notification rings only where the person is', async () => {
    const [a, b] = pages as [Page, Page];
    await openBell(a);
    await openBell(b);
    // The person works in A; B was left (hidden, switched away).
    await b.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    await a.locator('body').click();
    await a.keyboard.press('Shift');
    await expect.poll(async () => (await alertingDevices(api))?.length).toBe(1);
    await expect(b.getByTestId('live-state')).toContainText('silent here');
    await expect(a.getByTestId('live-state')).not.toContainText('silent here');

    await admin.assignTask(userId, 'Ring where I am');
    const id = await newestId(api, 'Ring where I am');
    await expect.poll(async () => (await toasts(a)).some((t) => t.tag === id)).toBe(true);
    // B shows it in its list, silently: no toast, no sound.
    await expect(b.locator(`[data-testid="notification"][data-id="${id}"]`)).toBeVisible();
    await b.waitForTimeout(2_000); // past the burst window (1.5 s) in which a toast would come
    expect((await toasts(b)).some((t) => t.tag === id)).toBe(false);
  });

  test('Mark read on a toast marks the notification read on the server, and the other window follows', async ({ request }) => {
    await everyDevice(request, api, true);
    const [a, b] = pages as [Page, Page];
    await openBell(a);
    await openBell(b);
    // Toasts with buttons come from the service worker, once it is ready.
    await a.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await a.waitForTimeout(200);
    await admin.assignTask(userId, 'Read me from the toast');
    const id = await newestId(api, 'Read me from the toast');
    await expect.poll(async () => (await toasts(a)).find((t) => t.tag === id)?.actions).toEqual(['read', 'snooze']);
    await pressToastAction(a, 'New task assigned', 'read');
    await expect.poll(async () => (await api.notifications('limit=10')).find((n) => n.id === id)?.read_at ?? null).not.toBeNull();
    await expect(b.locator(`[data-testid="notification"][data-id="${id}"]`)).toHaveAttribute('data-unread', 'false');
    await expect.poll(async () => (await toasts(b)).find((t) => t.tag === id)?.closed).toBe(true);
    const readAt = Date.parse((await api.notifications('limit=10')).find((n) => n.id === id)!.read_at!);
    expect((await toasts(b)).find((t) => t.tag === id)!.closedAt! - readAt).toBeLessThan(1_000);
  });
});
