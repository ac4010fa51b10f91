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

test.describe('on a device in Tokyo', () => {
  test.use({ timezoneId: 'Asia/Tokyo' });

  test('quiet hours set in Berlin time say what they are on this device', async ({ page, loginAs }) => {
    const api = await loginAs('rep@globex.test');
    type Prefs = { muted: boolean; quiet_hours: { enabled: boolean; start: string; end: string; time_zone: string }; types: Record<string, unknown> };
    const before = (await api.get<Prefs>('/api/notification-preferences')).body;
    const save = (quiet_hours: Prefs['quiet_hours']) => api.put('/api/notification-preferences', { muted: before.muted, quiet_hours, types: before.types });
    expect((await save({ enabled: true, start: '22:00', end: '07:00', time_zone: 'Europe/Berlin' })).status).toBe(200);
    try {
      await page.goto('/#/settings');
      // Tokyo is 8 hours ahead of Berlin in winter, 7 in summer.
      await expect(page.getByTestId('quiet-hours-here')).toHaveText(/^These times are Europe\/Berlin time: 0?[56]:00(\sAM)?–(1[45]:00|[23]:00\sPM) on this device \(Asia\/Tokyo\)\.$/, {
        timeout: 15_000,
      });
      // Chosen in the device's own zone, there is nothing to translate.
      await page.getByRole('combobox', { name: 'Time zone' }).fill('Asia/Tokyo');
      await expect(page.getByTestId('time-zone-state')).toHaveText('Saved');
      await expect(page.getByTestId('quiet-hours-here')).toHaveCount(0);
    } finally {
      expect((await save(before.quiet_hours)).status).toBe(200);
    }
  });
});
