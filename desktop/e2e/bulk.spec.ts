// Triage of many entries at once, undo that shows, settings saves that keep every click, and
// what the app does offline: real Chromium against the real server and demo data.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page, Request } from '@playwright/test';
import { Api, expect, test } from './support/fixtures.ts';

const items = (page: Page) => page.getByTestId('notification');
// The machine's cores are shared: pages load slowly at times.
test.describe.configure({ timeout: 180_000 });
test.use({ actionTimeout: 15_000 });
const SIZES = [
  { width: 1280, height: 800 },
  { width: 400, height: 700 },
];

/** axe-core on the page at both sizes the issue names: no violation of any impact. */
async function expectNoViolations(page: Page, what: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 200)} ${n.failureSummary ?? ''}`).slice(0, 3).join(', ')}`),
      `${what} at ${size.width}×${size.height}`,
    ).toEqual([]);
  }
  await page.setViewportSize(SIZES[0]!);
}

async function meId(api: Api): Promise<string> {
  return (await api.get<{ id: string }>('/api/me')).body.id;
}

/** A fresh notification for `user`, assigned by a colleague. */
async function newFor(request: Parameters<typeof Api.login>[0], user: Api, title: string): Promise<void> {
  const colleague = await Api.login(request, 'admin@acme.test');
  await colleague.assignTask(await meId(user), title);
}

test('Undo after Archive brings the row back at once, with the count', async ({ page, request, loginAs }) => {
  const api = await loginAs('rep@acme.test');
  await newFor(request, api, `Undo check ${Date.now()}`);
  await page.goto('/#/bell');
  await expect(items(page).first()).toBeVisible({ timeout: 20_000 });
  const first = items(page).first();
  const id = (await first.getAttribute('data-id'))!;
  const countBefore = (await api.unread()).count;
  await first.getByRole('button', { name: /^Archive:/ }).click();
  await expect(page.locator(`[data-id="${id}"]`)).toHaveCount(0);
  await expect.poll(async () => (await api.unread()).count).toBe(countBefore - 1);
  await page.getByTestId('notice').getByRole('button', { name: 'Undo' }).click();
  // Back in the list without a reload, and on the server.
  await expect(page.locator(`[data-testid="notification"][data-id="${id}"]`)).toBeVisible();
  await expect.poll(async () => (await api.unread()).count).toBe(countBefore);
  await expect(page.getByTestId('unread-count')).toHaveAttribute('aria-label', `${countBefore} unread`);
  await expectNoViolations(page, 'bell after undo');
});

test('Select all matching → Archive: one request for hundreds, Undo brings them back; Mark all as read has Undo', async ({
  page,
  loginAs,
}) => {
  test.setTimeout(180_000);
  const api = await loginAs('admin@globex.test');
  // 600 workspace-level notifications (failed jobs of distinct kinds: none collapse).
  const key = await api.post<{ key: string }>('/api/api-keys', { name: `bulk e2e ${Date.now()}` });
  expect(key.status).toBe(201);
  const stamp = Date.now();
  for (let batch = 0; batch < 2; batch++) {
    const events = Array.from({ length: 300 }, (_, i) => ({
      type: 'job.failed',
      entity_type: 'job',
      summary: 'Sync failed',
      entity_id: `bulk-${stamp}-${batch}-${i}`,
      meta: { kind: `bulk-e2e-${stamp}-${batch}-${i}`, error: 'timeout' },
    }));
    const res = await page.request.post('/api/events', { headers: { Authorization: `Bearer ${key.body.key}` }, data: { events } });
    expect(res.status(), await res.text()).toBe(201);
  }
  const total = (await api.unread()).count;
  expect(total).toBeGreaterThanOrEqual(600);

  const writes: Request[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET' && r.url().includes('/api/notifications')) writes.push(r);
  });
  await page.goto('/#/bell');
  await expect(items(page).first()).toBeVisible({ timeout: 20_000 });
  await items(page).first().getByRole('checkbox').check();
  const bar = page.getByTestId('bulk-bar');
  await bar.getByRole('button', { name: 'Select all', exact: true }).click();
  await bar.getByRole('button', { name: 'Select all matching' }).click();
  await expect(bar).toContainText('Everything matching selected');
  await expectNoViolations(page, 'bell with everything matching selected');
  await bar.getByRole('button', { name: 'Archive' }).click();

  await expect(page.getByTestId('notice')).toContainText('Archived everything matching.');
  await expect.poll(async () => (await api.unread()).count).toBe(0);
  // One request, not one per entry; and the list agrees with the count.
  const bulkWrites = writes.filter((r) => r.url().endsWith('/api/notifications/bulk'));
  expect(bulkWrites.length).toBe(1);
  expect(writes.filter((r) => r.method() === 'PATCH')).toEqual([]);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByTestId('unread-count')).toHaveCount(0);

  await page.getByTestId('notice').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await api.unread()).count).toBe(total);
  await expect(items(page).first()).toBeVisible();

  // Mark all as read answers an undo too.
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect.poll(async () => (await api.unread()).count).toBe(0);
  await expect(page.getByTestId('notice')).toContainText(/Marked \d+ notifications read/);
  await page.getByTestId('notice').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await api.unread()).count).toBe(total);
  await expectNoViolations(page, 'bell after undo');

  // Leave the shared demo inbox as the other specs expect it: the 600 archived.
  const mine = await api.post<{ updated: number }>('/api/notifications/bulk', { action: 'archive', filter: { type: 'job_failed' } });
  expect(mine.status).toBe(200);
});

