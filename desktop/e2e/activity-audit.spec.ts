// Auditing activity in the windows: search with highlights, filters in the URL, export as a
// download, click-through to the entity, and an alert rule whose alert reaches the bell live.
import fs from 'node:fs';
import type { ActivityItem, Page as ApiPage } from '../src/shared/types.ts';
import { expect, spies, test } from './support/fixtures.ts';

test('search highlights matches and keeps the view in the URL', async ({ page, loginAs }) => {
  const api = await loginAs('admin@acme.test');
  const name = `Searchable Quokka ${Date.now()}`;
  expect((await api.post('/api/leads', { name })).status).toBe(201);
  await page.goto('/#/activity');
  await expect(page.getByTestId('activity').first()).toBeVisible();

  await page.getByLabel('Search activity').fill('quokk');
  await expect(page).toHaveURL(/#\/activity\?q=quokk$/);
  const rows = page.getByTestId('activity');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator('mark').first()).toHaveText('Quokk');

  // Severity and day range join the URL; the same URL opened afresh shows the same view.
  await page.getByLabel('Search activity').fill('');
  await page.getByLabel('Filter by severity').selectOption('critical');
  const today = new Date().toLocaleDateString('sv-SE');
  await page.getByLabel('To day').fill(today);
  await expect(page).toHaveURL(new RegExp(`severity=critical&to=${today}`));
  const critical = (await api.get<ApiPage<ActivityItem>>('/api/activity?severity=critical&page_size=30')).body.items;
  await expect(rows).toHaveCount(critical.length);
  const shared = page.url();
  await page.goto('about:blank');
  await page.goto(shared);
  await expect(page.getByLabel('Filter by severity')).toHaveValue('critical');
  await expect(rows).toHaveCount(critical.length);
  await expect(rows.first()).toContainText(critical[0]!.summary);
});

test('export downloads every matching entry as CSV, with progress', async ({ page, loginAs }) => {
  const api = await loginAs('admin@acme.test');
  await page.goto('/#/activity?type=job.failed');
  await expect(page.getByTestId('activity').first()).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^activity-.*\.csv$/);
  const text = fs.readFileSync(await file.path(), 'utf8');
  const lines = text.split('\r\n').filter(Boolean);
  expect(lines[0]).toBe('id,created_at,workspace_id,workspace_name,type,severity,actor_user_id,actor_name,entity_type,entity_id,summary,meta');
  const expected: ActivityItem[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: ApiPage<ActivityItem> } = await api.get(`/api/activity?type=job.failed&page_size=100${cursor ? `&cursor=${cursor}` : ''}`);
    expected.push(...res.body.items);
    cursor = res.body.next_cursor;
  } while (cursor);
  expect(lines).toHaveLength(expected.length + 1);
  expect(lines.slice(1).every((line) => line.includes(',job.failed,'))).toBe(true);
  await expect(page.getByTestId('export-status')).toHaveText(`Exported ${expected.length.toLocaleString()} rows (${file.suggestedFilename()})`);
});

test('an entry opens its detail with old → new, its entity in the host app, and more about it', async ({ page, loginAs }) => {
  const api = await loginAs('admin@acme.test');
  const name = `Clickable Wombat ${Date.now()}`;
  const lead = await api.post<{ id: string }>('/api/leads', { name });
  const res = await page.request.patch(`/api/leads/${lead.body.id}`, { headers: { Authorization: `Bearer ${api.token}` }, data: { status: 'qualified' } });
  expect(res.status()).toBe(200);
  await page.goto(`/#/activity?q=${encodeURIComponent('wombat')}`);
  const rows = page.getByTestId('activity');
  await expect(rows).toHaveCount(2);
  await rows.filter({ hasText: 'updated' }).click();
  const detail = page.getByTestId('activity-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('change')).toHaveText(['Statusnew→ qualified']);

  // This server has no APP_BASE_URL: the entry's target stays a path, and nothing offers to open a host app.
  await expect(detail.getByRole('button', { name: 'Open in app' })).toHaveCount(0);
  expect((await spies(page)).opened).toEqual([]);

  await detail.getByRole('button', { name: 'More about this' }).click();
  await expect(page).toHaveURL(new RegExp(`entity_type=lead&entity_id=${lead.body.id}`));
  await expect(page.getByTestId('entity-filter')).toContainText(lead.body.id);
  await expect(rows).toHaveCount(2);
  await expect(page.getByLabel('Search activity')).toHaveValue('');
});

test('a rule created on the Rules page alerts the admins live in the bell', async ({ page, loginAs, shot }) => {
  const api = await loginAs('admin@acme.test');
  const ruleName = `Any failed job #${Date.now().toString(36).slice(-5)}`;
  await page.goto('/#/rules');
  await expect(page.getByRole('heading', { name: /Alert rules/ })).toBeVisible();
  await page.getByRole('button', { name: 'New rule' }).click();
  const form = page.getByRole('form', { name: 'New rule' });
  await form.getByLabel('Name').fill(ruleName);
  await form.getByLabel('Job failed').check();
  await form.getByLabel('Threshold').fill('1');
  await form.getByLabel('Window in minutes').fill('5');
  await form.getByLabel('Minimum severity').selectOption('critical');
  // Named people come from the workspace's members.
  await form.getByRole('group', { name: 'Also tell these people' }).getByLabel('Rita Rep').check();
  await shot('rules-new');
  await form.getByRole('button', { name: 'Create rule' }).click();
  const row = page.getByTestId('rule').filter({ hasText: ruleName });
  await expect(row).toContainText('1 × Job failed (critical+) within 5 min');
  await expect(row).toContainText('admins, 1 named');
  const rules = (await api.get<{ items: { name: string; notify: { user_ids: string[] } }[] }>('/api/alert-rules')).body.items;
  const members = (await api.get<{ items: { user_id: string; name: string }[] }>('/api/workspace/members')).body.items;
  expect(rules.find((r) => r.name === ruleName)?.notify.user_ids).toEqual([members.find((m) => m.name === 'Rita Rep')?.user_id]);
  await shot('rules');

  await page.goto('/#/bell');
  await expect(page.getByTestId('notification').first()).toBeVisible();
  // The pointer off the list: an arrival goes straight to the top (over it, it waits in the "N new" pill).
  await page.mouse.move(0, 0);
  const job = await api.post<{ id: string }>('/api/jobs', { kind: 'enrichment' });
  expect((await api.post(`/api/jobs/${job.body.id}/fail`, { error: 'provider timeout' })).status).toBe(200);
  const alert = page.getByTestId('notification').filter({ hasText: `Alert: ${ruleName}` });
  await expect(alert).toBeVisible({ timeout: 15_000 });
  await expect(alert).toContainText('provider timeout');
  await expect.poll(async () => (await spies(page)).notifications.map((n) => n.title)).toContain(`Alert: ${ruleName}`);

  // The rule shows when it last fired; deleting it asks first.
  await page.goto('/#/rules');
  await expect(row).not.toContainText('never');
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: `Delete ${ruleName}` }).click();
  await expect(row).toHaveCount(0);
});
