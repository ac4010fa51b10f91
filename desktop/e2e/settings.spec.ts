import { expect, spies, test } from './support/fixtures.ts';

test.describe('settings', () => {
  test('shows the account, notification preferences, sounds with a test button; logs out', async ({ page, loginAs, shot }) => {
    const api = await loginAs('admin@acme.test');
    await page.goto('/#/settings');
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Account' }).or(page.locator('section', { hasText: 'Account' }))).toContainText('Ada Admin');
    await expect(page.getByLabel('Current workspace')).toHaveValue(/.+/);
    await expect(page.getByRole('heading', { name: 'Notifications', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Sounds' })).toBeVisible();

    // Notification preferences are the server's: a change is saved there.
    type Prefs = { types: Record<string, { sound: boolean; in_app: boolean }>; quiet_hours: { enabled: boolean } };
    const before = (await api.get<Prefs>('/api/notification-preferences')).body;
    const box = page.getByRole('checkbox', { name: 'Campaign reply or meeting: sound' });
    await expect(box).toBeChecked({ checked: before.types.campaign_outcome!.sound });
    await box.click();
    await expect.poll(async () => (await api.get<Prefs>('/api/notification-preferences')).body.types.campaign_outcome!.sound).toBe(!before.types.campaign_outcome!.sound);
    // Every channel of the server's preferences is there, in-app included.
    const inApp = page.getByRole('checkbox', { name: 'Task you created completed: in_app' });
    await expect(inApp).toBeChecked({ checked: before.types.task_completed!.in_app });
    await inApp.click();
    await expect.poll(async () => (await api.get<Prefs>('/api/notification-preferences')).body.types.task_completed!.in_app).toBe(!before.types.task_completed!.in_app);
    await inApp.click();
    await expect.poll(async () => (await api.get<Prefs>('/api/notification-preferences')).body.types.task_completed!.in_app).toBe(before.types.task_completed!.in_app);
    await page.getByRole('checkbox', { name: /Hold alerts and sounds during quiet hours/ }).click();
    await expect.poll(async () => (await api.get<Prefs>('/api/notification-preferences')).body.quiet_hours.enabled).toBe(!before.quiet_hours.enabled);

    await page.getByLabel('Sound for Job failed').selectOption('chime');
    await page.getByRole('row', { name: /Job failed/ }).getByRole('button', { name: 'Test sound' }).click();
    await expect.poll(async () => (await spies(page)).sounds.at(-1) ?? '').toMatch(/\/sounds\/chime\.wav$/);
    // The choice is kept on this device.
    await page.reload();
    await expect(page.getByLabel('Sound for Job failed')).toHaveValue('chime');
    await shot('settings');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto('/#/bell');
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  });
});