test('preference clicks on a slow connection are all kept; a refusal shows with Retry', async ({ page, loginAs }) => {
  const api = await loginAs('rep@acme.test');
  type Prefs = { types: Record<string, { sound: boolean; in_app: boolean; desktop: boolean }> };
  const before = (await api.get<Prefs>('/api/notification-preferences')).body;
  // 400 ms each way to the preferences.
  await page.route('**/api/notification-preferences', async (route) => {
    if (route.request().method() === 'PUT') await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await page.goto('/#/settings');
  const names = ['Task assigned to you', 'Task you created completed', 'Campaign reply or meeting', 'Reply from a lead'];
  const boxes = [];
  for (const label of names) {
    const box = page.getByRole('checkbox', { name: new RegExp(`^${label}.*: sound$`) });
    await expect(box).toBeVisible();
    boxes.push(box);
  }
  const wanted: boolean[] = [];
  for (const box of boxes) {
    const was = await box.isChecked();
    wanted.push(!was);
    await box.click();
    await page.waitForTimeout(100);
  }
  for (const [i, box] of boxes.entries()) await expect(box).toBeChecked({ checked: wanted[i]! });
  // After everything settles, what shows is what the server has: every click kept.
  await expect(page.getByTestId('save-state')).toHaveText('', { timeout: 10_000 });
  for (const [i, box] of boxes.entries()) await expect(box).toBeChecked({ checked: wanted[i]! });
  const after = (await api.get<Prefs>('/api/notification-preferences')).body;
  const changed = Object.keys(after.types).filter((t) => after.types[t]!.sound !== (before.types[t]?.sound ?? after.types[t]!.sound));
  expect(changed.length).toBe(4);

  // The server refuses once: the reason shows, with Retry, and Retry saves it.
  await page.unroute('**/api/notification-preferences');
  let refuse = true;
  await page.route('**/api/notification-preferences', async (route) => {
    if (route.request().method() === 'PUT' && refuse) {
      refuse = false;
      await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'unavailable', message: 'Try again shortly.' }) });
      return;
    }
    await route.continue();
  });
  const box = boxes[0]!;
  await box.click();
  await expect(page.getByTestId('save-error')).toContainText('Not saved');
  await expect(box).toBeChecked({ checked: wanted[0]! });
  await expectNoViolations(page, 'settings with a refused save');
  await page.getByTestId('save-error').getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('save-error')).toHaveCount(0);
  await expect(box).toBeChecked({ checked: !wanted[0]! });
  await expect.poll(async () => (await api.get<Prefs>('/api/notification-preferences')).body.types.task_assigned?.sound).toBe(!wanted[0]!);
});

