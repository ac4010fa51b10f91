// The inbox as people triage it, in real Chromium against the real server and demo data.
import type { Page } from '@playwright/test';
import { Api, clickToast, expect, expectAccessible, spies, test } from './support/fixtures.ts';

const items = (page: Page) => page.getByTestId('notification');

test('seen vs unread: opening the list clears the new badge, unread stays until read; day groups with times', async ({ page, request, loginAs }) => {
  const api = await loginAs('admin@globex.test');
  // Something new, from a colleague.
  const colleague = await Api.login(request, 'rep@globex.test');
  await colleague.assignTask((await api.get<{ id: string }>('/api/me')).body.id, 'Prepare the QBR deck');
  const before = await api.unread();
  expect(before.unseen).toBeGreaterThan(0);
  await page.goto('/#/bell');
  await expect(items(page).first()).toBeVisible();
  await expect(page.locator('h2.day').first()).toBeVisible();
  // The time of day in the user's locale (Chromium here: en-US).
  await expect(items(page).first().locator('time')).toHaveText(/^\d{1,2}:\d\d(\s[AP]M)?$/);
  await expect.poll(async () => (await api.unread()).unseen).toBe(0);
  expect((await api.unread()).count).toBe(before.count);
  // Row actions are plainly visible, not faded until hover.
  const opacity = await items(page).first().locator('.notification-actions').evaluate((el) => getComputedStyle(el).opacity);
  expect(opacity).toBe('1');
  await expectAccessible(page, 'bell');
});

test('a click shows the notification in place when there is no host app, instead of a dead page', async ({ page, loginAs }) => {
  await loginAs('rep@globex.test');
  await page.goto('/#/bell');
  await items(page).first().locator('.notification-main').click();
  await expect(page.getByTestId('notification-detail')).toBeVisible();
  await expect(page.getByTestId('notification-detail')).toContainText('Why you got this');
  expect((await spies(page)).opened).toEqual([]);
  await page.getByRole('button', { name: '← Back to the list' }).click();
  await expect(items(page).first()).toBeVisible();
});

test('a click on a browser notification with no host app to open shows that notification in the bell', async ({ page, request, loginAs }) => {
  const api = await loginAs('rep@globex.test');
  await page.goto('/#/settings');
  await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
  const colleague = await Api.login(request, 'admin@globex.test');
  await colleague.assignTask((await api.get<{ id: string }>('/api/me')).body.id, 'Draft the pilot contract');
  await expect.poll(async () => (await spies(page)).notifications.map((n) => n.body).join('\n')).toContain('Draft the pilot contract');
  const [newest] = await api.notifications('limit=1');
  await clickToast(page, newest!.title);
  await expect(page).toHaveURL(/#\/bell$/);
  await expect(page.getByTestId('notification-detail')).toContainText('Draft the pilot contract');
  expect((await spies(page)).opened).toEqual([]);
  await expect.poll(async () => (await api.notifications('limit=1'))[0]!.read_at).not.toBeNull();
  await page.getByRole('button', { name: '← Back to the list' }).click();
  await expect(page.locator(`[data-testid="notification"][data-id="${newest!.id}"]`)).toHaveAttribute('aria-current', 'true');
});

test('archive with Undo, and the Archived tab', async ({ page, loginAs }) => {
  const api = await loginAs('ops@acme.test');
  await page.goto('/#/bell');
  const first = items(page).first();
  const id = (await first.getAttribute('data-id'))!;
  await first.getByRole('button', { name: /^Archive:/ }).click();
  await expect(page.locator(`[data-id="${id}"]`)).toHaveCount(0);
  await expect(page.getByTestId('notice')).toContainText('Archived 1 notification.');
  await page.getByTestId('notice').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await api.notifications('limit=100')).some((n) => n.id === id && !n.archived_at)).toBe(true);

  await items(page).first().getByRole('button', { name: /^Archive:/ }).click();
  await page.getByRole('tab', { name: 'Archived' }).click();
  await expect(items(page).first().getByRole('button', { name: /^Unarchive:/ })).toBeVisible();
  await expectAccessible(page, 'archived tab');
});

