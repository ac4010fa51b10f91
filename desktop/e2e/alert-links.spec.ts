// Every item leads somewhere: an alert-rule alert names its types in words and opens the
// activity filtered to the entries that fired it; audit entries read with names, not ids.
import { expect, expectNoAxeViolations, test } from './support/fixtures.ts';

test('an alert-rule alert says which types in words and opens the entries that fired it', async ({ page, loginAs }) => {
  const api = await loginAs('admin@acme.test');
  // Finished jobs: no other spec reports one, so the rule counts only this test's two (failed
  // jobs come from several specs on the shared server, inside the rule's window).
  const name = `Two finished jobs #${Date.now().toString(36).slice(-5)}`;
  const rule = await api.post<{ id: string }>('/api/alert-rules', { name, types: ['job.completed'], threshold: 2, window_minutes: 5, notify: { roles: ['admin'], user_ids: [] } });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  await page.goto('/#/bell');
  await expect(page.getByTestId('notification').first()).toBeVisible({ timeout: 15_000 });
  for (const result of ['120 leads enriched', '42 leads enriched']) {
    const job = await api.post<{ id: string }>('/api/jobs', { kind: 'enrichment' });
    expect((await api.post(`/api/jobs/${job.body.id}/complete`, { result })).status).toBe(200);
  }
  const alert = page.getByTestId('notification').filter({ hasText: `Alert: ${name}` });
  await expect(alert).toBeVisible({ timeout: 15_000 });
  await expect(alert).toContainText('2 × Job completed within 5 min');
  await expect(alert).not.toContainText('job.completed');

  await alert.getByRole('button', { name: new RegExp(`Alert: ${name}`) }).first().click();
  await expect(page).toHaveURL(/#\/activity\?ids=/);
  const rows = page.getByTestId('activity');
  await expect(rows).toHaveCount(2, { timeout: 15_000 });
  expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-type')))).toEqual(['job.completed', 'job.completed']);
  await expect(rows.first()).toContainText('42 leads enriched');
  await expect(page.getByTestId('ids-filter')).toContainText('The 2 entries that fired an alert');
  await expectNoAxeViolations(page, 'activity filtered to an alert');
  // Back to the whole feed in one click.
  await page.getByRole('button', { name: 'Show all entries' }).click();
  await expect(page).not.toHaveURL(/ids=/);
  await expect.poll(() => rows.count()).toBeGreaterThan(2);
});

test('saving a rule without types says what to do, in words, and saves nothing', async ({ page, loginAs }) => {
  const api = await loginAs('admin@acme.test');
  const before = (await api.get<{ items: unknown[] }>('/api/alert-rules')).body.items.length;
  await page.goto('/#/rules');
  await page.getByRole('button', { name: 'New rule' }).click();
  const form = page.getByRole('form', { name: 'New rule' });
  await form.getByLabel('Name').fill(`No types ${Date.now()}`);
  await form.getByRole('button', { name: 'Create rule' }).click();
  await expect(form.getByRole('alert')).toHaveText(/Choose at least one kind of activity/);
  await expect(page.locator('body')).not.toContainText('body.types');
  expect((await api.get<{ items: unknown[] }>('/api/alert-rules')).body.items.length).toBe(before);
});

test("audit detail names fields and people; search results don't show bare ids", async ({ page, loginAs }) => {
  const api = await loginAs('admin@acme.test');
  const members = (await api.get<{ items: { user_id: string; name: string }[] }>('/api/workspace/members')).body.items;
  const ada = members.find((m) => m.name === 'Ada Admin')!;
  const rita = members.find((m) => m.name === 'Rita Rep')!;
  const stamp = `quokka${Date.now()}`;
  const leadName = `Owner ${stamp}`;
  const lead = await api.post<{ id: string }>('/api/leads', { name: leadName, owner_user_id: ada.user_id });
  expect(lead.status).toBe(201);
  const res = await page.request.patch(`/api/leads/${lead.body.id}`, { headers: { Authorization: `Bearer ${api.token}` }, data: { owner_user_id: rita.user_id } });
  expect(res.status()).toBe(200);

  await page.goto(`/#/activity?q=${stamp}`);
  const rows = page.getByTestId('activity');
  await expect(rows).toHaveCount(2, { timeout: 15_000 });
  // Found by words of the summary, not by the id: no id in the rows.
  await expect(rows.first()).not.toContainText(lead.body.id);
  await rows.filter({ hasText: 'updated' }).click();
  const detail = page.getByTestId('activity-detail');
  const change = detail.getByTestId('change');
  await expect(change).toHaveText(['OwnerAda Admin→ Rita Rep']);
  await expect(detail).not.toContainText(ada.user_id);
  await expect(change).not.toContainText('owner_user_id');
  // The raw id stays one hover away.
  await expect(change.locator('[title]').filter({ hasText: 'Rita Rep' })).toHaveAttribute('title', rita.user_id);
  await expectNoAxeViolations(page, 'audit detail');
});
