// The embedded bell for a host page's reader: the keyboard lands on the first notification,
// "See all" leads into the web app's inbox, errors read as plain words, and the session is
// renewed while the host page stays open.
import { Api, expect, expectNoAxeViolations, test } from './support/fixtures.ts';

test('opening the bell puts the keyboard on the first notification, and "See all" leads to the inbox', async ({ page, baseURL }) => {
  await page.goto('/embed/demo?email=admin@acme.test');
  const bell = page.locator('tray-notify-bell');
  const button = bell.getByRole('button', { name: /^Notifications/ });
  await button.click();
  const panel = bell.getByRole('region', { name: 'Notifications' });
  const first = panel.locator('.item').first();
  await expect(first).toBeFocused();
  // Enter opens that notification; it never marks everything read.
  await expect(panel.getByRole('button', { name: 'Mark all read' })).not.toBeFocused();
  const seeAll = panel.getByRole('link', { name: 'See all notifications' });
  await expect(seeAll).toBeVisible();
  await expect(seeAll).toHaveAttribute('href', `${baseURL}/#/bell`);
  await expectNoAxeViolations(page, 'embedded bell open');
  await page.keyboard.press('Escape');
  await expect(button).toBeFocused();
});

test('a malformed signature shows the reader plain words, not the server’s schema message', async ({ page }) => {
  await page.route('**/embed/demo*', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/signature="[^"]*"/, 'signature="not-a-signature"');
    await route.fulfill({ response, body: html });
  });
  await page.goto('/embed/demo?email=rep@acme.test');
  const bell = page.locator('tray-notify-bell');
  await bell.getByRole('button', { name: /^Notifications/ }).click();
  const error = bell.getByRole('alert');
  await expect(error).toContainText('could not sign you in');
  await expect(error).not.toContainText(/signature|must match|body\./);
  await expectNoAxeViolations(page, 'embedded bell, sign-in failed');
});

test('the session is renewed before it ends while the page stays open', async ({ page, request }) => {
  // The server's sessions last an hour: the page is told this one ends in a little over five
  // minutes, so the bell renews it within seconds (five minutes ahead).
  await page.route('**/api/embed/session', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { expires_at: string };
    body.expires_at = new Date(Date.now() + 5 * 60_000 + 1_000).toISOString();
    await route.fulfill({ response, json: body });
  });
  const renewed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/embed/session/renew', { timeout: 30_000 });
  await page.goto('/embed/demo?email=rep@acme.test');
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  const response = await renewed;
  expect(response.status()).toBe(200);
  const { token } = (await response.json()) as { token: string };

  // The bell goes on with the new session: a new notification arrives, read with the new token.
  const rep = await Api.login(request, 'rep@acme.test');
  const admin = await Api.login(request, 'admin@acme.test');
  const usesNewToken = page.waitForRequest((r) => new URL(r.url()).pathname.startsWith('/api/notifications') && r.headers().authorization === `Bearer ${token}`, { timeout: 20_000 });
  await admin.assignTask((await rep.get<{ id: string }>('/api/me')).body.id, 'Renewed session task');
  const bell = page.locator('tray-notify-bell');
  await bell.getByRole('button', { name: /^Notifications/ }).click();
  await expect(bell.locator('.item').first()).toContainText('Renewed session task', { timeout: 20_000 });
  await usesNewToken;
  await expect(bell.getByRole('alert')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});