test('snooze with quick choices; the Snoozed tab lists it', async ({ page, loginAs, shot }) => {
  const api = await loginAs('ops@acme.test');
  await page.goto('/#/bell');
  const first = items(page).first();
  const id = (await first.getAttribute('data-id'))!;
  await first.getByRole('button', { name: /^Snooze:/ }).click();
  const menu = first.getByRole('menu', { name: 'Snooze until' });
  await expect(menu.getByRole('menuitem')).toHaveText([
    'In 1 hour',
    /^(Tonight|Tomorrow evening) \((19:00|7:00\sPM)\)$/,
    /^Tomorrow morning \((08:00|8:00\sAM)\)$/,
    /^Next week \(Monday (08:00|8:00\sAM)\)$/,
  ]);
  await shot('snooze');
  await expectAccessible(page, 'snooze menu');
  const clicked = Date.now();
  await menu.getByRole('menuitem', { name: 'In 1 hour' }).click();
  await expect(page.locator(`[data-id="${id}"]`)).toHaveCount(0);
  const snoozed = await api.notifications('snoozed=true');
  const until = Date.parse(snoozed.find((n) => n.id === id)!.snoozed_until!);
  expect(Math.abs(until - clicked - 3600_000)).toBeLessThan(60_000);
  await page.getByRole('tab', { name: 'Snoozed' }).click();
  await expect(page.locator(`[data-id="${id}"]`)).toBeVisible();
  await page.locator(`[data-id="${id}"]`).getByRole('button', { name: /^Unsnooze:/ }).click();
  await expect.poll(async () => (await api.notifications('snoozed=true')).some((n) => n.id === id)).toBe(false);
});

test('a snooze that ends brings the item to the top, saying when it first arrived', async ({ page, loginAs, shot }) => {
  const api = await loginAs('ops@acme.test');
  // An item from days ago (the demo spreads them over two weeks), snoozed for a moment.
  const old = (await api.notifications('limit=100'))
    .filter((n) => !n.archived_at && Number((n.meta as { count?: unknown }).count ?? 1) === 1 && Date.now() - Date.parse(n.created_at) > 2 * 86_400_000)
    .at(-1)!;
  const res = await page.request.patch(`/api/notifications/${old.id}`, {
    headers: { Authorization: `Bearer ${api.token}` },
    data: { snoozed_until: new Date(Date.now() + 1_000).toISOString() },
  });
  expect(res.status()).toBe(200);
  // The server wakes snoozes every 15 s.
  await expect.poll(async () => (await api.notifications('limit=1'))[0]?.id, { timeout: 30_000 }).toBe(old.id);
  await page.goto('/#/bell');
  const row = page.locator(`[data-id="${old.id}"]`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(items(page).first()).toHaveAttribute('data-id', old.id);
  const day = new Date(old.created_at).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
  await expect(row.getByTestId('first-arrived')).toContainText(`back from snooze · first`);
  await expect(row.getByTestId('first-arrived')).toContainText(day);
  await shot('woken-snooze');
});

test('why was I notified, one-click mute, listed and undone in Settings', async ({ page, loginAs, shot }) => {
  const api = await loginAs('ops@acme.test');
  await page.goto('/#/bell');
  const first = items(page).first();
  await first.getByRole('button', { name: /^Why was I notified:/ }).click();
  const why = first.getByTestId('why');
  await expect(why).toContainText(/Why you got this: You (are an admin of|were assigned|own|are one of the people the alert rule)/);
  await shot('why');
  await expectAccessible(page, 'why');
  await why.getByRole('button', { name: /^Mute “/ }).click();
  await expect(page.getByTestId('notice')).toContainText('Muted: All “');
  const mutes = await api.get<{ items: { id: string; label: string }[] }>('/api/notification-preferences/mutes');
  expect(mutes.body.items).toHaveLength(1);

  await page.goto('/#/settings');
  const section = page.getByTestId('mutes');
  await expect(section).toContainText(mutes.body.items[0]!.label);
  await section.getByRole('button', { name: /^Unmute:/ }).click();
  await expect(section.getByRole('button', { name: /^Unmute:/ })).toHaveCount(0);
  expect((await api.get<{ items: unknown[] }>('/api/notification-preferences/mutes')).body.items).toEqual([]);
});

test('keyboard: j/k move, r reads, x selects, ? shows the shortcuts; bulk mark read', async ({ page, loginAs }) => {
  const api = await loginAs('ops@acme.test');
  await page.goto('/#/bell');
  await page.getByRole('tab', { name: 'Inbox' }).click();
  await items(page).first().locator('.notification-main').focus();
  await page.keyboard.press('j');
  const second = items(page).nth(1);
  await expect(second.locator('.notification-main')).toBeFocused();
  const wasUnread = (await second.getAttribute('data-unread')) === 'true';
  await page.keyboard.press('r');
  await expect(second).toHaveAttribute('data-unread', String(!wasUnread));
  await page.keyboard.press('k');
  await expect(items(page).first().locator('.notification-main')).toBeFocused();
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts')).toContainText('Snooze');
  await page.getByTestId('shortcuts').getByRole('button', { name: 'Close' }).click();

  // Bulk: click one, shift-click the third: three selected, read together.
  await items(page).nth(0).getByRole('checkbox').click();
  await items(page).nth(2).getByRole('checkbox').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('bulk-bar')).toContainText('3 selected');
  const ids = await Promise.all([0, 1, 2].map((i) => items(page).nth(i).getAttribute('data-id')));
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Mark read' }).click();
  await expect.poll(async () => (await api.notifications('limit=100')).filter((n) => ids.includes(n.id) && n.read_at).length).toBe(3);
});

