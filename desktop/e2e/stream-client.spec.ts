import { randomUUID } from 'node:crypto';
import { expect, spies, test } from './support/fixtures.ts';

// The client half of live updates, against a scripted stream in the browser (the server's own
// stream and the badge are exercised by bell.spec.ts): events update the list, raise a Web
// Notification with a sound, and the reconnect resumes with Last-Event-ID.
test('live events from the stream update the bell and alert; reconnect resumes after the last id', async ({ page, loginAs }) => {
  const api = await loginAs('rep@acme.test');
  const me = (await api.get<{ current_workspace: { id: string } }>('/api/me')).body;
  const n = {
    id: randomUUID(),
    workspace_id: me.current_workspace.id,
    user_id: null,
    type: 'job_failed',
    title: 'Import job failed (scripted)',
    body: 'CSV import stopped at row 12',
    target_url: '/jobs/12',
    meta: {},
    read_at: null,
    archived_at: null,
    seen_at: null,
    snoozed_until: null,
    reason: 'You are an admin of Acme Sales',
    created_at: new Date().toISOString(),
  };
  const lastEventIds: Array<string | null> = [];
  let served = false;
  await page.route('**/api/notifications/stream**', async (route) => {
    lastEventIds.push(route.request().headers()['last-event-id'] ?? null);
    if (served) return route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: ': idle\n\n' });
    served = true;
    // Wait until the page has loaded its list, then deliver the event.
    await page.getByTestId('notification').first().waitFor();
    await route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: `id: 77\nevent: notification.created\ndata: ${JSON.stringify(n)}\n\n`,
    });
  });
  await page.goto('/#/bell');

  await expect(page.getByTestId('notification').first()).toContainText('Import job failed (scripted)');
  // The badge follows the server's unseen count, which a scripted event is not in: bell.spec.ts
  // checks the badge against the real server.
  await expect.poll(async () => (await spies(page)).notifications).toContainEqual({ title: n.title, body: 'Acme Sales · CSV import stopped at row 12' });
  await expect.poll(async () => (await spies(page)).sounds.some((s) => s.endsWith('/sounds/alert.wav'))).toBe(true);
  // The scripted response ended; the client reconnects after a backoff and resumes after event 77,
  // backing off further while the (scripted) server keeps closing at once: no reconnect storm.
  await expect.poll(() => lastEventIds.slice(0, 2), { timeout: 10_000 }).toEqual([null, '77']);
  await page.waitForTimeout(4_000);
  expect(lastEventIds.length).toBeLessThanOrEqual(5);
  expect(new Set(lastEventIds.slice(1))).toEqual(new Set(['77']));
});
