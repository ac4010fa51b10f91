// Every window usable at 400×700: nothing wider than the window, filters folded, the detail
// over the list, the embedded dropdown inside the viewport, long text wrapped or shortened.
import type { Locator, Page } from '@playwright/test';
import { Api, expect, expectNoAxeViolations, test } from './support/fixtures.ts';

const NARROW = { width: 400, height: 700 };

async function box(locator: Locator) {
  // Polled: the embedded bell redraws its dropdown when a live update arrives, and an element
  // being replaced has no box for that moment.
  let b: Awaited<ReturnType<Locator['boundingBox']>> = null;
  await expect.poll(async () => (b = await locator.boundingBox()), { message: 'laid out' }).not.toBeNull();
  return b!;
}
/** Fully inside the window, horizontally. */
async function expectInside(locator: Locator, what: string) {
  const b = await box(locator);
  expect(b.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width, `${what}: right edge`).toBeLessThanOrEqual(NARROW.width + 0.5);
}
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test('the embedded bell’s dropdown stays inside a 400 px viewport', async ({ page, shot }) => {
  await page.setViewportSize(NARROW);
  await page.goto('/embed/demo?email=admin@acme.test');
  const bell = page.locator('tray-notify-bell');
  await bell.getByRole('button', { name: /^Notifications/ }).click();
  const panel = bell.getByRole('region', { name: 'Notifications' });
  await expect(panel.locator('.item').first()).toBeVisible({ timeout: 15_000 });
  await expectInside(panel, 'dropdown');
  const markAll = panel.getByRole('button', { name: 'Mark all read' });
  if (await markAll.count()) await expectInside(markAll, '"Mark all read"');
  await expectInside(bell.getByRole('button', { name: /^Notifications/ }), 'bell');
  expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
  await shot('narrow-embedded-bell');
});

test('activity at 400 px: filters folded, the full-width list, the detail over it', async ({ page, loginAs, shot }) => {
  await page.setViewportSize(NARROW);
  await loginAs('admin@acme.test');
  await page.goto('/#/activity');
  const rows = page.getByTestId('activity');
  await expect(rows.first()).toBeVisible({ timeout: 15_000 });
  const filters = page.getByRole('search');
  expect((await box(filters)).height, 'folded filters').toBeLessThanOrEqual(100);
  await expect(page.getByLabel('Filter by type')).toBeHidden();
  await filters.getByRole('button', { name: /^Filters/ }).click();
  await expect(page.getByLabel('Filter by type')).toBeVisible();
  await filters.getByRole('button', { name: /^Filters/ }).click();
  await shot('narrow-activity');

  await rows.first().click();
  const detail = page.getByTestId('activity-detail');
  await expect(detail).toBeVisible();
  expect((await box(detail)).width, 'detail over the list').toBeGreaterThanOrEqual(NARROW.width - 1);
  await expect(detail).toBeFocused();
  await shot('narrow-activity-detail');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  // The list was never squeezed beside it.
  expect((await box(rows.first())).width, 'list row width').toBeGreaterThanOrEqual(NARROW.width - 20);
  await expect(rows.first()).toBeFocused();
  expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);

  await page.goto('/#/rules');
  await expect(page.getByTestId('rule').first().or(page.getByTestId('empty-state'))).toBeVisible({ timeout: 15_000 });
  for (const link of await page.getByRole('navigation', { name: 'Windows' }).getByRole('link').all()) await expectInside(link, `nav ${await link.textContent()}`);
  const rule = page.getByTestId('rule').first();
  if (await rule.count()) await expectInside(rule.getByRole('button', { name: /^Delete/ }), 'Delete');
  expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
  await shot('narrow-rules');
  await expectNoAxeViolations(page, 'rules at 400 px');
});

test('a long unbroken URL wraps within the row: the page keeps its width, actions beside it, the full text on focus', async ({ page, loginAs, request }) => {
  await page.setViewportSize(NARROW);
  const api = await loginAs('rep@acme.test');
  const admin = await Api.login(request, 'admin@acme.test');
  const me = (await api.get<{ id: string }>('/api/me')).body.id;
  const url = `https://crm.example.com/leads/${'a1b2c3d4'.repeat(18)}?utm_source=newsletter&utm_campaign=${'spring'.repeat(10)}`;
  await admin.assignTask(me, `Check ${url}`);
  await page.goto('/#/bell');
  const row = page.getByTestId('notification').filter({ hasText: 'crm.example.com' }).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
  const text = row.locator('.notification-body');
  const clamped = (await box(text)).height;
  await expectInside(row.getByRole('button', { name: /^Mark (read|unread)/ }), 'row actions');
  // Shortened to a few lines; the whole text when the row has the keyboard.
  expect(clamped).toBeLessThan(60);
  await row.locator('.notification-main').focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect.poll(async () => (await box(text)).height).toBeGreaterThan(clamped);

  await page.goto('/#/activity');
  await expect(page.getByTestId('activity').first()).toBeVisible({ timeout: 15_000 });
  expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
});

test('the Workspace screen at 400 px: members, defaults, escalations and retention inside the window', async ({ page, loginAs, shot }) => {
  await page.setViewportSize(NARROW);
  await loginAs('admin@acme.test');
  await page.goto('/#/workspace');
  await expect(page.getByTestId('member').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('workspace-defaults').getByRole('row').nth(1)).toBeVisible();
  // The defaults' table scrolls inside its section; the page keeps the window's width.
  expect(await pageWidth(page)).toBeLessThanOrEqual(NARROW.width);
  for (const name of ['Save defaults', 'Save escalations', 'Save retention']) await expectInside(page.getByRole('button', { name }), name);
  await expectInside(page.getByRole('group', { name: 'Job failed' }), 'escalation of failed jobs');
  await shot('narrow-workspace');
  await expectNoAxeViolations(page, 'workspace at 400 px');
});
