// Super admins belong to no workspace: they land on the admin activity, never on a dead page,
// and their desktop alerts name the workspace each came from.
import { Api, expect, spies, test } from './support/fixtures.ts';

test('a super admin opening Activity lands on the admin activity, without a workspace-only toolbar', async ({ page, loginAs }) => {
  await loginAs('super@demo.test');
  await page.goto('/#/activity?type=job.failed');
  await expect(page).toHaveURL(/#\/admin\?type=job\.failed/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Admin activity');
  await expect(page.getByTestId('activity').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('body')).not.toContainText('not a member of a workspace');
  // The nav offers no dead end.
  await expect(page.getByRole('navigation', { name: 'Windows' }).getByRole('link', { name: 'Activity', exact: true })).toHaveCount(0);
});

test("a super admin's desktop alert names the workspace it came from", async ({ page, loginAs, request }) => {
  await loginAs('super@demo.test');
  await page.goto('/#/bell');
  await expect(page.getByTestId('notification').first()).toBeVisible({ timeout: 15_000 });
  const globex = await Api.login(request, 'admin@globex.test');
  const superApi = await Api.login(request, 'super@demo.test');
  const superId = (await superApi.get<{ id: string }>('/api/me')).body.id;
  const name = `Globex failures #${Date.now().toString(36).slice(-5)}`;
  // A rule that tells this super admin about one failed job in Globex.
  const workspaces = (await superApi.get<{ items: { id: string; name: string }[] }>('/api/admin/workspaces')).body.items;
  const globexId = workspaces.find((w) => w.name === 'Globex Outbound')!.id;
  const rule = await superApi.post('/api/alert-rules', { name, workspace_id: globexId, types: ['job.failed'], threshold: 1, window_minutes: 5, notify: { roles: [], user_ids: [superId] } });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  const job = await globex.post<{ id: string }>('/api/jobs', { kind: 'enrichment' });
  expect((await globex.post(`/api/jobs/${job.body.id}/fail`, { error: 'quota exceeded' })).status).toBe(200);
  await expect.poll(async () => (await spies(page)).notifications.find((n) => n.title.includes(name))?.body ?? '', { timeout: 15_000 }).toMatch(/^Globex Outbound · /);
});
