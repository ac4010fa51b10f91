// The bell embedded in a host page (/embed/demo), live on the notification stream like the apps.
import { Api, expect, expectAccessible, test } from './support/fixtures.ts';

test('embedded bell: a new notification reaches the badge and the open dropdown live, without a reload', async ({ page, request }) => {
  const rep = await Api.login(request, 'rep@acme.test');
  const admin = await Api.login(request, 'admin@acme.test');
  const repId = (await rep.get<{ id: string }>('/api/me')).body.id;
  const streamOpened = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/notifications/stream' && r.status() === 200);
  await page.goto('/embed/demo?email=rep@acme.test');
  await streamOpened;
  // Anything set on the page survives only if the page is never reloaded.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  const bell = page.locator('header tray-notify-bell');
  const button = bell.getByRole('button', { name: /^Notifications/ });
  const badge = bell.locator('.badge');
  const unseen = (await rep.unread()).unseen;
  if (unseen > 0) await expect(badge).toHaveText(String(Math.min(unseen, 99)));
  else await expect(badge).toHaveCount(0);

  // Closed dropdown: the badge counts the new item within a moment (the fallback poll is 30 s).
  await admin.assignTask(repId, 'Send the renewal quote');
  await expect(badge).toHaveText(String(Math.min(unseen + 1, 99)), { timeout: 3_000 });
  await expect(button).toHaveAccessibleName(`Notifications, ${unseen + 1} new`);

  await button.click();
  const panel = bell.getByRole('region', { name: 'Notifications' });
  await expect(panel.locator('.item').first()).toContainText('Send the renewal quote');
  // Opening it marked what it shows seen.
  await expect(badge).toHaveCount(0);

  // Open dropdown: the next one appears at the top while the user looks at it.
  await admin.assignTask(repId, 'Book the onsite demo');
  await expect(panel.locator('.item').first()).toContainText('Book the onsite demo', { timeout: 3_000 });
  await expect(panel.locator('.item').nth(1)).toContainText('Send the renewal quote');
  await expect(badge).toHaveText('1');
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expectAccessible(page, 'embedded bell, live');
});
