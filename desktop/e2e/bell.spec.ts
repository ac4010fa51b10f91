import { Api, expect, spies, test, titleFor } from './support/fixtures.ts';

test.describe('notifications bell', () => {
  test('first run: the login window, then the bell with the seeded notifications', async ({ page, request, shot }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    await shot('login');
    await page.getByLabel('Email').fill('rep@acme.test');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toContainText(/invalid|wrong|incorrect/i);

    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('heading', { name: /Notifications/ })).toBeVisible();

    const api = await Api.login(request, 'rep@acme.test');
    const expected = await api.notifications();
    const items = page.getByTestId('notification');
    await expect(items).toHaveCount(expected.length);
    // Newest first, as the server orders them, with unread ones marked.
    await expect(items.first()).toContainText(expected[0]!.title);
    const unread = await api.unread();
    expect(unread.count).toBeGreaterThan(0);
    await expect(page.locator('[data-testid="notification"][data-unread="true"]')).toHaveCount(expected.filter((n) => !n.read_at).length);
    // The badge (page title) counts unseen: the list on screen has been seen; unread stays until read.
    await expect.poll(async () => (await api.unread()).unseen).toBe(0);
    await expect(page).toHaveTitle('Notifications');
    await expect(page.getByTestId('unread-count')).toHaveText(`${unread.count} unread`);
    await shot('bell');
  });

  test('click marks the notification read and shows it in place (no host app configured)', async ({ page, loginAs }) => {
    const api = await loginAs('rep@acme.test');
    await page.goto('/#/bell');
    const before = await api.unread();
    // One that points into the host app (an alert rule's alert opens this app's activity view instead).
    const n = (await api.notifications()).find((x) => !x.read_at && x.type !== 'alert_rule_triggered')!;
    const id = n.id;
    const first = page.locator(`[data-testid="notification"][data-id="${id}"]`);
    await first.locator('.notification-main').click();

    // The target is a path of the host sales app, which this server does not serve: no blank tab.
    await expect(page.getByTestId('notification-detail')).toContainText(n.title);
    expect((await spies(page)).opened).toEqual([]);
    await expect.poll(async () => (await api.unread()).count).toBe(before.count - 1);
    await expect(page).toHaveTitle('Notifications');
    // The detail stands in for the list; back in the list, the entry reads as read.
    await page.getByRole('button', { name: /Back to the list/ }).click();
    await expect(page.locator(`[data-id="${id}"]`)).toHaveAttribute('data-unread', 'false');
  });

  test('per-item mark read/unread and archive', async ({ page, loginAs }) => {
    const api = await loginAs('admin@acme.test');
    await page.goto('/#/bell');
    const item = page.getByTestId('notification').first();
    const id = (await item.getAttribute('data-id'))!;
    const wasUnread = (await item.getAttribute('data-unread')) === 'true';

    await item.getByRole('button', { name: wasUnread ? 'Mark read' : 'Mark unread' }).click();
    await expect(item).toHaveAttribute('data-unread', String(!wasUnread));
    await item.getByRole('button', { name: wasUnread ? 'Mark unread' : 'Mark read' }).click();
    await expect(item).toHaveAttribute('data-unread', String(wasUnread));

    await item.getByRole('button', { name: 'Archive' }).click();
    await expect(page.locator(`[data-id="${id}"]`)).toHaveCount(0);
    await expect.poll(async () => (await api.notifications('limit=100')).some((n) => n.id === id)).toBe(false);
    expect((await api.notifications('limit=100&archived=true')).some((n) => n.id === id)).toBe(true);
  });

  test('keyboard: arrows move between items, R toggles read', async ({ page, loginAs }) => {
    await loginAs('ops@acme.test');
    await page.goto('/#/bell');
    const buttons = page.locator('.notification-main');
    await buttons.first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(buttons.nth(1)).toBeFocused();
    const second = page.getByTestId('notification').nth(1);
    const before = await second.getAttribute('data-unread');
    await page.keyboard.press('r');
    await expect(second).toHaveAttribute('data-unread', before === 'true' ? 'false' : 'true');
    await page.keyboard.press('ArrowUp');
    await expect(buttons.first()).toBeFocused();
  });

  test('"Mark all as read" clears the badge; the unread filter is then empty', async ({ page, loginAs, shot }) => {
    const api = await loginAs('admin@globex.test');
    // Some unread to start from, whatever earlier runs did to this user.
    for (const n of (await api.notifications('limit=3')).slice(0, 3)) await api.setRead(n.id, false);
    await page.goto('/#/bell');
    expect((await api.unread()).count).toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await expect(page).toHaveTitle('Notifications');
    await expect.poll(async () => (await api.unread()).count).toBe(0);
    await expect(page.locator('[data-testid="notification"][data-unread="true"]')).toHaveCount(0);
    await page.getByRole('tab', { name: 'Unread', exact: true }).click();
    await expect(page.getByTestId('empty-state')).toContainText("You're all caught up");
    await shot('bell-empty');
  });

  test('shows that it is offline while the stream cannot connect', async ({ page, loginAs, shot }) => {
    await loginAs('rep@globex.test');
    await page.route('**/api/notifications/stream**', (route) => route.abort('internetdisconnected'));
    await page.goto('/#/bell');
    await expect(page.getByTestId('connection-banner')).toContainText('Offline');
    await expect(page.getByTestId('notification').first()).toBeVisible();
    await shot('bell-offline');
  });

  test('a notification created through the API appears live, with a native notification, and the badge changes within a second', async ({ page, loginAs, request }) => {
    const rep = await loginAs('rep@acme.test');
    const repId = (await rep.get<{ id: string }>('/api/me')).body.id;
    const streamOpened = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/notifications/stream' && r.status() === 200);
    await page.goto('/#/bell');
    await streamOpened;
    await expect(page.getByTestId('connection-banner')).toHaveCount(0);
    await expect.poll(async () => (await rep.unread()).unseen).toBe(0);
    await expect(page).toHaveTitle('Notifications');

    const admin = await Api.login(request, 'admin@acme.test');
    const { leadName } = await admin.assignTask(repId, 'Call back about Q4 pricing');
    await expect(page).toHaveTitle(titleFor(1), { timeout: 1_000 });
    await expect(page.getByTestId('notification').first()).toContainText('Call back about Q4 pricing', { timeout: 1_000 });
    await expect
      .poll(async () => (await spies(page)).notifications)
      .toContainEqual({ title: 'New task assigned', body: `Acme Sales · Call back about Q4 pricing — ${leadName} (from Ada Admin)` });
    await expect.poll(async () => (await spies(page)).sounds.some((s) => s.endsWith('/sounds/chime.wav'))).toBe(true);
  });

  test('a notification created after the list loaded but before the stream connected is shown and alerted once it connects', async ({ page, loginAs, request }) => {
    const rep = await loginAs('rep@acme.test');
    const repId = (await rep.get<{ id: string }>('/api/me')).body.id;
    // Hold the stream's first request until the notification exists.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked!: () => void;
    const streamAsked = new Promise<void>((resolve) => (asked = resolve));
    await page.route('**/api/notifications/stream**', async (route) => {
      asked();
      await held;
      await route.continue();
    });
    await page.goto('/#/bell');
    await expect(page.getByTestId('notification').first()).toBeVisible();
    await streamAsked;

    const admin = await Api.login(request, 'admin@acme.test');
    const { leadName } = await admin.assignTask(repId, 'Send the signed order form');
    await page.waitForTimeout(300);
    await expect(page.getByTestId('notification').first()).not.toContainText('Send the signed order form');
    release();

    await expect(page.getByTestId('notification').first()).toContainText('Send the signed order form');
    await expect
      .poll(async () => (await spies(page)).notifications)
      .toContainEqual({ title: 'New task assigned', body: `Acme Sales · Send the signed order form — ${leadName} (from Ada Admin)` });
  });
});