test('mark read while offline: shown at once, queued, sent when the connection is back', async ({ page, context, loginAs }) => {
  const api = await loginAs('rep@globex.test');
  await page.goto('/#/bell');
  await page.getByRole('tab', { name: 'Unread' }).click();
  const first = items(page).first();
  await expect(first).toBeVisible();
  const id = (await first.getAttribute('data-id'))!;
  await context.setOffline(true);
  await first.getByRole('button', { name: /^Mark read:/ }).click();
  await expect(first).toHaveAttribute('data-unread', 'false');
  await expect(page.getByTestId('pending')).toContainText('1 change waiting');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await context.setOffline(false);
  await expect.poll(async () => (await api.notifications('limit=100')).find((n) => n.id === id)?.read_at ?? null, { timeout: 30_000 }).not.toBeNull();
  await expect(page.getByTestId('pending')).toHaveCount(0);
});

test('time zone: typing only searches; a zone from the list is saved and says so', async ({ page, loginAs }) => {
  const api = await loginAs('rep@globex.test');
  await page.goto('/#/settings');
  const zone = page.getByRole('combobox', { name: 'Time zone' });
  await zone.fill('Europe/Ber');
  await expect(page.getByTestId('time-zone-state')).toHaveText('Choose a zone from the list');
  expect((await api.get<{ quiet_hours: { time_zone: string } }>('/api/notification-preferences')).body.quiet_hours.time_zone).not.toBe('Europe/Ber');
  await zone.fill('Europe/Berlin');
  await expect(page.getByTestId('time-zone-state')).toHaveText('Saved');
  await expect
    .poll(async () => (await api.get<{ quiet_hours: { time_zone: string } }>('/api/notification-preferences')).body.quiet_hours.time_zone)
    .toBe('Europe/Berlin');
  await expectAccessible(page, 'settings');
});

test('super admins: critical events in their bell with the reason, plain words where there is no workspace', async ({ page, loginAs, shot }) => {
  const api = await loginAs('super@demo.test');
  const critical = (await api.notifications()).filter((n) => n.type.startsWith('critical_'));
  expect(critical.length).toBeGreaterThan(0);
  await page.goto('/#/bell');
  await expect(items(page).first()).toBeVisible();
  await items(page).first().getByRole('button', { name: /^Why was I notified:/ }).click();
  await expect(items(page).first().getByTestId('why')).toContainText('You are a super admin');
  await shot('inbox');
  await expectAccessible(page, 'super admin bell');
  // No workspace of their own: Activity lands on the admin activity.
  await page.goto('/#/activity');
  await expect(page).toHaveURL(/#\/admin/);
  await expect(page.locator('body')).not.toContainText('/api/me/current-workspace');
  await page.goto('/#/admin');
  await expect(page.getByTestId('activity').first()).toBeVisible();
  await expectAccessible(page, 'admin');
});

test('members are not offered audit types in the activity filter; every other window passes axe', async ({ page, loginAs }) => {
  await loginAs('rep@acme.test');
  await page.goto('/#/activity');
  await expect(page.getByTestId('activity').first()).toBeVisible();
  const offered = await page.getByLabel('Filter by type').locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
  expect(offered).not.toContain('api_key.revoked');
  expect(offered).not.toContain('auth.login_failed');
  await expect(page.getByLabel('Filter by type').locator('option', { hasText: 'API key revoked' })).toHaveCount(0);
  await expectAccessible(page, 'activity');
});

test('the login window passes axe', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expectAccessible(page, 'login');
});

test('embedded bell: a custom element in the host page header, signed in by the host backend', async ({ page, request, shot }) => {
  const api = await Api.login(request, 'rep@acme.test');
  const unread = await api.unread();
  await page.goto('/embed/demo?email=rep@acme.test');
  const bell = page.locator('header tray-notify-bell');
  await expect(bell).toBeVisible();
  const button = bell.getByRole('button', { name: /^Notifications/ });
  await expect(button).toBeVisible();
  if (unread.unseen > 0) await expect(bell.locator('.badge')).toHaveText(String(Math.min(unread.unseen, 99)));
  // The host's styles do not reach inside, nor the bell's out.
  const hostButtonFont = await page.evaluate(() => getComputedStyle(document.querySelector('header nav a')!).color);
  expect(hostButtonFont).toBe('rgb(219, 234, 254)');
  await button.click();
  const panel = bell.getByRole('region', { name: 'Notifications' });
  await expect(panel).toBeVisible();
  const expected = await api.notifications('limit=10');
  await expect(panel.locator('.item').first()).toContainText(expected[0]!.title);
  await shot('embedded-bell');
  await expectAccessible(page, 'embed demo');
  await expect.poll(async () => (await api.unread()).unseen).toBe(0);
});
