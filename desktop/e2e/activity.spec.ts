import { expect, test } from './support/fixtures.ts';
import type { ActivityItem, Page as ApiPage } from '../src/shared/types.ts';

test.describe('workspace activity', () => {
  test('lists the workspace activity, filters by type, scrolls for more', async ({ page, loginAs, shot }) => {
    const api = await loginAs('admin@acme.test');
    await page.goto('/#/activity');
    await expect(page.getByRole('heading', { name: /Activity/ })).toContainText('Acme Sales');
    const rows = page.getByTestId('activity');
    await expect(rows).toHaveCount(30);
    const first = (await api.get<ApiPage<ActivityItem>>('/api/activity?page_size=1')).body.items[0]!;
    await expect(rows.first()).toContainText(first.summary);
    await shot('activity');

    // Infinite scroll: the next page arrives when the end of the list comes into view.
    await rows.last().scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: /Load more|Loading/ }).scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count()).toBeGreaterThan(30);

    await page.getByLabel('Filter by type').selectOption('task.completed');
    await expect(rows.first()).toHaveAttribute('data-type', 'task.completed');
    const types = await rows.evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-type')))]);
    expect(types).toEqual(['task.completed']);
    const expected = (await api.get<ApiPage<ActivityItem>>('/api/activity?type=task.completed&page_size=100')).body.items.length;
    expect(await rows.count()).toBe(Math.min(expected, 30));
    await shot('activity-filtered');
  });
});

test('new activity appears live at the top of the open feed', async ({ page, loginAs }) => {
  const api = await loginAs('rep@acme.test');
  await page.goto('/#/activity');
  const rows = page.getByTestId('activity');
  await expect(rows).toHaveCount(30);
  const newest = await rows.first().locator('time').getAttribute('datetime');
  // The feed asks only for entries newer than its newest one (`since`).
  const asked = page.waitForRequest((r) => {
    const url = new URL(r.url());
    return url.pathname === '/api/activity' && url.searchParams.has('since');
  });

  // Real activity, the way the product makes it: a lead created through the API.
  const leadName = `Live Lead ${Date.now()}`;
  const lead = await api.post<{ id: string }>('/api/leads', { name: leadName });
  expect(lead.status).toBe(201);

  // The feed polls for newer entries every 10 s.
  await expect(rows.first()).toContainText(`created lead ${leadName}`, { timeout: 20_000 });
  await expect(rows.first()).toHaveClass(/fresh/);
  await expect(rows.first()).toHaveAttribute('data-type', 'lead.created');
  expect(new URL((await asked).url()).searchParams.get('since')).toBe(newest);
  await expect(rows).toHaveCount(31);
});

test.describe('admin activity', () => {
  test('a super admin sees all workspaces, filters by workspace, user and type, and the critical events', async ({ page, loginAs, shot }) => {
    const api = await loginAs('super@demo.test');
    await page.goto('/#/admin');
    await expect(page.getByRole('heading', { name: 'Admin activity' })).toBeVisible();
    const rows = page.getByTestId('activity');
    await expect(rows.first()).toBeVisible();
    const names = await rows.locator('.workspace').allTextContents();
    expect(new Set(names)).toEqual(new Set(['Acme Sales', 'Globex Outbound']));
    const critical = (await api.get<{ items: ActivityItem[] }>('/api/admin/critical-events?limit=8')).body.items;
    expect(critical.length).toBeGreaterThan(0);
    await expect(page.getByTestId('critical-events').locator('li')).toHaveCount(critical.length);
    await expect(page.getByTestId('critical-events').locator('li').first()).toContainText(critical[0]!.summary);
    await shot('admin');

    await page.getByLabel('Filter by workspace').selectOption({ label: 'Globex Outbound' });
    await expect.poll(async () => new Set(await rows.locator('.workspace').allTextContents())).toEqual(new Set(['Globex Outbound']));

    const users = await page.getByLabel('Filter by user').locator('option').allTextContents();
    expect(users).toContain('Gina Rep');
    await page.getByLabel('Filter by user').selectOption({ label: 'Gina Rep' });
    await expect
      .poll(() => rows.evaluateAll((els) => [...new Set(els.map((e) => /by (.+?)(Globex|Acme)/.exec(e.textContent ?? '')?.[1]))]))
      .toEqual(['Gina Rep']);

    await page.getByLabel('Filter by user').selectOption({ label: 'All users' });
    await page.getByLabel('Filter by type').selectOption('job.failed');
    await expect.poll(async () => rows.evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-type')))])).toEqual(['job.failed']);
    const apiCount = (await api.get<ApiPage<ActivityItem>>('/api/admin/activity?type=job.failed&page_size=100&workspace_id=' + (await page.getByLabel('Filter by workspace').inputValue()))).body.items.length;
    expect(await rows.count()).toBe(Math.min(apiCount, 30));
    await shot('admin-filtered');
  });

  test('is refused to a member, in the UI and by the server', async ({ page, loginAs, shot }) => {
    const api = await loginAs('rep@acme.test');
    await page.goto('/#/bell');
    await expect(page.getByRole('navigation')).not.toContainText('Admin activity');
    await page.goto('/#/admin');
    await expect(page.getByTestId('forbidden')).toContainText('Admin activity is for super admins');
    await expect(page.getByTestId('activity')).toHaveCount(0);
    expect((await api.get('/api/admin/activity')).status).toBe(403);
    await shot('admin-refused');
  });
});
