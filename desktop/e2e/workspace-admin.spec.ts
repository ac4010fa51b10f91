// Workspace admins manage members (roles, removal, never the last admin), their members'
// notification defaults and locks, escalations, and how long the workspace's activity is kept,
// on a screen of their own.
import { Api, expect, expectNoAxeViolations, test } from './support/fixtures.ts';

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

test('a workspace admin keeps a type on for everyone and sets an escalation on the Workspace screen; members see the lock', async ({ page, request, loginAs, shot }) => {
  const api = await loginAs('admin@globex.test');
  try {
    await page.goto('/#/workspace');
    const defaults = page.getByRole('form', { name: 'Notification defaults' });
    const task = defaults.getByRole('row', { name: /Task assigned to you/ });
    await expect(task).toBeVisible({ timeout: 15_000 });
    await expect(defaults.getByRole('button', { name: 'Save defaults' })).toBeDisabled();
    // Sound off for everyone (this server sends no mail: no Email column); keeping the type on
    // holds in-app and desktop on, and those boxes.
    await expect(defaults.getByRole('columnheader', { name: 'Email' })).toHaveCount(0);
    await task.getByLabel('Task assigned to you: Sound').uncheck();
    await task.getByLabel('Task assigned to you: Desktop').uncheck();
    await task.getByLabel('Task assigned to you: keep on for everyone').check();
    await expect(task.getByLabel('Task assigned to you: Desktop')).toBeChecked();
    await expect(task.getByLabel('Task assigned to you: Desktop')).toBeDisabled();
    await defaults.getByRole('button', { name: 'Save defaults' }).click();
    await expect(defaults.getByRole('status')).toContainText('Defaults saved.');
    await expect(defaults.getByRole('button', { name: 'Save defaults' })).toBeDisabled();
    await expect(page.getByRole('region', { name: 'Notification defaults' })).toContainText('Last changed by Gus Globex');
    const stored = await api.get<{ types: Record<string, { sound: boolean; locked: boolean; locked_by: { name: string } | null }> }>('/api/workspace/notification-defaults');
    expect(stored.body.types.task_assigned).toMatchObject({ in_app: true, desktop: true, sound: false, locked: true, locked_by: { name: 'Gus Globex' } });

    // Escalations: the form names what is missing before anything is sent.
    const escalations = page.getByRole('form', { name: 'Escalations' });
    const jobFailed = escalations.getByRole('group', { name: 'Job failed' });
    await jobFailed.getByLabel('Escalate if unclaimed and unread after').check();
    await jobFailed.getByLabel('Job failed: minutes before it escalates').fill('15');
    await jobFailed.getByLabel('Notify the super admins').uncheck();
    await escalations.getByRole('button', { name: 'Save escalations' }).click();
    await expect(escalations.getByRole('alert')).toContainText('Job failed: choose whom to tell');
    expect((await api.get<{ items: unknown[] }>('/api/workspace/notification-escalations')).body.items).toEqual([]);
    await jobFailed.getByLabel('Notify the super admins').check();
    await escalations.getByRole('button', { name: 'Save escalations' }).click();
    await expect(escalations.getByRole('status')).toHaveText('Escalations saved.');
    expect((await api.get<{ items: unknown[] }>('/api/workspace/notification-escalations')).body.items).toEqual([
      { type: 'job_failed', after_minutes: 15, notify_super_admins: true, email_admins: false },
    ]);
    await page.reload();
    await expect(page.getByRole('form', { name: 'Escalations' }).getByLabel('Job failed: minutes before it escalates')).toHaveValue('15', { timeout: 15_000 });
    await page.getByRole('heading', { name: 'Notification defaults' }).evaluate((heading) => heading.scrollIntoView());
    await shot('workspace-alert-settings');
    await expectNoAxeViolations(page, 'workspace screen with defaults and escalations');

    // Members' preferences carry the lock, by name (claims.spec.ts shows it on their screen).
    const rep = await Api.login(request, 'rep@globex.test');
    const prefs = await rep.get<{ locks: Record<string, { locked_by: { name: string } | null }> }>('/api/notification-preferences');
    expect(prefs.body.locks?.task_assigned?.locked_by?.name).toBe('Gus Globex');
  } finally {
    // Other specs meet Globex with the built-in defaults and no escalation.
    expect((await api.put('/api/workspace/notification-defaults', { types: {} })).status).toBe(200);
    expect((await api.put('/api/workspace/notification-escalations', { items: [] })).status).toBe(200);
  }
});
