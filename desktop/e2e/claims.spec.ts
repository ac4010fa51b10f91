// Shared alerts claimed by an admin, a type the workspace keeps on, and the test alert's result:
// real Chromium against the real server and demo data.
import type { Page } from '@playwright/test';
import { Api, expect, expectAccessible, test } from './support/fixtures.ts';

// Three flows with a real server on a shared 2-core machine: more than the default minute.
test.describe.configure({ timeout: 180_000 });

const items = (page: Page) => page.getByTestId('notification');
const row = (page: Page, title: string) => items(page).filter({ hasText: title });

/**
 * A failed job in Acme: `job_failed`, one entry for each Acme admin. Returns its text (unique).
 * Kinds no other spec fails: unread failures of one kind collapse into one item.
 */
async function failJob(api: Api, kind: string, error: string): Promise<string> {
  const text = `${error} (run ${Date.now()})`;
  const job = await api.post<{ id: string }>('/api/jobs', { kind });
  expect(job.status, 'create job').toBe(201);
  const failed = await api.post(`/api/jobs/${job.body.id}/fail`, { error: text });
  expect(failed.status, 'fail job').toBe(200);
  return text;
}

async function put(api: Api, url: string, data: unknown) {
  expect((await api.put(url, data)).status, url).toBe(200);
}

test('a claimed alert: the other admin sees who and when, and it leaves their count; claiming from the list', async ({ page, request, loginAs }) => {
  const ada = await loginAs('admin@acme.test');
  const otto = await Api.login(request, 'ops@acme.test');
  const theirs = await failJob(otto, 'calendar_sync', 'The calendar feed has no events');
  const mine = await failJob(otto, 'webhook_delivery', 'The webhook endpoint timed out');
  await page.goto('/#/bell');
  // Generous: the first list load on a busy shared machine.
  await expect(row(page, theirs)).toBeVisible({ timeout: 30_000 });
  await expect(row(page, mine)).toBeVisible();
  const find = async (api: Api, text: string) => (await api.notifications('limit=50')).find((n) => n.body === text)!;
  const item = await find(otto, theirs);
  expect(item.user_id).toBeNull();
  const before = await ada.unread();

  // Otto claims it: Ada's list shows it live, without a Claim button, and her count drops by one.
  expect((await otto.post(`/api/notifications/${item.id}/claim`, {})).status).toBe(200);
  await expect(row(page, theirs).getByTestId('claimed-by')).toHaveText(/^Claimed by Otto Ops · (just now|1 min ago)$/, { timeout: 15_000 });
  await expect(row(page, theirs).getByRole('button', { name: /^Claim:/ })).toHaveCount(0);
  expect((await ada.unread()).count).toBe(before.count - 1);
  await page.setViewportSize({ width: 400, height: 760 });
  await row(page, theirs).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/claimed.png' });
  await page.setViewportSize({ width: 1100, height: 760 });

  // Ada claims the other one from the list; the detail says so too.
  await row(page, mine).getByRole('button', { name: /^Claim:/ }).click();
  await expect(row(page, mine).getByTestId('claimed-by')).toHaveText(/^Claimed by you/);
  const claimed = await find(ada, mine);
  expect(claimed.claimed_by?.name).toBe('Ada Admin');
  await row(page, mine).locator('.notification-main').click();
  await expect(page.getByTestId('notification-detail')).toContainText('Claimed by you');
  await page.getByRole('button', { name: '← Back to the list' }).click();
  await expectAccessible(page, 'bell with claimed alerts');

  // Otto trying to take Ada's: refused, naming her.
  const refused = await otto.post<{ error: string; claimed_by: { name: string } }>(`/api/notifications/${claimed.id}/claim`, {});
  expect(refused.status).toBe(409);
  expect(refused.body.claimed_by.name).toBe('Ada Admin');

  // Released from the list: everyone's again.
  await row(page, mine).getByRole('button', { name: /^Release:/ }).click();
  await expect(row(page, mine).getByTestId('claimed-by')).toHaveCount(0);
  expect((await find(otto, mine)).claimed_by).toBeNull();
  // Out of later specs' way.
  for (const api of [ada, otto]) {
    for (const text of [theirs, mine]) {
      const res = await request.patch(`/api/notifications/${(await find(api, text)).id}`, { headers: { Authorization: `Bearer ${api.token}` }, data: { archived: true } });
      expect(res.status()).toBe(200);
    }
  }
});

