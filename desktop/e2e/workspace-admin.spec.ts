// Workspace admins manage members (roles, removal, never the last admin) and how long the
// workspace's activity is kept, on a screen of their own.
import { expect, expectNoAxeViolations, test } from './support/fixtures.ts';

test('a workspace admin changes roles on the Workspace screen; the last admin is guarded', async ({ page, loginAs, shot }) => {
  const api = await loginAs('admin@globex.test');
  await page.goto('/#/bell');
  await page.getByRole('navigation', { name: 'Windows' }).getByRole('link', { name: 'Workspace' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Globex', { timeout: 15_000 });
  await expect(page.getByTestId('member')).toHaveCount(2, { timeout: 15_000 });
  const members = page.getByTestId('member');
  const gus = members.filter({ hasText: 'Gus Globex' });
  const gina = members.filter({ hasText: 'Gina Rep' });
  // The only admin can be neither removed nor demoted without someone else first.
  await expect(gus.getByRole('button', { name: /^Remove/ })).toBeDisabled();
  await expect(gus).toContainText('The only admin: promote someone else first.');

  await gina.getByLabel('Role of Gina Rep').selectOption('admin');
  await expect(page.getByRole('status').filter({ hasText: 'Gina Rep is now an admin.' })).toBeAttached();
  await expect(gus.getByRole('button', { name: /^Remove/ })).toBeEnabled();
  const roles = async () => (await api.get<{ items: { name: string; role: string }[] }>('/api/workspace/members')).body.items.map((m) => `${m.name}:${m.role}`).sort();
  expect(await roles()).toEqual(['Gina Rep:admin', 'Gus Globex:admin']);
  await shot('workspace-members');
  await expectNoAxeViolations(page, 'workspace screen');

  await gina.getByLabel('Role of Gina Rep').selectOption('member');
  await expect(gus).toContainText('The only admin');
  expect(await roles()).toEqual(['Gina Rep:member', 'Gus Globex:admin']);

  // Removal asks first; declining changes nothing.
  page.once('dialog', (dialog) => void dialog.dismiss());
  await gina.getByRole('button', { name: 'Remove Gina Rep' }).click();
  await expect(gina).toBeVisible();
  expect(await roles()).toHaveLength(2);
});

test('a workspace admin sets retention within the server maximum; members are not offered it', async ({ page, loginAs }) => {
  const api = await loginAs('admin@globex.test');
  await page.goto('/#/workspace');
  const form = page.getByRole('form', { name: 'Activity retention' });
  const days = form.getByLabel('Keep activity for (days)');
  await expect(days).toBeVisible({ timeout: 15_000 });
  await days.fill('0');
  await form.getByRole('button', { name: 'Save retention' }).click();
  await expect(form.getByRole('alert')).toContainText('Choose a whole number of days');
  await days.fill('30');
  await form.getByRole('button', { name: 'Save retention' }).click();
  await expect(form.getByRole('status')).toHaveText('Activity is now kept 30 days.');
  await expect(page.getByTestId('retention-now')).toContainText('older than 30 days');
  await expect(page.locator('body')).not.toContainText('Only super admins');
  expect((await api.get<{ retention_days: number }>('/api/workspace/activity-retention')).body.retention_days).toBe(30);
  const audit = await api.get<{ items: { summary: string }[] }>('/api/activity?type=workspace.retention_changed');
  expect(audit.body.items[0]?.summary).toContain('set activity retention to 30 days');
});

test('a member sees no Workspace screen in the nav, and a plain refusal at its address', async ({ page, loginAs }) => {
  await loginAs('rep@globex.test');
  await page.goto('/#/bell');
  await expect(page.getByTestId('notification').first().or(page.getByTestId('empty-state'))).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('navigation', { name: 'Windows' }).getByRole('link', { name: 'Workspace' })).toHaveCount(0);
  await page.goto('/#/workspace');
  await expect(page.getByTestId('forbidden')).toContainText('Ask an admin of your workspace');
});
