// Every type the server can send is offered by each desktop picker, as a user sees them: the
// lists are the contract's (the same module the server validates with).
import { ACTIVITY_TYPES, AUDIT_ACTIVITY_TYPES, NOTIFICATION_TYPES, PREFERENCE_CHANNELS, SUPER_ADMIN_NOTIFICATION_TYPES, typeLabel } from '@tray-notify/contract/lists';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';

const typeFilterValues = (page: Page) =>
  page
    .getByLabel('Filter by type')
    .locator('option')
    .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));

test('the Activity window filters by every activity type', async ({ page, loginAs }) => {
  await loginAs('admin@acme.test');
  await page.goto('/#/activity');
  await expect(page.getByTestId('activity').first()).toBeVisible();
  expect(await typeFilterValues(page)).toEqual([...ACTIVITY_TYPES]);
});

test("a member's Activity window offers only the types a member sees (no audit entries)", async ({ page, loginAs }) => {
  await loginAs('rep@acme.test');
  await page.goto('/#/activity');
  await expect(page.getByTestId('activity').first()).toBeVisible();
  expect(await typeFilterValues(page)).toEqual(ACTIVITY_TYPES.filter((type) => !AUDIT_ACTIVITY_TYPES.includes(type)));
});

test('the Admin window filters by every activity type', async ({ page, loginAs }) => {
  await loginAs('super@demo.test');
  await page.goto('/#/admin');
  await expect(page.getByTestId('activity').first()).toBeVisible();
  expect(await typeFilterValues(page)).toEqual([...ACTIVITY_TYPES]);
});

test('Settings has preferences and a sound for every notification type the user can receive', async ({ page, loginAs }) => {
  await loginAs('admin@acme.test');
  await page.goto('/#/settings');
  const label = typeLabel;
  // The critical types go to super admins only: a workspace admin is not offered them.
  await expect(page.getByRole('checkbox', { name: `${label('critical_api_key')}: in_app`, exact: true })).toHaveCount(0);
  // The test server has no SMTP_URL: no email boxes are offered.
  await expect(page.getByRole('checkbox', { name: /: email$/ })).toHaveCount(0);
  for (const type of NOTIFICATION_TYPES.filter((t) => !SUPER_ADMIN_NOTIFICATION_TYPES.includes(t))) {
    for (const channel of PREFERENCE_CHANNELS.filter((c) => c !== 'email')) {
      await expect(page.getByRole('checkbox', { name: `${label(type)}: ${channel}`, exact: true })).toBeVisible();
    }
    await expect(page.getByLabel(`Sound for ${label(type)}`, { exact: true })).toBeVisible();
  }
});