test('a type the workspace keeps on: the member sees it locked and by whom, and cannot turn it off', async ({ page, request, loginAs }) => {
  const rita = await loginAs('rep@acme.test');
  const ada = await Api.login(request, 'admin@acme.test');
  await put(ada, '/api/workspace/notification-defaults', {
    types: { task_assigned: { in_app: true, desktop: true, sound: true, email: false, locked: true } },
  });
  try {
    await page.goto('/#/settings');
    const preferences = page.getByRole('region', { name: 'Notifications' });
    const lock = preferences.getByRole('row', { name: /Task assigned to you/ }).getByTestId('type-lock');
    await expect(lock).toHaveText('Kept on by Ada Admin (Acme Sales)', { timeout: 20_000 });
    for (const channel of ['in_app', 'desktop']) {
      const box = page.getByRole('checkbox', { name: `Task assigned to you: ${channel}`, exact: true });
      await expect(box).toBeChecked();
      await expect(box).toBeDisabled();
    }
    // Sound stays the member's choice.
    await expect(page.getByRole('checkbox', { name: 'Task assigned to you: sound', exact: true })).toBeEnabled();
    // Unlocked types are not marked.
    await expect(preferences.getByTestId('type-lock')).toHaveCount(1);
    await expectAccessible(page, 'settings with a locked type');
    await preferences.getByRole('row', { name: /Task assigned to you/ }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/settings-locked.png' });
    // The server refuses it too, naming the lock.
    const prefs = (await rita.get<{ muted: boolean; quiet_hours: unknown }>('/api/notification-preferences')).body;
    const res = await request.put('/api/notification-preferences', {
      headers: { Authorization: `Bearer ${rita.token}` },
      data: { muted: prefs.muted, quiet_hours: prefs.quiet_hours, types: { task_assigned: { in_app: false, desktop: true, sound: true, email: false } } },
    });
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('Ada Admin');
  } finally {
    await put(ada, '/api/workspace/notification-defaults', { types: {} });
  }
});

test('"Send me a test alert": a real notification, then each app\'s answer and why not', async ({ page, loginAs }) => {
  const rita = await loginAs('rep@acme.test');
  await page.goto('/#/settings');
  await page.getByRole('button', { name: 'Send me a test alert' }).click();
  const result = page.getByTestId('delivery-test');
  await expect(result).toContainText('Waiting for your apps to report');
  // It went through the normal path: it is in the inbox.
  const test = (await rita.notifications('limit=10')).find((n) => n.type === 'test_alert')!;
  expect(test.title).toBe('Test alert');
  // Two apps report back, as the clients do (one showed it, one was blocked by the OS).
  expect((await rita.post(`/api/notifications/${test.id}/delivery-report`, { shown: true, client: 'web' })).status).toBe(200);
  expect((await rita.post(`/api/notifications/${test.id}/delivery-report`, { shown: false, reason: 'permission_denied', client: 'desktop' })).status).toBe(200);
  await expect(result.getByTestId('delivery-report')).toHaveCount(2);
  await expect(result.getByTestId('delivery-report').filter({ hasText: 'Web app' })).toHaveText(/Web app: shown after \d+ ms/);
  await expect(result.getByTestId('delivery-report').filter({ hasText: 'Desktop app' })).toContainText(
    'not shown after',
  );
  await expect(result.getByTestId('delivery-report').filter({ hasText: 'Desktop app' })).toContainText('Notifications are blocked for this app');
  await expectAccessible(page, 'settings with a test alert result');
  await page.getByRole('heading', { name: 'Test alerts' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/test-alert.png' });
});
