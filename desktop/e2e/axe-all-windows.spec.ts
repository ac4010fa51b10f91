// axe-core on every window a role reaches, at a desktop size and at 400 px: no violation of
// any impact (and a control's accessible name contains its visible label).
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 400, height: 700 },
];

const ROLES = [
  { who: 'member', email: 'rep@acme.test', routes: ['bell', 'activity', 'settings'] },
  { who: 'workspace admin', email: 'admin@acme.test', routes: ['bell', 'activity', 'rules', 'workspace', 'settings'] },
  { who: 'super admin', email: 'super@demo.test', routes: ['bell', 'admin', 'rules', 'settings'] },
];

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).options({ rules: { 'label-content-name-mismatch': { enabled: true } } }).analyze();
  return results.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** The window has drawn what it loads (a list, a form, or its empty state). */
async function settled(page: Page, route: string) {
  const ready: Record<string, string> = {
    bell: '[data-testid="notification"], [data-testid="empty-state"], .empty',
    activity: '[data-testid="activity"], [data-testid="empty-state"]',
    admin: '[data-testid="activity"]',
    rules: '[data-testid="rule"], [data-testid="empty-state"]',
    workspace: '[data-testid="member"]',
    settings: 'form, section',
  };
  await expect(page.locator(ready[route]!).first()).toBeVisible({ timeout: 15_000 });
  // Fresh-row animations and live counts have settled.
  await page.waitForTimeout(300);
}

for (const role of ROLES) {
  for (const size of SIZES) {
    test(`axe: every window of a ${role.who} at ${size.width}×${size.height}`, async ({ page, loginAs }) => {
      test.setTimeout(360_000);
      await page.setViewportSize(size);
      await loginAs(role.email);
      const found: string[] = [];
      for (const route of role.routes) {
        await page.goto(`/#/${route}`);
        await settled(page, route);
        for (const v of await violations(page)) found.push(`${route}: ${v}`);
        if (route === 'activity' || route === 'admin') {
          // With an entry's detail open too.
          await page.getByTestId('activity').first().click();
          await expect(page.getByTestId('activity-detail')).toBeVisible();
          for (const v of await violations(page)) found.push(`${route} detail: ${v}`);
        }
      }
      expect(found).toEqual([]);
    });
  }
}

test('axe: the login window and the embedded bell, at 1280 and at 400 px wide', async ({ page }) => {
  test.setTimeout(120_000);
  const found: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.goto('/#/login');
    await expect(page.getByRole('button', { name: /log in/i })).toBeVisible();
    for (const v of await violations(page)) found.push(`login @${size.width}: ${v}`);
    await page.goto('/embed/demo?email=rep@acme.test');
    const bell = page.locator('tray-notify-bell');
    await bell.getByRole('button', { name: /^Notifications/ }).click();
    await expect(bell.locator('.item').first()).toBeVisible({ timeout: 15_000 });
    for (const v of await violations(page)) found.push(`embedded bell @${size.width}: ${v}`);
  }
  expect(found).toEqual([]);
});