test('settings offer a member only what reaches them; Log out lands on the login screen', async ({ page, loginAs }) => {
  await loginAs('rep@acme.test');
  await page.goto('/#/settings');
  await expect(page.getByRole('heading', { name: 'Notifications', exact: true })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /Task assigned to you: in_app/ })).toBeVisible();
  // Jobs and playbooks go to admins only.
  await expect(page.getByRole('checkbox', { name: /^Job failed/ })).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: /^Playbook/ })).toHaveCount(0);
  await expect(page.getByLabel(/^Sound for Job failed/)).toHaveCount(0);
  // This server has no SMTP_URL: nothing is mailed, so no Email boxes.
  await expect(page.getByRole('checkbox', { name: /: email$/ })).toHaveCount(0);
  await expectNoViolations(page, 'settings of a member');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
});

test('toasts go by themselves; a snooze toast goes with Unsnooze', async ({ page, request, loginAs }) => {
  const api = await loginAs('rep@acme.test');
  await newFor(request, api, `Toast check ${Date.now()}`);
  await page.goto('/#/bell');
  await expect(items(page).first()).toBeVisible({ timeout: 20_000 });
  const first = items(page).first();
  const title = (await first.locator('.notification-main').innerText()).split('\n')[0]!;
  await first.getByRole('button', { name: /^Snooze:/ }).click();
  await first.getByRole('menu', { name: 'Snooze until' }).getByRole('menuitem').first().click();
  await expect(page.getByTestId('notice')).toContainText('Snoozed 1 notification');
  await page.getByRole('tab', { name: 'Snoozed' }).click();
  await page.getByRole('button', { name: /^Unsnooze:/ }).first().click();
  await expect(page.getByTestId('notice')).toHaveCount(0);
  expect(title.length).toBeGreaterThan(0);

  // An archive's toast (with Undo) times out.
  await page.getByRole('tab', { name: /Inbox|All/ }).first().click();
  await items(page).first().getByRole('button', { name: /^Archive:/ }).click();
  await expect(page.getByTestId('notice')).toBeVisible();
  await expect(page.getByTestId('notice')).toHaveCount(0, { timeout: 15_000 });
});

test('offline: an archive leaves the list and moves the count; Activity retries; back online within seconds', async ({ page, request, loginAs, context }) => {
  test.setTimeout(120_000);
  const api = await loginAs('rep@acme.test');
  await newFor(request, api, `Offline check ${Date.now()}`);
  await page.goto('/#/bell');
  await expect(items(page).first()).toBeVisible({ timeout: 20_000 });
  const count = (await api.unread()).count;
  await expect(page.getByTestId('unread-count')).toHaveAttribute('aria-label', `${count} unread`);
  await context.setOffline(true);
  const first = items(page).first();
  const id = (await first.getAttribute('data-id'))!;
  const wasUnread = (await api.notifications('limit=100')).find((n) => n.id === id)?.read_at === null;
  await first.getByRole('button', { name: /^Archive:/ }).click();
  await expect(page.locator(`[data-testid="notification"][data-id="${id}"]`)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Move back to inbox:/ })).toHaveCount(0);
  if (wasUnread) await expect(page.getByTestId('unread-count')).toHaveAttribute('aria-label', `${count - 1} unread`);
  await expect(page.getByTestId('pending')).toBeVisible();

  // The Activity page, opened while offline, offers Retry and loads by itself once back.
  await page.evaluate(() => (window.location.hash = '#/activity'));
  await expect(page.getByRole('alert')).toContainText('could not be reached');
  await expect(page.getByTestId('activity-retry')).toBeVisible();
  await expectNoViolations(page, 'activity offline');
  // The bell says it is offline (the banner lives there).
  await page.evaluate(() => (window.location.hash = '#/bell'));
  await expect(page.getByTestId('connection-banner')).toContainText('Offline', { timeout: 15_000 });

  // Down for 20 s, then back: the banner goes within seconds.
  await page.waitForTimeout(20_000);
  await context.setOffline(false);
  const back = Date.now();
  await expect(page.getByTestId('connection-banner')).toHaveCount(0, { timeout: 15_000 });
  const seconds = (Date.now() - back) / 1000;
  console.log(`offline banner gone ${seconds.toFixed(1)} s after the connection came back`);
  expect(seconds).toBeLessThan(7);
  // The change made offline reached the server.
  await expect.poll(async () => (await api.notifications('limit=100')).some((n) => n.id === id)).toBe(false);
});
